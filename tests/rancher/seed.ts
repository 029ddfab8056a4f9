/**
 * What the stand-in holds at start and after POST /__sim/reset.
 *
 * Real data: Kubernetes versions (newest stable ids of the KDM lists), settings and features (Rancher v2.15
 * defaults), the audit policies (tests/fixtures/rancher-data/policies, see SOURCES.md), the node driver
 * (dashboard fixture). Chosen by the stand-in (there is no real data for them): object names, uids, cluster ids,
 * the RKE1 Kubernetes version, and the setting values a running Rancher fills in (see SETTING_VALUES).
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import yaml from 'js-yaml';
import { FIXTURES, loadData, newestStable, Obj, stableReleases } from './data';
import { Store } from './store';
import { typeById, USERS } from './types';

export const RKE2_VERSION = newestStable(loadData().rke2Releases);
export const K3S_VERSION = newestStable(loadData().k3sReleases);
/** An older stable RKE2 release from the same KDM list, so the seed covers more than one version. */
export const RKE2_OLDER_VERSION = stableReleases(loadData().rke2Releases).slice(-2)[0].id;

export const policyText = (file: string): string => readFileSync(join(FIXTURES, 'policies', file), 'utf8');

export const AUTHORIZED_ANNOTATION = 'rke.cattle.io/object-authorized-for-clusters';
export const NS = 'fleet-default';

/** Names of the seeded clusters (provisioning name -> management id). */
export const SEED = {
  rke2:       { name: 'rke2-custom', mgmt: 'c-m-2kq7xw4d' },
  k3s:        { name: 'k3s-custom', mgmt: 'c-m-k3sx9v2b' },
  rke2Inline: { name: 'rke2-audit-inline', mgmt: 'c-m-4vdq8ztr' },
  k3sSecret:  { name: 'k3s-audit-secret', mgmt: 'c-m-9hsk3p6m', secret: 'k3s-audit-secret-audit-policy' },
  rke1:       { name: 'c-7xk2p', mgmt: 'c-7xk2p', displayName: 'legacy-rke1' },
};

/** Path and key for the K3s Secret-delivered policy: the K3s hardening guide's file, the Rancher docs' key. */
export const K3S_POLICY_PATH = '/var/lib/rancher/k3s/server/audit.yaml';
export const K3S_POLICY_KEY = 'audit-policy';

export function sha256Base64(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('base64');
}

const CREATED = '2026-11-20T09:00:00Z';

function provCluster(name: string, mgmt: string, kubernetesVersion: string, rkeConfig: Obj): Obj {
  return {
    apiVersion: 'provisioning.cattle.io/v1',
    kind:       'Cluster',
    metadata:   {
      name, namespace: NS, creationTimestamp: CREATED, generation: 2, annotations: { 'field.cattle.io/creatorId': 'user-admin' }, labels: {}, finalizers: ['wrangler.cattle.io/provisioning-cluster-remove', 'wrangler.cattle.io/rke-cluster-remove']
    },
    spec: {
      kubernetesVersion,
      localClusterAuthEndpoint:                             { enabled: false, caCerts: '', fqdn: '' },
      defaultPodSecurityAdmissionConfigurationTemplateName: '',
      rkeConfig:                                            {
        chartValues:           kubernetesVersion.includes('k3s') ? {} : { 'rke2-calico': {} },
        etcd:                  { snapshotRetention: 5, snapshotScheduleCron: '0 */5 * * *', disableSnapshots: false },
        machinePoolDefaults:   {},
        machinePools:          [],
        machineSelectorConfig: [{ config: { 'protect-kernel-defaults': false } }],
        registries:            { configs: {}, mirrors: {} },
        dataDirectories:       { systemAgent: '', provisioning: '', k8sDistro: '' },
        upgradeStrategy:       {
          controlPlaneConcurrency: '1', workerConcurrency: '1', controlPlaneDrainOptions: { enabled: false }, workerDrainOptions: { enabled: false }
        },
        ...rkeConfig,
      },
    },
    status: {
      agentDeployed:      true, clientSecretName:   `${ name }-kubeconfig`, clusterName:        mgmt, fleetWorkspaceName: NS, observedGeneration: 2, ready:              true,
      conditions:         [
        { type: 'Ready', status: 'True' }, { type: 'Provisioned', status: 'True' }, { type: 'Updated', status: 'True' },
      ],
    },
  };
}

