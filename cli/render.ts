/** `audit-policy render`: the YAML to apply for a policy, distro and method (same plan as the tab's save). */
import {
  AuditSettings, defaultSettings, Distro, KubeObject, LogFormat, Method, plan, readSettings, renderPlan, WEBHOOK_MODES, WebhookMode
} from '../pkg/cluster-audit-log/delivery';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isNodeFilePath } from '../pkg/cluster-audit-log/delivery/names';
import { readSource } from '../pkg/cluster-audit-log/policy/source';
import { command } from './args';
import { CliError, inputLabel, Io, readText } from './io';
import { checkedName, wholeNumber } from './values';

const DISTROS: Distro[] = ['rke2', 'k3s', 'rke1'];
const METHODS: Method[] = ['inline', 'secret', 'configmap'];
const USAGE = 'render POLICY --distro rke2|k3s|rke1 --method inline|secret|configmap --cluster NAME [--namespace fleet-default] [--cluster-file CLUSTER.yaml] [--log-path P] [--max-age N] [--max-backup N] [--max-size N] [--format json|legacy] [--object-name NAME] [--key KEY] [--file-path P] [--webhook-config KUBECONFIG [--webhook-mode batch|blocking|blocking-strict]]';
const STRING = { type: 'string' } as const;
const OPTIONS = {
  distro:           STRING,
  method:           STRING,
  cluster:          STRING,
  namespace:        STRING,
  'cluster-file':   STRING,
  'log-path':       STRING,
  'max-age':        STRING,
  'max-backup':     STRING,
  'max-size':       STRING,
  format:           STRING,
  'object-name':    STRING,
  key:              STRING,
  'file-path':      STRING,
  'webhook-config': STRING,
  'webhook-mode':   STRING,
};

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

/**
 * The Cluster object of a `--cluster-file`, read as kubectl and Rancher read YAML or JSON (sigs.k8s.io/yaml:
 * go-yaml v2 with its depth and aliasing limits, first document only), by the engine's reader.
 */
async function clusterFromFile(file: string, io: Io): Promise<KubeObject> {
  const source = readSource(await readText(file, io));

  if (source.syntaxError) {
    const { message, line, column } = source.syntaxError;

    throw new CliError(`${ inputLabel(file) }: not valid YAML or JSON: ${ message }${ line ? ` (line ${ line }, column ${ column })` : '' }`, 1);
  }
  const obj = source.value as KubeObject | null;

  if (!obj || typeof obj !== 'object' || obj.kind !== 'Cluster' || !obj.metadata?.name) {
    throw new CliError(`${ inputLabel(file) }: not a Rancher Cluster object (want kind: Cluster with metadata.name)`, 1);
  }
  if (obj.metadata.namespace !== undefined) {
    checkedName(`cluster-file ${ file }: metadata.namespace`, String(obj.metadata.namespace), isDNS1123Label);
  }

  return obj;
}

