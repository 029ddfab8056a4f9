/**
 * Node-plan emulation: from the stored objects, what Rancher's planner would write to each node, and the
 * kube-apiserver audit flags that result. Written from the upstream sources (not from this project's
 * pkg/cluster-audit-log/delivery, which it exists to check):
 *
 * - rancher/rancher pkg/capr/planner config.go: addDefaults, addUserConfig (machineGlobalConfig, then every
 *   matching machineSelectorConfig replaces keys), filter.go filterConfigData/filterField (KDM agentArgs, then
 *   serverArgs on etcd/control-plane nodes; string/bool/list values only; "could not find release data"),
 *   addConfigFile (fileParams content -> `<data-dir>/etc/config-files/<param>`, value replaced by the path),
 *   renderFiles (machineSelectorFiles: selector, secret/configmap in the cluster's namespace, annotation
 *   rke.cattle.io/object-authorized-for-clusters split on "," with exact match, hash = base64(sha256(data))).
 * - every `audit-*` kube-apiserver arg is passed through, the webhook's included: `--audit-webhook-config-file` names a
 *   file kube-apiserver reads at start (k8s.io/apiserver pkg/server/options/audit.go); RKE2 mounts it into the static
 *   pod when it exists (rancher/rke2 pkg/podtemplate/podtemplate.go ReadFiles), i.e. when the plan delivers it.
 * - rancher/rke2 pkg/executor/staticpod/staticpod.go APIServer: with audit-policy-file (or a CIS profile) set,
 *   `--audit-policy-file`, maxage 30, maxbackup 10, maxsize 100 and, unless the user set one,
 *   `--audit-log-path=<data-dir>/server/logs/audit.log` are put BEFORE the user's args (last flag wins);
 *   a missing policy file is created with `rules: [{level: None}]`.
 * - K3s: no audit option, no defaults; only kube-apiserver-arg.
 * - rancher/rke cluster/plan.go + defaults.go (RKE1): auditLog.enabled with a nil configuration gets the
 *   default configuration; a nil policy gets `rules: [{level: Metadata}]`; flags audit-log-path/maxage/maxbackup/
 *   maxsize/format and audit-policy-file=/etc/kubernetes/audit-policy.yaml come from the configuration and are
 *   overridden by services.kubeApi.extraArgs; the policy is written to control-plane hosts only when enabled and
 *   extraArgs has no audit-policy-file.
 *
 * Only what bears on the audit policy is emulated: etcd, tokens, addresses, labels, taints, registries, ACE and the
 * rest of 50-rancher.yaml are not.
 */
import yaml from 'js-yaml';
import { readPolicy, verbatim } from '../../pkg/cluster-audit-log/policy';
import type { Diagnostic } from '../../pkg/cluster-audit-log/policy';
import { findRelease, Obj, Release } from './data';
import { policyText, sha256Base64 } from './seed';

export const AUTHORIZED_OBJECT_ANNOTATION = 'rke.cattle.io/object-authorized-for-clusters';
const FILE_PARAMS = ['audit-policy-file', 'cloud-provider-config', 'flannel-conf'];
const ROLE_LABELS = {
  controlPlane: 'rke.cattle.io/control-plane-role',
  etcd:         'rke.cattle.io/etcd-role',
  worker:       'rke.cattle.io/worker-role',
};

export interface Lookup {
  secret(namespace: string, name: string): Obj | undefined;
  configMap(namespace: string, name: string): Obj | undefined;
}

export interface PlanFile {
  path: string;
  /** decoded content */
  content: string;
  permissions?: string;
  dynamic?: boolean;
  /** where the planner took it from */
  source: string;
}

export interface PolicyCheck {
  path: string;
  /** the file is in Rancher's plan for this node (or written by RKE2/RKE itself) */
  delivered: boolean;
  deliveredBy?: string;
  loadable: boolean;
  errors: Diagnostic[];
}

