/**
 * The policies table (fleet/policies.ts): every Secret/ConfigMap key holding an audit policy, who may read the
 * object and who does, and the sharing problems: authorized but unused, used but not authorized, entries with
 * spaces, foreign origin.
 */
import { KubeObject } from '@pkg/delivery';
import { fleetStatus, policyFingerprint } from '@pkg/fleet';
import { readPolicy } from '@pkg/policy';
import { secret } from '../../support/clusters';
import {
  args, cluster, configMap, policy, policySecret, policySummary
} from './worlds';

const META = policy('rancher-docs-secret-metadata.yaml');
const GKE = policy('gke-gce-configure-helper.yaml');
const KEY = 'audit-policy.yaml';
const reads = (name: string, object: string, kind: 'secret' | 'configmap' = 'secret') => cluster(name, args(), [{ kind, name: object, key: KEY }]);

type Row = [what: string, clusters: KubeObject[], objects: KubeObject[], want: ReturnType<typeof policySummary>[]];

const rows: Row[] = [
  ['made by this extension, authorized, used', [reads('a', 'p')], [policySecret('p', KEY, META, 'a')], [
    { object: 'secret/p:audit-policy.yaml', policy: 'rke1-default', authorized: '"a"', consumers: 'a', problems: '' },
  ]],
  ['shared: every reader authorized', [reads('a', 'p'), reads('b', 'p')], [policySecret('p', KEY, META, 'a,b')], [
    { object: 'secret/p:audit-policy.yaml', policy: 'rke1-default', authorized: '"a","b"', consumers: 'a,b', problems: '' },
  ]],
  ['authorized but unused', [reads('a', 'p')], [policySecret('p', KEY, META, 'a,gone')], [
    { object: 'secret/p:audit-policy.yaml', policy: 'rke1-default', authorized: '"a","gone"', consumers: 'a', problems: 'authorized-unused' },
  ]],
  ['used but not authorized', [reads('a', 'p'), reads('b', 'p')], [policySecret('p', KEY, META, 'a')], [
    { object: 'secret/p:audit-policy.yaml', policy: 'rke1-default', authorized: '"a"', consumers: 'a,b', problems: 'used-not-authorized' },
  ]],
  ['an entry with a space', [reads('a', 'p'), reads('b', 'p')], [policySecret('p', KEY, META, 'a, b')], [
    { object: 'secret/p:audit-policy.yaml', policy: 'rke1-default', authorized: '"a"," b"', consumers: 'a,b', problems: 'used-not-authorized spaced-entry' },
  ]],
  ['foreign origin (no managed-by label)', [reads('a', 'p', 'configmap')], [configMap('p', { [KEY]: META }, 'a')], [
    { object: 'configmap/p:audit-policy.yaml', policy: 'rke1-default', authorized: '"a"', consumers: 'a', problems: 'foreign-origin' },
  ]],
  ['no cluster reads it: every entry unused', [], [policySecret('p', KEY, GKE, 'x,y')], [
    { object: 'secret/p:audit-policy.yaml', policy: 'gke', authorized: '"x","y"', consumers: '', problems: 'authorized-unused authorized-unused' },
  ]],
  ['not a policy (a kubeconfig Secret): no row', [], [secret('c-kubeconfig', { value: 'apiVersion: v1\nkind: Config\n' })], []],
  ['a policy key next to other files: only the policy key', [cluster('a', args(), [{ name: 'p', key: KEY }, { name: 'p', key: 'psa.yaml', path: '/etc/rancher/rke2/psa.yaml' }])], [secret('p', { [KEY]: META, 'psa.yaml': 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\n' }, { 'rke.cattle.io/object-authorized-for-clusters': 'a' })], [
    { object: 'secret/p:audit-policy.yaml', policy: 'rke1-default', authorized: '"a"', consumers: 'a', problems: 'foreign-origin' },
  ]],
  ['a key a cluster reads as its policy, even if it is no policy', [reads('a', 'p')], [policySecret('p', KEY, 'not a policy', 'a')], [
    { object: 'secret/p:audit-policy.yaml', policy: policyFingerprint(readPolicy('not a policy'), 'not a policy'), authorized: '"a"', consumers: 'a', problems: '' },
  ]],
];

describe('the policies table', () => {
  it.each(rows)('%s', (_what, clusters, objects, want) => {
    expect(fleetStatus({ clusters, objects }).policies.map(policySummary)).toEqual(want);
  });

  it('consumers name the file each reads; the same object in another namespace is another object', () => {
    const other = policySecret('p', KEY, META, 'a');

    other.metadata.namespace = 'fleet-other';
    const rows = fleetStatus({ clusters: [reads('a', 'p')], objects: [policySecret('p', KEY, META, 'a'), other] }).policies;

    expect(rows.map((r) => [r.namespace, r.consumers])).toEqual([
      ['fleet-default', [{ cluster: 'a', path: '/etc/rancher/rke2/audit-policy.yaml' }]],
      ['fleet-other', []],
    ]);
  });

  it.each([
    ['authorized-unused', 'a,gone', { cluster: 'gone' }, 'authorizes "gone", but no item of that cluster reads it: the entry lets that cluster\'s plan read every key of it'],
    ['used-not-authorized', 'x', { cluster: 'a' }, '"a" reads it but is not listed in rke.cattle.io/object-authorized-for-clusters: Rancher does not deliver it to that cluster'],
    ['spaced-entry', ' a', { entry: ' a' }, 'rke.cattle.io/object-authorized-for-clusters lists " a": Rancher compares names exactly, so this entry matches no cluster'],
  ])('%s: parameters and message', (id, annotation, params, message) => {
    const found = fleetStatus({ clusters: [reads('a', 'p')], objects: [policySecret('p', KEY, META, annotation)] }).policies[0].problems.find((p) => p.id === id);

    expect(found).toEqual({
      id, severity: expect.any(String), params, message
    });
  });
});
