/** `audit-policy render`: the YAML to apply for a policy, distro and method (same plan as the tab's save). */
import { parseAllDocuments } from 'yaml';
import {
  AuditSettings, defaultSettings, Distro, KubeObject, LogFormat, Method, plan, readSettings, renderPlan
} from '../pkg/cluster-audit-log/delivery';
import { CliError, Io, ParsedArgs, readText } from './commands';

const DISTROS: Distro[] = ['rke2', 'k3s', 'rke1'];
const METHODS: Method[] = ['inline', 'secret', 'configmap'];
const USAGE = 'render POLICY --distro rke2|k3s|rke1 --method inline|secret|configmap --cluster NAME [--namespace fleet-default] [--cluster-file CLUSTER.yaml] [--log-path P] [--max-age N] [--max-backup N] [--max-size N] [--format json|legacy]';
const KNOWN = ['distro', 'method', 'cluster', 'namespace', 'cluster-file', 'log-path', 'max-age', 'max-backup', 'max-size', 'format', 'object-name', 'key', 'file-path', 'json', 'help'];

function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];

  return typeof v === 'string' ? v : undefined;
}

function wholeNumber(args: ParsedArgs, name: string): number | undefined {
  const v = flag(args, name);

  if (v === undefined) {
    return undefined;
  }
  if (!/^\d+$/.test(v)) {
    throw new CliError(`--${ name } must be a whole number (got "${ v }")`, 2);
  }

  return Number(v);
}

function minimalCluster(distro: Distro, name: string, namespace: string): KubeObject {
  if (distro === 'rke1') {
    return {
      apiVersion: 'management.cattle.io/v3', kind: 'Cluster', metadata: { name }, spec: { rancherKubernetesEngineConfig: { services: { kubeApi: {} } } }
    };
  }

  return {
    apiVersion: 'provisioning.cattle.io/v1', kind: 'Cluster', metadata: { name, namespace }, spec: { rkeConfig: {} }
  };
}

async function clusterFromFile(file: string, io: Io): Promise<KubeObject> {
  const docs = parseAllDocuments(await readText(file, io));
  const list = Array.isArray(docs) ? docs : [];
  const bad = list.find((d) => d.errors.length);

  if (bad) {
    throw new CliError(`${ file }: not valid YAML: ${ bad.errors[0].message.split('\n')[0] }`, 1);
  }
  const obj = list[0]?.toJS() as KubeObject | undefined;

  if (!obj || typeof obj !== 'object' || obj.kind !== 'Cluster' || !obj.metadata?.name) {
    throw new CliError(`${ file }: not a Rancher Cluster object (want kind: Cluster with metadata.name)`, 1);
  }

  return obj;
}

/** Runs `render`; prints multi-document YAML on stdout. */
export async function renderCommand(args: ParsedArgs, io: Io): Promise<number> {
  if (args.positional.length !== 1) {
    throw new CliError(`usage: audit-policy ${ USAGE }`, 2);
  }
  const unknown = Object.keys(args.flags).filter((f) => !KNOWN.includes(f));

  if (unknown.length) {
    throw new CliError(`unknown option --${ unknown[0] }; usage: audit-policy ${ USAGE }`, 2);
  }
  const distro = flag(args, 'distro') as Distro;
  const clusterName = flag(args, 'cluster');
  let method = flag(args, 'method') as Method | undefined;

  if (!DISTROS.includes(distro)) {
    throw new CliError(`--distro must be one of ${ DISTROS.join(', ') }`, 2);
  }
  if (distro === 'rke1') {
    method = method ?? 'rke1';
  } else if (!method || !METHODS.includes(method)) {
    throw new CliError(`--method must be one of ${ METHODS.join(', ') }`, 2);
  }
  if (!clusterName) {
    throw new CliError('--cluster NAME is required', 2);
  }
  const format = flag(args, 'format');

  if (format !== undefined && format !== 'json' && format !== 'legacy') {
    throw new CliError('--format must be json or legacy', 2);
  }
  const policyYaml = await readText(args.positional[0], io);
  const clusterFile = flag(args, 'cluster-file');
  const cluster = clusterFile ? await clusterFromFile(clusterFile, io) : minimalCluster(distro, clusterName, flag(args, 'namespace') || 'fleet-default');

  if (clusterFile && cluster.metadata.name !== clusterName) {
    throw new CliError(`--cluster ${ clusterName } does not match ${ clusterFile }'s metadata.name "${ cluster.metadata.name }"`, 2);
  }
  const base = clusterFile ? readSettings(cluster, [], distro).settings : defaultSettings(cluster, distro);
  const settings: AuditSettings = {
    ...base,
    enabled: true,
    method:  method as Method,
    policyYaml,
    log:     {
      ...base.log,
      ...(flag(args, 'log-path') !== undefined ? { path: flag(args, 'log-path') } : {}),
      ...(wholeNumber(args, 'max-age') !== undefined ? { maxAge: wholeNumber(args, 'max-age') } : {}),
      ...(wholeNumber(args, 'max-backup') !== undefined ? { maxBackup: wholeNumber(args, 'max-backup') } : {}),
      ...(wholeNumber(args, 'max-size') !== undefined ? { maxSize: wholeNumber(args, 'max-size') } : {}),
      ...(format ? { format: format as LogFormat } : {}),
    },
    file: {
      ...base.file,
      name: flag(args, 'object-name') || base.file.name,
      key:  flag(args, 'key') || base.file.key,
      path: flag(args, 'file-path') || base.file.path,
    },
  };
  const result = plan(cluster, [], settings, distro);

  if (result.errors.length) {
    throw new CliError(result.errors.map((e) => e.message).join('; '), 1);
  }
  for (const w of result.warnings) {
    io.stderr(`audit-policy: warning: ${ w.path }: ${ w.message }\n`);
  }
  io.stdout(renderPlan(result, { full: !!clusterFile }));

  return 0;
}
