/**
 * The clusters table (fleet/status.ts): one row per column rule and per problem id. Each case is a world as
 * Rancher stores it (real cluster, policies and object shapes); the row says what the fleet page shows.
 */
import { KubeObject } from '@pkg/delivery';
import { fleetStatus, policyFingerprint, ProblemId } from '@pkg/fleet';
import { Policy, policyToYaml, presetPolicy, readPolicy } from '@pkg/policy';
import { rke1Cluster } from '../../support/clusters';
import {
  args, cluster, configMap, policy, policySecret, RKE2_PATH, RowSummary, summary
} from './worlds';

const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const META = policy('rancher-docs-secret-metadata.yaml');
const DOCS = policy('k8s-docs-example.yaml');
const RKE1_CUSTOM = policy('rancher-docs-rke1-custom-policy.yaml');
const K3S_PATH = '/var/lib/rancher/k3s/server/audit.yaml';
const KEY = 'audit-policy.yaml';
const fp = (text: string) => policyFingerprint(readPolicy(text), text);
const rke1 = (configuration: Record<string, unknown>, enabled = true) => rke1Cluster({ enabled, configuration });

const BEFORE_136 = 'v1.35.4+rke2r1';

/** The cluster at another Kubernetes version (spec.kubernetesVersion). */
function at(version: string, c: KubeObject): KubeObject {
  (c.spec as Record<string, unknown>).kubernetesVersion = version;

  return c;
}

type Row = [what: string, world: () => { cluster: KubeObject, objects?: KubeObject[] }, want: RowSummary];

const on = (method: string, object: string | null, policy: string | null, lint: string | null, rotation: string | null, problems = ''): RowSummary => ({
  audit: 'on', method, object, policy, lint, rotation, problems
});

