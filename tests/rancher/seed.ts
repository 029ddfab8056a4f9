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
import { TypeDef, typeById, USERS } from './types';

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

/**
 * Clusters whose Secrets/ConfigMaps other clusters (or other files) depend on: the browser suite's "no
 * neighbour ever breaks" scenarios (tests/e2e/neighbours.e2e.ts). All in fleet-default.
 * - twoFiles: K3s hardened per the K3s CIS guide; its policy Secret (made by this extension) also delivers
 *   the Pod Security admission config (same item list) and the kubelet sysctl file (every node).
 * - sharedA / sharedB read their policy from `shared`, a Secret made by hand; auditOff has no audit settings.
 * - external: RKE2 whose audit-policy-file arg names a file put on the nodes some other way.
 * - spaced: RKE2 whose policy Secret lists it as " spaced" (a space before the name: not authorized);
 *   `other` reads the same Secret and is authorized.
 * - commented: K3s reading a hand-made ConfigMap whose policy has comments; its item has permissions "0644"
 *   and its args are in the order they were typed.
 */
export const NEIGHBOURS = {
  twoFiles:  { name: 'k3s-hardened', mgmt: 'c-m-h4rd3n2k', secret: 'k3s-hardened-audit-policy' },
  sharedA:   { name: 'rke2-team-a', mgmt: 'c-m-t3ama8q2' },
  sharedB:   { name: 'k3s-team-b', mgmt: 'c-m-t3amb5w7' },
  shared:    { secret: 'shared-audit-policy', key: 'audit-policy.yaml' },
  auditOff:  { name: 'rke2-team-c', mgmt: 'c-m-t3amc1x4' },
  external:  { name: 'rke2-external-policy', mgmt: 'c-m-3xt9p0l6', policyPath: '/etc/custom/policy.yaml' },
  spaced:    { name: 'rke2-spaced-entry', mgmt: 'c-m-5pac3d7r', secret: 'platform-audit-policy', key: 'audit-policy' },
  other:     { name: 'other-cluster', mgmt: 'c-m-0th3r4cl' },
  commented: { name: 'k3s-commented-policy', mgmt: 'c-m-c0mm3n7s', configMap: 'k3s-audit-policy-cm', key: 'audit-policy.yaml' },
} as const;

/** RKE2's default policy path for a file delivered by machineSelectorFiles (the extension's default too). */
export const RKE2_POLICY_PATH = '/etc/rancher/rke2/audit-policy.yaml';

/**
 * k3s-io/docs@035acb07eecd22cec26391cffc047d6d495348ea docs/security/hardening-guide.md: the kernel parameters
 * file ("Set kernel parameters") and the Pod Security admission config (v1.25 and newer) it asks for.
 */
export const K3S_SYSCTL_PATH = '/etc/sysctl.d/90-kubelet.conf';
export const K3S_SYSCTL = 'vm.panic_on_oom=0\nvm.overcommit_memory=1\nkernel.panic=10\nkernel.panic_on_oops=1\n';
export const K3S_PSA_PATH = '/var/lib/rancher/k3s/server/psa.yaml';
export const K3S_PSA = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1beta1
    kind: PodSecurityConfiguration
    defaults:
      enforce: "restricted"
      enforce-version: "latest"
      audit: "restricted"
      audit-version: "latest"
      warn: "restricted"
      warn-version: "latest"
    exemptions:
      usernames: []
      runtimeClasses: []
      namespaces: [kube-system, compliance-operator-system]
