/**
 * The page's clusters table (fleet/rows.ts): each kind of cluster of the generated fleet as a row (health, CIS,
 * rotation text, link to its Audit Log tab), the filters, and the Clusters list's Audit column
 * (fleet/audit-column.ts) agreeing with the model on every cluster.
 */
import { KubeObject } from '@pkg/delivery';
import { auditColumn } from '@pkg/fleet/audit-column';
import {
  ClusterRow, clusterObject, clusterRows, filterRows, FLEET_FILTERS, FleetFilter, fleetSummary, rowKey, visibleRows
} from '@pkg/fleet/rows';
import { fleetStatus } from '@pkg/fleet';
import { Policy, policyToYaml, presetPolicy } from '@pkg/policy';
import { pageFleet, rke1Id } from './page-world';
import { cluster } from './worlds';

const { world, status } = pageFleet();
const rows = clusterRows(status, world);
const row = (key: string) => rows.find((r) => r.key === key) as ClusterRow;
const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);

describe('clusterRows', () => {
  const rke1 = `rke1/${ rke1Id(world, 'fleet-0015') }`;

  it.each([
    // key, label, objectText, policyText, rotationText, health, failingCis, lintSort >= 0
    ['fleet-default/fleet-0001', 'fleet-0001', '', '', '', 'ok', true, false],
    ['fleet-default/fleet-0006', 'fleet-0006', '', 'cis-minimal', '30/10/100', 'ok', false, true],
    ['fleet-default/fleet-0009', 'fleet-0009', 'secret/fleet-shared-audit-policy-1', 'cis-minimal', '30/10/100', 'ok', false, true],
    ['fleet-default/fleet-0013', 'fleet-0013', 'configmap/fleet-0013-audit-policy', status.clusters[12].fingerprint, '30/10/100', 'ok', false, true],
    [rke1, 'fleet-0015', '', status.clusters[14].fingerprint, '30/10/100', 'ok', false, true],
    ['fleet-default/fleet-0016', 'fleet-0016', '', '', '7/5/100', 'warning', true, false],
    ['fleet-default/fleet-0017', 'fleet-0017', 'secret/fleet-0017-audit-policy', 'rke1-default', '30/10/100', 'error', true, true],
    ['fleet-default/fleet-0018', 'fleet-0018', 'secret/fleet-0018-audit-policy', 'cis-minimal', '30/10/100', 'error', true, true],
    ['fleet-default/fleet-0019', 'fleet-0019', 'secret/fleet-0019-audit-policy', 'cis-minimal', '30/10/100', 'ok', false, true],
  ])('%s', (key, label, objectText, policyText, rotationText, health, failingCis, linted) => {
    expect(row(key)).toMatchObject({
      label, objectText, policyText, rotationText, health, failingCis
    });
    expect(row(key).lintSort >= 0).toBe(linted);
  });

  it('links RKE2/K3s rows to the edit page\'s Audit Log tab and RKE1 rows to the detail page\'s', () => {
    expect(row('fleet-default/fleet-0002').link).toEqual({
      name:   'c-cluster-product-resource-namespace-id', params: {
        cluster: '_', product: 'manager', resource: 'provisioning.cattle.io.cluster', namespace: 'fleet-default', id: 'fleet-0002'
      }, query: { mode: 'edit', 'open-tab': 'cluster-audit-log' }, hash: '#cluster-audit-log'
    });
    expect(row(rke1).link).toMatchObject({ params: { namespace: 'fleet-default', id: rke1Id(world, 'fleet-0015') }, query: { 'open-tab': 'cluster-audit-log-rke1' }, hash: '#cluster-audit-log-rke1' });
  });

  it('keeps rotation out of the delivery problems, and searches names, objects, policies and problem ids', () => {
    expect(row('fleet-default/fleet-0016').deliveryProblems.map((p) => p.id)).toEqual(['external-policy']);
    expect(row('fleet-default/fleet-0017').searchText).toContain('not-authorized');
    expect(row('fleet-default/fleet-0009').searchText).toContain('fleet-shared-audit-policy-1');
  });

  it('a cluster writing no log file: the rotation column says so, CIS fails, the delivery health is not touched', () => {
    const c = cluster('c', { 'audit-policy-file': CIS, 'kube-apiserver-arg': ['audit-log-path='] });
    const [got] = clusterRows(fleetStatus({ clusters: [c], objects: [] }), { clusters: [c], objects: [] });

    expect(got).toMatchObject({
      rotationText: '', noLogFile: true, failingCis: true, health: 'ok', deliveryProblems: []
    });
    expect(row('fleet-default/fleet-0006').noLogFile).toBe(false);
  });

  it('one row per cluster of the model, keys unique', () => {
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.key)).size).toBe(40);
    expect(rows.map((r) => r.key)).toEqual(status.clusters.map(rowKey));
  });
});