export interface NodePlan {
  machine: string;
  roles: string[];
  labels: Record<string, string>;
  /** the planner's error for this node (the plan is then not updated) */
  error?: string;
  files: PlanFile[];
  /** the audit-related part of the node's config.yaml.d/50-rancher.yaml */
  config: Obj;
  kubeApiserver?: {
    /** audit flags in the order kube-apiserver receives them (RKE2 defaults first, then the user's) */
    auditArgs: string[];
    /** effective values (last flag wins) */
    effective: Record<string, string>;
    /** kube-apiserver writes an audit log only with a log path set */
    auditLogEnabled: boolean;
  };
  policy?: PolicyCheck;
  /** --audit-webhook-config-file: the kubeconfig kube-apiserver's audit webhook reads (its content is in `files`) */
  webhook?: WebhookCheck;
}

export interface WebhookCheck {
  path: string;
  /** the file is in Rancher's plan for this node */
  delivered: boolean;
  deliveredBy?: string;
}

export interface ClusterPlan {
  cluster: string;
  namespace?: string;
  runtime: 'rke2' | 'k3s' | 'rke1';
  kubernetesVersion: string;
  /** first error of any node: Rancher's reconcile stops on it and shows it on the cluster's conditions */
  error?: string;
  nodes: NodePlan[];
}

// ---------- label selectors (metav1.LabelSelectorAsSelector semantics) ----------

export function selectorMatches(selector: Obj | undefined | null, labels: Record<string, string>): boolean {
  if (!selector) {
    return true;
  }
  for (const [k, v] of Object.entries(selector.matchLabels || {})) {
    if (labels[k] !== v) {
      return false;
    }
  }
  for (const e of (selector.matchExpressions || []) as Obj[]) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: string[] = e.values || [];

    switch (e.operator) {
    case 'In': if (!has || !values.includes(labels[e.key])) {
      return false;
    } break;
    case 'NotIn': if (has && values.includes(labels[e.key])) {
      return false;
    } break;
    case 'Exists': if (!has) {
      return false;
    } break;
    case 'DoesNotExist': if (has) {
      return false;
    } break;
    default: return false;
    }
  }

  return true;
}

// ---------- RKE2 / K3s ----------

export function runtimeOf(kubernetesVersion: string): 'rke2' | 'k3s' {
  return kubernetesVersion.includes('k3s') ? 'k3s' : 'rke2';
}

function dataDir(cluster: Obj, runtime: string): string {
  return cluster.spec?.rkeConfig?.dataDirectories?.k8sDistro || `/var/lib/rancher/${ runtime }`;
}

function filterField(isServer: boolean, value: unknown, key: string, release: Release): { ok: boolean, value?: unknown } {
  if (value === null || value === undefined) {
    return { ok: false };
  }
  let field = release.agentArgs?.[key];

  if (!field && isServer) {
    field = release.serverArgs?.[key];
  }
  if (!field) {
    return { ok: false };
  }
  if (!(typeof value === 'string' || typeof value === 'boolean' || Array.isArray(value))) {
    return { ok: false };
  }
  if (field.type === 'boolean') {
    return { ok: true, value: typeof value === 'boolean' ? value : ['1', 't', 'true', 'y', 'yes', 'on'].includes(String(value).toLowerCase()) };
  }

  return { ok: true, value };
}

function toStringSlice(v: unknown): string[] {
  if (v === undefined || v === null || v === '') {
    return [];
  }

  return Array.isArray(v) ? v.map(String) : [String(v)];
}

export interface Machine { name: string, roles: string[], labels: Record<string, string> }

/** One control-plane+etcd machine and one worker, labelled as Rancher labels custom-cluster machines. */
export function defaultMachines(clusterName: string): Machine[] {
  return [
    { name: `${ clusterName }-cp-etcd-0`, roles: ['controlplane', 'etcd'], labels: { 'cluster.x-k8s.io/cluster-name': clusterName, [ROLE_LABELS.controlPlane]: 'true', [ROLE_LABELS.etcd]: 'true' } },
    { name: `${ clusterName }-worker-0`, roles: ['worker'], labels: { 'cluster.x-k8s.io/cluster-name': clusterName, [ROLE_LABELS.worker]: 'true' } },
  ];
}