const rows: Row[] = [
  ['audit off', () => ({ cluster: cluster('c') }), {
    audit: 'off', method: null, object: null, policy: null, lint: null, rotation: null, problems: ''
  }],
  ['inline: RKE2 adds 30/10/100 itself', () => ({ cluster: cluster('c', { 'audit-policy-file': DOCS }) }), on('inline', null, fp(DOCS), '1/0', '30/10/100 ok')],
  ['inline equal to a preset is named after it', () => ({ cluster: cluster('c', { 'audit-policy-file': CIS }) }), on('inline', null, 'cis-minimal', '0/0', '30/10/100 ok')],
  ['inline, maxage typed below CIS', () => ({ cluster: cluster('c', { 'audit-policy-file': CIS, 'kube-apiserver-arg': ['audit-log-maxage=7'] }) }), on('inline', null, 'cis-minimal', '0/0', '7/10/100 below', 'rotation-below-cis')],
  ['inline written over by a machineSelectorFiles item', () => ({ cluster: cluster('c', { 'audit-policy-file': CIS }, [{ name: 'other', key: 'x', path: '/var/lib/rancher/rke2/etc/config-files/audit-policy-file' }]) }), on('inline', null, 'cis-minimal', '0/0', '30/10/100 ok', 'path-collision')],
  ['Secret, authorized, hash matches', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY, hashOf: META }]), objects: [policySecret('p', KEY, META, 'c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '30/10/100 ok')],
  ['Secret without log args, before Kubernetes 1.36: no limits', () => ({ cluster: at(BEFORE_136, cluster('c', args(RKE2_PATH, null, null, null), [{ name: 'p', key: KEY }])), objects: [policySecret('p', KEY, META, 'c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '-/-/- below', 'rotation-below-cis')],
  ['ConfigMap on K3s, commented policy', () => ({ cluster: cluster('c', args(K3S_PATH), [{ kind: 'configmap', name: 'cm', key: KEY, path: K3S_PATH, hashOf: RKE1_CUSTOM }], 'k3s'), objects: [configMap('cm', { [KEY]: RKE1_CUSTOM }, 'c')] }), on('configmap', 'configmap/cm', fp(RKE1_CUSTOM), '0/5', '30/10/100 ok')],
  ['not-authorized: another cluster only', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY }]), objects: [policySecret('p', KEY, META, 'other')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '30/10/100 ok', 'not-authorized')],
  ['not-authorized: listed with a space', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY }]), objects: [policySecret('p', KEY, META, 'other, c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '30/10/100 ok', 'not-authorized')],
  ['missing-object', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY }]) }), on('secret', 'secret/p', null, null, '30/10/100 ok', 'missing-object')],
  ['missing-key', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY }]), objects: [policySecret('p', 'policy.yaml', META, 'c')] }), on('secret', 'secret/p', null, null, '30/10/100 ok', 'missing-key')],
  ['stale-hash', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY, hashOf: CIS }]), objects: [policySecret('p', KEY, META, 'c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '30/10/100 ok', 'stale-hash')],
  ['selector-excludes-control-plane', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY, selector: { matchLabels: { 'rke.cattle.io/control-plane-role': 'false' } } }]), objects: [policySecret('p', KEY, META, 'c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '30/10/100 ok', 'selector-excludes-control-plane')],
  ['path-collision with a file Rancher writes', () => ({ cluster: cluster('c', args('/etc/rancher/rke2/registries.yaml'), [{ name: 'p', key: KEY, path: '/etc/rancher/rke2/registries.yaml' }]), objects: [policySecret('p', KEY, META, 'c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '30/10/100 ok', 'path-collision')],
  ['path-collision with another item', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY }, { name: 'q', key: 'x' }]), objects: [policySecret('p', KEY, META, 'c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '30/10/100 ok', 'path-collision')],
  ['external policy', () => ({ cluster: cluster('c', args('/etc/custom/policy.yaml')) }), on('external', null, null, null, '30/10/100 ok', 'external-policy')],
  ['Secret without audit-log-path: kube-apiserver writes no log file, its rotation values count for nothing', () => ({ cluster: cluster('c', args(RKE2_PATH, '30', '10', '100', null), [{ name: 'p', key: KEY, hashOf: META }]), objects: [policySecret('p', KEY, META, 'c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', null, 'no-log-file')],
  ['inline with audit-log-path set empty (the webhook alone)', () => ({ cluster: cluster('c', { 'audit-policy-file': CIS, 'kube-apiserver-arg': ['audit-log-path=', 'audit-webhook-config-file=/etc/rancher/rke2/audit-webhook.yaml'] }) }), on('inline', null, 'cis-minimal', '0/0', null, 'no-log-file')],
  ['inline with audit-log-path set empty, before Kubernetes 1.36: no rotation-below-cis', () => ({ cluster: at(BEFORE_136, cluster('c', { 'audit-policy-file': CIS, 'kube-apiserver-arg': ['audit-log-path='] })) }), on('inline', null, 'cis-minimal', '0/0', null, 'no-log-file')],
  ['several problems at once', () => ({ cluster: cluster('c', args(RKE2_PATH, '7'), [{ name: 'p', key: KEY, hashOf: CIS }]), objects: [policySecret('p', KEY, META, ' c')] }), on('secret', 'secret/p', 'rke1-default', '0/0', '7/10/100 below', 'stale-hash not-authorized rotation-below-cis')],
  ['RKE1 with a policy', () => ({ cluster: rke1({ maxAge: 30, maxBackup: 10, maxSize: 100, policy: readPolicy(RKE1_CUSTOM).policy }) }), on('rke1', null, fp(RKE1_CUSTOM), '0/5', '30/10/100 ok')],
  ['RKE1 without a policy: its default', () => ({ cluster: rke1({}) }), on('rke1', null, 'rke1-default', '0/0', '30/10/100 ok')],
  ['RKE1, maxAge below CIS', () => ({ cluster: rke1({ maxAge: 7 }) }), on('rke1', null, 'rke1-default', '0/0', '7/10/100 below', 'rotation-below-cis')],
  ['RKE1 off', () => ({ cluster: rke1({}, false) }), {
    audit: 'off', method: null, object: null, policy: null, lint: null, rotation: null, problems: ''
  }],
];

describe('the clusters table', () => {
  it.each(rows)('%s', (_what, world, want) => {
    const { cluster: c, objects = [] } = world();
    const status = fleetStatus({ clusters: [c], objects });

    expect(status.clusters.map(summary)).toEqual([want]);
  });

  it('an RKE1 row has no namespace, a provisioning row its own', () => {
    const status = fleetStatus({ clusters: [rke1({}), cluster('c')], objects: [] });

    expect(status.clusters.map((c) => [c.name, c.distro, c.namespace])).toEqual([['c-r1abc', 'rke1', null], ['c', 'rke2', 'fleet-default']]);
  });

  it.each([
    ['an imported cluster (no rkeConfig)', { apiVersion: 'provisioning.cattle.io/v1', kind: 'Cluster', metadata: { name: 'imported', namespace: 'fleet-default' }, spec: { kubernetesVersion: 'v1.36.2+k3s1' } }],
    ["an RKE1 cluster's provisioning wrapper", { apiVersion: 'provisioning.cattle.io/v1', kind: 'Cluster', metadata: { name: 'c-r1abc', namespace: 'fleet-default' }, spec: {} }],
    ['an RKE2 cluster\'s management cluster', { apiVersion: 'management.cattle.io/v3', kind: 'Cluster', metadata: { name: 'c-m-abc12345' }, spec: { displayName: 'c' } }],
  ])('%s is not a row', (_what, other) => {
    expect(fleetStatus({ clusters: [other as KubeObject], objects: [] }).clusters).toEqual([]);
  });
});

describe('rotation values left unset: kube-apiserver\'s own defaults from Kubernetes 1.36 (delivery/retention.ts APISERVER_FLAG_DEFAULTS)', () => {
  type VersionRow = [what: string, version: string, global: Record<string, unknown>, rotation: string, problems: string];
  const K3S = (v: string) => v.replace('+rke2r1', '+k3s1');
  const versionRows: VersionRow[] = [
    ['Secret, no log args, 1.35', 'v1.35.4+rke2r1', args(RKE2_PATH, null, null, null), '-/-/- below', 'rotation-below-cis'],
    ['Secret, no log args, 1.36', 'v1.36.0+rke2r1', args(RKE2_PATH, null, null, null), '366/100/100 ok', ''],
    ['Secret, no log args, 1.37', 'v1.37.1+rke2r1', args(RKE2_PATH, null, null, null), '366/100/100 ok', ''],
    ['Secret, maxage 7 only, 1.35', 'v1.35.4+rke2r1', args(RKE2_PATH, '7', null, null), '7/-/- below', 'rotation-below-cis'],
    ['Secret, maxage 7 only, 1.36', 'v1.36.2+rke2r1', args(RKE2_PATH, '7', null, null), '7/100/100 below', 'rotation-below-cis'],
    ['Secret, maxsize 0, 1.36: never rotated', 'v1.36.2+rke2r1', args(RKE2_PATH, null, null, '0'), '366/100/0 below', 'rotation-below-cis'],
    ['Secret, all set, 1.36: as set', 'v1.36.2+rke2r1', args(RKE2_PATH, '45', '20', '200'), '45/20/200 ok', ''],
    ['no version: counts as before 1.36', '', args(RKE2_PATH, null, null, null), '-/-/- below', 'rotation-below-cis'],
    ['inline, 1.35: RKE2 adds 30/10/100 itself', 'v1.35.4+rke2r1', { 'audit-policy-file': CIS }, '30/10/100 ok', ''],
    ['inline, 1.36: RKE2\'s defaults, not kube-apiserver\'s', 'v1.36.2+rke2r1', { 'audit-policy-file': CIS }, '30/10/100 ok', ''],
  ];

  it.each(versionRows)('%s', (_what, version, global, rotation, problems) => {
    const c = at(version, cluster('c', global, global['audit-policy-file'] ? [] : [{ name: 'p', key: KEY }]));
    const got = summary(fleetStatus({ clusters: [c], objects: [policySecret('p', KEY, META, 'c')] }).clusters[0]);

    expect([got.rotation, got.problems]).toEqual([rotation, problems]);
  });

  it.each([
    ['v1.35.4+rke2r1', null],
    ['v1.36.2+rke2r1', '100'],
  ])('K3s %s, maxbackup not given: %s in report --json', (version, maxBackup) => {
    const c = at(K3S(version), cluster('c', args(K3S_PATH, '30', null, '100'), [{ kind: 'configmap', name: 'cm', key: KEY, path: K3S_PATH, hashOf: META }], 'k3s'));

    expect(fleetStatus({ clusters: [c], objects: [configMap('cm', { [KEY]: META }, 'c')] }).clusters[0].rotation).toEqual({
      maxAge: '30', maxBackup, maxSize: '100', cisOk: maxBackup !== null
    });
  });

  it('RKE1 (its block always sets all three) is the same on every version', () => {
    expect(fleetStatus({ clusters: [rke1({ maxAge: 7 })], objects: [] }).clusters[0].rotation).toEqual({
      maxAge: '7', maxBackup: '10', maxSize: '100', cisOk: false
    });
  });
});

describe('problem codes, parameters and messages', () => {
  type Case = [id: ProblemId, world: () => { cluster: KubeObject, objects?: KubeObject[] }, params: Record<string, unknown>, message: string];
  const cases: Case[] = [
    ['not-authorized', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY }]), objects: [policySecret('p', KEY, META, 'other, c')] }), { kind: 'secret', namespace: 'fleet-default', object: 'p', cluster: 'c', spaced: [' c'] }, 'Secret fleet-default/p is not authorized for this cluster: its annotation rke.cattle.io/object-authorized-for-clusters does not list "c" (it lists " c", but Rancher compares names exactly), so Rancher does not deliver the policy file'],
    ['missing-object', () => ({ cluster: cluster('c', args(), [{ kind: 'configmap', name: 'p', key: KEY }]) }), { kind: 'configmap', namespace: 'fleet-default', object: 'p' }, 'ConfigMap fleet-default/p was not found: Rancher cannot deliver the policy file'],
    ['missing-key', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY }]), objects: [policySecret('p', 'x', META, 'c')] }), { kind: 'secret', namespace: 'fleet-default', object: 'p', key: KEY }, 'Secret fleet-default/p has no key "audit-policy.yaml": Rancher cannot deliver the policy file'],
    ['selector-excludes-control-plane', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY, selector: { matchExpressions: [{ key: 'rke.cattle.io/control-plane-role', operator: 'DoesNotExist' }] } }]), objects: [policySecret('p', KEY, META, 'c')] }), { entry: 0, reason: { code: 'delivery.selectorExpression', params: { label: 'rke.cattle.io/control-plane-role', operator: 'DoesNotExist', values: '[]' } } }, 'machineSelectorFiles[0]: matchExpressions rke.cattle.io/control-plane-role DoesNotExist [] leaves out every control-plane machine: kube-apiserver runs on control-plane machines only, so it never gets the policy file'],
    ['path-collision', () => ({ cluster: cluster('c', args(), [{ name: 'p', key: KEY }, { name: 'q', key: 'x' }]), objects: [policySecret('p', KEY, META, 'c')] }), {
      path:   RKE2_PATH, writer: {
        code:   'delivery.writerItem', params: {
          entry: '1', kind: 'Secret', name: 'q', key: 'x'
        }
      }
    }, '"/etc/rancher/rke2/audit-policy.yaml" is also written by machineSelectorFiles[1] (Secret q, key "x"): one file overwrites the other'],
    ['external-policy', () => ({ cluster: cluster('c', args('/etc/custom/policy.yaml')) }), { path: '/etc/custom/policy.yaml' }, 'audit-policy-file="/etc/custom/policy.yaml" is put on the nodes some other way: its policy cannot be read here'],
    ['no-log-file', () => ({ cluster: cluster('c', { 'audit-policy-file': CIS, 'kube-apiserver-arg': ['audit-log-path='] }) }), { maxAge: 30, maxBackup: 10, maxSize: 100 }, 'no audit log file (audit-log-path is not set, or set empty): the events go to the audit webhook only, and the CIS Benchmark checks for a log file kept at least 30 days, 10 files, 100 MB'],
    ['rotation-below-cis', () => ({ cluster: at(BEFORE_136, cluster('c', args(RKE2_PATH, '7', null, '100'), [{ name: 'p', key: KEY }])), objects: [policySecret('p', KEY, META, 'c')] }), { below: [{ field: 'maxAge', value: '7', minimum: 30 }, { field: 'maxBackup', value: null, minimum: 10 }] }, 'audit-log-maxage=7 is below the CIS minimum of 30; audit-log-maxbackup is not set: no limit, below the CIS minimum of 10'],
  ];

  it.each(cases)('%s', (id, world, params, message) => {
    const { cluster: c, objects = [] } = world();
    const found = fleetStatus({ clusters: [c], objects }).clusters[0].problems.find((p) => p.id === id);

    expect(found).toEqual({
      id, severity: expect.any(String), params, message
    });
  });

  it('stale-hash names both hashes', () => {
    const found = fleetStatus({ clusters: [cluster('c', args(), [{ name: 'p', key: KEY, hashOf: CIS }])], objects: [policySecret('p', KEY, META, 'c')] }).clusters[0].problems[0];

    expect(found.params).toEqual({
      kind: 'secret', namespace: 'fleet-default', object: 'p', key: KEY, want: expect.stringMatching(/=$/), got: expect.stringMatching(/=$/)
    });
    expect(found.message).toMatch(/^the item's hash \S+ does not match Secret fleet-default\/p's "audit-policy.yaml" \(\S+\): Rancher's planner refuses the file$/);
  });
});
