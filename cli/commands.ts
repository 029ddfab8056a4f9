/**
 * The `audit-policy` CLI: the same engine the Audit Log tab uses, for GitOps users and CI pipelines.
 * `run` is the whole program minus process wiring, so tests drive it in-process.
 */
import { createReadStream, promises as fs } from 'fs';
import { createInterface } from 'readline';
import { Readable } from 'stream';
import {
  attributesFromEvent, Diagnostic, Estimator, Finding, formatDiagnostic, isAuditEvent, lintPolicy, LoadResult, newEvaluator,
  readPolicy, RequestAttributes, toAttributes
} from '../pkg/cluster-audit-log/policy';
import { renderCommand } from './render';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Readable;
}

/** A failure that ends the command with one line on stderr and this exit code. */
export class CliError extends Error {
  constructor(message: string, public code: 1 | 2) {
    super(message);
  }
}

/** Largest policy file read (a 1,000-rule policy is about 150 KiB). */
export const MAX_POLICY_BYTES = 4 * 1024 * 1024;

export const USAGE = `usage: audit-policy <command> [options]

  check FILE [--json]              load FILE as kube-apiserver would; exit 0 loadable, 1 not loadable
  lint FILE [--json]               findings (id, severity, path, message); exit 1 on any error finding
  match FILE REQUESTS [--json]     which rule each request (JSON lines: audit Events or attributes) matches
  estimate FILE AUDITLOG [--json]  replay an audit log: per rule, events and bytes kept; totals before/after
  render POLICY --distro rke2|k3s|rke1 --method inline|secret|configmap --cluster NAME
         [--namespace fleet-default] [--cluster-file CLUSTER.yaml] [--log-path P] [--max-age N]
         [--max-backup N] [--max-size N] [--format json|legacy]
                                   print the YAML to apply to Rancher for this policy

FILE may be - for standard input. Exit 2: usage error or unreadable file.`;

export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

/** Splits argv into positionals and --flags (`--name value`, `--name=value`, or a bare boolean `--json`). */
export function parseArgs(argv: string[], booleans: string[] = ['json', 'help']): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: {} };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];

    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);

      if (inline !== undefined) {
        out.flags[name] = inline;
      } else if (booleans.includes(name)) {
        out.flags[name] = true;
      } else if (i + 1 < argv.length) {
        out.flags[name] = argv[++i];
      } else {
        throw new CliError(`option --${ name } needs a value`, 2);
      }
    } else {
      out.positional.push(arg);
    }
  }

  return out;
}

async function readStream(stream: Readable, limit: number, label: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;

  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) {
      throw new CliError(`${ label }: larger than ${ formatBytes(limit) }; an audit policy is far smaller — is this the right file?`, 2);
    }
    chunks.push(Buffer.from(chunk));
  }

  return Buffer.concat(chunks);
}

/** Reads a text file (or stdin for "-") of at most `limit` bytes, refusing binary content. */
export async function readText(file: string, io: Io, limit = MAX_POLICY_BYTES): Promise<string> {
  let data: Buffer;

  if (file === '-') {
    data = await readStream(io.stdin(), limit, 'standard input');
  } else {
    let stat;

    try {
      stat = await fs.stat(file);
    } catch (e) {
      throw new CliError(`${ file }: cannot read: ${ (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message }`, 2);
    }
    if (stat.isDirectory()) {
      throw new CliError(`${ file }: is a directory, not a file`, 2);
    }
    if (stat.size > limit) {
      throw new CliError(`${ file }: ${ formatBytes(stat.size) } is larger than ${ formatBytes(limit) }; an audit policy is far smaller — is this the right file?`, 2);
    }
    data = await fs.readFile(file);
  }
  if (data.includes(0)) {
    throw new CliError(`${ file === '-' ? 'standard input' : file }: binary data, not a YAML or JSON text file`, 2);
  }
  const text = data.toString('utf8');

  if (text.includes('\uFFFD') && !data.includes(Buffer.from('\uFFFD'))) {
    throw new CliError(`${ file === '-' ? 'standard input' : file }: not UTF-8 text`, 2);
  }

  return text;
}

