/**
 * Roll-out (fleet/rollout.ts) on the generated fleet: the policy sources, the settings each cluster gets, the
 * shared object written once with every cluster authorized, per-cluster objects, what plan() refuses, and, as the
 * proof, the stand-in's emulation of Rancher's planner delivering the policy to every cluster once the pre-writes
 * and the cluster plans are applied (and the plan made again on the written state changing nothing more).
 */
import {
  AUTHORIZED_ANNOTATION, clusterRef, detectDistro, Distro, fileHash, findObject, KubeObject, objectText
} from '@pkg/delivery';
import { FleetWorld } from '@pkg/fleet';
import {
  clusterPlan, namespaceClusters, namespaceObjects, parseSourceKey, planRollout, policyBlockers, RolloutChoice, sourceKey, sourceText, targetSettings, waves
} from '@pkg/fleet/rollout';
import { Policy, policyToYaml, presetPolicy } from '@pkg/policy';
import { Obj } from '../../rancher/data';
import { planProvisioningCluster, planRke1Cluster } from '../../rancher/planner';
import {
  object, pageWorld, prov, rke1Id
} from './page-world';

const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const GKE = policyToYaml(presetPolicy('gke') as Policy);
const FIVE = ['fleet-0001', 'fleet-0002', 'fleet-0003', 'fleet-0004', 'fleet-0021'].map((n) => `fleet-default/${ n }`);
const choice = (over: Partial<RolloutChoice> = {}): RolloutChoice => ({
  source: { kind: 'preset', id: 'cis-minimal' }, method: 'secret', storage: 'shared', objectName: 'fleet-cis-audit-policy', log: {}, ...over
});

/** The world once the pre-writes and every cluster's plan are written (cluster fields and object changes, before and after). */
function applied(world: FleetWorld, keys: string[], c: RolloutChoice, text: string): FleetWorld {
  const p = planRollout(world, keys, c, text);
  const next: FleetWorld = JSON.parse(JSON.stringify(world));
  const put = (obj: KubeObject | null, kind: 'secret' | 'configmap', name: string) => {
    next.objects = next.objects.filter((o) => !(clusterRef(o).namespace === 'fleet-default' && findObject([o], kind, name)));
    if (obj) {
      next.objects.push(obj);
    }
  };

  p.prewrites.forEach((w) => put(w.after, w.kind, w.name));
  for (const cp of p.clusters) {
    cp.plan.objects.forEach((o) => put(o.after, o.kind, o.name));
    next.clusters = next.clusters.map((cl) => (cl.metadata.name === cp.plan.cluster.metadata.name && cl.apiVersion === cp.plan.cluster.apiVersion ? cp.plan.cluster : cl));
  }

  return next;
}

function nodePlan(world: FleetWorld, name: string): Obj {
  const lookup = (kind: string) => (ns: string, n: string) => world.objects.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === n);

  return planProvisioningCluster(prov(world, name), { secret: lookup('Secret'), configMap: lookup('ConfigMap') });
}

const controlPlane = (plan: Obj) => plan.nodes.find((n: Obj) => n.roles.includes('controlplane'));

describe('sourceText', () => {
  const world = pageWorld();

  it.each([
    ['a preset', { kind: 'preset' as const, id: 'gke' }, { ok: true, text: GKE }],
    ['an unknown preset', { kind: 'preset' as const, id: 'nope' }, { ok: false, reason: 'unknown-preset' }],
    ['a shared key', { kind: 'shared' as const, policy: { namespace: 'fleet-default', kind: 'secret' as const, name: 'fleet-shared-audit-policy-2', key: 'audit-policy.yaml' } }, { ok: true, text: GKE }],
    ['a key that is gone', { kind: 'shared' as const, policy: { namespace: 'fleet-default', kind: 'secret' as const, name: 'gone', key: 'audit-policy.yaml' } }, { ok: false, reason: 'missing-object' }],
    ['a cluster with an inline policy', { kind: 'cluster' as const, key: 'fleet-default/fleet-0006' }, { ok: true, text: CIS }],
    ['a cluster with audit off', { kind: 'cluster' as const, key: 'fleet-default/fleet-0001' }, { ok: false, reason: 'no-policy' }],
    ['an RKE1 cluster', { kind: 'cluster' as const, key: `rke1/${ rke1Id(world, 'fleet-0015') }` }, { ok: true }],
    ['a cluster that is not there', { kind: 'cluster' as const, key: 'fleet-default/nope' }, { ok: false, reason: 'no-policy' }],
  ])('%s', (_what, source, want) => {
    expect(sourceText(source, world)).toMatchObject(want);
  });

  it('policyBlockers: lint errors only', () => {
    expect(policyBlockers(CIS)).toEqual([]);
    expect(policyBlockers('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Request\n').map((f) => f.id)).toContain('sensitive-body');
  });
});

