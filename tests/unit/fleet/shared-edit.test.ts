/**
 * Editing a shared policy once (fleet/shared-edit.ts) on the generated fleet: the key gets the text, every
 * consumer's hash follows, what blocks the edit, and the stand-in's planner emulation delivering the new file to
 * every consumer once the object and the clusters are written.
 */
import {
  AUTHORIZED_ANNOTATION, clusterRef, fileHash, findObject, KubeObject, objectText
} from '@pkg/delivery';
import { FleetWorld } from '@pkg/fleet';
import { planSharedEdit, PolicyRef, rehashCluster } from '@pkg/fleet/shared-edit';
import { Policy, policyToYaml, presetPolicy } from '@pkg/policy';
import { Obj } from '../../rancher/data';
import { planProvisioningCluster } from '../../rancher/planner';
import { object, pageWorld, prov } from './page-world';

const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const GKE = policyToYaml(presetPolicy('gke') as Policy);
const SHARED: PolicyRef = {
  namespace: 'fleet-default', kind: 'secret', name: 'fleet-shared-audit-policy-1', key: 'audit-policy.yaml'
};
const READERS = ['fleet-0009', 'fleet-0010', 'fleet-0011'];
const EDITED = `${ CIS.trimEnd() }\n  - level: None\n    users: ["system:kube-proxy"]\n`;

function nodePlan(world: FleetWorld, name: string): Obj {
  const lookup = (kind: string) => (ns: string, n: string) => world.objects.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === n);

  return planProvisioningCluster(prov(world, name), { secret: lookup('Secret'), configMap: lookup('ConfigMap') });
}

const items = (c: KubeObject): Obj[] => ((c.spec as Obj).rkeConfig.machineSelectorFiles as Obj[]).flatMap((e) => e.fileSources.flatMap((s: Obj) => (s.secret || s.configMap).items));

describe('planSharedEdit', () => {
  it('lists every consumer and updates the key only (annotation, labels and other keys kept)', () => {
    const world = pageWorld();
    const p = planSharedEdit(world, SHARED, GKE);
    const before = object(world, 'Secret', SHARED.name) as KubeObject;

    expect(p.blocks).toEqual([]);
    expect(p.consumers).toEqual(READERS.map((c) => ({
      key: `fleet-default/${ c }`, cluster: c, paths: [c === 'fleet-0010' ? '/var/lib/rancher/k3s/server/audit.yaml' : '/etc/rancher/rke2/audit-policy.yaml'], hashed: 1
    })));
    expect(p.object).toMatchObject({
      action: 'update', phase: 'before', kind: 'secret', name: SHARED.name, before
    });
    expect(objectText(p.object?.after as KubeObject, 'secret', SHARED.key)).toBe(GKE);
    expect(p.object?.after?.metadata).toEqual(before.metadata);
  });

  it('the same text: nothing to write', () => {
    expect(planSharedEdit(pageWorld(), SHARED, CIS).object).toBeNull();
  });

  it.each([
    ['a key kube-apiserver would log Secret bodies with', () => pageWorld(), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n', ['lint-errors']],
    ['text that is not a policy', () => pageWorld(), 'rules: [', ['lint-errors']],
    ['an object that is gone', () => {
      const w = pageWorld();

      w.objects = w.objects.filter((o) => o.metadata.name !== SHARED.name);

      return w;
    }, GKE, ['missing-object']],
    ['an immutable Secret', () => {
      const w = pageWorld();

      (object(w, 'Secret', SHARED.name) as KubeObject).immutable = true;

      return w;
    }, GKE, ['immutable']],
    ['the key in binaryData', () => {
      const w = pageWorld();

      (object(w, 'Secret', SHARED.name) as KubeObject).binaryData = { [SHARED.key]: 'eA==' };

      return w;
    }, GKE, ['binary-key']],
  ])('blocked: %s', (_what, world, text, blocks) => {
    const p = planSharedEdit(world(), SHARED, text);

    expect(p.blocks).toEqual(blocks);
    expect(p.object).toBeNull();
  });

  it('a ConfigMap key is written as text', () => {
    const ref: PolicyRef = {
      namespace: 'fleet-default', kind: 'configmap', name: 'fleet-0013-audit-policy', key: 'audit-policy.yaml'
    };
    const p = planSharedEdit(pageWorld(), ref, GKE);

    expect(p.object?.after?.data?.[ref.key]).toBe(GKE);
    expect(p.consumers.map((c) => c.cluster)).toEqual(['fleet-0013']);
  });
});

describe('rehashCluster', () => {
  it('sets the new hash on the items reading the key; twice changes nothing more', () => {
    const world = pageWorld();
    const once = rehashCluster(prov(world, 'fleet-0009'), SHARED, GKE);

    expect(once.clusterPaths).toEqual(['spec.rkeConfig.machineSelectorFiles']);
    expect(items(once.cluster).map((i) => i.hash)).toEqual([fileHash(GKE)]);
    expect(rehashCluster(once.cluster, SHARED, GKE).clusterPaths).toEqual([]);
  });

  it.each([
    ['another object', { ...SHARED, name: 'other' }],
    ['another key', { ...SHARED, key: 'other' }],
    ['a ConfigMap of the same name', { ...SHARED, kind: 'configmap' as const }],
  ])('leaves items of %s alone', (_what, ref) => {
    const world = pageWorld();

    expect(rehashCluster(prov(world, 'fleet-0009'), ref, GKE)).toEqual({ cluster: prov(world, 'fleet-0009'), clusterPaths: [] });
  });

  it('an item without a hash stays without one', () => {
    const world = pageWorld();
    const c = prov(world, 'fleet-0009');

    delete items(c)[0].hash;
    expect(rehashCluster(c, SHARED, GKE).clusterPaths).toEqual([]);
  });
});

describe('written: the object, then each consumer', () => {
  it('the planner delivers the new file to all three, and the annotation is what it was', () => {
    const world = pageWorld();
    const p = planSharedEdit(world, SHARED, EDITED);

    expect(p.blocks).toEqual([]);

    world.objects = world.objects.map((o) => (clusterRef(o).namespace === 'fleet-default' && findObject([o], 'secret', SHARED.name) ? p.object?.after as KubeObject : o));
    for (const name of READERS) {
      const node = nodePlan(world, name).nodes.find((n: Obj) => n.roles.includes('controlplane'));

      expect([name, node.error ?? '']).toEqual([name, expect.stringMatching(/does not contain the expected content/)]);
    }
    world.clusters = world.clusters.map((c) => (READERS.includes(c.metadata.name) && c.apiVersion?.startsWith('provisioning.') ? rehashCluster(c, SHARED, EDITED).cluster : c));
    for (const name of READERS) {
      const node = nodePlan(world, name).nodes.find((n: Obj) => n.roles.includes('controlplane'));

      expect([name, node.error, node.policy?.loadable]).toEqual([name, undefined, true]);
      expect(node.files.find((f: Obj) => f.path === node.policy.path).content).toBe(EDITED);
    }
    expect(object(world, 'Secret', SHARED.name)?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe(READERS.join(','));
  });
});
