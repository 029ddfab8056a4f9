/**
 * A generated fleet for the stand-in (`yarn stand-in --fleet N`), the fleet tests and `yarn bench`: N clusters in
 * fleet-default with a realistic mix of audit set-ups, and their Secrets and ConfigMaps. Deterministic: the same N
 * always gives the same objects.
 *
 * Real data: each provisioning cluster is the dashboard's own RKE2 test cluster (rancher-data/dashboard-fixtures),
 * its Kubernetes version cycles through the stable releases of the real KDM lists, the policies are the real
 * ones of rancher-data/policies and the extension's presets as the tab writes them. Chosen here: names, ids, the
 * mix, and the kubeconfig Secrets' contents (Rancher makes one `<cluster>-kubeconfig` per cluster).
 *
 * The mix, per FLEET_MIX.length clusters: audit off, inline (RKE2), a Secret shared by SHARED_BY clusters, a
 * ConfigMap of its own, RKE1, an external policy, a broken annotation (the cluster listed with a space before
 * its name), a stale hash, a Secret of its own.
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import yaml from 'js-yaml';
import { DEFAULT_OBJECT_KEY, DISTROS, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../pkg/cluster-audit-log/delivery';
import { Policy, policyToYaml, presetPolicy } from '../../pkg/cluster-audit-log/policy';
import { rke1Cluster } from '../support/clusters';
import { FIXTURES, loadData, Obj, stableReleases } from './data';
import {
  AUTHORIZED_ANNOTATION, K3S_POLICY_PATH, mgmtCluster, NS, policyText, RKE2_POLICY_PATH, sha256Base64
} from './seed';
import { fromSteve, Store } from './store';
import { typeById, TypeDef } from './types';

/** What each cluster of a block of FLEET_MIX.length gets, by its index in the block. */
export const FLEET_MIX = [
  'off', 'off', 'off', 'off',
  'inline', 'inline', 'inline', 'inline',
  'shared', 'shared', 'shared', 'shared',
  'configmap', 'configmap',
  'rke1', 'external', 'spaced', 'stale', 'secret', 'secret',
] as const;

export type FleetKind = typeof FLEET_MIX[number];

/** How many clusters read one shared Secret. */
export const SHARED_BY = 20;

/** The file the external clusters' audit-policy-file names (put on the nodes by other means). */
export const EXTERNAL_POLICY_PATH = '/etc/custom/policy.yaml';

export interface FleetOptions {
  /**
   * How many Secrets in all: the policy Secrets the mix needs, then `<cluster>-kubeconfig` Secrets up to this
   * number. Default: one kubeconfig Secret per provisioning cluster, as Rancher makes them.
   */
  secrets?: number;
  /** How many clusters read one shared Secret (default SHARED_BY). */
  sharedBy?: number;
}

export interface Fleet {
  /** Provisioning clusters (an RKE1 cluster's is Rancher's wrapper) and every management cluster. */
  clusters: Obj[];
  secrets: Obj[];
  configMaps: Obj[];
}

const CONTROL_PLANE = { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } };
const OURS = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const GKE = policyToYaml(presetPolicy('gke') as Policy);
const base64 = (text: string): string => Buffer.from(text).toString('base64');
const hex = (text: string, n: number): string => createHash('sha256').update(text).digest('hex').slice(0, n);

type Runtime = 'rke2' | 'k3s';

let base: Obj | undefined;

/** The dashboard's RKE2 test cluster in kube shape, a custom cluster (no machine pools). */
function baseCluster(): Obj {
  if (!base) {
    const steve = JSON.parse(readFileSync(join(FIXTURES, 'dashboard-fixtures/rke2-edit-test-cluster-and-version.json'), 'utf8')).data.PROV_CLUSTER;

    base = fromSteve(typeById('provisioning.cattle.io.cluster') as TypeDef, steve);
    delete base.metadata.uid;
    base.spec.rkeConfig.machinePools = [];
  }

  return JSON.parse(JSON.stringify(base));
}

function provisioning(name: string, mgmt: string, version: string, runtime: Runtime, rke: Obj): Obj {
  const c = baseCluster();
  const global = runtime === 'rke2' ? c.spec.rkeConfig.machineGlobalConfig : { 'disable-apiserver': false, 'etcd-expose-metrics': false };

  c.metadata = { ...c.metadata, name, namespace: NS };
  c.spec.kubernetesVersion = version;
  c.spec.rkeConfig = {
    ...c.spec.rkeConfig, chartValues: runtime === 'rke2' ? c.spec.rkeConfig.chartValues : {}, ...rke, machineGlobalConfig: { ...global, ...(rke.machineGlobalConfig || {}) }
  };
  c.status = { ...c.status, clientSecretName: `${ name }-kubeconfig`, clusterName: mgmt };

  return c;
}

