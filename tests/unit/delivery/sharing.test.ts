/**
 * What the plan may write into a shared object and what it may release (delivery/sharing.ts), as truth tables
 * over one namespace: a Secret this extension made and shares, a foreign Secret, a Secret with a spaced entry.
 */
import {
  checkWrite, KubeObject, MANAGED_BY_LABEL, MANAGED_BY_VALUE, releaseChange, sharedObject, withFreshObject, World
} from '@pkg/delivery';
import { rke2Cluster, secret } from '../../support/clusters';

const ANN = 'rke.cattle.io/object-authorized-for-clusters';
const OURS = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
const b64 = (s: string) => Buffer.from(s).toString('base64');

function clusterReading(name: string, items: [string, string, string][]): KubeObject {
  const c = rke2Cluster(name);

  (c.spec as { rkeConfig: Record<string, unknown> }).rkeConfig.machineSelectorFiles = items.map(([obj, key, path]) => ({
    fileSources: [{ secret: { name: obj, items: [{ key, path }] } }]
  }));

  return c;
}

const world: World = {
  clusters: [
    clusterReading('a', [['shared', 'audit.yaml', '/p'], ['shared', 'registry', '/r']]),
    clusterReading('b', [['shared', 'audit.yaml', '/p']]),
    clusterReading('me', [['mine', 'audit.yaml', '/p'], ['mixed', 'audit.yaml', '/p'], ['mixed', 'other', '/o']]),
    clusterReading('d', [['spaced', 'audit.yaml', '/p']]),
  ],
  objects: [
    secret('shared', { 'audit.yaml': 'POLICY-A', registry: 'r' }, { [ANN]: 'a,b' }, OURS),
    secret('foreign', { kubeconfig: 'k' }, { [ANN]: 'x' }),
    secret('foreign-mine', { kubeconfig: 'k' }, { [ANN]: 'x,me' }),
    secret('spaced', { 'audit.yaml': 'P' }, { [ANN]: 'other, me,d' }, OURS),
    secret('mine', { 'audit.yaml': 'P' }, { [ANN]: 'me' }, OURS),
    secret('mixed', { 'audit.yaml': 'P', other: 'o' }, { [ANN]: 'me' }, OURS),
    { ...secret('frozen', { 'audit.yaml': 'P' }, { [ANN]: 'me' }, OURS), immutable: true },
    { ...secret('bin', {}, { [ANN]: 'me' }, OURS), binaryData: { 'audit.yaml': 'AA==' } },
  ],
};

type WriteRow = [object: string, key: string, text: string, blocked: string | null, annotation: string, notes: string[]];

const writeRows: WriteRow[] = [
  ['new-name', 'audit.yaml', 'P', null, 'me', []],
  ['shared', 'audit.yaml', 'OTHER', 'is used by 2 clusters (a, b) for 2 files from its key "audit.yaml"', 'a,b', []],
  ['shared', 'audit.yaml', 'POLICY-A', null, 'a,b,me', ['also delivers 1 other file to a']],
  ['shared', 'new-key', 'P', null, 'a,b,me', ['also delivers 3 other files to a, b']],
  ['foreign', 'audit.yaml', 'P', 'was not made by this extension and is not authorized for "me": adding it to rke.cattle.io/object-authorized-for-clusters would hand this cluster every key of it ("kubeconfig")', 'x', []],
  ['foreign-mine', 'audit.yaml', 'P', null, 'x,me', ['was not made by this extension: Save writes the policy into its key "audit.yaml"']],
  ['spaced', 'audit.yaml', 'P', null, 'other,me,d', ['lists " me" in rke.cattle.io/object-authorized-for-clusters']],
  ['frozen', 'audit.yaml', 'Q', 'is immutable', 'me', []],
  ['bin', 'audit.yaml', 'P', 'holds "audit.yaml" in binaryData', 'me', []],
];

describe('checkWrite: may "me" write its policy into this object?', () => {
  it.each(writeRows)('%s[%s] = %s -> blocked %p, annotation %j', (name, key, text, blocked, annotation, notes) => {
    const shared = sharedObject(world, 'secret', name);
    const got = checkWrite(world, shared, 'fleet-default', 'me', key, '/p', b64(text));

    if (blocked) {
      expect(got.blocked?.message).toContain(blocked);
      expect(got.blocked?.message).toContain(`"${ got.suggestedName }" is free`);
      expect(world.objects.some((o) => o.metadata.name === got.suggestedName)).toBe(false);
    } else {
      expect(got.blocked).toBeNull();
      expect(got.annotation).toBe(annotation);
    }
    expect(got.notes.map((n) => n.message)).toEqual(notes.map((n) => expect.stringContaining(n)));
  });
});

type ReleaseRow = [what: string, object: string, selfAfter: [string, string, string][], key: string, action: string | null, annotation: string | null, keys: string[] | null];

const releaseRows: ReleaseRow[] = [
  ['only user, made here: deleted', 'mine', [], 'audit.yaml', 'delete', null, null],
  ['still reads another key of it: stays authorized, key removed', 'mixed', [['mixed', 'other', '/o']], 'audit.yaml', 'update', 'me', ['other']],
  ['other clusters read it: de-authorized, key they read kept', 'shared', [], 'audit.yaml', null, null, null],
  ['spaced entry of another cluster is left alone', 'spaced', [], 'audit.yaml', null, null, null],
  ['foreign object that was given a key: key removed, de-authorized, kept', 'foreign-mine', [], 'audit.yaml', 'update', 'x', ['kubeconfig']],
];

describe('releaseChange: "me" no longer reads the policy key through the released item', () => {
  it.each(releaseRows)('%s', (_what, name, selfAfter, key, action, annotation, keys) => {
    const self = clusterReading('me', selfAfter);
    const got = releaseChange(sharedObject(world, 'secret', name, self), 'fleet-default', 'me', key);

    expect(got?.action ?? null).toBe(action);
    if (action === 'update') {
      expect(got?.after?.metadata.annotations?.[ANN] ?? '').toBe(annotation);
      expect(Object.keys(got?.after?.data || {})).toEqual(keys);
    }
  });

  it('decides from the fresh copy: another cluster added in between keeps the object', () => {
    const model = sharedObject(world, 'secret', 'mine', clusterReading('me', []));
    const fresh = secret('mine', { 'audit.yaml': 'P' }, { [ANN]: 'me,late' }, OURS);
    const got = releaseChange(withFreshObject(model, fresh), 'fleet-default', 'me', 'audit.yaml');

    expect(got?.action).toBe('update');
    expect(got?.after?.metadata.annotations?.[ANN]).toBe('late');
  });

  it('a fresh copy that is gone releases nothing', () => {
    expect(releaseChange(withFreshObject(sharedObject(world, 'secret', 'mine'), null), 'fleet-default', 'me', 'audit.yaml')).toBeNull();
  });
});
