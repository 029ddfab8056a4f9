/**
 * The Audit Log page's presentational parts, mounted with real shell components (SortableTable, LabeledSelect,
 * Banner, YamlEditor) and the real translations, fed from the generated fleet's model: what each shows, what each
 * emits, and that text from cluster objects stays text.
 */
import { flushPromises, mount, VueWrapper } from '@vue/test-utils';
import { Component } from 'vue';
import ClustersTable from '@pkg/components/fleet/ClustersTable.vue';
import PoliciesTable from '@pkg/components/fleet/PoliciesTable.vue';
import ProblemList from '@pkg/components/fleet/ProblemList.vue';
import OperationProgress from '@pkg/components/fleet/OperationProgress.vue';
import RolloutPanel from '@pkg/components/fleet/RolloutPanel.vue';
import SharedEditPanel from '@pkg/components/fleet/SharedEditPanel.vue';
import DriftPanel from '@pkg/components/fleet/DriftPanel.vue';
import AuditColumn from '@pkg/components/fleet/AuditColumn.vue';
import { fleetStatus, FleetProblem } from '@pkg/fleet';
import { baselineFingerprint, driftStates, ruleDiff } from '@pkg/fleet/drift';
import {
  newOperation, stepError, withStep
} from '@pkg/fleet/operation';
import { clusterRows, policyKey, visibleRows } from '@pkg/fleet/rows';
import { planRollout, policyBlockers, RolloutChoice } from '@pkg/fleet/rollout';
import { planSharedEdit } from '@pkg/fleet/shared-edit';
import { Policy, policyToYaml, presetPolicy } from '@pkg/policy';
import { fakeSteve } from '../support/steve';
import { CodeMirrorStub, FileDiffStub } from '../support/editor-stubs';
import { fleetPageRouter } from '../support/router';
import { pageWorld } from '../unit/fleet/page-world';

const world = pageWorld();
const status = fleetStatus(world);
const rows = clusterRows(status, world);
const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const GKE = policyToYaml(presetPolicy('gke') as Policy);
const FIVE = ['fleet-0001', 'fleet-0002', 'fleet-0003', 'fleet-0004', 'fleet-0021'].map((n) => `fleet-default/${ n }`);
const CHOICE: RolloutChoice = {
  source: { kind: 'preset', id: 'cis-minimal' }, method: 'secret', storage: 'shared', objectName: 'fleet-cis', log: {}
};

async function mountPart(component: Component, props: Record<string, unknown>): Promise<VueWrapper> {
  const router = await fleetPageRouter();
  const wrapper = mount(component, { props, global: { plugins: [fakeSteve().store, router], stubs: { CodeMirror: CodeMirrorStub, FileDiff: FileDiffStub } } });

  await flushPromises();

  return wrapper;
}

const testid = (w: VueWrapper, id: string) => w.find(`[data-testid="${ id }"]`);
const text = (w: VueWrapper, id: string) => testid(w, id).text().replace(/\s+/g, ' ').trim();
const cells = (w: VueWrapper, id: string) => testid(w, id).findAll('td').map((td) => td.text().replace(/\s+/g, ' ').trim());

describe('ProblemList', () => {
  const all = [...status.clusters.flatMap((c) => c.problems), ...status.policies.flatMap((p) => p.problems)];
  const byId = new Map(all.map((p) => [p.id, p]));

  it.each([...byId.keys()])('%s: the same words as the CLI, from the code and its parameters', async(id) => {
    const p = byId.get(id) as FleetProblem;
    const w = await mountPart(ProblemList, { problems: [p] });

    expect(text(w, `fleet-problem-${ id }`)).toBe(p.message.replace(/\s+/g, ' '));
  });

  it('covers the problems of the generated fleet', () => {
    expect([...byId.keys()].sort()).toEqual(['external-policy', 'foreign-origin', 'not-authorized', 'rotation-below-cis', 'spaced-entry', 'stale-hash', 'used-not-authorized']);
  });

  it('a hostile name is shown as text', async() => {
    const p = { ...byId.get('used-not-authorized'), params: { cluster: '<img src=x onerror=alert(1)>' } } as FleetProblem;
    const w = await mountPart(ProblemList, { problems: [p] });

    expect(w.find('img').exists()).toBe(false);
    expect(text(w, 'fleet-problem-used-not-authorized')).toContain('"<img src=x onerror=alert(1)>"');
  });
});