`;

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

  seedNeighbours(store, { prov, mgmt, secret, configMap: t('configmap') });

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

const CONTROL_PLANE = { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } };
const RKE2_GLOBAL = { cni: 'calico', 'disable-kube-proxy': false, 'etcd-expose-metrics': false };
const K3S_GLOBAL = { 'disable-apiserver': false, 'etcd-expose-metrics': false };
const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** A file item of machineSelectorFiles with the hash Rancher checks (base64 of the SHA-256 of the data). */
function item(key: string, path: string, content: string, extra: Obj = {}): Obj {
  return {
    key, path, hash: sha256Base64(content), ...extra
  };
}

/** The objects of NEIGHBOURS (see there). */
function seedNeighbours(store: Store, types: { prov: TypeDef, mgmt: TypeDef, secret: TypeDef, configMap: TypeDef }): void {
  const { prov, mgmt, secret, configMap } = types;
  const N = NEIGHBOURS;
  const cluster = (c: { name: string, mgmt: string }, version: string, rkeConfig: Obj) => {
    store.put(mgmt, mgmtCluster(c.mgmt, c.name, runtime(version), version));
    store.put(prov, provCluster(c.name, c.mgmt, version, rkeConfig));
  };
  const k3sPolicy = policyText('k3s-hardening-guide-starter.yaml');
  const docsPolicy = policyText('rancher-docs-secret-metadata.yaml');

  // (a) K3s hardened as the K3s CIS guide says; one Secret, made by this extension, delivers three files
  store.put(secret, {
    apiVersion: 'v1',
    kind:       'Secret',
    type:       'Opaque',
    metadata:   {
      name: N.twoFiles.secret, namespace: NS, creationTimestamp: CREATED, labels: { 'app.kubernetes.io/managed-by': 'cluster-audit-log' }, annotations: { [AUTHORIZED_ANNOTATION]: N.twoFiles.name }
    },
    data: { 'audit-policy.yaml': base64(k3sPolicy), 'psa.yaml': base64(K3S_PSA), '90-kubelet.conf': base64(K3S_SYSCTL) },
  });
  cluster(N.twoFiles, K3S_VERSION, {
    machineGlobalConfig: {
      ...K3S_GLOBAL,
      'secrets-encryption': true,
      'kube-apiserver-arg': [
        `admission-control-config-file=${ K3S_PSA_PATH }`,
        'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log',
        `audit-policy-file=${ K3S_POLICY_PATH }`,
        'audit-log-maxage=30',
        'audit-log-maxbackup=10',
        'audit-log-maxsize=100',
        'service-account-extend-token-expiration=false',
      ],
      'kube-controller-manager-arg': ['terminated-pod-gc-threshold=100'],
      'kubelet-arg':                 ['streaming-connection-idle-timeout=5m'],
    },
    machineSelectorConfig: [{ config: { 'protect-kernel-defaults': true } }],
    machineSelectorFiles:  [
      {
        machineLabelSelector: CONTROL_PLANE,
        fileSources:          [{ secret: { name: N.twoFiles.secret, items: [item('audit-policy.yaml', K3S_POLICY_PATH, k3sPolicy), item('psa.yaml', K3S_PSA_PATH, K3S_PSA)] } }],
      },
      { fileSources: [{ secret: { name: N.twoFiles.secret, items: [item('90-kubelet.conf', K3S_SYSCTL_PATH, K3S_SYSCTL)] } }] },
    ],
  });

  // (b) a hand-made Secret (Rancher docs, method 2) two clusters read their policy from; a third with audit off
  store.put(secret, {
    apiVersion: 'v1',
    kind:       'Secret',
    type:       'Opaque',
    metadata:   {
      name: N.shared.secret, namespace: NS, creationTimestamp: CREATED, annotations: { [AUTHORIZED_ANNOTATION]: `${ N.sharedA.name },${ N.sharedB.name }` }
    },
    data: { [N.shared.key]: base64(docsPolicy) },
  });
  cluster(N.sharedA, RKE2_VERSION, {
    machineGlobalConfig: {
      ...RKE2_GLOBAL,
      'kube-apiserver-arg': [`audit-policy-file=${ RKE2_POLICY_PATH }`, 'audit-log-path=/var/lib/rancher/rke2/server/logs/audit.log', 'audit-log-maxage=30', 'audit-log-maxbackup=10', 'audit-log-maxsize=100'],
    },
    machineSelectorFiles: [{ machineLabelSelector: CONTROL_PLANE, fileSources: [{ secret: { name: N.shared.secret, items: [item(N.shared.key, RKE2_POLICY_PATH, docsPolicy)] } }] }],
  });
  cluster(N.sharedB, K3S_VERSION, {
    machineGlobalConfig: {
      ...K3S_GLOBAL,
      'kube-apiserver-arg': [`audit-policy-file=${ K3S_POLICY_PATH }`, 'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log', 'audit-log-maxage=30', 'audit-log-maxbackup=10', 'audit-log-maxsize=100'],
    },
    machineSelectorFiles: [{ machineLabelSelector: CONTROL_PLANE, fileSources: [{ secret: { name: N.shared.secret, items: [item(N.shared.key, K3S_POLICY_PATH, docsPolicy)] } }] }],
  });
  cluster(N.auditOff, RKE2_OLDER_VERSION, { machineGlobalConfig: { ...RKE2_GLOBAL } });

  // (c) the policy file is put on the nodes by other means (e.g. the machines' cloud-init): only args name it
  cluster(N.external, RKE2_VERSION, {
    machineGlobalConfig: {
      ...RKE2_GLOBAL,
      'kube-apiserver-arg': [
        'audit-log-path=/var/log/kube-audit/audit.log',
        `audit-policy-file=${ N.external.policyPath }`,
        'audit-log-maxage=7',
        'service-account-extend-token-expiration=false',
        'audit-log-maxbackup=5',
      ],
    },
  });

  // (d) "other-cluster, rke2-spaced-entry": Rancher splits on "," and compares exactly, so only other-cluster gets it
  store.put(secret, {
    apiVersion: 'v1',
    kind:       'Secret',
    type:       'Opaque',
    metadata:   {
      name: N.spaced.secret, namespace: NS, creationTimestamp: CREATED, annotations: { [AUTHORIZED_ANNOTATION]: `${ N.other.name }, ${ N.spaced.name }` }
    },
    data: { [N.spaced.key]: base64(docsPolicy) },
  });
  for (const c of [N.other, N.spaced]) {
    cluster(c, RKE2_VERSION, {
      machineGlobalConfig: {
        ...RKE2_GLOBAL,
        'kube-apiserver-arg': [`audit-policy-file=${ RKE2_POLICY_PATH }`, 'audit-log-path=/var/lib/rancher/rke2/server/logs/audit.log', 'audit-log-maxage=30', 'audit-log-maxbackup=10', 'audit-log-maxsize=100'],
      },
      machineSelectorFiles: [{ machineLabelSelector: CONTROL_PLANE, fileSources: [{ secret: { name: N.spaced.secret, items: [item(N.spaced.key, RKE2_POLICY_PATH, docsPolicy)] } }] }],
    });
  }

  // (e) a hand-made ConfigMap holding a commented policy; the item's permissions and the args' order as typed
  const commented = policyText('rancher-docs-rke1-custom-policy.yaml');

  store.put(configMap, {
    apiVersion: 'v1',
    kind:       'ConfigMap',
    metadata:   {
      name: N.commented.configMap, namespace: NS, creationTimestamp: CREATED, annotations: { [AUTHORIZED_ANNOTATION]: N.commented.name }
    },
    data: { [N.commented.key]: commented },
  });
  cluster(N.commented, K3S_VERSION, {
    machineGlobalConfig: {
      ...K3S_GLOBAL,
      'kube-apiserver-arg': [
        'audit-log-maxage=30',
        `audit-policy-file=${ K3S_POLICY_PATH }`,
        'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log',
        'audit-log-maxbackup=10',
        'audit-log-maxsize=100',
      ],
    },
    machineSelectorFiles: [{
      machineLabelSelector: CONTROL_PLANE,
      fileSources:          [{ configMap: { name: N.commented.configMap, items: [item(N.commented.key, K3S_POLICY_PATH, commented, { permissions: '0644' })] } }],
    }],
  });
}

function runtime(version: string): 'rke2' | 'k3s' {
  return version.includes('k3s') ? 'k3s' : 'rke2';
}
