/**
 * How much audit log a policy makes per day and how many days of it the log rotation keeps: the one place
 * this arithmetic lives (the `estimate` command and the tab's volume estimate both call it).
 *
 * What kube-apiserver does with the rotation numbers (k8s.io/apiserver pkg/server/options/audit.go, and
 * gopkg.in/natefinch/lumberjack.v2 lumberjack.go which it hands them to):
 * - `--audit-log-maxsize` is in megabytes of 1024 x 1024 bytes (lumberjack: `megabyte = 1024 * 1024`,
 *   `max()` = MaxSize x megabyte, an int64 product). 0: before Kubernetes 1.36 lumberjack's own default of
 *   100 MB applies (`defaultMaxSize = 100`); from 1.36 kube-apiserver opens the file without lumberjack, so it
 *   is never rotated ("Setting to 0 disables rotation", kubernetes commit b753a2af).
 * - `--audit-log-maxbackup`: rotated files kept besides the current one; 0 keeps all of them ("there's no
 *   restriction on the number of files"; lumberjack millRunOnce only removes by count when MaxBackups > 0).
 * - `--audit-log-maxage`: days; a rotated file whose rotation time is older is removed at the next rotation;
 *   0: no removal by age. lumberjack computes the cutoff as `int64(24*time.Hour) * int64(MaxAge)`, which wraps
 *   above 106,751 days.
 * - A flag not given: 0 before Kubernetes 1.36; from 1.36 NewAuditOptions sets maxsize 100, maxage 366 and
 *   maxbackup 100.
 * The distro's own defaults (delivery/distro.ts) apply before any of these when the distro writes them.
 */
import type { Estimate, SampleSpan } from '../policy/estimate';
import { CIS_LOG_MINIMUMS } from './distro';
import { LOG_NUMBER_FIELDS, parseWholeNumber } from './numbers';
import type { KubeObject, LogDefaults, LogNumberField, LogSettings } from './types';

/** Seconds in the 24-hour day lumberjack's MaxAge counts in. */
export const SECONDS_PER_DAY = 86400;

/** lumberjack's megabyte (the unit of --audit-log-maxsize). */
export const MEGABYTE = BigInt(1024 * 1024);

/** lumberjack's defaultMaxSize, in megabytes: the size kube-apiserver before 1.36 rotates at when maxsize is 0. */
export const LUMBERJACK_DEFAULT_MAX_SIZE = BigInt(100);

/** One day in Go's time.Duration (nanoseconds), as lumberjack multiplies MaxAge by it. */
const DAY_NANOS = BigInt(SECONDS_PER_DAY) * BigInt(1e9);

/** How the kube-apiserver of a Kubernetes version reads the rotation flags (see the module comment). */
export type Apiserver = 'before-1.36' | '1.36+';

/** The rotation flags' values when a flag is not given, per kube-apiserver generation. */
export const APISERVER_FLAG_DEFAULTS: Record<Apiserver, Record<LogNumberField, string>> = {
  'before-1.36': {
    maxAge: '0', maxBackup: '0', maxSize: '0'
  },
  '1.36+': {
    maxAge: '366', maxBackup: '100', maxSize: '100'
  },
};

/**
 * The kube-apiserver generation of a Kubernetes version as clusters write it (`v1.31.4+rke2r1`, `v1.36.0-rancher1-1`).
 * A missing or unreadable version counts as before 1.36 (what the Rancher releases this extension supports run).
 */
export function apiserverOf(kubernetesVersion: string | undefined | null): Apiserver {
  const m = /^v?(\d+)\.(\d+)/.exec(kubernetesVersion || '');

  return m && (Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 36)) ? '1.36+' : 'before-1.36';
}

/** The Kubernetes version of a provisioning cluster (`spec.kubernetesVersion`) or an RKE1 one (its RKE config's). */
export function kubernetesVersionOf(cluster: KubeObject | null | undefined): string | undefined {
  const spec = (cluster?.spec || {}) as { kubernetesVersion?: unknown, rancherKubernetesEngineConfig?: { kubernetesVersion?: unknown } | null };
  const version = spec.kubernetesVersion ?? spec.rancherKubernetesEngineConfig?.kubernetesVersion;

  return typeof version === 'string' ? version : undefined;
}

/** Where a rotation number in effect comes from. */
export type RotationSource = 'set' | 'default' | 'apiserver';