describe('ClustersTable', () => {
  const mountTable = (props: Record<string, unknown> = {}) => mountPart(ClustersTable, {
    rows: visibleRows(rows, 'all', ''), total: rows.length, filter: 'all', search: '', drift: null, selectable: true, ...props
  });
  const row = (w: VueWrapper, key: string) => w.find(`tr.main-row[data-node-id="${ key }"]`);
  const rowCells = (w: VueWrapper, key: string) => ['audit', 'method', 'object', 'policy', 'lint', 'rotation', 'delivery'].map((c) => row(w, key).find(`[data-testid="fleet-cell-${ c }"]`).text().trim());

  it.each([
    ['fleet-default/fleet-0001', ['Off', '', '', '', '', '', 'OK']],
    ['fleet-default/fleet-0006', ['On', 'Inline', '', 'CIS minimal', '0 / 0', '30/10/100, meets CIS', 'OK']],
    ['fleet-default/fleet-0012', ['On', 'Secret', 'secret/fleet-shared-audit-policy-2', 'GKE-style', '0 / 0', '30/10/100, meets CIS', 'OK']],
    ['fleet-default/fleet-0016', ['On', 'External file', '', '', '', '7/5/100, below CIS', '1 warning']],
    ['fleet-default/fleet-0017', ['On', 'Secret', 'secret/fleet-0017-audit-policy', 'RKE1 default', '0 / 0', '30/10/100, meets CIS', '1 error']],
  ])('%s', async(key, want) => {
    const w = await mountTable();

    expect(rowCells(w, key)).toEqual(want);
  });

  it('every row links to its cluster\'s Audit Log tab; problems sit in a row of their own', async() => {
    const w = await mountTable();

    expect(testid(w, 'fleet-row-fleet-default/fleet-0017').attributes('href')).toBe('/c/_/manager/provisioning.cattle.io.cluster/fleet-default/fleet-0017?mode=edit&open-tab=cluster-audit-log#cluster-audit-log');
    expect(text(w, 'fleet-problems-fleet-default/fleet-0017')).toContain('is not authorized for this cluster');
    expect(w.find('[data-testid="fleet-problems-fleet-default/fleet-0001"]').exists()).toBe(false);
    expect(text(w, 'fleet-count')).toBe('40 of 40 clusters');
  });

  it('pages 100 rows at a time', async() => {
    const many = Array.from({ length: 3 }, (_, i) => rows.map((r) => ({ ...r, key: `${ r.key }-${ i }` }))).flat();
    const w = await mountTable({ rows: many, total: many.length });

    expect(w.findAll('tr.main-row')).toHaveLength(100);
    expect(w.find('[data-testid="pagination-next"]').exists()).toBe(true);
  });

  it('emits the selected row keys, the filter and the search', async() => {
    const w = await mountTable();

    // jsdom's selector engine misses SortableTable's closest('TR'), so the table's own selection event stands in for the click
    w.findComponent({ name: 'SortableTable' }).vm.$emit('selection', [rows[2], rows[20]]);
    expect(w.emitted('selection')?.at(-1)).toEqual([[rows[2].key, rows[20].key]]);
    expect(row(w, 'fleet-default/fleet-0003').find('td.row-check .selection-checkbox').exists()).toBe(true);
    await w.find('input[data-testid="fleet-search"]').setValue('stale');
    expect(w.emitted('update:search')?.at(-1)).toEqual(['stale']);
  });

  it('marks drift when a baseline is chosen', async() => {
    const w = await mountTable({ drift: driftStates(status, baselineFingerprint(CIS)) });

    expect(text(w, 'fleet-drift-fleet-default/fleet-0012')).toBe('drifted');
    expect(text(w, 'fleet-drift-fleet-default/fleet-0006')).toBe('same as the baseline');
  });
});

