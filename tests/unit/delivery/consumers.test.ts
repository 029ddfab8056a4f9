/**
 * The shared-object model: who may read an object (the annotation as rancher/rancher pkg/capr/planner reads it),
 * who does read it (every machineSelectorFiles item of every cluster), and who made it.
 */
import {
  Consumer, consumersIn, freeName, KubeObject, MANAGED_BY_LABEL, MANAGED_BY_VALUE, objectKeys, otherConsumers, sharedObject, spacedEntries, stake, World
} from '@pkg/delivery';
import { rke2Cluster, secret } from '../../support/clusters';

const ANN = 'rke.cattle.io/object-authorized-for-clusters';
const OURS = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };

/** A cluster whose machineSelectorFiles read the given items: [kind, object, key, path]. */
function clusterReading(name: string, items: ['secret' | 'configmap', string, string, string][]): KubeObject {
  const c = rke2Cluster(name);

  (c.spec as { rkeConfig: Record<string, unknown> }).rkeConfig.machineSelectorFiles = items.map(([kind, obj, key, path]) => ({
    fileSources: [{ [kind === 'secret' ? 'secret' : 'configMap']: { name: obj, items: [{ key, path }] } }]
  }));

  return c;
}

const world: World = {
  clusters: [
    clusterReading('a', [['secret', 'shared', 'audit.yaml', '/etc/audit.yaml'], ['secret', 'shared', 'registry', '/etc/reg.yaml']]),
    clusterReading('b', [['secret', 'shared', 'audit.yaml', '/etc/audit.yaml']]),
    clusterReading('c', [['configmap', 'shared', 'audit.yaml', '/etc/audit.yaml']]),
    clusterReading('d', []),
  ],
  objects: [
    secret('shared', { 'audit.yaml': 'x', registry: 'y' }, { [ANN]: 'a,b, d,,a' }, OURS),
    secret('foreign', { kubeconfig: 'k' }, { [ANN]: 'x' }),
    { apiVersion: 'v1', kind: 'ConfigMap', type: 'configmap', metadata: { name: 'shared' }, data: { 'audit.yaml': 'z' }, binaryData: { blob: 'AA==' } },
  ],
};

type ModelRow = [kind: 'secret' | 'configmap', name: string, exists: boolean, authorized: string[], origin: string, consumers: string[]];

const modelRows: ModelRow[] = [
  ['secret', 'shared', true, ['a', 'b', ' d', '', 'a'], 'extension', ['a:audit.yaml->/etc/audit.yaml', 'a:registry->/etc/reg.yaml', 'b:audit.yaml->/etc/audit.yaml']],
  ['configmap', 'shared', true, [], 'foreign', ['c:audit.yaml->/etc/audit.yaml']],
  ['secret', 'foreign', true, ['x'], 'foreign', []],
  ['secret', 'missing', false, [], 'foreign', []],
];

const show = (c: Consumer) => `${ c.cluster }:${ c.key }->${ c.path }`;

describe('sharedObject', () => {
  it.each(modelRows)('%s %s: exists %p, authorized %j, %s, consumers %j', (kind, name, exists, authorized, origin, consumers) => {
    const model = sharedObject(world, kind, name);

    expect(model.object !== null).toBe(exists);
    expect(model.authorized).toEqual(authorized);
    expect(model.origin).toBe(origin);
    expect(model.consumers.map(show)).toEqual(consumers);
  });

  it('sees the edited cluster as given, in place of its stored copy', () => {
    const edited = clusterReading('b', []);

    expect(sharedObject(world, 'secret', 'shared', edited).consumers.map(show)).toEqual(['a:audit.yaml->/etc/audit.yaml', 'a:registry->/etc/reg.yaml']);
  });

  it('reads hostile shapes without throwing', () => {
    const c = rke2Cluster('h');

    (c.spec as { rkeConfig: Record<string, unknown> }).rkeConfig.machineSelectorFiles = [null, { fileSources: [null, {}, { secret: {} }, { secret: { name: 's', items: [null, { key: 1 }] } }] }];
    expect(consumersIn(c).map((x) => `${ x.name }:${ x.key }:${ x.path }`)).toEqual(['s::', 's:1:']);
  });
});

type OtherRow = [cluster: string, path: string | undefined, others: string[]];
const otherRows: OtherRow[] = [
  ['a', '/etc/audit.yaml', ['a:registry->/etc/reg.yaml', 'b:audit.yaml->/etc/audit.yaml']],
  ['a', undefined, ['b:audit.yaml->/etc/audit.yaml']],
  ['b', '/etc/audit.yaml', ['a:audit.yaml->/etc/audit.yaml', 'a:registry->/etc/reg.yaml']],
  ['z', '/etc/audit.yaml', ['a:audit.yaml->/etc/audit.yaml', 'a:registry->/etc/reg.yaml', 'b:audit.yaml->/etc/audit.yaml']],
];

describe('otherConsumers', () => {
  it.each(otherRows)('for %s (its item at %s): %j', (cluster, path, others) => {
    expect(otherConsumers(sharedObject(world, 'secret', 'shared'), cluster, path).map(show)).toEqual(others);
  });
});

describe('spacedEntries, stake, objectKeys, freeName', () => {
  it.each([
    ['d', [' d']],
    ['a', []],
    ['b', []],
  ])('entries that are %s apart from spaces: %j', (cluster, entries) => {
    expect(spacedEntries(sharedObject(world, 'secret', 'shared'), cluster)).toEqual(entries);
  });

  it('stake counts clusters once and files each', () => {
    expect(stake(sharedObject(world, 'secret', 'shared').consumers)).toEqual({ clusters: ['a', 'b'], files: 3 });
  });

  it('objectKeys has data and binaryData keys', () => {
    expect(objectKeys(world.objects[2])).toEqual(['audit.yaml', 'blob']);
  });

  it.each([
    ['secret', 'fresh', 'fresh'],
    ['secret', 'shared', 'shared-2'],
    ['configmap', 'foreign', 'foreign'],
    ['secret', 'x'.repeat(300), 'x'.repeat(240)],
  ] as const)('freeName(%s, %s) = %s', (kind, base, want) => {
    expect(freeName(world, kind, base)).toBe(want);
  });
});