function secret(name: string, data: Record<string, string>, annotations: Record<string, string>, labels: Record<string, string> = {}): Obj {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name, namespace: NS, annotations, labels }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64(v)]))
  };
}

/** The args the tab writes for a policy file delivered by machineSelectorFiles (the distro's defaults written out). */
function policyArgs(runtime: Runtime, path: string): string[] {
  const log = DISTROS[runtime].logDefaults;

  return [`audit-policy-file=${ path }`, `audit-log-path=${ log.path }`, `audit-log-maxage=${ log.maxAge }`, `audit-log-maxbackup=${ log.maxBackup }`, `audit-log-maxsize=${ log.maxSize }`];
}

/** machineGlobalConfig and machineSelectorFiles reading `key` of a Secret/ConfigMap; `hashed` is what the hash covers. */
function delivered(runtime: Runtime, kind: 'secret' | 'configMap', name: string, key: string, hashed: string): Obj {
  const path = runtime === 'rke2' ? RKE2_POLICY_PATH : K3S_POLICY_PATH;

  return {
    machineGlobalConfig:  { 'kube-apiserver-arg': policyArgs(runtime, path) },
    machineSelectorFiles: [{ machineLabelSelector: CONTROL_PLANE, fileSources: [{ [kind]: { name, items: [{ key, path, permissions: '0600', hash: sha256Base64(hashed) }] } }] }],
  };
}

function kubeconfig(name: string, mgmt: string): Obj {
  const token = `kubeconfig-user-${ hex(`${ name }-user`, 5) }:${ hex(`${ name }-token`, 40) }`;
  const config = [
    'apiVersion: v1', 'kind: Config',
    `clusters:\n- name: "${ name }"\n  cluster:\n    server: "https://127.0.0.1:8005/k8s/clusters/${ mgmt }"`,
    `users:\n- name: "${ name }"\n  user:\n    token: "${ token }"`,
    `contexts:\n- name: "${ name }"\n  context:\n    user: "${ name }"\n    cluster: "${ name }"`,
    `current-context: "${ name }"`, '',
  ].join('\n');

  return secret(`${ name }-kubeconfig`, { value: config, token }, {});
}

