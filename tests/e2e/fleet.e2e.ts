/**
 * Cluster Management -> Audit Log, clicked through for real (issue 9): every row against the model computed here
 * from the stand-in's stored objects; a roll-out in two waves with a 403 on one save, retried; the edit of a
 * policy three clusters share; the CSV export against the table; the Audit column of the Clusters list. The
 * writes end with the stand-in's node-plan (what Rancher's planner would put on each node).
 */
import { copyFileSync, mkdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import type { ClusterStatus } from '../../pkg/cluster-audit-log/fleet';
import { rowKey } from '../../pkg/cluster-audit-log/fleet/rows';
import { Policy, policyToYaml, presetPolicy } from '../../pkg/cluster-audit-log/policy';
import { sha256Base64 } from '../rancher/seed';
import {
  launch, login, screenshot, screenshotOf, SCREENSHOTS, sim
} from './browser';
import {
  cellText, fault, openFleetPage, resetWithFleet, selectRows, storedFleetStatus
} from './fleet-page';
import { DASHBOARD, ROOT } from './servers';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EN = parse(readFileSync(join(ROOT, 'l10n/en-us.yaml'), 'utf8')).clusterAuditLog;
const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const PROV = 'provisioning.cattle.io.cluster';
const ANNOTATION = 'rke.cattle.io/object-authorized-for-clusters';

let browser: Browser;

beforeAll(async() => {
  browser = await launch();
});

afterAll(async() => {
  await browser?.close();
});

afterEach(async() => {
  await sim.reset();
});

async function adminPage(): Promise<Page> {
  return (await login(browser, 'admin')).page;
}

/** What each cell of a row must say for a cluster of the model (the page's English words). */
function expectedCells(c: ClusterStatus): Record<string, string> {
  const r = c.rotation;
  const delivery = c.problems.filter((p) => p.id !== 'rotation-below-cis');
  const worst = delivery.some((p) => p.severity === 'error') ? 'error' : delivery.some((p) => p.severity === 'warning') ? 'warning' : 'ok';
  const n = delivery.filter((p) => p.severity === worst).length;

  return {
    'fleet-cell-audit':    c.enabled ? 'On' : 'Off',
    'fleet-cell-method':   c.method ? EN.fleet.method[c.method] : '',
    'fleet-cell-object':   c.object ? `${ c.object.kind }/${ c.object.name }` : '',
    'fleet-cell-policy':   c.preset ? EN.preset[c.preset].label : (c.fingerprint ?? ''),
    'fleet-cell-lint':     c.findings ? `${ c.findings.error } / ${ c.findings.warning }` : '',
    'fleet-cell-rotation': r ? `${ [r.maxAge, r.maxBackup, r.maxSize].map((v) => v ?? '-').join('/') }, ${ r.cisOk ? 'meets CIS' : 'below CIS' }` : '',
    'fleet-cell-delivery': worst === 'ok' ? 'OK' : `${ n } ${ worst }${ n === 1 ? '' : 's' }`,
  };
}

/** The control-plane node's policy file and check in the stand-in's node-plan. */
async function deliveredPolicy(cluster: string): Promise<{ content: string, loadable: boolean, error?: string }> {
  const plan = await sim.nodePlan(cluster);
  const node = plan.nodes.find((n: Obj) => n.roles.includes('controlplane'));
  const file = node.files.find((f: Obj) => f.path === node.policy?.path);

  return { content: file?.content ?? '', loadable: !!node.policy?.loadable, error: node.error };
}

test('9.1 the seeded mix (default seed + 40 generated clusters): every row shows what the model computed from the stored objects says', async() => {
  await resetWithFleet(40, { sharedBy: 3 });
  const { status } = await storedFleetStatus();
  const page = await adminPage();

  await openFleetPage(page);
  expect(await page.locator('[data-testid="fleet-count"]').textContent()).toContain(`${ status.clusters.length } of ${ status.clusters.length } clusters`);
  const got: Record<string, Record<string, string>> = {};
  const want: Record<string, Record<string, string>> = {};

  for (const c of status.clusters) {
    const key = rowKey(c);

    want[key] = expectedCells(c);
    got[key] = {};
    for (const cell of Object.keys(want[key])) {
      got[key][cell] = await cellText(page, key, cell);
    }
  }
  expect(got).toEqual(want);
  await page.locator('[data-testid="fleet-page"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'fleet-9.1-page.png') });
  expect(status.clusters.map((c) => c.distro).sort().filter((d, i, a) => a.indexOf(d) === i)).toEqual(['k3s', 'rke1', 'rke2']);
  // each row links to the cluster's Audit Log tab
  await page.click('[data-testid="fleet-row-fleet-default/fleet-0013"]');
  await page.waitForSelector('[data-testid="audit-editor"]', { state: 'visible', timeout: 120000 });
  expect(page.url()).toMatch(/\/fleet-default\/fleet-0013\?mode=edit&open-tab=cluster-audit-log#cluster-audit-log$/);
  expect(await page.locator('[data-testid="audit-distro"]').textContent()).toBe('Distribution: RKE2');
});

test('9.2 roll CIS out to 5 clusters in two waves, one save answered 403: reported, the rest left "authorized, not configured", retry finishes; node-plan delivers on all 5', async() => {
  await resetWithFleet(40, { sharedBy: 3 });
  const five = ['fleet-0001', 'fleet-0002', 'fleet-0003', 'fleet-0004', 'fleet-0021'];
  const keys = five.map((n) => `fleet-default/${ n }`);

  await fault('PUT', PROV, 'fleet-default/fleet-0002', 403);
  const page = await adminPage();

  await openFleetPage(page);
  await selectRows(page, keys);
  await page.click('[data-testid="fleet-rollout-open"]');
  await page.waitForSelector('[data-testid="fleet-rollout"]');
  await page.locator('[data-testid="fleet-rollout-object-name"] input, input[data-testid="fleet-rollout-object-name"]').first().fill('fleet-cis-audit-policy');
  await page.click('[data-testid="fleet-rollout-use-cis"]');
  await page.click('[data-testid="fleet-rollout-preview"]');
  await page.waitForSelector('[data-testid="fleet-rollout-previewed"]');
  expect(await page.locator('[data-testid="fleet-rollout-preview-summary"]').textContent()).toContain('5 clusters change, 0 cannot, 0 already have it.');
  expect(await page.locator('[data-testid="fleet-rollout-prewrites"]').textContent()).toContain('Create Secret fleet-default/fleet-cis-audit-policy');
  await page.click(`[data-testid="fleet-preview-toggle-${ keys[1] }"]`);
  expect(await page.locator(`[data-testid="fleet-preview-diff-${ keys[1] }"]`).textContent()).toContain('+   - audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml');
  expect(await page.locator('[data-testid="fleet-rollout-restart"]').textContent()).toContain('kube-apiserver restarts');
  await page.locator('[data-testid="fleet-rollout-first-wave"] input, input[data-testid="fleet-rollout-first-wave"]').first().fill('2');
  await page.click('[data-testid="fleet-rollout-apply"]');

  const state = (key: string) => page.locator(`[data-testid="fleet-progress-${ key }"]`).getAttribute('data-state');

  await page.waitForSelector(`[data-testid="fleet-progress-${ keys[1] }"][data-state="failed"]`, { timeout: 60000 });
  expect(await page.locator(`[data-testid="fleet-progress-error-${ keys[1] }"]`).textContent()).toMatch(/Not allowed \(403\): .*403.*forbidden/);
  expect(await page.locator(`[data-testid="fleet-progress-half-${ keys[1] }"]`).textContent()).toContain('Authorized, not configured');
  expect([await state(keys[0]), await state(keys[2]), await state(keys[3]), await state(keys[4])]).toEqual(['done', 'authorized-not-configured', 'authorized-not-configured', 'authorized-not-configured']);
  await screenshotOf(page, '[data-testid="fleet-rollout"]', 'fleet-9.2-stopped');
  // the shared Secret was written first with the full list; only fleet-0001 reads it yet
  const secret = await sim.object('secret', 'fleet-default/fleet-cis-audit-policy');

  expect(secret?.metadata.annotations[ANNOTATION]).toBe(five.join(','));
  expect(Buffer.from(secret?.data['audit-policy.yaml'], 'base64').toString()).toBe(CIS);
  expect(JSON.stringify((await sim.object(PROV, 'fleet-default/fleet-0001'))?.spec.rkeConfig.machineSelectorFiles)).toContain('fleet-cis-audit-policy');
  expect(JSON.stringify((await sim.object(PROV, 'fleet-default/fleet-0003'))?.spec.rkeConfig.machineSelectorFiles ?? [])).not.toContain('fleet-cis-audit-policy');

  await page.click(`[data-testid="fleet-progress-retry-${ keys[1] }"]`);
  await page.waitForSelector('[data-testid="fleet-progress-finished"]', { timeout: 120000 });
  expect(await Promise.all(keys.map(state))).toEqual(['done', 'done', 'done', 'done', 'done']);
  const saves = (await sim.requests()).filter((r) => r.method === 'PUT' && r.type === PROV).map((r) => `${ r.id } ${ r.status }`);

  expect(saves).toEqual(['fleet-default/fleet-0001 200', 'fleet-default/fleet-0002 403', 'fleet-default/fleet-0002 200', 'fleet-default/fleet-0003 200', 'fleet-default/fleet-0004 200', 'fleet-default/fleet-0021 200']);
  for (const name of five) {
    const delivered = await deliveredPolicy(name);

    expect([name, delivered]).toEqual([name, { content: CIS, loadable: true, error: undefined }]);
  }
  // the table, read again, shows the five on, from the shared Secret
  await page.waitForFunction((k) => document.querySelector(`tr.main-row[data-node-id="${ k }"] [data-testid="fleet-cell-object"]`)?.textContent?.includes('fleet-cis-audit-policy'), keys[4]);
  await screenshot(page, 'fleet-9.2-rollout');
});

test('9.3 edit a policy 3 clusters share: the Secret and all 3 hashes updated in one operation, node-plan delivers the new file to each', async() => {
  await resetWithFleet(20, { sharedBy: 3 });
  const readers = ['fleet-0009', 'fleet-0010', 'fleet-0011'];
  const edited = `${ CIS.trimEnd() }\n  - level: None\n    users: ["system:kube-proxy"]\n`;
  const page = await adminPage();

  await openFleetPage(page);
  await page.click('[data-testid="fleet-policy-edit-fleet-default/secret/fleet-shared-audit-policy-1/audit-policy.yaml"]');
  await page.waitForSelector('[data-testid="fleet-edit"]');
  expect((await page.locator('[data-testid="fleet-edit-consumers"] li').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim())).toEqual([
    'fleet-0009: /etc/rancher/rke2/audit-policy.yaml (its hash is updated)', 'fleet-0010: /var/lib/rancher/k3s/server/audit.yaml (its hash is updated)', 'fleet-0011: /etc/rancher/rke2/audit-policy.yaml (its hash is updated)',
  ]);
  await page.locator('[data-testid="fleet-edit-yaml"] .CodeMirror').scrollIntoViewIfNeeded();
  await page.evaluate((value) => {
    (document.querySelector('[data-testid="fleet-edit-yaml"] .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(value);
  }, edited);
  await page.waitForSelector('[data-testid="fleet-edit-apply"]:not([disabled])');
  await page.click('[data-testid="fleet-edit-apply"]');
  await page.waitForSelector('[data-testid="fleet-progress-finished"]', { timeout: 120000 });

  const secret = await sim.object('secret', 'fleet-default/fleet-shared-audit-policy-1');

  expect(Buffer.from(secret?.data['audit-policy.yaml'], 'base64').toString()).toBe(edited);
  expect(secret?.metadata.annotations[ANNOTATION]).toBe(readers.join(','));
  for (const name of readers) {
    const cluster = await sim.object(PROV, `fleet-default/${ name }`);
    const items = cluster?.spec.rkeConfig.machineSelectorFiles.flatMap((e: Obj) => e.fileSources.flatMap((s: Obj) => (s.secret || s.configMap).items));

    expect([name, items.map((i: Obj) => i.hash)]).toEqual([name, [sha256Base64(edited)]]);
    expect([name, await deliveredPolicy(name)]).toEqual([name, { content: edited, loadable: true, error: undefined }]);
  }
  const writes = (await sim.requests()).filter((r) => ['secret', 'configmap', PROV].includes(r.type || '')).map((r) => `${ r.method } ${ r.type } ${ r.id } ${ r.status }`);

  expect(writes).toEqual([
    'PUT secret fleet-default/fleet-shared-audit-policy-1 200', ...readers.map((n) => `PUT ${ PROV } fleet-default/${ n } 200`),
  ]);
  await screenshot(page, 'fleet-9.3-shared-edit');
});

test('9.4 export CSV matches the table (filter "failing CIS")', async() => {
  await resetWithFleet(40, { sharedBy: 3 });
  const page = await adminPage();

  await openFleetPage(page);
  await page.click('[data-testid="fleet-filter"]');
  await page.click(`.vs__dropdown-option:has-text("${ EN.fleet.filter['failing-cis'] }")`);
  await page.waitForFunction(() => !(document.querySelector('[data-testid="fleet-count"]')?.textContent || '').match(/^(\d+) of \1 /));
  const rows = await page.locator('[data-testid="fleet-clusters-table"] tr.main-row').evaluateAll((trs) => trs.map((tr) => ({
    key:     tr.getAttribute('data-node-id'),
    object:  tr.querySelector('[data-testid="fleet-cell-object"]')?.textContent?.trim() || '',
    lint:    tr.querySelector('[data-testid="fleet-cell-lint"]')?.textContent?.trim() || '',
    enabled: tr.querySelector('[data-testid="fleet-cell-audit"]')?.textContent?.trim() === 'On',
  })));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="fleet-export-csv"]')]);
  const csv = readFileSync(await download.path() as string, 'utf8');
  const [header, ...records] = csv.split('\r\n').filter(Boolean).map((line) => line.split(','));
  const col = (name: string) => header.indexOf(name);
  const fromCsv = records.map((r) => ({
    key:     r[col('namespace')] ? `${ r[col('namespace')] }/${ r[col('name')] }` : `rke1/${ r[col('name')] }`,
    object:  r[col('object.kind')] ? `${ r[col('object.kind')] }/${ r[col('object.name')] }` : '',
    lint:    r[col('findings.error')] ? `${ r[col('findings.error')] } / ${ r[col('findings.warning')] }` : '',
    enabled: r[col('enabled')] === 'true',
  }));

  expect(download.suggestedFilename()).toMatch(/^cluster-audit-log-\d{8}-\d{6}\.csv$/);
  expect(rows.length).toBeGreaterThan(10);
  expect(fromCsv).toEqual(rows);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="fleet-export-json"]')]);
  const exported = JSON.parse(readFileSync(await json.path() as string, 'utf8'));

  expect(exported).toMatchObject({ filter: 'failing-cis', search: '' });
  expect(exported.clusters.map(rowKey)).toEqual(rows.map((r) => r.key));
  mkdirSync(join(ROOT, 'tests/e2e/artifacts/exports'), { recursive: true });
  copyFileSync(await download.path() as string, join(ROOT, 'tests/e2e/artifacts/exports', download.suggestedFilename()));
});

test('9.5 the Clusters list has an Audit column; Cluster Management has the Audit Log page in its menu', async() => {
  const page = await adminPage();

  await page.goto(`${ DASHBOARD }/c/_/manager/provisioning.cattle.io.cluster`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-testid="cluster-audit-log-column"]', { timeout: 120000 });
  expect(await page.locator('th').allTextContents()).toContainEqual(expect.stringMatching(/^\s*Audit\s*$/));
  const column = async(name: string) => {
    const row = page.locator('tr.main-row', { has: page.locator(`a:text-is("${ name }")`) });

    return (await row.locator('[data-testid="cluster-audit-log-column"]').textContent() || '').trim();
  };

  expect({
    'rke2-custom':          await column('rke2-custom'),
    'rke2-audit-inline':    await column('rke2-audit-inline'),
    'k3s-audit-secret':     await column('k3s-audit-secret'),
    'k3s-commented-policy': await column('k3s-commented-policy'),
    'legacy-rke1':          await column('legacy-rke1'),
  }).toEqual({
    'rke2-custom': 'Off', 'rke2-audit-inline': 'On (Inline)', 'k3s-audit-secret': 'On (Secret)', 'k3s-commented-policy': 'On (ConfigMap)', 'legacy-rke1': 'On (RKE1 block)',
  });
  await page.click('nav a:has-text("Audit Log")');
  await page.waitForSelector('[data-testid="fleet-summary"]', { timeout: 120000 });
  expect(page.url()).toContain('/c/_/manager/cluster-audit-log');
  await screenshot(page, 'fleet-9.5-page');
});