describe('PoliciesTable', () => {
  const shared1 = status.policies.find((p) => p.name === 'fleet-shared-audit-policy-1');

  it('the object, its authorized entries quoted, its readers with their paths, its problems', async() => {
    const w = await mountPart(PoliciesTable, { policies: status.policies, canWrite: { secret: true, configmap: true }, busy: false });
    const spaced = status.policies.find((p) => p.name === 'fleet-0017-audit-policy');
    const line = w.find(`tr.main-row[data-node-id="${ policyKey(spaced as never) }"]`);

    expect(line.find('[data-testid="fleet-policy-authorized"]').text()).toBe('" fleet-0017"');
    expect(line.find('[data-testid="fleet-policy-consumers"]').text()).toBe('fleet-0017: /etc/rancher/rke2/audit-policy.yaml');
    expect(line.find('[data-testid="fleet-problem-spaced-entry"]').exists()).toBe(true);
    await testid(w, `fleet-policy-edit-${ policyKey(shared1 as never) }`).trigger('click');
    expect(w.emitted('edit')).toEqual([[policyKey(shared1 as never)]]);
  });

  it.each([
    ['no right to update Secrets', { secret: false, configmap: true }, false],
    ['an operation running', { secret: true, configmap: true }, true],
  ])('Edit is disabled with %s', async(_what, canWrite, busy) => {
    const w = await mountPart(PoliciesTable, { policies: status.policies, canWrite, busy });

    expect(testid(w, `fleet-policy-edit-${ policyKey(shared1 as never) }`).attributes('disabled')).toBeDefined();
  });
});

describe('OperationProgress', () => {
  const op = () => {
    let o = newOperation([['a', 'b'], ['c']], { a: 'fleet-0001', b: 'fleet-0002', c: 'fleet-0003' }, { prewrite: true, authorized: new Set(['a', 'b', 'c']), stopOnFailure: true });

    o = withStep(o, 'prewrite', 'done');
    o = withStep(o, 'a', 'done');

    return withStep(o, 'b', 'failed', stepError(403, 'Could not save cluster fleet-default/fleet-0002: 403 forbidden'));
  };

  it('per cluster: wave, state, the failure and its status, "authorized, not configured", Retry', async() => {
    const w = await mountPart(OperationProgress, { operation: op(), prewriteLabel: 'Secret fleet-default/fleet-cis', showWaves: true });

    expect(cells(w, 'fleet-progress-prewrite')).toEqual(['Secret fleet-default/fleet-cis', '', 'Done', '']);
    expect(cells(w, 'fleet-progress-a')).toEqual(['fleet-0001', 'Wave 1', 'Done', '']);
    expect(text(w, 'fleet-progress-error-b')).toBe('Not allowed (403): Could not save cluster fleet-default/fleet-0002: 403 forbidden');
    expect(text(w, 'fleet-progress-half-b')).toBe('Authorized, not configured');
    expect(cells(w, 'fleet-progress-c')).toEqual(['fleet-0003', 'Wave 2', 'Authorized, not configured', '']);
    expect(text(w, 'fleet-progress-summary')).toBe('1 of 3 clusters done, 1 failed.');
    await testid(w, 'fleet-progress-retry-b').trigger('click');
    expect(w.emitted('retry')).toEqual([['b']]);
  });

  it.each([[409, 'Changed by someone else meanwhile (409): m Retry reads it again.'], [0, 'No answer from the server: m'], [500, 'm']])('a %i failure', async(status, words) => {
    const w = await mountPart(OperationProgress, { operation: withStep(op(), 'b', 'failed', stepError(status, 'm')), prewriteLabel: '', showWaves: false });

    expect(text(w, 'fleet-progress-error-b')).toBe(words);
  });
});