export function mgmtCluster(id: string, displayName: string, provider: string, gitVersion: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'management.cattle.io/v3',
    kind:       'Cluster',
    metadata:   {
      name: id, creationTimestamp: CREATED, generation: 1, labels: { 'provider.cattle.io': provider }, annotations: { 'field.cattle.io/creatorId': 'user-admin' }
    },
    spec: {
      displayName, fleetWorkspaceName: NS, internal: false, localClusterAuthEndpoint: { enabled: false }, description: '', ...(extra.spec || {})
    },
    status: {
      provider,
      driver:     extra.driver || 'imported',
      conditions: [
        { type: 'Ready', status: 'True' }, { type: 'Connected', status: 'True' }, { type: 'Provisioned', status: 'True' }, { type: 'Updated', status: 'True' },
      ],
      version:     { gitVersion },
      allocatable: { cpu: '2', memory: '4026036Ki', pods: '110' },
      capacity:    { cpu: '2', memory: '4026036Ki', pods: '110' },
      nodeCount:   2,
    },
  };
}

/** Settings a running Rancher fills in (their code default is empty or computed at run time). */
function settingValues(): Record<string, string> {
  const data = loadData();

  return {
    ...data.exprDefaults,
    'first-login':    'false',
    // the stand-in has no SSP: turn it off as startup-contract.md §0 describes, with every top-level key present (§9)
    'ui-performance': JSON.stringify({
      inactivity:                   { enabled: false, threshold: 900 },
      incrementalLoading:           { enabled: true, threshold: 1500 },
      manualRefresh:                { enabled: false, threshold: 1500 },
      disableWebsocketNotification: true,
      garbageCollection:            {
        enabled: false, enabledInterval: true, interval: 300, enabledOnNavigate: true, ageThreshold: 120, countThreshold: 500
      },
      forceNsFilterV2:  { enabled: false },
      advancedWorker:   { enabled: false },
      kubeAPI:          { warningHeader: { separator: '299 - ', notificationBlockList: ['299 - unknown field'] } },
      serverPagination: { useDefaultStores: false, stores: {}, resourceChangesDebounceMs: 4000 },
    }),
    // Rancher sets these from KDM at run time; the newest stable releases of the served lists
    'rke2-default-version':    RKE2_VERSION,
    'k3s-default-version':     K3S_VERSION,
    'system-default-registry': '',
    'server-version':          'v2.15.0',
  };
}

