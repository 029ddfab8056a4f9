/**
 * `audit-policy report WORLD`: the fleet status (pkg/cluster-audit-log/fleet, the model the Cluster Management
 * page shows) of a Kubernetes List of clusters, Secrets and ConfigMaps, as a table, JSON or CSV. WORLD is read
 * as the other inputs are (bounded, decoded as kube-apiserver decodes bytes, go-yaml's limits), with a larger
 * cap: a List of hundreds of clusters is megabytes.
 */
import {
  ClusterStatus, clustersCsv, FleetProblem, FleetStatus, fleetStatus, PolicyStatus, readWorld
} from '../pkg/cluster-audit-log/fleet';
import { command } from './args';
import { CliError, inputLabel, Io, readText } from './io';

/** Largest WORLD read (`kubectl get ... -o yaml` of 1,000 clusters with their Secrets is a few MiB). */
export const MAX_WORLD_BYTES = 64 * 1024 * 1024;

const OPTIONS = { json: { type: 'boolean' }, csv: { type: 'boolean' } } as const;

/** Text from the world shown on a terminal: control and bidirectional-override characters escaped. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (ch) => `\\u${ ch.charCodeAt(0).toString(16).padStart(4, '0') }`);
}

/** Rows as left-aligned columns, the header first. */
function columns(header: string[], rows: string[][]): string {
  const all = [header, ...rows.map((r) => r.map(printable))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));

  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

const dash = (value: string | null | undefined): string => (value === null || value === undefined || value === '' ? '-' : value);
const ids = (problems: FleetProblem[]): string => dash(problems.map((p) => p.id).join(', '));

function clusterRow(c: ClusterStatus): string[] {
  const r = c.rotation;

  return [
    c.name,
    c.distro,
    c.enabled ? 'on' : 'off',
    dash(c.method),
    c.object ? `${ c.object.kind }/${ c.object.name }` : '-',
    dash(c.preset ?? c.fingerprint),
    c.findings ? `${ c.findings.error }/${ c.findings.warning }` : '-',
    r ? `${ dash(r.maxAge) }/${ dash(r.maxBackup) }/${ dash(r.maxSize) } ${ r.cisOk ? 'ok' : 'below CIS' }` : c.problems.some((p) => p.id === 'no-log-file') ? 'no log file' : '-',
    ids(c.problems),
  ];
}

function policyRow(p: PolicyStatus): string[] {
  return [`${ p.kind }/${ p.namespace }/${ p.name }`, p.key, dash(p.preset ?? p.fingerprint), String(p.authorized.length), String(p.consumers.length), ids(p.problems)];
}

/** Errors and warnings with their messages (info-level problems show in the tables only). */
function problemLines(who: string, problems: FleetProblem[]): string[] {
  return problems.filter((p) => p.severity !== 'info').map((p) => printable(`${ who }: ${ p.severity }: [${ p.id }] ${ p.message }`));
}

/** The readable report: the clusters table, the policies table, every problem with its message, a summary. */
export function reportTable(status: FleetStatus): string {
  const { clusters, policies } = status;
  const failing = clusters.filter((c) => c.problems.some((p) => p.severity === 'error')).length;
  const distinct = new Set([...clusters.map((c) => c.fingerprint), ...policies.map((p) => p.fingerprint)].filter((f) => f !== null)).size;
  const lines = [
    columns(['CLUSTER', 'DISTRO', 'AUDIT', 'METHOD', 'OBJECT', 'POLICY', 'LINT E/W', 'ROTATION', 'PROBLEMS'], clusters.map(clusterRow)),
    '',
    policies.length ? columns(['POLICY OBJECT', 'KEY', 'POLICY', 'AUTHORIZED', 'CONSUMERS', 'PROBLEMS'], policies.map(policyRow)) : 'no Secret or ConfigMap holds an audit policy',
    '',
    ...clusters.flatMap((c) => problemLines(c.name, c.problems)),
    ...policies.flatMap((p) => problemLines(`${ p.kind }/${ p.namespace }/${ p.name }`, p.problems)),
    `${ clusters.length } cluster(s): ${ clusters.filter((c) => c.enabled).length } with the audit log on, ${ failing } with errors; ${ policies.length } policy key(s) in Secrets/ConfigMaps; ${ distinct } distinct polic${ distinct === 1 ? 'y' : 'ies' }`,
  ];

  return `${ lines.join('\n').replace(/\n{3,}/g, '\n\n') }\n`;
}

/** Reads WORLD; bytes no YAML reader takes are unreadable input here (exit 2), like every other refusal. */
async function worldText(file: string, io: Io): Promise<string> {
  try {
    return await readText(file, io, MAX_WORLD_BYTES);
  } catch (e) {
    throw e instanceof CliError ? new CliError(e.message, 2) : e;
  }
}

/** `report WORLD`: exit 1 when a cluster has an error-severity problem. */
export const report = command('report WORLD [--json|--csv]', 'the audit status of every cluster and policy Secret/ConfigMap in WORLD, a List (kubectl get clusters.provisioning.cattle.io,secrets,configmaps -o yaml); exit 1 if a cluster has an error', OPTIONS, 1, async({ values, positionals: [file] }, io) => {
  if (values.json && values.csv) {
    throw new CliError('--json and --csv: choose one', 2);
  }
  const read = readWorld(await worldText(file, io));

  if (!read.ok) {
    throw new CliError(`${ inputLabel(file) }: ${ read.error }`, 2);
  }
  const status = fleetStatus(read.world);

  if (values.json) {
    io.stdout(`${ JSON.stringify(status) }\n`);
  } else if (values.csv) {
    io.stdout(clustersCsv(status.clusters));
  } else {
    io.stdout(reportTable(status));
  }

  return status.clusters.some((c) => c.problems.some((p) => p.severity === 'error')) ? 1 : 0;
});
