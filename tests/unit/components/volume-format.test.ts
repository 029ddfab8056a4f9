/** components/volume/format: how the volume estimate writes its figures, and the translation of each warning. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import {
  daysKeptText, durationParts, formatBytes, formatCount, formatPercent, warningText
} from '@pkg/components/volume/format';
import type { Retention, RetentionWarning } from '@pkg/delivery/retention';

const EN = parse(readFileSync(join(__dirname, '../../../l10n/en-us.yaml'), 'utf8'));
const message = (key: string): unknown => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], EN);

describe('volume figures', () => {
  it.each([
    [0, '0'], [999, '999'], [5856617, '5,856,617'], [1234.6, '1,235'],
  ])('formatCount(%d) = %s', (n, want) => {
    expect(formatCount(n)).toBe(want);
  });

  it.each([
    [0, '0 B'], [1023, '1023 B'], [1024, '1.0 KiB'], [7014275, '6.7 MiB'], [2480222197, '2.3 GiB'], [2 ** 50, '1.0 PiB'], [2 ** 70, '1024.0 EiB'],
  ])('formatBytes(%d) = %s', (n, want) => {
    expect(formatBytes(n)).toBe(want);
  });

  it.each([
    [1, 3, '33.3%'], [7014275, 7014275, '100.0%'], [0, 0, '0.0%'],
  ])('formatPercent(%d, %d) = %s', (part, whole, want) => {
    expect(formatPercent(part, whole)).toBe(want);
  });

  it.each([
    [0.5, 'seconds', '0.5'], [119.9, 'seconds', '119.9'], [244.346398, 'minutes', '4.1'], [7200, 'hours', '2.0'], [3 * 86400, 'days', '3.0'],
  ])('durationParts(%d) = %s %s', (seconds, unit, value) => {
    expect(durationParts(seconds)).toEqual({ unit, value });
  });
});

describe('warnings and days kept, in words', () => {
  it.each([
    [{ id: 'deletes-before-max-age', daysKept: 0.465, maxAge: 30 }, 'clusterAuditLog.volume.warning.deletesBeforeMaxAge', { days: '0.47', maxAge: '30' }],
    [{ id: 'deletes-before-max-age', daysKept: 0.001, maxAge: 0.0177 }, 'clusterAuditLog.volume.warning.deletesBeforeMaxAge', { days: '0.00', maxAge: '0.02' }],
    [{ id: 'below-cis', daysKept: 11, minimum: 30 }, 'clusterAuditLog.volume.warning.belowCis', { days: '11.0', minimum: '30' }],
    [{ id: 'no-rotation' }, 'clusterAuditLog.volume.warning.noRotation', {}],
    [{ id: 'unbounded' }, 'clusterAuditLog.volume.warning.unbounded', {}],
    [{ id: 'writes-fail' }, 'clusterAuditLog.volume.warning.writesFail', {}],
    [{ id: 'max-age-wraps', days: 0.0177 }, 'clusterAuditLog.volume.warning.maxAgeWraps', { days: '0.02' }],
    [{ id: 'max-age-wraps', days: -106751.98 }, 'clusterAuditLog.volume.warning.maxAgeWrapsAll', {}],
  ] as [RetentionWarning, string, Record<string, string>][])('%j', (w, key, args) => {
    expect(warningText(w)).toEqual({ key, args });
    expect(typeof message(key)).toBe('string');
  });

  const r = (daysKept: number, limitedBy: Retention['limitedBy']): Retention => ({
    daysKept, limitedBy, bySize: daysKept, maxAge: Infinity, cisOk: true, fileBytes: null, warnings: []
  });

  it.each([
    [r(0.465, 'size'), 'clusterAuditLog.volume.daysBySize', { days: '0.47' }],
    [r(30, 'age'), 'clusterAuditLog.volume.daysByAge', { days: '30.0' }],
    [r(Infinity, 'none'), 'clusterAuditLog.volume.daysUnbounded', {}],
    [r(0, 'writes-fail'), 'clusterAuditLog.volume.daysNone', {}],
  ])('days kept %#', (retention, key, args) => {
    expect(daysKeptText(retention)).toEqual({ key, args });
    expect(typeof message(key)).toBe('string');
  });
});