describe('filterRows', () => {
  const drifted = new Set(['fleet-default/fleet-0005', 'fleet-default/fleet-0013']);

  it.each<[FleetFilter, number]>([
    ['all', 40], ['on', 32], ['off', 8], ['errors', 4], ['failing-cis', 14], ['drifted', 2],
  ])('%s keeps %i rows', (filter, n) => {
    expect(filterRows(rows, filter, drifted)).toHaveLength(n);
  });

  it('covers every filter the page offers', () => {
    expect([...FLEET_FILTERS]).toEqual(['all', 'failing-cis', 'errors', 'on', 'off', 'drifted']);
  });

  it('failing CIS = off, no log file or its rotation below, lint errors or a delivery error', () => {
    const failing = filterRows(rows, 'failing-cis').map((r) => r.status);

    expect(failing.every((c) => !c.enabled || c.rotation?.cisOk === false || (c.findings?.error ?? 0) > 0 || c.problems.some((p) => p.severity === 'error' || p.id === 'no-log-file'))).toBe(true);
    expect(filterRows(rows, 'all').filter((r) => !r.failingCis).every((r) => r.status.enabled && r.status.rotation?.cisOk)).toBe(true);
  });
});

describe('visibleRows and fleetSummary', () => {
  it.each([
    ['no search: the filter\'s rows by label', 'off', '', ['fleet-0001', 'fleet-0002', 'fleet-0003', 'fleet-0004', 'fleet-0021', 'fleet-0022', 'fleet-0023', 'fleet-0024']],
    ['a name', 'all', 'fleet-0012', ['fleet-0012']],
    ['every word must match, any case', 'all', 'SECRET   k3s shared', ['fleet-0010', 'fleet-0012', 'fleet-0029', 'fleet-0031']],
    ['a problem id', 'all', 'stale-hash', ['fleet-0018', 'fleet-0038']],
    ['a preset inside a filter', 'failing-cis', 'cis-minimal', ['fleet-0018', 'fleet-0038']],
    ['nothing', 'all', 'no-such-cluster', []],
  ] as const)('%s', (_what, filter, search, names) => {
    expect(visibleRows(rows, filter, search).map((r) => r.label)).toEqual(names);
  });

  it('the summary', () => {
    expect(fleetSummary(rows, status.policies)).toEqual({
      clusters: 40, on: 32, failing: 14, errors: 4, policies: status.policies.length
    });
  });
});

describe('clusterObject', () => {
  it.each([
    [{ distro: null, namespace: 'fleet-default', name: 'fleet-0003' }, 'provisioning.cattle.io/v1'],
    [{ distro: 'rke1' as const, namespace: null, name: rke1Id(world, 'fleet-0015') }, 'management.cattle.io/v3'],
  ])('%j', (ref, apiVersion) => {
    expect(clusterObject(world, ref)?.apiVersion).toBe(apiVersion);
  });

  it('an unknown cluster or another namespace is not found', () => {
    expect(clusterObject(world, { distro: null, namespace: 'other', name: 'fleet-0003' })).toBeUndefined();
    expect(clusterObject(world, { distro: 'rke1', namespace: null, name: 'fleet-0003' })).toBeUndefined();
  });
});

describe('auditColumn (the Clusters list) agrees with the model on every cluster', () => {
  const wrappers = world.clusters.filter((c) => c.apiVersion?.startsWith('provisioning.'));
  const mgmtOf = (c: KubeObject) => world.clusters.find((m) => m.apiVersion?.startsWith('management.') && m.metadata.name === (c.status as { clusterName?: string }).clusterName);

  it.each(wrappers.map((c) => [c.metadata.name, c]))('%s', (_name, cluster) => {
    const mgmt = mgmtOf(cluster as KubeObject);
    const model = status.clusters.find((s) => (s.distro === 'rke1' ? s.name === mgmt?.metadata.name : s.name === (cluster as KubeObject).metadata.name)) as ClusterRow['status'];

    expect(auditColumn(cluster as KubeObject, mgmt)).toEqual(model.enabled ? { state: 'on', method: model.method } : { state: 'off' });
  });

  it.each([
    ['an imported cluster (no rkeConfig)', { apiVersion: 'provisioning.cattle.io/v1', kind: 'Cluster', metadata: { name: 'imported' }, spec: { kubernetesVersion: 'v1.30.1+k3s1' } }],
    ['a cluster with no spec', { metadata: { name: 'bare' } }],
  ])('%s: none', (_what, cluster) => {
    expect(auditColumn(cluster as KubeObject, null)).toEqual({ state: 'none' });
  });

  it('a management cluster whose provisioning cluster is not loaded: RKE1 from its own settings, else none', () => {
    const rke1 = world.clusters.find((c) => c.metadata.name === rke1Id(world, 'fleet-0015')) as KubeObject;
    const rke2Mgmt = mgmtOf(wrappers.find((c) => c.metadata.name === 'fleet-0006') as KubeObject) as KubeObject;

    expect(auditColumn(null, rke1)).toEqual({ state: 'on', method: 'rke1' });
    expect(auditColumn(null, rke2Mgmt)).toEqual({ state: 'none' });
    expect(auditColumn(null, null)).toEqual({ state: 'none' });
  });
});
