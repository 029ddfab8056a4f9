/**
 * The generated fleet (tests/rancher/fleet-seed.ts) and the fleet status on it: the mix of 500 clusters comes out
 * as planned, each distinct policy is linted once, the clusters the status marks with an error are exactly those
 * whose plan the stand-in's emulation of Rancher's planner refuses, and `--fleet` adds to the default seed.
 */
import { fleetStatus, FleetWorld, PolicyVerdicts } from '@pkg/fleet';
import { loadData, Obj, stableReleases } from '../../rancher/data';
import { FLEET_MIX, fleetWorld, seedFleet } from '../../rancher/fleet-seed';
import { planProvisioningCluster, planRke1Cluster } from '../../rancher/planner';
import { seed, SEED } from '../../rancher/seed';
import { Store } from '../../rancher/store';
import { typeById, TypeDef } from '../../rancher/types';

const fleet = fleetWorld(500, { secrets: 500 });
const world = { clusters: fleet.clusters, objects: [...fleet.secrets, ...fleet.configMaps] } as FleetWorld;
const verdicts = new PolicyVerdicts();
const status = fleetStatus(world, verdicts);

function count<T>(items: T[], key: (item: T) => string[]): Record<string, number> {
  const out: Record<string, number> = {};

  items.flatMap(key).forEach((k) => {
    out[k] = (out[k] || 0) + 1;
  });

  return out;
}

describe('the generated fleet of 500', () => {
  it('is the mix asked for, 20 clusters to a block', () => {
    expect(FLEET_MIX).toHaveLength(20);
    expect(status.clusters).toHaveLength(500);
    expect(count(status.clusters, (c) => [`${ c.distro } ${ c.method ?? 'off' }`])).toEqual({
      'rke2 off': 50, 'k3s off': 50, 'rke2 inline': 100, 'rke2 secret': 100, 'k3s secret': 100, 'rke2 configmap': 25, 'k3s configmap': 25, 'rke1 rke1': 25, 'rke2 external': 12, 'k3s external': 13,
    });
  });

  it('has the problems of the mix, one kind per 20 clusters', () => {
    expect(count(status.clusters, (c) => c.problems.map((p) => `${ p.severity } ${ p.id }`))).toEqual({
      'error not-authorized': 25, 'error stale-hash': 25, 'warning external-policy': 25, 'warning rotation-below-cis': 25,
    });
  });

  it('has 500 Secrets: 5 shared by 20, one per broken-annotation, stale-hash and own-Secret cluster, then kubeconfigs', () => {
    const readers = count(status.clusters.filter((c) => c.object?.kind === 'secret'), (c) => [c.object?.name.startsWith('fleet-shared-') ? 'shared' : 'own']);

    expect(fleet.secrets).toHaveLength(500);
    expect(fleet.configMaps).toHaveLength(50);
    expect(readers).toEqual({ shared: 100, own: 100 });
    expect(new Set(status.clusters.filter((c) => c.object?.name.startsWith('fleet-shared-')).map((c) => c.object?.name)).size).toBe(5);
    expect(fleet.secrets.filter((s) => s.metadata.name.endsWith('-kubeconfig'))).toHaveLength(395);
  });

  it('the policies table: 155 keys, the broken annotations and the hand-made objects flagged', () => {
    expect(status.policies).toHaveLength(155);
    expect(count(status.policies, (p) => p.problems.map((q) => q.id))).toEqual({ 'used-not-authorized': 25, 'spaced-entry': 25, 'foreign-origin': 75 });
    expect(status.policies.filter((p) => p.consumers.length === 20)).toHaveLength(5);
  });

  it('names the presets, groups the rest, and lints each distinct policy once', () => {
    // cis-minimal: 50 inline + 60 in the 3 CIS shared Secrets + 50 own + 25 stale; gke: the 2 GKE shared Secrets;
    // rke1-default: 25 broken annotations (Rancher docs Secret) + 12 RKE1 without a policy;
    // other: 50 inline (Rancher docs example) + 50 ConfigMaps and 13 RKE1 (Rancher docs RKE1 example)
    expect(count(status.clusters.filter((c) => c.fingerprint), (c) => [c.preset ?? 'other'])).toEqual({
      'cis-minimal': 185, gke: 40, 'rke1-default': 37, other: 113,
    });
    expect(verdicts.lintRuns).toBe(new Set([...status.clusters, ...status.policies].map((r) => r.fingerprint).filter((f) => f)).size);
    expect(verdicts.lintRuns).toBe(5);
  });

  it('uses every stable release of the real KDM lists', () => {
    const versions = new Set(fleet.clusters.map((c: Obj) => c.spec?.kubernetesVersion).filter((v) => v));
    const data = loadData();

    expect(versions).toEqual(new Set([...stableReleases(data.rke2Releases), ...stableReleases(data.k3sReleases)].map((r) => r.id)));
  });

  it('is deterministic', () => {
    expect(fleetWorld(40)).toEqual(fleetWorld(40));
  });
});

describe('errors agree with the node-plan emulation', () => {
  it('a cluster has an error problem exactly when the planner emulation refuses its plan', () => {
    const find = (kind: string) => (namespace: string, name: string) => world.objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
    const lookup = { secret: find('Secret'), configMap: find('ConfigMap') };
    const refused = new Set<string>();

    for (const c of fleet.clusters) {
      const plan = c.apiVersion.startsWith('management.') ? (c.spec.rancherKubernetesEngineConfig ? planRke1Cluster(c) : null) : c.spec.rkeConfig && planProvisioningCluster(c, lookup);

      if (plan?.error) {
        refused.add(c.metadata.name);
      }
    }
    const failing = status.clusters.filter((c) => c.problems.some((p) => p.severity === 'error')).map((c) => c.name);

    expect(failing).toHaveLength(50);
    expect(new Set(failing)).toEqual(refused);
  });
});

describe('the stand-in with --fleet', () => {
  it('adds the fleet next to the default seed', () => {
    const store = new Store();
    const t = (id: string) => typeById(id) as TypeDef;

    seed(store);
    const before = store.list(t('provisioning.cattle.io.cluster')).length;
    const added = seedFleet(store, 40);
    const names = store.list(t('provisioning.cattle.io.cluster')).map((c) => c.metadata.name);

    expect(names).toHaveLength(before + added.clusters.filter((c) => c.apiVersion.startsWith('provisioning.')).length);
    expect(names).toEqual(expect.arrayContaining([SEED.rke2.name, SEED.k3sSecret.name, 'fleet-0001', 'fleet-0040']));
    expect(store.list(t('secret'), 'fleet-default').map((s) => s.metadata.name)).toEqual(expect.arrayContaining([SEED.k3sSecret.secret, 'fleet-shared-audit-policy-1', 'fleet-0017-audit-policy']));
  });
});
