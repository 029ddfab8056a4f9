/** `audit-policy` check, lint, match and estimate: the engine the Audit Log tab uses, on files and streams. */
import {
  attributesFromEvent, Diagnostic, Estimator, Finding, formatDiagnostic, isAuditEvent, lintPolicy, LoadResult, newEvaluator,
  readPolicy, RequestAttributes, toAttributes
} from '../pkg/cluster-audit-log/policy';
import { DISTROS } from '../pkg/cluster-audit-log/delivery/distro';
import {
  apiserverOf, effectiveRotation, formatDays, Retention, RetentionWarning, volumeReport, VolumeReport
} from '../pkg/cluster-audit-log/delivery/retention';
import type { Distro, LogSettings } from '../pkg/cluster-audit-log/delivery/types';
import { command } from './args';
import {
  CliError, formatBytes, inputLabel, Io, oneLine, readLines, readText
} from './io';
import { wholeNumber } from './values';

const JSON_ONLY = { json: { type: 'boolean' } } as const;

function where(d: Diagnostic | Finding): string {
  return d.line ? ` (line ${ d.line }, column ${ d.column })` : '';
}

function plain(d: Diagnostic): { path: string, message: string } {
  return { path: d.path, message: d.message };
}

async function loadPolicyFile(file: string, io: Io, positions = false): Promise<LoadResult> {
  return readPolicy(await readText(file, io), { positions });
}

function requireLoadable(loaded: LoadResult, file: string): void {
  if (!loaded.loadable || !loaded.policy) {
    const first = loaded.errors[0];

    throw new CliError(`${ inputLabel(file) }: kube-apiserver would not load this policy: ${ first ? formatDiagnostic(first) : 'unknown error' }${ first ? where(first) : '' }`, 1);
  }
}

/** `check FILE`: loads the policy as kube-apiserver would; exit 0 loadable, 1 not. */
export const check = command('check FILE [--json]', 'load FILE as kube-apiserver would; exit 0 loadable, 1 not loadable', JSON_ONLY, 1, async({ values, positionals: [file] }, io) => {
  const loaded = await loadPolicyFile(file, io);

  if (values.json) {
    io.stdout(`${ JSON.stringify({
      loadable: loaded.loadable, errors: loaded.errors.map(plain), warnings: loaded.warnings.map(plain)
    }) }\n`);
  } else {
    for (const e of loaded.errors) {
      io.stdout(`error: ${ oneLine(formatDiagnostic(e)) }${ where(e) }\n`);
    }
    for (const w of loaded.warnings) {
      io.stdout(`warning: ${ oneLine(formatDiagnostic(w)) }${ where(w) }\n`);
    }
    io.stdout(loaded.loadable ? `${ file }: loadable (${ loaded.policy?.rules.length } rules)\n` : `${ file }: NOT loadable\n`);
  }
  if (!loaded.loadable) {
    io.stderr(`audit-policy: ${ inputLabel(file) }: not loadable: ${ oneLine(formatDiagnostic(loaded.errors[0])) }\n`);
  }

  return loaded.loadable ? 0 : 1;
});

/** `lint FILE`: the linter's findings; exit 1 on any error finding. */
export const lint = command('lint FILE [--json]', 'findings (id, severity, path, message); exit 1 on any error finding', JSON_ONLY, 1, async({ values, positionals: [file] }, io) => {
  const findings = lintPolicy(await loadPolicyFile(file, io, true));

  if (values.json) {
    io.stdout(`${ JSON.stringify({
      findings: findings.map((f) => ({
        id: f.id, severity: f.severity, path: f.path, message: f.message
      }))
    }) }\n`);
  } else {
    for (const f of findings) {
      io.stdout(`${ f.severity }: [${ f.id }] ${ f.path ? `${ f.path }: ` : '' }${ oneLine(f.message) }${ where(f) }\n`);
    }
    io.stdout(`${ file }: ${ findings.length } finding(s), ${ findings.filter((f) => f.severity === 'error').length } error(s)\n`);
  }

  return findings.some((f) => f.severity === 'error') ? 1 : 0;
});

const ATTRIBUTE_TYPES: Record<string, string> = {
  groups: 'array', verb: 'string', namespace: 'string', apiGroup: 'string', apiVersion: 'string', resource: 'string', subresource: 'string', name: 'string', path: 'string', resourceRequest: 'boolean'
};