/** The clusters, Secrets and ConfigMaps of a fleet of `n` clusters (see the file comment). */
export function fleetWorld(n: number, options: FleetOptions = {}): Fleet {
  const data = loadData();
  const versions = { rke2: stableReleases(data.rke2Releases).map((r) => r.id), k3s: stableReleases(data.k3sReleases).map((r) => r.id) };
  const fleet: Fleet = { clusters: [], secrets: [], configMaps: [] };
  const kubeconfigs: Obj[] = [];
  const shared: Obj[] = [];
  let sharedCount = 0;

  for (let i = 0; i < n; i++) {
    const kind: FleetKind = FLEET_MIX[i % FLEET_MIX.length];
    const name = `fleet-${ String(i + 1).padStart(4, '0') }`;
    const runtime: Runtime = kind === 'inline' || (i + Math.floor(i / FLEET_MIX.length)) % 2 === 0 ? 'rke2' : 'k3s';
    const version = versions[runtime][Math.floor(i / 2) % versions[runtime].length];

    if (kind === 'rke1') {
      const id = `c-${ hex(name, 5) }`;
      const policy = i % 40 < 20 ? yaml.load(policyText('rancher-docs-rke1-custom-policy.yaml')) as Obj : undefined;

      const config = rke1Config(policy);

      fleet.clusters.push(mgmtCluster(id, name, 'rke', config.kubernetesVersion.replace(/-rancher.*$/, ''), { driver: 'rancherKubernetesEngine', spec: { rancherKubernetesEngineConfig: config } }));
      fleet.clusters.push({
        apiVersion: 'provisioning.cattle.io/v1', kind: 'Cluster', metadata: { name: id, namespace: NS }, spec: {}, status: { clusterName: id, clientSecretName: `${ id }-kubeconfig`, fleetWorkspaceName: NS, ready: true }
      });
      continue;
    }
    const mgmt = `c-m-${ hex(name, 8) }`;
    const objectName = `${ name }-audit-policy`;
    let rke: Obj = {};

    if (kind === 'inline') {
      rke = { machineGlobalConfig: { 'audit-policy-file': i % 2 ? CIS : policyText('rancher-docs-rke2-machineglobalconfig-example.yaml') } };
    } else if (kind === 'shared') {
      const group = Math.floor(sharedCount++ / (options.sharedBy ?? SHARED_BY));
      const secretName = `fleet-shared-audit-policy-${ group + 1 }`;
      const text = group % 2 ? GKE : CIS;

      if (shared[group]) {
        shared[group].metadata.annotations[AUTHORIZED_ANNOTATION] += `,${ name }`;
      } else {
        shared[group] = secret(secretName, { [DEFAULT_OBJECT_KEY]: text }, { [AUTHORIZED_ANNOTATION]: name }, OURS);
      }
      rke = delivered(runtime, 'secret', secretName, DEFAULT_OBJECT_KEY, text);
    } else if (kind === 'configmap') {
      const text = policyText('rancher-docs-rke1-custom-policy.yaml');

      fleet.configMaps.push({
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: objectName, namespace: NS, annotations: { [AUTHORIZED_ANNOTATION]: name } }, data: { [DEFAULT_OBJECT_KEY]: text }
      });
      rke = delivered(runtime, 'configMap', objectName, DEFAULT_OBJECT_KEY, text);
    } else if (kind === 'external') {
      rke = { machineGlobalConfig: { 'kube-apiserver-arg': [`audit-policy-file=${ EXTERNAL_POLICY_PATH }`, 'audit-log-path=/var/log/kube-audit/audit.log', 'audit-log-maxage=7', 'audit-log-maxbackup=5'] } };
    } else if (kind === 'spaced') {
      const text = policyText('rancher-docs-secret-metadata.yaml');

      fleet.secrets.push(secret(objectName, { 'audit-policy': text }, { [AUTHORIZED_ANNOTATION]: ` ${ name }` }));
      rke = delivered(runtime, 'secret', objectName, 'audit-policy', text);
    } else if (kind === 'stale' || kind === 'secret') {
      fleet.secrets.push(secret(objectName, { [DEFAULT_OBJECT_KEY]: CIS }, { [AUTHORIZED_ANNOTATION]: name }, OURS));
      rke = delivered(runtime, 'secret', objectName, DEFAULT_OBJECT_KEY, kind === 'stale' ? GKE : CIS);
    }
    fleet.clusters.push(provisioning(name, mgmt, version, runtime, rke));
    // driver "imported" with provider rke2/k3s is a cluster Rancher provisions (driver === provider would be an imported one)
    fleet.clusters.push(mgmtCluster(mgmt, name, runtime, version.replace(/\+.*$/, '')));
    kubeconfigs.push(kubeconfig(name, mgmt));
  }
  fleet.secrets.push(...shared);
  const room = (options.secrets ?? fleet.secrets.length + kubeconfigs.length) - fleet.secrets.length;

  if (room < 0) {
    throw new Error(`a fleet of ${ n } clusters needs ${ fleet.secrets.length } policy Secrets, more than the ${ options.secrets } asked for`);
  }
  fleet.secrets.push(...kubeconfigs.slice(0, room));

  return fleet;
}

/** An RKE1 cluster's config (tests/support/clusters.ts) with audit logging on: `policy`, or RKE1's default without. */
function rke1Config(policy?: Obj): Obj {
  const log = DISTROS.rke1.logDefaults;
  const configuration = {
    path: log.path, format: log.format, maxAge: Number(log.maxAge), maxBackup: Number(log.maxBackup), maxSize: Number(log.maxSize), ...(policy ? { policy } : {})
  };
  const spec = rke1Cluster({ enabled: true, configuration }).spec as Obj;

  return spec.rancherKubernetesEngineConfig;
}

/** Adds a fleet of `n` clusters to the stand-in's store (next to the default seed); returns what was added. */
export function seedFleet(store: Store, n: number, options: FleetOptions = {}): Fleet {
  const fleet = fleetWorld(n, options);
  const t = (id: string) => typeById(id) as TypeDef;

  for (const c of fleet.clusters) {
    store.put(t(c.apiVersion.startsWith('management.') ? 'management.cattle.io.cluster' : 'provisioning.cattle.io.cluster'), c);
  }
  fleet.secrets.forEach((s) => store.put(t('secret'), s));
  fleet.configMaps.forEach((c) => store.put(t('configmap'), c));

  return fleet;
}

/** The fleet as one Kubernetes List, as `kubectl get ... -o yaml` prints it (the input of `audit-policy report`). */
export function fleetList(fleet: Fleet): Obj {
  return {
    apiVersion: 'v1', kind: 'List', items: [...fleet.clusters, ...fleet.secrets, ...fleet.configMaps], metadata: { resourceVersion: '' }
  };
}
