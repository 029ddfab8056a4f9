/**
 * Cluster fixtures for delivery tests, built from real Rancher data in tests/fixtures/rancher (the dashboard's
 * own RKE2 edit-page test cluster) with versions from the real KDM release lists.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { clone } from '../../pkg/cluster-audit-log/delivery/cluster';
import type { KubeObject, Plan } from '../../pkg/cluster-audit-log/delivery';

const FIXTURES = join(__dirname, '../fixtures/rancher');

/** Newest stable versions in tests/fixtures/rancher's KDM lists (rke2-releases.json, k3s-releases.json). */
export const RKE2_VERSION = 'v1.36.2+rke2r1';
export const K3S_VERSION = 'v1.36.2+k3s1';

/** The dashboard's RKE2 test cluster (shell/edit/provisioning.cattle.io.cluster/__tests__/utils/cluster.ts). */
export function rke2Cluster(name = 'test-args'): KubeObject {
  const cluster = JSON.parse(readFileSync(join(FIXTURES, 'rke2-edit-test-cluster-and-version.json'), 'utf8')).data.PROV_CLUSTER as KubeObject;

  cluster.metadata.name = name;
  cluster.id = `fleet-default/${ name }`;
  (cluster.spec as Record<string, unknown>).kubernetesVersion = RKE2_VERSION;

  return cluster;
}

/** The same cluster as a K3s custom cluster. */
export function k3sCluster(name = 'k3s-one'): KubeObject {
  const cluster = rke2Cluster(name);
  const spec = cluster.spec as { kubernetesVersion: string, rkeConfig: { machineGlobalConfig: Record<string, unknown> } };

  spec.kubernetesVersion = K3S_VERSION;
  spec.rkeConfig.machineGlobalConfig = { 'disable-apiserver': false, 'etcd-expose-metrics': false };

  return cluster;
}

/** An RKE1 management cluster (management.cattle.io/v3) with the given auditLog block. */
export function rke1Cluster(auditLog?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'management.cattle.io/v3',
    kind:       'Cluster',
    type:       'management.cattle.io.cluster',
    metadata:   { name: 'c-r1abc' },
    spec:       {
      displayName:                   'legacy-rke1',
      rancherKubernetesEngineConfig: { kubernetesVersion: 'v1.27.16-rancher1-1', services: { kubeApi: auditLog ? { auditLog } : { serviceNodePortRange: '30000-32767' } } },
    },
  };
}

/** An unrelated machineSelectorFiles entry (like Rancher's own PSA config file) that must survive every plan. */
export const PSA_ENTRY = {
  machineLabelSelector: { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } },
  fileSources:          [{ configMap: { name: 'rancher-psact-config', items: [{ key: 'rancher-psact.yaml', path: '/etc/rancher/rke2/config/rancher-psact.yaml', permissions: '0600' }] } }],
};

/** A Secret as the steve API returns it. */
export function secret(name: string, data: Record<string, string>, annotations: Record<string, string> = {}, labels: Record<string, string> = {}): KubeObject {
  return {
    id:         `fleet-default/${ name }`, type:       'secret', apiVersion: 'v1', kind:       'Secret', metadata:   {
      name, namespace: 'fleet-default', annotations, labels, resourceVersion: '100'
    }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))
  };
}

/** Applies a plan the way apply.ts does: the objects it writes (created, updated, deleted), then the cluster. */
export function applyPlan(p: Plan, objects: KubeObject[]): { cluster: KubeObject, objects: KubeObject[] } {
  let store = clone(objects);

  for (const change of p.objects) {
    store = store.filter((o) => !(o.metadata.name === change.name && (o.kind || '').toLowerCase() === change.kind));
    if (change.after) {
      store.push(clone(change.after));
    }
  }

  return { cluster: clone(p.cluster), objects: store };
}