/** Parses one REQUESTS line into attributes, or says what is wrong with it. */
export function parseRequestLine(line: string): { attrs?: RequestAttributes, assumed?: string, error?: string } {
  let value: unknown;

  try {
    value = JSON.parse(line);
  } catch {
    return { error: 'not JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'not a JSON object (want an audit Event or request attributes)' };
  }
  const obj = value as Record<string, unknown>;

  if (isAuditEvent(obj)) {
    const assumed = obj.apiVersion === 'audit.k8s.io/v1' ? undefined : `${ obj.apiVersion ? `apiVersion ${ obj.apiVersion }` : 'no apiVersion' }: read as an audit.k8s.io/v1 Event`;

    return { attrs: attributesFromEvent(obj), assumed };
  }
  if (obj.user !== undefined && obj.user !== null && typeof obj.user !== 'string') {
    return { error: '"user" must be a string or null' };
  }
  for (const [key, type] of Object.entries(ATTRIBUTE_TYPES)) {
    const v = obj[key];
    const actual: string = typeof v;

    if (v !== undefined && v !== null && (type === 'array' ? !Array.isArray(v) || v.some((g) => typeof g !== 'string') : actual !== type)) {
      return { error: `"${ key }" must be ${ type === 'array' ? 'an array of strings' : `a ${ type }` }` };
    }
  }
  if (obj.verb === undefined) {
    return { error: '"verb" is required' };
  }

  return { attrs: toAttributes(obj as Partial<RequestAttributes>) };
}

/** `match FILE REQUESTS`: the rule each request line matches, one output line per input line. */
export const match = command('match FILE REQUESTS [--json]', 'which rule each request (JSON lines: audit Events or attributes) matches; exit 1 if a line was unreadable', JSON_ONLY, 2, async({ values, positionals: [file, requests] }, io) => {
  if (file === '-' && requests === '-') {
    throw new CliError('only one of FILE and REQUESTS can be - (standard input)', 2);
  }
  const loaded = await loadPolicyFile(file, io);

  requireLoadable(loaded, file);
  const evaluator = newEvaluator(loaded.policy as NonNullable<LoadResult['policy']>);
  let n = 0;
  let bad = 0;
  const assumed = new Set<string>();

  for await (const line of readLines(requests, io)) {
    n++;
    if (!line.trim()) {
      continue;
    }
    const parsed = parseRequestLine(line);

    if (parsed.error || !parsed.attrs) {
      bad++;
      io.stdout(values.json ? `${ JSON.stringify({ error: `line ${ n }: ${ parsed.error }` }) }\n` : `line ${ n }: error: ${ parsed.error }\n`);
      continue;
    }
    if (parsed.assumed) {
      assumed.add(parsed.assumed);
    }
    const c = evaluator.evaluate(parsed.attrs);

    io.stdout(values.json ? `${ JSON.stringify({
      level: c.level, omitStages: c.omitStages, omitManagedFields: c.omitManagedFields, rule: c.rule
    }) }\n` : `line ${ n }: ${ c.level } ${ c.rule === null ? '(no rule matched)' : `rules[${ c.rule }]` }${ c.omitStages.length ? ` omitStages=${ c.omitStages.join(',') }` : '' }${ c.omitManagedFields ? ' omitManagedFields' : '' }\n`);
  }
  for (const a of assumed) {
    io.stderr(`audit-policy: note: some events had ${ a }\n`);
  }
  if (bad) {
    io.stderr(`audit-policy: ${ requests }: ${ bad } line(s) were neither audit Events nor request attributes\n`);
  }

  return bad ? 1 : 0;
});

const ESTIMATE_USAGE = 'estimate FILE AUDITLOG [--max-size N] [--max-backup N] [--max-age N] [--distro rke2|k3s|rke1] [--kubernetes-version V] [--json]';
const ESTIMATE_OPTIONS = {
  json:                 { type: 'boolean' },
  'max-size':           { type: 'string' },
  'max-backup':         { type: 'string' },
  'max-age':            { type: 'string' },
  distro:               { type: 'string' },
  'kubernetes-version': { type: 'string' },
} as const;

/** What sets the days kept, in words. */
const LIMITED_BY: Record<Retention['limitedBy'], string> = {
  size: 'by size: the oldest file goes once max-backup + 1 files are full', age: 'by --max-age', none: 'no file is ever removed', 'writes-fail': 'nothing is written'
};

/** One line of text per retention warning. */
export function retentionWarningText(w: RetentionWarning): string {
  switch (w.id) {
  case 'deletes-before-max-age':
    return `rotation deletes files after ${ formatDays(w.daysKept) } days, before --max-age ${ Number.isInteger(w.maxAge) ? w.maxAge : formatDays(w.maxAge) } days: raise --max-size or --max-backup, or log less`;
  case 'below-cis':
    return `${ formatDays(w.daysKept) } days of history is less than the CIS Benchmark's ${ w.minimum } days`;
  case 'no-rotation':
    return '--max-size 0: Kubernetes 1.36+ never rotates the log, so one file grows until the disk is full';
  case 'unbounded':
    return '--max-backup 0 and --max-age 0: no old file is ever removed, so the log grows until the disk is full';
  case 'writes-fail':
    return '--max-size times 1 MiB overflows Go\'s int64: the log rotator refuses every write and nothing is logged';
  case 'max-age-wraps':
    return `--max-age times 24 h overflows Go's int64: old files are removed after ${ w.days > 0 ? `${ formatDays(w.days) } days` : 'the next rotation' }`;
  }
}

function printReport(report: VolumeReport, distro: Distro, io: Io): void {
  const {
    span, perDay, rotation, retention
  } = report;

  io.stdout(span.timed ? `sample: ${ span.timed } timed events from ${ span.first } to ${ span.last } (${ span.seconds.toFixed(1) } s)${ span.untimed ? `; ${ span.untimed } without a readable requestReceivedTimestamp` : '' }\n` : 'sample: no event has a readable requestReceivedTimestamp\n');
  if (!perDay) {
    io.stdout(`per day: unknown (${ report.noRate === 'one-instant' ? 'the sample spans no time' : 'no timestamps' }): no retention worked out\n`);

    return;
  }
  io.stdout(`per day, one kube-apiserver: ${ perDay.events } events, ${ formatBytes(perDay.bytes) }\n`);
  const v = rotation.values;

  io.stdout(`rotation (${ rotation.apiserver === '1.36+' ? 'Kubernetes 1.36+' : 'Kubernetes before 1.36' }; unset: ${ distro } defaults): --max-size ${ v.maxSize } MB, --max-backup ${ v.maxBackup }, --max-age ${ v.maxAge }\n`);
  if (retention) {
    io.stdout(`days kept: ${ formatDays(retention.daysKept) } (${ LIMITED_BY[retention.limitedBy] }; CIS 30 days: ${ retention.cisOk ? 'ok' : 'below' })\n`);
    for (const w of retention.warnings) {
      io.stdout(`warning: ${ retentionWarningText(w) }\n`);
    }
  }
}

/**
 * `estimate FILE AUDITLOG`: replays an audit log; per rule, the events and bytes the policy keeps; scaled to a
 * day by the log's time span; the days of history the rotation keeps (delivery/retention.ts).
 */
export const estimate = command(ESTIMATE_USAGE, 'replay an audit log: per rule, events and bytes kept; totals before/after; per day; days of history the rotation keeps', ESTIMATE_OPTIONS, 2, async({ values, positionals: [file, log] }, io) => {
  if (file === '-' && log === '-') {
    throw new CliError('only one of FILE and AUDITLOG can be - (standard input)', 2);
  }
  const distro = (values.distro ?? 'rke2') as Distro;

  if (!Object.hasOwn(DISTROS, distro)) {
    throw new CliError(`--distro must be one of ${ Object.keys(DISTROS).join(', ') }`, 2);
  }
  const version = values['kubernetes-version'];

  if (version !== undefined && !/^v?\d+\.\d+(\.\d+)?([+-][0-9A-Za-z.+-]*)?$/.test(version)) {
    throw new CliError(`--kubernetes-version ${ JSON.stringify(version) }: want a version such as v1.31.4+rke2r1`, 2);
  }
  const set: LogSettings = {};

  for (const [option, field] of [['max-size', 'maxSize'], ['max-backup', 'maxBackup'], ['max-age', 'maxAge']] as const) {
    const text = values[option];

    if (text !== undefined) {
      set[field] = wholeNumber(option, text);
    }
  }
  const loaded = await loadPolicyFile(file, io);

  requireLoadable(loaded, file);
  const estimator = new Estimator(loaded.policy as NonNullable<LoadResult['policy']>);

  for await (const line of readLines(log, io)) {
    estimator.addLine(line);
  }
  const result = estimator.finish();

  if (result.before.events === 0) {
    throw new CliError(`${ log }: no audit events found (want JSON lines, one audit.k8s.io Event per line)`, 1);
  }
  const report = volumeReport(result, effectiveRotation(set, DISTROS[distro].logDefaults, 'default', apiserverOf(version)));

  if (values.json) {
    io.stdout(`${ JSON.stringify({
      ...result, rules: report.rules, perDay: report.perDay, noRate: report.noRate, rotation: report.rotation, retention: report.retention
    }) }\n`);
  } else {
    io.stdout('rule        level            matched      kept        bytes    bytes/day  bodies not in input\n');
    for (const r of report.rules) {
      io.stdout(`${ (r.rule === null ? '(none)' : `rules[${ r.rule }]`).padEnd(11) } ${ r.level.padEnd(15) } ${ String(r.matched).padStart(8) } ${ String(r.events).padStart(9) } ${ formatBytes(r.bytes).padStart(12) } ${ (r.perDay ? formatBytes(r.perDay.bytes) : '-').padStart(12) }  ${ r.bodiesMissing || '' }\n`);
    }
    const pct = result.before.bytes ? ((100 * result.after.bytes) / result.before.bytes).toFixed(1) : '0';

    io.stdout(`before: ${ result.before.events } events, ${ formatBytes(result.before.bytes) }; after: ${ result.after.events } events, ${ formatBytes(result.after.bytes) } (${ pct }%)\n`);
    if (result.rules.some((r) => r.bodiesMissing)) {
      io.stdout('note: some kept events would carry request/response bodies the input log does not hold; their size is not counted\n');
    }
    printReport(report, distro, io);
  }
  if (result.skipped) {
    io.stderr(`audit-policy: ${ log }: skipped ${ result.skipped } line(s) that are not audit events (lines ${ result.skippedLines.join(', ') }${ result.skipped > result.skippedLines.length ? ', ...' : '' })\n`);
  }

  return 0;
});