/** The rotation numbers kube-apiserver gets, as canonical digits, and where each comes from. */
export interface EffectiveRotation {
  apiserver: Apiserver;
  values: Record<LogNumberField, string>;
  from: Record<LogNumberField, RotationSource>;
  /** Fields whose value is not a whole number from 0 to Go's int maximum (no retention is worked out then). */
  invalid: LogNumberField[];
}

/**
 * The rotation in effect: the value set, else (`unset` = 'default', see delivery/plan.ts unsetLogValues) the
 * distro's default, else kube-apiserver's own flag default.
 */
export function effectiveRotation(log: LogSettings, defaults: LogDefaults, unset: 'default' | 'unset', apiserver: Apiserver): EffectiveRotation {
  const values = {} as Record<LogNumberField, string>;
  const from = {} as Record<LogNumberField, RotationSource>;
  const invalid: LogNumberField[] = [];

  for (const field of LOG_NUMBER_FIELDS) {
    const [text, source]: [string, RotationSource] = log[field] !== undefined ? [log[field] as string, 'set'] : unset === 'default' ? [defaults[field], 'default'] : [APISERVER_FLAG_DEFAULTS[apiserver][field], 'apiserver'];
    const read = parseWholeNumber(text);

    from[field] = source;
    values[field] = read.ok ? read.digits : text;
    if (!read.ok) {
      invalid.push(field);
    }
  }

  return {
    apiserver, values, from, invalid
  };
}

/** Events and bytes in one day. */
export interface PerDay { events: number, bytes: number }

/** Why a sample gives no daily rate. */
export type NoRate = 'no-timestamps' | 'one-instant';

/**
 * Scales counts of the sample to one day by its time span (first to last requestReceivedTimestamp): null when
 * the span is zero (no readable timestamp, one event, or all at one instant). Rounded to whole events and bytes.
 */
export function perDay(count: { events: number, bytes: number }, span: SampleSpan): PerDay | null {
  if (!(span.seconds > 0)) {
    return null;
  }
  const factor = SECONDS_PER_DAY / span.seconds;

  return { events: Math.round(count.events * factor), bytes: Math.round(count.bytes * factor) };
}

/** Why perDay gave no rate for this span (null when it did). */
export function noRate(span: SampleSpan): NoRate | null {
  if (span.seconds > 0) {
    return null;
  }

  return span.timed ? 'one-instant' : 'no-timestamps';
}

/** Something about the retention worth a warning. */
export type RetentionWarning =
  /** Files are removed by count before they reach maxAge: the history is shorter than maxAge says. */
  | { id: 'deletes-before-max-age', daysKept: number, maxAge: number }
  /** Less history than the CIS Benchmark's 30 days (its --audit-log-maxage minimum, as days of history). */
  | { id: 'below-cis', daysKept: number, minimum: number }
  /** Kubernetes 1.36+, maxsize 0: one file that is never rotated, so nothing is ever removed. */
  | { id: 'no-rotation' }
  /** Nothing limits the history (maxbackup and maxage 0): old files pile up until the disk is full. */
  | { id: 'unbounded' }
  /** maxsize x 1 MiB wraps Go's int64 to zero or less: lumberjack refuses every write, nothing is logged. */
  | { id: 'writes-fail' }
  /** maxage x 24 h wraps Go's int64: lumberjack's cutoff is `days` days ago (0 or less: every rotated file goes). */
  | { id: 'max-age-wraps', days: number };

/** Days of audit history on disk for a daily volume and a rotation. */
export interface Retention {
  /**
   * Days of history kept, the smaller of `bySize` and `maxAge`. Infinity (JSON: null) when neither limits it;
   * 0 when nothing is written.
   */
  daysKept: number;
  /** (maxbackup + 1) x maxsize / daily bytes: Infinity when rotation never removes a file by count. */
  bySize: number;
  /** maxage in days as lumberjack applies it: Infinity when it removes nothing by age. */
  maxAge: number;
  /** What sets daysKept. */
  limitedBy: 'size' | 'age' | 'none' | 'writes-fail';
  /** daysKept is at least the CIS minimum (30 days). */
  cisOk: boolean;
  /** The size of one log file in bytes, as digits (null: no rotation by size). */
  fileBytes: string | null;
  warnings: RetentionWarning[];
}

/** Go's int64 product of two whole numbers (wraps as Go's multiplication does). */
function int64Product(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a * b);
}