/** Human-readable byte count: 1.5 KiB, 50.0 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${ n } B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;

  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }

  return `${ v.toFixed(1) } ${ units[u] }`;
}

function where(d: Diagnostic | Finding): string {
  return d.line ? ` (line ${ d.line }, column ${ d.column })` : '';
}

function plain(d: Diagnostic): { path: string, message: string } {
  return { path: d.path, message: d.message };
}

function needArgs(args: ParsedArgs, count: number, usage: string): string[] {
  if (args.positional.length !== count) {
    throw new CliError(`usage: audit-policy ${ usage }`, 2);
  }

  return args.positional;
}

async function loadPolicyFile(file: string, io: Io, positions = false): Promise<LoadResult> {
  return readPolicy(await readText(file, io), { positions });
}

function requireLoadable(loaded: LoadResult, file: string): void {
  if (!loaded.loadable || !loaded.policy) {
    const first = loaded.errors[0];

    throw new CliError(`${ file }: kube-apiserver would not load this policy: ${ first ? formatDiagnostic(first) : 'unknown error' }${ first ? where(first) : '' }`, 1);
  }
}

async function check(args: ParsedArgs, io: Io): Promise<number> {
  const [file] = needArgs(args, 1, 'check FILE [--json]');
  const loaded = await loadPolicyFile(file, io);

  if (args.flags.json) {
    io.stdout(`${ JSON.stringify({
      loadable: loaded.loadable, errors: loaded.errors.map(plain), warnings: loaded.warnings.map(plain)
    }) }\n`);
  } else {
    for (const e of loaded.errors) {
      io.stdout(`error: ${ formatDiagnostic(e) }${ where(e) }\n`);
    }
    for (const w of loaded.warnings) {
      io.stdout(`warning: ${ formatDiagnostic(w) }${ where(w) }\n`);
    }
    io.stdout(loaded.loadable ? `${ file }: loadable (${ loaded.policy?.rules.length } rules)\n` : `${ file }: NOT loadable\n`);
  }
  if (!loaded.loadable) {
    io.stderr(`audit-policy: ${ file }: not loadable: ${ formatDiagnostic(loaded.errors[0]) }\n`);
  }

  return loaded.loadable ? 0 : 1;
}

async function lint(args: ParsedArgs, io: Io): Promise<number> {
  const [file] = needArgs(args, 1, 'lint FILE [--json]');
  const findings = lintPolicy(await loadPolicyFile(file, io, true));

  if (args.flags.json) {
    io.stdout(`${ JSON.stringify({
      findings: findings.map((f) => ({
        id: f.id, severity: f.severity, path: f.path, message: f.message
      }))
    }) }\n`);
  } else {
    for (const f of findings) {
      io.stdout(`${ f.severity }: [${ f.id }] ${ f.path ? `${ f.path }: ` : '' }${ f.message }${ where(f) }\n`);
    }
    io.stdout(`${ file }: ${ findings.length } finding(s), ${ findings.filter((f) => f.severity === 'error').length } error(s)\n`);
  }

  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function lines(stream: Readable): AsyncIterable<string> {
  return createInterface({ input: stream, crlfDelay: Infinity });
}

function openLines(file: string, io: Io): AsyncIterable<string> {
  return lines(file === '-' ? io.stdin() : createReadStream(file));
}

async function assertReadable(file: string): Promise<void> {
  if (file === '-') {
    return;
  }
  try {
    const stat = await fs.stat(file);

    if (stat.isDirectory()) {
      throw new CliError(`${ file }: is a directory, not a file`, 2);
    }
  } catch (e) {
    if (e instanceof CliError) {
      throw e;
    }
    throw new CliError(`${ file }: cannot read: no such file`, 2);
  }
}

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

async function match(args: ParsedArgs, io: Io): Promise<number> {
  const [file, requests] = needArgs(args, 2, 'match FILE REQUESTS [--json]');

  if (file === '-' && requests === '-') {
    throw new CliError('only one of FILE and REQUESTS can be - (standard input)', 2);
  }
  const loaded = await loadPolicyFile(file, io);

  requireLoadable(loaded, file);
  await assertReadable(requests);
  const evaluator = newEvaluator(loaded.policy as NonNullable<LoadResult['policy']>);
  let n = 0;
  let bad = 0;
  const assumed = new Set<string>();

  for await (const line of openLines(requests, io)) {
    n++;
    if (!line.trim()) {
      continue;
    }
    const parsed = parseRequestLine(line);

    if (parsed.error || !parsed.attrs) {
      bad++;
      io.stdout(args.flags.json ? `${ JSON.stringify({ error: `line ${ n }: ${ parsed.error }` }) }\n` : `line ${ n }: error: ${ parsed.error }\n`);
      continue;
    }
    if (parsed.assumed) {
      assumed.add(parsed.assumed);
    }
    const c = evaluator.evaluate(parsed.attrs);

    io.stdout(args.flags.json ? `${ JSON.stringify({
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
}

async function estimateCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [file, log] = needArgs(args, 2, 'estimate FILE AUDITLOG [--json]');

  if (file === '-' && log === '-') {
    throw new CliError('only one of FILE and AUDITLOG can be - (standard input)', 2);
  }
  const loaded = await loadPolicyFile(file, io);

  requireLoadable(loaded, file);
  await assertReadable(log);
  const estimator = new Estimator(loaded.policy as NonNullable<LoadResult['policy']>);

  for await (const line of openLines(log, io)) {
    estimator.addLine(line);
  }
  const result = estimator.finish();

  if (result.before.events === 0) {
    throw new CliError(`${ log }: no audit events found (want JSON lines, one audit.k8s.io Event per line)`, 1);
  }
  if (args.flags.json) {
    io.stdout(`${ JSON.stringify(result) }\n`);
  } else {
    io.stdout('rule        level            matched      kept        bytes  bodies not in input\n');
    for (const r of result.rules) {
      io.stdout(`${ (r.rule === null ? '(none)' : `rules[${ r.rule }]`).padEnd(11) } ${ r.level.padEnd(15) } ${ String(r.matched).padStart(8) } ${ String(r.events).padStart(9) } ${ formatBytes(r.bytes).padStart(12) }  ${ r.bodiesMissing || '' }\n`);
    }
    const pct = result.before.bytes ? ((100 * result.after.bytes) / result.before.bytes).toFixed(1) : '0';

    io.stdout(`before: ${ result.before.events } events, ${ formatBytes(result.before.bytes) }; after: ${ result.after.events } events, ${ formatBytes(result.after.bytes) } (${ pct }%)\n`);
    if (result.rules.some((r) => r.bodiesMissing)) {
      io.stdout('note: some kept events would carry request/response bodies the input log does not hold; their size is not counted\n');
    }
  }
  if (result.skipped) {
    io.stderr(`audit-policy: ${ log }: skipped ${ result.skipped } line(s) that are not audit events (lines ${ result.skippedLines.join(', ') }${ result.skipped > result.skippedLines.length ? ', ...' : '' })\n`);
  }

  return 0;
}

const COMMANDS: Record<string, (args: ParsedArgs, io: Io) => Promise<number>> = {
  check, lint, match, estimate: estimateCommand, render: renderCommand
};

/** Runs the CLI; returns the exit code. Never throws for bad input: it reports one line on stderr. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;

  if (!command || command === '--help' || command === '-h' || command === 'help') {
    (command ? io.stdout : io.stderr)(`${ USAGE }\n`);

    return command ? 0 : 2;
  }
  const fn = COMMANDS[command];

  if (!fn) {
    io.stderr(`audit-policy: unknown command "${ command }"\n${ USAGE }\n`);

    return 2;
  }
  try {
    return await fn(parseArgs(rest), io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`audit-policy: ${ e.message }\n`);

      return e.code;
    }
    io.stderr(`audit-policy: ${ command }: ${ (e as Error).message || String(e) }\n`);

    return 2;
  }
}