export function seed(store: Store): void {
  const t = (id: string) => {
    const def = typeById(id);

    if (!def) {
      throw new Error(`unknown type ${ id }`);
    }

    return def;
  };
  const data = loadData();

  store.clear();

  for (const name of ['default', 'kube-system', 'kube-public', 'cattle-system', 'cattle-global-data', 'fleet-default', 'fleet-local', 'local']) {
    store.put(t('namespace'), {
      metadata: { name, creationTimestamp: CREATED }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' }
    });
  }

  const values = settingValues();

  for (const s of data.settingDefaults) {
    store.put(t('management.cattle.io.setting'), {
      metadata:   { name: s.name, creationTimestamp: CREATED },
      value:      values[s.name] !== undefined ? values[s.name] : '',
      default:    s.default ?? data.exprDefaults[s.name] ?? '',
      source:     '',
      customized: false,
    });
  }

  for (const f of data.features) {
    store.put(t('management.cattle.io.feature'), {
      metadata: { name: f.name, creationTimestamp: CREATED },
      spec:     { value: null },
      status:   {
        default: f.default === 'true', dynamic: f.dynamic === 'true', lockedValue: null, description: f.description
      },
    });
  }

  for (const name of ['fleet-default', 'fleet-local']) {
    store.put(t('management.cattle.io.fleetworkspace'), { metadata: { name, creationTimestamp: CREATED }, status: {} });
  }
  for (const u of USERS) {
    store.put(t('management.cattle.io.user'), {
      metadata: { name: u.id, creationTimestamp: CREATED }, username: u.username, displayName: u.displayName, principalIds: [`local://${ u.id }`], mustChangePassword: false, enabled: true
    });
  }
  const nodeDriver = { ...data.nodeDriver.data };

  for (const k of ['id', 'type', 'links', 'actions']) {
    delete nodeDriver[k];
  }
  store.put(t('management.cattle.io.nodedriver'), nodeDriver);

  // local cluster (every Rancher has one)
  store.put(t('management.cattle.io.cluster'), mgmtCluster('local', 'local', 'k3s', K3S_VERSION, { spec: { internal: true, fleetWorkspaceName: 'fleet-local' }, driver: 'k3s' }));
  store.put(t('provisioning.cattle.io.cluster'), {
    apiVersion: 'provisioning.cattle.io/v1',
    kind:       'Cluster',
    metadata:   { name: 'local', namespace: 'fleet-local', creationTimestamp: CREATED, generation: 1, labels: { 'provider.cattle.io': 'k3s' } },
    spec:       { kubernetesVersion: K3S_VERSION, localClusterAuthEndpoint: {} },
    status:     {
      clusterName: 'local', clientSecretName: 'local-kubeconfig', fleetWorkspaceName: 'fleet-local', ready: true, observedGeneration: 1
    },
  });

  const prov = t('provisioning.cattle.io.cluster');
  const mgmt = t('management.cattle.io.cluster');
  const secret = t('secret');

  // 1. plain RKE2 custom cluster
  store.put(mgmt, mgmtCluster(SEED.rke2.mgmt, SEED.rke2.name, 'rke2', RKE2_VERSION));
  store.put(prov, provCluster(SEED.rke2.name, SEED.rke2.mgmt, RKE2_VERSION, { machineGlobalConfig: { cni: 'calico', 'disable-kube-proxy': false, 'etcd-expose-metrics': false } }));

  // 2. plain K3s custom cluster
  store.put(mgmt, mgmtCluster(SEED.k3s.mgmt, SEED.k3s.name, 'k3s', K3S_VERSION));
  store.put(prov, provCluster(SEED.k3s.name, SEED.k3s.mgmt, K3S_VERSION, { machineGlobalConfig: { 'disable-apiserver': false, 'etcd-expose-metrics': false } }));

  // 3. RKE2 with an inline policy (Rancher docs, method 1)
  store.put(mgmt, mgmtCluster(SEED.rke2Inline.mgmt, SEED.rke2Inline.name, 'rke2', RKE2_OLDER_VERSION));
  store.put(prov, provCluster(SEED.rke2Inline.name, SEED.rke2Inline.mgmt, RKE2_OLDER_VERSION, {
    machineGlobalConfig: {
      cni: 'calico', 'disable-kube-proxy': false, 'etcd-expose-metrics': false, 'audit-policy-file': policyText('rancher-docs-rke2-machineglobalconfig-example.yaml')
    }
  }));

  // 4. K3s with a policy from a Secret through machineSelectorFiles (Rancher docs, method 2)
  const k3sPolicy = policyText('k3s-hardening-guide-starter.yaml');

  store.put(secret, {
    apiVersion: 'v1',
    kind:       'Secret',
    type:       'Opaque',
    metadata:   {
      name: SEED.k3sSecret.secret, namespace: NS, creationTimestamp: CREATED, annotations: { [AUTHORIZED_ANNOTATION]: SEED.k3sSecret.name }
    },
    data: { [K3S_POLICY_KEY]: Buffer.from(k3sPolicy).toString('base64') },
  });
  store.put(mgmt, mgmtCluster(SEED.k3sSecret.mgmt, SEED.k3sSecret.name, 'k3s', K3S_VERSION));
  store.put(prov, provCluster(SEED.k3sSecret.name, SEED.k3sSecret.mgmt, K3S_VERSION, {
    machineGlobalConfig: {
      'disable-apiserver':   false,
      'etcd-expose-metrics': false,
      'kube-apiserver-arg':  [
        `audit-policy-file=${ K3S_POLICY_PATH }`,
        'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log',
        'audit-log-maxage=30',
        'audit-log-maxbackup=10',
        'audit-log-maxsize=100',
      ],
    },
    machineSelectorFiles: [{
      machineLabelSelector: { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } },
      fileSources:          [{ secret: { name: SEED.k3sSecret.secret, items: [{ key: K3S_POLICY_KEY, path: K3S_POLICY_PATH, hash: sha256Base64(k3sPolicy) }] } }],
    }],
  }));

  // 5. RKE1: a management cluster with rancherKubernetesEngineConfig, and the provisioning cluster Rancher wraps it in
  store.put(mgmt, {
    ...mgmtCluster(SEED.rke1.mgmt, SEED.rke1.displayName, 'rke', 'v1.27.16', {
      driver: 'rancherKubernetesEngine',
      spec:   {
        rancherKubernetesEngineConfig: {
          kubernetesVersion: 'v1.27.16-rancher1-1',
          services:          {
            kubeApi: {
              serviceNodePortRange: '30000-32767',
              auditLog:             {
                enabled:       true,
                configuration: {
                  maxAge: 30, maxBackup: 10, maxSize: 100, path: '/var/log/kube-audit/audit-log.json', format: 'json', policy: yaml.load(policyText('rancher-docs-rke1-custom-policy.yaml'))
                },
              },
            },
          },
        },
      },
    }),
  });
  store.put(prov, {
    apiVersion: 'provisioning.cattle.io/v1',
    kind:       'Cluster',
    metadata:   { name: SEED.rke1.name, namespace: NS, creationTimestamp: CREATED, generation: 1 },
    spec:       {},
    status:     {
      clusterName: SEED.rke1.mgmt, clientSecretName: `${ SEED.rke1.name }-kubeconfig`, fleetWorkspaceName: NS, ready: true, observedGeneration: 1
    },
  });
}