describe('RolloutPanel', () => {
  const preview = planRollout(world, FIVE, CHOICE, CIS);
  const props = (over: Record<string, unknown> = {}) => ({
    count:         5,
    sources:       [{ value: 'preset:cis-minimal', label: 'Preset: CIS minimal' }],
    source:        'preset:cis-minimal',
    choice:        CHOICE,
    sourceProblem: '',
    blockers:      [],
    fixedStorage:  false,
    preview,
    previewStale:  false,
    firstWave:     2,
    operation:     null,
    prewriteLabel: 'Secret fleet-default/fleet-cis',
    applyBlocked:  '',
    ...over,
  });

  it('steps 1-4: the preview per cluster from plan(), the restart said plainly, Apply', async() => {
    const w = await mountPart(RolloutPanel, props());

    expect(text(w, 'fleet-rollout-preview-summary')).toBe('5 clusters change, 0 cannot, 0 already have it.');
    expect(text(w, 'fleet-rollout-prewrites')).toContain('Create Secret fleet-default/fleet-cis — written first, once. It holds the policy under the key audit-policy.yaml and authorizes 5 clusters');
    expect(text(w, 'fleet-rollout-restart')).toContain('Each cluster\'s kube-apiserver restarts');
    expect(w.find('.fleet-apply').text()).toContain('Then the other 3.');
    await testid(w, `fleet-preview-toggle-${ FIVE[1] }`).trigger('click');
    expect(text(w, `fleet-preview-diff-${ FIVE[1] }`)).toContain('+ - audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml');
    await testid(w, 'fleet-rollout-apply').trigger('click');
    expect(w.emitted('apply')).toHaveLength(1);
  });

  it.each([
    ['a stale preview', { previewStale: true }],
    ['lint errors in the policy', { blockers: policyBlockers('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Request\n') }],
    ['no permission', { applyBlocked: 'You may not update clusters.' }],
    ['a cluster plan() refuses', { preview: planRollout(world, FIVE, { ...CHOICE, method: 'inline' }, CIS) }],
    ['no preview yet', { preview: null }],
  ])('Apply is disabled with %s', async(_what, over) => {
    const w = await mountPart(RolloutPanel, props(over));

    expect(testid(w, 'fleet-rollout-apply').attributes('disabled')).toBeDefined();
  });

  it('emits the choices: method, storage, CIS log values', async() => {
    const w = await mountPart(RolloutPanel, props());

    await testid(w, 'fleet-rollout-method-configmap').setValue(true);
    expect(w.emitted('update:choice')?.at(-1)).toEqual([{ ...CHOICE, method: 'configmap' }]);
    await testid(w, 'fleet-rollout-use-cis').trigger('click');
    expect(w.emitted('update:choice')?.at(-1)).toEqual([{ ...CHOICE, log: { maxAge: '30', maxBackup: '10', maxSize: '100' } }]);
    await testid(w, 'fleet-rollout-storage-per-cluster').setValue(true);
    expect(w.emitted('update:choice')?.at(-1)).toEqual([{ ...CHOICE, storage: 'per-cluster' }]);
  });
});