describe('targetSettings', () => {
  const world = pageWorld();
  const settings = (name: string, c: RolloutChoice) => targetSettings(prov(world, name), world.objects, detectDistro(prov(world, name)) as Distro, c, CIS);

  it.each([
    ['shared Secret', 'fleet-0001', choice(), { method: 'secret', file: { name: 'fleet-cis-audit-policy', key: 'audit-policy.yaml', path: '/etc/rancher/rke2/audit-policy.yaml', hash: true } }],
    ['per-cluster ConfigMap on K3s', 'fleet-0002', choice({ method: 'configmap', storage: 'per-cluster' }), { method: 'configmap', file: { name: 'fleet-0002-audit-policy', key: 'audit-policy.yaml', path: '/var/lib/rancher/k3s/server/audit.yaml' } }],
    ['inline', 'fleet-0003', choice({ method: 'inline' }), { method: 'inline', enabled: true, policyYaml: CIS }],
    ['a shared source uses its own object and key', 'fleet-0001', choice({ source: { kind: 'shared', policy: { namespace: 'fleet-default', kind: 'configmap', name: 'cm', key: 'k' } } }), { method: 'configmap', file: { name: 'cm', key: 'k' } }],
    ['log values chosen replace the cluster\'s; empty ones keep them', 'fleet-0016', choice({ log: { maxAge: '90', maxBackup: '' } }), { external: undefined, log: { maxAge: '90', maxBackup: '5', path: '/var/log/kube-audit/audit.log' } }],
    ['an own Secret keeps its key', 'fleet-0019', choice({ storage: 'per-cluster' }), { file: { name: 'fleet-0019-audit-policy', key: 'audit-policy.yaml' } }],
  ])('%s', (_what, name, c, want) => {
    expect(settings(name, c)).toMatchObject(want);
  });

  it('an RKE1 cluster gets its block, whatever the method', () => {
    const mgmt = world.clusters.find((c) => c.metadata.name === rke1Id(world, 'fleet-0015')) as KubeObject;

    expect(targetSettings(mgmt, [], 'rke1', choice({ method: 'inline' }), GKE)).toMatchObject({ method: 'rke1', enabled: true, policyYaml: GKE });
  });
});