function renderFiles(cluster: Obj, machine: Machine, lookup: Lookup): PlanFile[] {
  const ns = cluster.metadata.namespace;
  const name = cluster.metadata.name;
  const files: PlanFile[] = [];

  for (const msf of (cluster.spec?.rkeConfig?.machineSelectorFiles || []) as Obj[]) {
    if (msf.machineLabelSelector && !selectorMatches(msf.machineLabelSelector, machine.labels)) {
      continue;
    }
    for (const fs of (msf.fileSources || []) as Obj[]) {
      const secretName = fs.secret?.name || '';
      const cmName = fs.configMap?.name || '';

      if (secretName && cmName) {
        throw new Error(`secret ${ ns }/${ secretName } and configmap ${ ns }/${ cmName } cannot both be defined at the same time for files, use separate entries`);
      }
      for (const [kind, src, objName] of [['secret', fs.secret, secretName], ['configmap', fs.configMap, cmName]] as [string, Obj, string][]) {
        if (!objName) {
          continue;
        }
        const obj = kind === 'secret' ? lookup.secret(ns, objName) : lookup.configMap(ns, objName);

        if (!obj) {
          // the wrapped error is kube's NotFound from the wrangler cache
          throw new Error(`error retrieving ${ kind } ${ ns }/${ objName } while rendering files: ${ kind === 'secret' ? 'secrets' : 'configmaps' } "${ objName }" not found`);
        }
        const authorized = String(obj.metadata?.annotations?.[AUTHORIZED_OBJECT_ANNOTATION] ?? '').split(',').includes(name);

        if (!authorized) {
          throw new Error(`error rendering files: cluster ${ ns }/${ name } was not authorized to access ${ kind } ${ ns }/${ objName }`);
        }
        for (const item of (src.items || []) as Obj[]) {
          // a missing key is not an error: the node gets an empty file
          const data = kind === 'secret' ? Buffer.from(obj.data?.[item.key] ?? '', 'base64') : Buffer.from(obj.data?.[item.key] ?? '', 'utf8');

          if (item.hash && item.hash !== sha256Base64(data)) {
            throw new Error(`${ kind } ${ objName } does not contain the expected content`);
          }
          const file: PlanFile = {
            path: item.path, content: data.toString('utf8'), dynamic: !!item.dynamic, source: `machineSelectorFiles ${ kind } ${ ns }/${ objName } key ${ item.key }`
          };
          const permissions = item.permissions || src.defaultPermissions;

          if (permissions) {
            file.permissions = permissions;
          }
          files.push(file);
        }
      }
    }
  }

  return files;
}

function splitArg(arg: string): [string, string] {
  const i = arg.indexOf('=');

  return i < 0 ? [arg, ''] : [arg.slice(0, i), arg.slice(i + 1)];
}

function checkPolicy(path: string, files: PlanFile[], fallback?: { content: string, by: string }): PolicyCheck {
  const file = [...files].reverse().find((f) => f.path === path);

  if (!file && !fallback) {
    return {
      path,
      delivered: false,
      loadable:  false,
      errors:    [{ path: '', ...verbatim(`not delivered by the plan: ${ path } must already exist on the node, or kube-apiserver will not start`) }],
    };
  }
  const content = file ? file.content : (fallback as { content: string }).content;
  const r = readPolicy(content);

  return {
    path, delivered: true, deliveredBy: file ? file.source : fallback?.by, loadable: r.loadable, errors: r.errors
  };
}

const AUDIT_FLAG = /^audit-/;

