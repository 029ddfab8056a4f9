/**
 * The Audit Log page (the container) on a real vuex store holding the generated fleet (tests/support/steve.ts):
 * it reads the clusters and objects, shows the model, runs a roll-out whose first save fails and is retried, edits
 * a shared policy, and exports what the table shows.
 */
import { flushPromises, mount, VueWrapper } from '@vue/test-utils';
import FleetPage from '@pkg/components/FleetPage.vue';
import ClustersTable from '@pkg/components/fleet/ClustersTable.vue';
import { fileHash, KubeObject, objectText } from '@pkg/delivery';
import { fleetStatus } from '@pkg/fleet';
import { clusterRows, fleetSummary } from '@pkg/fleet/rows';
import { Policy, policyToYaml, presetPolicy } from '@pkg/policy';
import { fakeSteve, FakeSteve } from '../support/steve';
import { CodeMirrorStub, FileDiffStub } from '../support/editor-stubs';
import { fleetPageRouter } from '../support/router';
import { pageWorld } from '../unit/fleet/page-world';

const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const GKE = policyToYaml(presetPolicy('gke') as Policy);
const PROV = 'provisioning.cattle.io.cluster';

/** The world as steve objects (each with its steve type). */
function steveObjects(): KubeObject[] {
  const world = pageWorld();
  const typed = (o: KubeObject, type: string) => ({ ...o, type, ...(o.kind === 'Secret' ? { _type: o.type } : {}) });

  return [
    ...world.clusters.map((c) => typed(c, c.apiVersion?.startsWith('management.') ? 'management.cattle.io.cluster' : PROV)),
    ...world.objects.map((o) => typed(o, o.kind === 'Secret' ? 'secret' : 'configmap')),
  ];
}

const pageRouter = fleetPageRouter;

async function mountPage(): Promise<{ w: VueWrapper, steve: FakeSteve }> {
  const steve = fakeSteve({ objects: steveObjects() });
  const router = await pageRouter();

  const w = mount(FleetPage, { global: { plugins: [steve.store, router], stubs: { CodeMirror: CodeMirrorStub, FileDiff: FileDiffStub } } });

  await flushPromises();

  return { w, steve };
}

const testid = (w: VueWrapper, id: string) => w.find(`[data-testid="${ id }"]`);
const stored = (steve: FakeSteve, type: string, name: string) => steve.objects.get(`${ type }/fleet-default/${ name }`) as KubeObject;

/** Waits until the page shows `id` (operations run over several ticks). */
async function until(w: VueWrapper, id: string): Promise<void> {
  for (let i = 0; i < 50 && !testid(w, id).exists(); i++) {
    await flushPromises();
  }
  expect(testid(w, id).exists()).toBe(true);
}

