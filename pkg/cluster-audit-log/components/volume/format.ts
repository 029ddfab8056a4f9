/**
 * How the volume estimate's figures are written in the tab: counts, bytes, days and durations, and which
 * translation each retention warning and note uses. Pure; the arithmetic is delivery/retention.ts'.
 */
import { formatDays, Retention, RetentionWarning } from '../../delivery/retention';

/** A whole count with thousands separators: 5,856,617. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Bytes in binary units, one decimal: 512 B, 6.7 MiB, 2.3 GiB. */
export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${ Math.round(n) } B`;
  }
  let v = n / 1024;
  let u = 0;

  while (v >= 1024 && u < BYTE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }

  return `${ v.toFixed(1) } ${ BYTE_UNITS[u] }`;
}

/** A share as a percentage with one decimal. */
export function formatPercent(part: number, whole: number): string {
  return `${ whole > 0 ? ((100 * part) / whole).toFixed(1) : '0.0' }%`;
}

/** A duration in the unit that reads best, for a translation `clusterAuditLog.volume.duration.<unit>`. */
export function durationParts(seconds: number): { unit: 'seconds' | 'minutes' | 'hours' | 'days', value: string } {
  if (seconds < 120) {
    return { unit: 'seconds', value: seconds.toFixed(1) };
  }
  if (seconds < 2 * 3600) {
    return { unit: 'minutes', value: (seconds / 60).toFixed(1) };
  }
  if (seconds < 2 * 86400) {
    return { unit: 'hours', value: (seconds / 3600).toFixed(1) };
  }

  return { unit: 'days', value: (seconds / 86400).toFixed(1) };
}

/** The translation of each retention warning, and the arguments it takes. */
export function warningText(w: RetentionWarning): { key: string, args: Record<string, string> } {
  switch (w.id) {
  case 'deletes-before-max-age':
    return { key: 'clusterAuditLog.volume.warning.deletesBeforeMaxAge', args: { days: formatDays(w.daysKept), maxAge: Number.isInteger(w.maxAge) ? formatCount(w.maxAge) : formatDays(w.maxAge) } };
  case 'below-cis':
    return { key: 'clusterAuditLog.volume.warning.belowCis', args: { days: formatDays(w.daysKept), minimum: String(w.minimum) } };
  case 'no-rotation':
    return { key: 'clusterAuditLog.volume.warning.noRotation', args: {} };
  case 'unbounded':
    return { key: 'clusterAuditLog.volume.warning.unbounded', args: {} };
  case 'writes-fail':
    return { key: 'clusterAuditLog.volume.warning.writesFail', args: {} };
  case 'max-age-wraps':
    return w.days > 0 ? { key: 'clusterAuditLog.volume.warning.maxAgeWraps', args: { days: formatDays(w.days) } } : { key: 'clusterAuditLog.volume.warning.maxAgeWrapsAll', args: {} };
  }
}

/** The days kept, in words: a number of days, unbounded, or none. */
export function daysKeptText(r: Retention): { key: string, args: Record<string, string> } {
  if (r.limitedBy === 'writes-fail') {
    return { key: 'clusterAuditLog.volume.daysNone', args: {} };
  }
  if (r.daysKept === Infinity) {
    return { key: 'clusterAuditLog.volume.daysUnbounded', args: {} };
  }

  return { key: r.limitedBy === 'size' ? 'clusterAuditLog.volume.daysBySize' : 'clusterAuditLog.volume.daysByAge', args: { days: formatDays(r.daysKept) } };
}