describe('SharedEditPanel', () => {
  const ref = {
    namespace: 'fleet-default', kind: 'secret' as const, name: 'fleet-shared-audit-policy-1', key: 'audit-policy.yaml'
  };

  it('lists every consumer, then writes once', async() => {
    const w = await mountPart(SharedEditPanel, {
      title: 'Secret fleet-default/fleet-shared-audit-policy-1, key audit-policy.yaml', text: GKE, plan: planSharedEdit(world, ref, GKE), operation: null, applyBlocked: ''
    });

    expect(testid(w, 'fleet-edit-consumers').findAll('li').map((li) => li.text().replace(/\s+/g, ' '))).toEqual([
      'fleet-0009: /etc/rancher/rke2/audit-policy.yaml (its hash is updated)', 'fleet-0010: /var/lib/rancher/k3s/server/audit.yaml (its hash is updated)', 'fleet-0011: /etc/rancher/rke2/audit-policy.yaml (its hash is updated)',
    ]);
    expect(text(w, 'fleet-edit-apply')).toBe('Write the policy and update 3 clusters');
    await testid(w, 'fleet-edit-apply').trigger('click');
    expect(w.emitted('apply')).toHaveLength(1);
    await testid(w, 'fleet-edit-yaml').find('textarea').setValue('rules: [');
    expect(w.emitted('update:text')?.at(-1)).toEqual(['rules: [']);
  });

  it('a policy with errors is not written, and says why', async() => {
    const bad = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n';
    const w = await mountPart(SharedEditPanel, {
      title: 't', text: bad, plan: planSharedEdit(world, ref, bad), operation: null, applyBlocked: ''
    });

    expect(text(w, 'fleet-edit-blocks')).toBe('The policy has errors (listed above).');
    expect(text(w, 'fleet-edit-findings')).toContain('Secret data would be written to the audit log');
    expect(testid(w, 'fleet-edit-apply').attributes('disabled')).toBeDefined();
  });
});

describe('DriftPanel', () => {
  it('the groups that differ from the baseline, with their rules in words', async() => {
    const w = await mountPart(DriftPanel, {
      options:         [{ value: '', label: 'No baseline' }],
      baseline:        'preset:cis-minimal',
      baselineProblem: '',
      counts:          { same: 15, differs: 15, noPolicy: 10 },
      groups:          [{
        fingerprint: 'abc', preset: 'gke', clusters: ['fleet-0012', 'fleet-0029', 'fleet-0030'], diff: ruleDiff(CIS, GKE)
      }],
    });

    expect(text(w, 'fleet-drift-counts')).toBe('15 clusters have the baseline\'s policy, 15 have another one, 10 have none that can be read.');
    expect(text(w, 'fleet-drift-group-abc')).toContain('GKE-style: 3 clusters: fleet-0012, fleet-0029, fleet-0030');
    expect(w.findAll('[data-testid="fleet-drift-removed"]').length).toBeGreaterThan(0);
    expect(w.findAll('[data-testid="fleet-drift-added"]')[0].text()).toMatch(/^Only here \(rule \d+\): /);
    await testid(w, 'fleet-drift-show').trigger('click');
    expect(w.emitted('show')).toHaveLength(1);
  });
});

describe('AuditColumn (the Clusters list)', () => {
  const prov = (name: string) => world.clusters.find((c) => c.apiVersion?.startsWith('provisioning.') && c.metadata.name === name);
  const mgmtOf = (name: string) => world.clusters.find((c) => c.apiVersion?.startsWith('management.') && c.metadata.name === (prov(name)?.status as { clusterName: string }).clusterName);

  it.each([
    ['a management cluster row (Rancher 2.12+), its provisioning cluster loaded', () => ({ ...mgmtOf('fleet-0013'), type: 'management.cattle.io.cluster', provCluster: prov('fleet-0013') }), 'On (ConfigMap)', 'on'],
    ['a provisioning cluster row (Rancher 2.10-2.11)', () => ({ ...prov('fleet-0006'), type: 'provisioning.cattle.io.cluster', mgmt: mgmtOf('fleet-0006') }), 'On (Inline)', 'on'],
    ['audit off', () => ({ ...prov('fleet-0001'), type: 'provisioning.cattle.io.cluster', mgmt: mgmtOf('fleet-0001') }), 'Off', 'off'],
    ['its provisioning cluster not loaded yet', () => ({ ...mgmtOf('fleet-0013'), type: 'management.cattle.io.cluster', provCluster: undefined }), '—', 'none'],
  ])('%s', async(_what, row, words, state) => {
    const w = await mountPart(AuditColumn, { row: row() });

    expect(testid(w, 'cluster-audit-log-column').text()).toBe(words);
    expect(testid(w, 'cluster-audit-log-column').attributes('data-state')).toBe(state);
  });
});