export function planProvisioningCluster(cluster: Obj, lookup: Lookup, machines = defaultMachines(cluster.metadata.name)): ClusterPlan {
  const kubernetesVersion: string = cluster.spec?.kubernetesVersion || '';
  const runtime = runtimeOf(kubernetesVersion);
  const rke = cluster.spec?.rkeConfig || {};
  const release = findRelease(kubernetesVersion);
  const result: ClusterPlan = {
    cluster: cluster.metadata.name, namespace: cluster.metadata.namespace, runtime, kubernetesVersion, nodes: []
  };

  for (const machine of machines) {
    const isServer = machine.roles.includes('controlplane') || machine.roles.includes('etcd');
    const node: NodePlan = {
      machine: machine.name, roles: machine.roles, labels: machine.labels, files: [], config: {}
    };

    result.nodes.push(node);
    try {
      const config: Obj = {};

      if (runtime === 'rke2') {
        config.cni = 'calico';
      }
      Object.assign(config, rke.machineGlobalConfig || {});
      for (const sel of (rke.machineSelectorConfig || []) as Obj[]) {
        if (!sel.machineLabelSelector || selectorMatches(sel.machineLabelSelector, machine.labels)) {
          Object.assign(config, sel.config || {});
        }
      }
      if (!release) {
        throw new Error('could not find release data');
      }
      for (const k of Object.keys(config)) {
        const f = filterField(isServer, config[k], k, release);

        if (f.ok) {
          config[k] = f.value;
        } else {
          delete config[k];
        }
      }
      if (rke.dataDirectories?.k8sDistro) {
        config['data-dir'] = rke.dataDirectories.k8sDistro;
      }
      const files: PlanFile[] = [];

      for (const param of FILE_PARAMS) {
        if (!(param in config)) {
          continue;
        }
        const path = `${ dataDir(cluster, runtime) }/etc/config-files/${ param }`;
        const content = config[param];

        config[param] = path;
        files.push({ path, content: Array.isArray(content) ? content.join(' ') : String(content), source: `machineGlobalConfig/machineSelectorConfig ${ param }` });
      }
      files.push(...renderFiles(cluster, machine, lookup));
      node.files = files;
      for (const k of ['audit-policy-file', 'kube-apiserver-arg', 'profile', 'data-dir']) {
        if (k in config) {
          node.config[k] = config[k];
        }
      }

      if (machine.roles.includes('controlplane')) {
        const userArgs = toStringSlice(config['kube-apiserver-arg']);
        const args: string[] = [];
        const userLogPath = userArgs.some((a) => splitArg(a)[0] === 'audit-log-path');
        let rke2PolicyFile = '';

        if (runtime === 'rke2') {
          rke2PolicyFile = config['audit-policy-file'] || '';
          if (!rke2PolicyFile && String(config.profile || '').includes('cis')) {
            rke2PolicyFile = '/etc/rancher/rke2/audit-policy.yaml';
          }
          if (rke2PolicyFile) {
            args.push(`audit-policy-file=${ rke2PolicyFile }`, 'audit-log-maxage=30', 'audit-log-maxbackup=10', 'audit-log-maxsize=100');
            if (!userLogPath) {
              args.push(`audit-log-path=${ config['data-dir'] || dataDir(cluster, runtime) }/server/logs/audit.log`);
            }
          }
        }
        args.push(...userArgs);
        const auditArgs = args.filter((a) => AUDIT_FLAG.test(splitArg(a)[0])).map((a) => `--${ a }`);
        const effective: Record<string, string> = {};

        for (const a of auditArgs) {
          const [k, v] = splitArg(a.slice(2));

          effective[k] = v;
        }
        node.kubeApiserver = { auditArgs, effective, auditLogEnabled: !!effective['audit-log-path'] };
        const policyPath = effective['audit-policy-file'];

        if (policyPath) {
          // RKE2 creates its own `level: None` policy when the file it was given does not exist
          const fallback = rke2PolicyFile && policyPath === rke2PolicyFile && !files.some((f) => f.path === policyPath) ? { content: policyText('rke2-default-cis.yaml'), by: 'rke2 (default policy written when the file is missing)' } : undefined;

          node.policy = checkPolicy(policyPath, files, fallback);
        }
        const webhookPath = effective['audit-webhook-config-file'];

        if (webhookPath) {
          const file = [...files].reverse().find((f) => f.path === webhookPath);

          node.webhook = file ? { path: webhookPath, delivered: true, deliveredBy: file.source } : { path: webhookPath, delivered: false };
        }
      }
    } catch (e) {
      node.error = (e as Error).message;
      node.files = [];
      result.error = result.error || node.error;
    }
  }

  return result;
}