describe('the Audit Log page', () => {
  it('reads every cluster and object through the store and shows the model', async() => {
    const { w } = await mountPage();
    const world = pageWorld();
    const status = fleetStatus(world);
    const counts = fleetSummary(clusterRows(status, world), status.policies);

    expect(testid(w, 'fleet-summary').text()).toBe(`${ counts.clusters } clusters: ${ counts.on } with the audit log on, ${ counts.failing } failing the CIS audit checks, ${ counts.errors } with errors. ${ counts.policies } audit policies in Secrets and ConfigMaps.`);
    expect(w.findAll('[data-testid="fleet-clusters-table"] tr.main-row')).toHaveLength(40);
  });

  it('a list it may not read is said, the rest is shown', async() => {
    const steve = fakeSteve({ objects: steveObjects() });

    steve.failNext('configmap', 403, 'configmaps is forbidden');
    const w = mount(FleetPage, { global: { plugins: [steve.store, await pageRouter()] } });

    await flushPromises();
    expect(testid(w, 'fleet-load-error-0').text()).toBe('Could not read ConfigMaps in fleet-default: 403 configmaps is forbidden');
  });

  it('rolls CIS out through a shared Secret: the first save answered 403 stops it; Retry finishes it', async() => {
    const { w, steve } = await mountPage();
    const keys = ['fleet-default/fleet-0001', 'fleet-default/fleet-0002'];

    w.findComponent(ClustersTable).vm.$emit('selection', keys);
    await flushPromises();
    await testid(w, 'fleet-rollout-open').trigger('click');
    await until(w, 'fleet-rollout-object-name');
    await w.find('input[data-testid="fleet-rollout-object-name"]').setValue('fleet-cis');
    await testid(w, 'fleet-rollout-preview').trigger('click');
    await flushPromises();
    steve.failNext(PROV, 403, 'clusters.provisioning.cattle.io "fleet-0001" is forbidden');
    await testid(w, 'fleet-rollout-apply').trigger('click');
    await until(w, 'fleet-progress-error-fleet-default/fleet-0001');

    expect(testid(w, 'fleet-progress-error-fleet-default/fleet-0001').text()).toBe('Not allowed (403): Could not save cluster fleet-default/fleet-0001: 403 clusters.provisioning.cattle.io "fleet-0001" is forbidden');
    expect(testid(w, 'fleet-progress-fleet-default/fleet-0002').attributes('data-state')).toBe('authorized-not-configured');
    expect(steve.writes).toEqual(['POST secret/fleet-default/fleet-cis']);
    expect(stored(steve, 'secret', 'fleet-cis').metadata.annotations?.['rke.cattle.io/object-authorized-for-clusters']).toBe('fleet-0001,fleet-0002');

    await testid(w, 'fleet-progress-retry-fleet-default/fleet-0001').trigger('click');
    await until(w, 'fleet-progress-finished');
    expect(steve.writes).toEqual(['POST secret/fleet-default/fleet-cis', `PUT ${ PROV }/fleet-default/fleet-0001`, `PUT ${ PROV }/fleet-default/fleet-0002`]);
    expect(JSON.stringify(stored(steve, PROV, 'fleet-0002').spec)).toContain(fileHash(CIS));
  });

  it('edits the policy three clusters share: the Secret, then each cluster\'s hash', async() => {
    const { w, steve } = await mountPage();

    await testid(w, 'fleet-policy-edit-fleet-default/secret/fleet-shared-audit-policy-1/audit-policy.yaml').trigger('click');
    await until(w, 'fleet-edit-yaml');
    await testid(w, 'fleet-edit-yaml').find('textarea').setValue(GKE);
    await flushPromises();
    await testid(w, 'fleet-edit-apply').trigger('click');
    await until(w, 'fleet-progress-finished');

    expect(steve.writes).toEqual(['PUT secret/fleet-default/fleet-shared-audit-policy-1', ...['fleet-0009', 'fleet-0010', 'fleet-0011'].map((n) => `PUT ${ PROV }/fleet-default/${ n }`)]);
    expect(objectText(stored(steve, 'secret', 'fleet-shared-audit-policy-1'), 'secret', 'audit-policy.yaml')).toBe(GKE);
    expect(JSON.stringify(stored(steve, PROV, 'fleet-0010').spec)).toContain(fileHash(GKE));
  });

  it('exports what the table shows as CSV and JSON', async() => {
    const { w } = await mountPage();
    const saved: { name: string, text: Promise<string> }[] = [];
    const read = (blob: Blob) => new Promise<string>((resolve) => {
      const reader = new FileReader();

      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blob);
    });
    const createObjectURL = jest.fn((blob: Blob) => {
      saved.push({ name: '', text: read(blob) });

      return 'blob:x';
    });

    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function(this: HTMLAnchorElement) {
      saved[saved.length - 1].name = this.download;
    });
    w.findComponent(ClustersTable).vm.$emit('update:search', 'stale-hash');
    await flushPromises();
    await testid(w, 'fleet-export-csv').trigger('click');
    await testid(w, 'fleet-export-json').trigger('click');
    const csv = (await saved[0].text).split('\r\n').map((l) => l.split(',')[0]);
    const json = JSON.parse(await saved[1].text);

    expect(saved.map((s) => s.name)).toEqual([expect.stringMatching(/^cluster-audit-log-\d{8}-\d{6}\.csv$/), expect.stringMatching(/\.json$/)]);
    expect(csv).toEqual(['name', 'fleet-0018', 'fleet-0038', '']);
    expect(json).toMatchObject({ filter: 'all', search: 'stale-hash' });
    expect(json.clusters.map((c: { name: string }) => c.name)).toEqual(['fleet-0018', 'fleet-0038']);
  });
});