/** `render`: prints multi-document YAML on stdout. */
export const render = command(USAGE, 'print the YAML to apply to Rancher for this policy; exit 1 if the plan is refused', OPTIONS, 1, async({ values, positionals }, io) => {
  const distro = values.distro as Distro;
  let method = values.method as Method | undefined;

  if (!DISTROS.includes(distro)) {
    throw new CliError(`--distro must be one of ${ DISTROS.join(', ') }`, 2);
  }
  if (distro === 'rke1') {
    method = method ?? 'rke1';
  } else if (!method || !METHODS.includes(method)) {
    throw new CliError(`--method must be one of ${ METHODS.join(', ') }`, 2);
  }
  if (values.cluster === undefined) {
    throw new CliError('--cluster NAME is required', 2);
  }
  const clusterName = checkedName('cluster', values.cluster, isDNS1123Label);
  const namespace = values.namespace === undefined ? undefined : checkedName('namespace', values.namespace, isDNS1123Label);
  const format = values.format;

  if (format !== undefined && format !== 'json' && format !== 'legacy') {
    throw new CliError('--format must be json or legacy', 2);
  }
  const logPath = values['log-path'] === undefined ? undefined : checkedName('log-path', values['log-path'], isNodeFilePath);
  const maxAge = values['max-age'] === undefined ? undefined : wholeNumber('max-age', values['max-age']);
  const maxBackup = values['max-backup'] === undefined ? undefined : wholeNumber('max-backup', values['max-backup']);
  const maxSize = values['max-size'] === undefined ? undefined : wholeNumber('max-size', values['max-size']);
  const objectName = values['object-name'] === undefined ? undefined : checkedName('object-name', values['object-name'], isDNS1123Subdomain);
  const key = values.key === undefined ? undefined : checkedName('key', values.key, isConfigMapKey);
  const filePath = values['file-path'] === undefined ? undefined : checkedName('file-path', values['file-path'], isNodeFilePath);
  const clusterFile = values['cluster-file'];

  const webhookConfig = values['webhook-config'];
  const webhookMode = values['webhook-mode'];

  if ([positionals[0], clusterFile, webhookConfig].filter((f) => f === '-').length > 1) {
    throw new CliError('only one of POLICY, --cluster-file and --webhook-config can be - (standard input)', 2);
  }
  if (webhookMode !== undefined && !(WEBHOOK_MODES as readonly string[]).includes(webhookMode)) {
    throw new CliError(`--webhook-mode must be one of ${ WEBHOOK_MODES.join(', ') }`, 2);
  }
  if (webhookMode !== undefined && webhookConfig === undefined) {
    throw new CliError('--webhook-mode needs --webhook-config KUBECONFIG', 2);
  }
  const policyYaml = await readText(positionals[0], io);
  const kubeconfig = webhookConfig === undefined ? undefined : await readText(webhookConfig, io);
  const cluster = clusterFile ? await clusterFromFile(clusterFile, io) : minimalCluster(distro, clusterName, namespace ?? 'fleet-default');

  if (clusterFile && cluster.metadata.name !== clusterName) {
    throw new CliError(`--cluster ${ clusterName } does not match ${ clusterFile }'s metadata.name ${ JSON.stringify(cluster.metadata.name) }`, 2);
  }
  if (clusterFile && namespace !== undefined && cluster.metadata.namespace !== namespace) {
    throw new CliError(`--namespace ${ namespace } does not match ${ clusterFile }'s metadata.namespace ${ JSON.stringify(cluster.metadata.namespace ?? '') }`, 2);
  }
  const base = clusterFile ? readSettings(cluster, [], distro).settings : defaultSettings(cluster, distro);
  const settings: AuditSettings = {
    ...base,
    enabled: true,
    method:  method as Method,
    policyYaml,
    log:     {
      ...base.log,
      ...(logPath !== undefined ? { path: logPath } : {}),
      ...(maxAge !== undefined ? { maxAge } : {}),
      ...(maxBackup !== undefined ? { maxBackup } : {}),
      ...(maxSize !== undefined ? { maxSize } : {}),
      ...(format ? { format: format as LogFormat } : {}),
    },
    file: {
      ...base.file,
      name: objectName ?? base.file.name,
      key:  key ?? base.file.key,
      path: filePath ?? base.file.path,
    },
    webhook: kubeconfig === undefined ? base.webhook : {
      ...base.webhook, enabled: true, kubeconfig, flags: { ...base.webhook.flags, ...(webhookMode ? { mode: webhookMode as WebhookMode } : {}) },
    },
  };
  const result = plan(cluster, [], settings, distro);

  if (result.errors.length) {
    throw new CliError(result.errors.map((e) => e.message).join('; '), 1);
  }
  for (const w of result.warnings) {
    io.stderr(`audit-policy: warning: ${ w.path }: ${ w.message }\n`);
  }
  if (kubeconfig !== undefined) {
    io.stderr('audit-policy: note: the Secret printed holds the webhook\'s credentials: apply it, do not commit it\n');
  }
  io.stdout(renderPlan(result, { full: !!clusterFile }));

  return 0;
});