// ---------- RKE1 ----------

const RKE1_POLICY_PATH = '/etc/kubernetes/audit-policy.yaml';

export function planRke1Cluster(mgmt: Obj): ClusterPlan {
  const rkeConfig = mgmt.spec?.rancherKubernetesEngineConfig || {};
  const kubeApi = rkeConfig.services?.kubeApi || {};
  const extraArgs: Record<string, string> = kubeApi.extraArgs || {};
  const auditLog: Obj | undefined = kubeApi.auditLog ? JSON.parse(JSON.stringify(kubeApi.auditLog)) : undefined;
  const defaultPolicy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] };

  if (auditLog?.enabled) {
    if (!auditLog.configuration) {
      auditLog.configuration = {
        maxAge: 30, maxBackup: 10, maxSize: 100, path: '/var/log/kube-audit/audit-log.json', format: 'json', policy: defaultPolicy
      };
    } else if (!auditLog.configuration.policy) {
      auditLog.configuration.policy = defaultPolicy;
    }
  }
  const name = mgmt.metadata.name;
  const result: ClusterPlan = {
    cluster: name, runtime: 'rke1', kubernetesVersion: rkeConfig.kubernetesVersion || '', nodes: []
  };

  for (const machine of [
    { name: `${ name }-cp-etcd-0`, roles: ['controlplane', 'etcd'], labels: {} },
    { name: `${ name }-worker-0`, roles: ['worker'], labels: {} },
  ] as Machine[]) {
    const node: NodePlan = {
      machine: machine.name, roles: machine.roles, labels: machine.labels, files: [], config: {}
    };

    result.nodes.push(node);
    if (!machine.roles.includes('controlplane')) {
      continue;
    }
    const flags: Record<string, string> = {};
    const alc = auditLog?.configuration;

    if (auditLog && alc) {
      flags['audit-log-path'] = alc.path ?? '';
      flags['audit-log-maxage'] = String(alc.maxAge ?? 0);
      flags['audit-log-maxbackup'] = String(alc.maxBackup ?? 0);
      flags['audit-log-maxsize'] = String(alc.maxSize ?? 0);
      flags['audit-log-format'] = alc.format ?? '';
      flags['audit-policy-file'] = RKE1_POLICY_PATH;
    }
    for (const [k, v] of Object.entries(extraArgs)) {
      flags[k] = String(v);
    }
    if (auditLog?.enabled && !('audit-policy-file' in extraArgs)) {
      node.files.push({ path: RKE1_POLICY_PATH, content: yaml.dump(alc.policy), source: 'services.kubeApi.auditLog.configuration.policy' });
    }
    const auditArgs = Object.keys(flags).filter((k) => AUDIT_FLAG.test(k)).sort().map((k) => `--${ k }=${ flags[k] }`);
    const effective = Object.fromEntries(Object.entries(flags).filter(([k]) => AUDIT_FLAG.test(k)));

    node.kubeApiserver = { auditArgs, effective, auditLogEnabled: !!effective['audit-log-path'] };
    if (effective['audit-policy-file']) {
      node.policy = checkPolicy(effective['audit-policy-file'], node.files);
    }
  }

  return result;
}