/** Days of history the rotation keeps at `dailyBytes` a day (the arithmetic of the module comment, exact in BigInt). */
export function retention(rotation: EffectiveRotation, dailyBytes: number): Retention {
  const maxSize = BigInt(rotation.values.maxSize);
  const maxBackup = BigInt(rotation.values.maxBackup);
  const maxAgeDays = BigInt(rotation.values.maxAge);
  const warnings: RetentionWarning[] = [];
  const noRotation = maxSize === BigInt(0) && rotation.apiserver === '1.36+';
  const fileBytes = noRotation ? null : int64Product(maxSize === BigInt(0) ? LUMBERJACK_DEFAULT_MAX_SIZE : maxSize, MEGABYTE);
  const days = (bytes: bigint) => (dailyBytes > 0 ? Number(bytes) / dailyBytes : Infinity);

  if (fileBytes !== null && fileBytes <= BigInt(0)) {
    return {
      daysKept: 0, bySize: 0, maxAge: Infinity, limitedBy: 'writes-fail', cisOk: false, fileBytes: fileBytes.toString(), warnings: [{ id: 'writes-fail' }]
    };
  }
  const bySize = fileBytes === null || maxBackup === BigInt(0) ? Infinity : days((maxBackup + BigInt(1)) * fileBytes);
  let maxAge = Infinity;

  if (noRotation) {
    warnings.push({ id: 'no-rotation' });
  } else if (maxAgeDays > BigInt(0)) {
    const cutoff = int64Product(DAY_NANOS, maxAgeDays);

    if (cutoff === DAY_NANOS * maxAgeDays) {
      maxAge = Number(maxAgeDays);
    } else {
      // the cutoff wrapped: what lumberjack applies is the wrapped duration; 0 or less keeps only the current file
      const wrapped = Number(cutoff) / Number(DAY_NANOS);

      maxAge = wrapped > 0 ? wrapped : days(fileBytes as bigint);
      warnings.push({ id: 'max-age-wraps', days: wrapped });
    }
  }
  const daysKept = Math.min(bySize, maxAge);
  const limitedBy = daysKept === Infinity ? 'none' : bySize <= maxAge ? 'size' : 'age';

  if (limitedBy === 'none' && !noRotation && dailyBytes > 0) {
    warnings.push({ id: 'unbounded' });
  }
  if (bySize < maxAge && maxAge !== Infinity) {
    warnings.push({
      id: 'deletes-before-max-age', daysKept, maxAge
    });
  }
  const cisOk = daysKept >= CIS_LOG_MINIMUMS.maxAge;

  if (!cisOk) {
    warnings.push({
      id: 'below-cis', daysKept, minimum: CIS_LOG_MINIMUMS.maxAge
    });
  }

  return {
    daysKept, bySize, maxAge, limitedBy, cisOk, fileBytes: fileBytes === null ? null : fileBytes.toString(), warnings
  };
}

/**
 * Days as the CLI and the tab write them: two decimals below 10, one from there (0.47, 30.0, 412.5), whole days
 * with separators from a million; `unbounded` for Infinity.
 */
export function formatDays(n: number): string {
  if (n === Infinity) {
    return 'unbounded';
  }
  if (n >= 1e6) {
    return Math.round(n).toLocaleString('en-US');
  }

  return n < 10 ? n.toFixed(2) : n.toFixed(1);
}

/** One rule's row of the report: what it keeps in the sample and per day. */
export interface RuleReport {
  rule: number | null;
  level: string;
  matched: number;
  events: number;
  bytes: number;
  bodiesMissing: number;
  perDay: PerDay | null;
}

/** The estimate scaled to a day and held against the rotation: what the CLI prints and the tab shows. */
export interface VolumeReport {
  span: SampleSpan;
  /** What the policy keeps per day (null: the sample gives no rate, see noRate). */
  perDay: PerDay | null;
  noRate: NoRate | null;
  rules: RuleReport[];
  rotation: EffectiveRotation;
  /** Null when there is no daily rate or a rotation number is not a whole number. */
  retention: Retention | null;
}

/** Scales an estimate to a day and works out the retention of `rotation`. */
export function volumeReport(estimate: Estimate, rotation: EffectiveRotation): VolumeReport {
  const daily = perDay(estimate.after, estimate.span);

  return {
    span:      estimate.span,
    perDay:    daily,
    noRate:    noRate(estimate.span),
    rules:     estimate.rules.map((r) => ({ ...r, perDay: perDay(r, estimate.span) })),
    rotation,
    retention: daily && !rotation.invalid.length ? retention(rotation, daily.bytes) : null,
  };
}