describe('planRollout', () => {
  it('CIS to five clusters through one new shared Secret: written once, authorizing all five, before any cluster', () => {
    const world = pageWorld();
    const p = planRollout(world, FIVE, choice(), CIS);

    expect(p.blocked).toEqual([]);
    expect(p.prewrites).toHaveLength(1);
    expect(p.prewrites[0]).toMatchObject({
      action: 'create', phase: 'before', kind: 'secret', name: 'fleet-cis-audit-policy', before: null
    });
    expect(p.prewrites[0].after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe('fleet-0001,fleet-0002,fleet-0003,fleet-0004,fleet-0021');
    expect(objectText(p.prewrites[0].after as KubeObject, 'secret', 'audit-policy.yaml')).toBe(CIS);
    expect(p.clusters.map((c) => [c.key, c.objectChanges.length, c.authorizedBy, c.plan.clusterPaths.length > 0])).toEqual(FIVE.map((k) => [k, 0, 'Secret fleet-default/fleet-cis-audit-policy', true]));
    expect(p.clusters[0].after).toContain('audit-policy-file=/etc/rancher/rke2/audit-policy.yaml');
    expect(p.clusters[1].after).toContain('audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml');
  });

  it('once written, planning each cluster again changes nothing more, and the planner delivers CIS to all five', () => {
    const world = applied(pageWorld(), FIVE, choice(), CIS);

    for (const key of FIVE) {
      const name = key.split('/')[1];
      const again = clusterPlan(prov(world, name), namespaceObjects(world, 'fleet-default'), namespaceClusters(world, 'fleet-default'), choice(), CIS).plan;

      expect([name, again.noop, again.errors]).toEqual([name, true, []]);
      const node = controlPlane(nodePlan(world, name));

      expect([name, node.error, node.policy?.delivered, node.policy?.loadable]).toEqual([name, undefined, true, true]);
      expect(node.files.find((f: Obj) => f.path === node.policy.path).content).toBe(CIS);
    }
  });

  it('per-cluster Secrets: each cluster creates its own, no pre-write', () => {
    const p = planRollout(pageWorld(), FIVE.slice(0, 2), choice({ storage: 'per-cluster' }), GKE);

    expect(p.prewrites).toEqual([]);
    expect(p.clusters.map((c) => c.objectChanges.map((o) => `${ o.action } ${ o.name } ${ o.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION] }`))).toEqual([
      ['create fleet-0001-audit-policy fleet-0001'], ['create fleet-0002-audit-policy fleet-0002'],
    ]);
    expect(p.clusters.every((c) => c.authorizedBy === null)).toBe(true);
  });

  it('inline is refused for K3s by plan(), and the roll-out is blocked on that cluster only', () => {
    const p = planRollout(pageWorld(), FIVE, choice({ method: 'inline' }), CIS);

    expect(p.blocked).toEqual(['fleet-default/fleet-0002', 'fleet-default/fleet-0004', 'fleet-default/fleet-0021']);
    expect(p.clusters.find((c) => c.key === 'fleet-default/fleet-0002')?.plan.errors[0].message).toMatch(/K3s has no audit-policy-file option/);
  });

  it('a shared source: the extension\'s Secret gets the new readers added, its text untouched', () => {
    const world = pageWorld();
    const source = { kind: 'shared' as const, policy: { namespace: 'fleet-default', kind: 'secret' as const, name: 'fleet-shared-audit-policy-2', key: 'audit-policy.yaml' } };
    const p = planRollout(world, FIVE.slice(0, 2), choice({ source }), GKE);

    expect(p.blocked).toEqual([]);
    expect(p.prewrites.map((w) => [w.action, w.name, w.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]])).toEqual([
      ['update', 'fleet-shared-audit-policy-2', 'fleet-0012,fleet-0029,fleet-0030,fleet-0001,fleet-0002'],
    ]);
    expect(p.prewrites[0].after?.data).toEqual(object(world, 'Secret', 'fleet-shared-audit-policy-2')?.data);
  });

  it('another policy into a key other clusters read is refused (the tab\'s rule): edit the shared policy instead', () => {
    const source = { kind: 'shared' as const, policy: { namespace: 'fleet-default', kind: 'secret' as const, name: 'fleet-shared-audit-policy-2', key: 'audit-policy.yaml' } };
    const p = planRollout(pageWorld(), FIVE.slice(0, 1), choice({ source }), CIS);

    expect(p.blocked).toEqual(['fleet-default/fleet-0001']);
    expect(p.clusters[0].plan.errors[0].message).toMatch(/is used by 3 clusters/);
  });

  it('a cluster moving off its own Secret releases it after its save (deleted: made by the extension, no one else reads it)', () => {
    const p = planRollout(pageWorld(), ['fleet-default/fleet-0019'], choice(), CIS);

    expect(p.clusters[0].objectChanges.map((o) => [o.phase, o.action, o.name])).toEqual([['after', 'delete', 'fleet-0019-audit-policy']]);
  });

  it('RKE1 clusters get their block; the planner emulation writes the policy', () => {
    const world = pageWorld();
    const id = rke1Id(world, 'fleet-0035');
    const p = planRollout(world, [`rke1/${ id }`], choice(), GKE);

    expect(p.prewrites).toEqual([]);
    expect(p.clusters[0]).toMatchObject({ name: 'fleet-0035', distro: 'rke1', authorizedBy: null });
    expect(p.clusters[0].plan.clusterPaths).toEqual(['spec.rancherKubernetesEngineConfig.services.kubeApi.auditLog']);
    const node = controlPlane(planRke1Cluster(p.clusters[0].plan.cluster));

    expect(node.policy).toMatchObject({ delivered: true, loadable: true });
  });

  it('the log values chosen reach kube-apiserver', () => {
    const world = applied(pageWorld(), FIVE.slice(0, 1), choice({ log: { maxAge: '90', maxBackup: '20', maxSize: '200' } }), CIS);

    expect(controlPlane(nodePlan(world, 'fleet-0001')).kubeApiserver.effective).toMatchObject({ 'audit-log-maxage': '90', 'audit-log-maxbackup': '20', 'audit-log-maxsize': '200' });
  });

  it('a hash on every new item: the planner checks the file it delivers', () => {
    const p = planRollout(pageWorld(), FIVE.slice(0, 1), choice(), CIS);

    expect(p.clusters[0].after).toContain(fileHash(CIS));
  });
});

describe('waves', () => {
  it.each([
    [['a', 'b', 'c', 'd', 'e'], 2, [['a', 'b'], ['c', 'd', 'e']]],
    [['a', 'b'], 5, [['a', 'b']]],
    [['a', 'b'], 0, [['a'], ['b']]],
    [[], 2, []],
  ])('%j, first %i', (keys, first, want) => {
    expect(waves(keys, first)).toEqual(want);
  });
});

describe('sourceKey / parseSourceKey', () => {
  it.each([
    [{ kind: 'preset', id: 'cis-minimal' }, 'preset:cis-minimal'],
    [{ kind: 'cluster', key: 'fleet-default/c1' }, 'cluster:fleet-default/c1'],
    [{ kind: 'cluster', key: 'rke1/c-abcde' }, 'cluster:rke1/c-abcde'],
    [{
      kind:   'shared', policy: {
        namespace: 'fleet-default', kind: 'secret', name: 's', key: 'audit-policy.yaml'
      }
    }, 'shared:fleet-default/secret/s/audit-policy.yaml'],
    [{
      kind:   'shared', policy: {
        namespace: 'ns', kind: 'configmap', name: 'cm', key: 'a/b'
      }
    }, 'shared:ns/configmap/cm/a/b'],
  ] as const)('%j <-> %s', (source, key) => {
    expect(sourceKey(source)).toBe(key);
    expect(parseSourceKey(key)).toEqual(source);
  });

  it.each(['', 'preset:', 'nothing', 'shared:ns/pod/x/k', 'shared:ns/secret/x', 'other:x'])('refuses %j', (value) => {
    expect(parseSourceKey(value)).toBeNull();
  });
});
