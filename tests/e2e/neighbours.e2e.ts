/**
 * No neighbour ever breaks: a save on one cluster's Audit Log tab leaves what Rancher delivers to every other
 * cluster exactly as it was. Each scenario records the stand-in's node-plan of every cluster first and ends by
 * comparing every other cluster's node-plan with that record, byte for byte, besides its own checks on the
 * stored objects and on the edited cluster's node-plan. The clusters are NEIGHBOURS of tests/rancher/seed.ts.
 */
import { Browser, Page } from 'playwright-core';
import { NEIGHBOURS } from '../rancher/seed';
import {
  allNodePlans, clickSave, disableAudit, enableAudit, launch, login, openAuditTab, openEdit, pageErrors, screenshot, screenshotTab, sim, storedObjects, waitForSaved
} from './browser';

const ANNOTATION = 'rke.cattle.io/object-authorized-for-clusters';
const MANAGED_BY = 'app.kubernetes.io/managed-by';
const PROV = 'provisioning.cattle.io.cluster';
const N = NEIGHBOURS;

let browser: Browser;

beforeAll(async() => {
  browser = await launch();
});

afterAll(async() => {
  await browser?.close();
});

beforeEach(async() => {
  await sim.reset();
});

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rke = (cluster: Obj | null): Obj => cluster?.spec?.rkeConfig || {};
const args = (cluster: Obj | null): string[] => rke(cluster).machineGlobalConfig?.['kube-apiserver-arg'] || [];
const controlPlane = (plan: Obj): Obj => plan.nodes.find((n: Obj) => n.roles.includes('controlplane'));
const worker = (plan: Obj): Obj => plan.nodes.find((n: Obj) => !n.roles.includes('controlplane'));
const paths = (node: Obj): string[] => node.files.map((f: Obj) => f.path);
const cluster = (name: string) => sim.object(PROV, `fleet-default/${ name }`);
const secret = (name: string) => sim.object('secret', `fleet-default/${ name }`);

async function adminPage(): Promise<Page> {
  return (await login(browser, 'admin')).page;
}

async function openTab(page: Page, name: string): Promise<void> {
  await openEdit(page, name);
  await openAuditTab(page);
}

/** Every cluster but `self` has the node-plan it had in `before`, byte for byte (and no cluster came or went). */
async function expectNeighboursUnchanged(before: Record<string, string>, self: string): Promise<void> {
  const after = await allNodePlans();
  const others = (plans: Record<string, string>) => Object.fromEntries(Object.entries(plans).filter(([name]) => name !== self));

  expect(Object.keys(after)).toEqual(Object.keys(before));
  expect(others(after)).toEqual(others(before));
}

/**
 * Opens the cluster again after the save: the tab reads the saved state back, and saving it again changes nothing
 * (a plan that still wanted to write something would show it under "Changes on save"). Ends on a screenshot.
 */
async function expectSavedState(page: Page, name: string, shot: string): Promise<void> {
  await openTab(page, name);
  const review = page.locator('[data-testid="audit-changes-none"], [data-testid="audit-changes-objects"], [data-testid="audit-changes-blocked"]').first();

  await review.waitFor();
  expect(`${ await review.getAttribute('data-testid') }: ${ await review.textContent() }`).toMatch(/^audit-changes-none: /);
  await screenshotTab(page, shot);
}

/** Writes the browser made to Secrets, ConfigMaps and clusters (the stand-in logs every non-GET request). */
async function writes(): Promise<{ method: string, type?: string, id?: string, status: number }[]> {
  return (await sim.requests()).filter((r) => ['secret', 'configmap', PROV].includes(r.type || '')).map(({
    method, type, id, status
  }) => ({
    method, type, id, status
  }));
}

test('9a. disabling audit on a cluster whose policy Secret delivers other files too: the Secret stays authorized, its other files keep coming, only the policy key and flag go', async() => {
  const name = N.twoFiles.name;
  const plansBefore = await allNodePlans();
  const secretBefore = await secret(N.twoFiles.secret);
  const clusterBefore = await cluster(name);
  const page = await adminPage();

  await openTab(page, name);
  await disableAudit(page);
  await page.waitForSelector('[data-testid="audit-changes-objects"]');
  expect(await page.textContent('[data-testid="audit-changes-objects"]')).toContain(N.twoFiles.secret);
  await clickSave(page);
  await waitForSaved(page);

  const secretAfter = await secret(N.twoFiles.secret);
  const clusterAfter = await cluster(name);

  expect(secretAfter).not.toBeNull();
  expect(secretAfter?.metadata.annotations[ANNOTATION]).toBe(name);
  expect(Object.keys(secretAfter?.data || {}).sort()).toEqual(['90-kubelet.conf', 'psa.yaml']);
  expect(secretAfter?.data['psa.yaml']).toBe(secretBefore?.data['psa.yaml']);
  expect(secretAfter?.data['90-kubelet.conf']).toBe(secretBefore?.data['90-kubelet.conf']);
  // the other items are kept as they were; only the policy item is gone
  const items = (c: Obj | null) => (rke(c).machineSelectorFiles || []).flatMap((e: Obj) => e.fileSources.flatMap((s: Obj) => s.secret.items));

  expect(items(clusterAfter)).toEqual(items(clusterBefore).filter((i: Obj) => i.key !== 'audit-policy.yaml'));
  expect(args(clusterAfter).some((a) => a.startsWith('audit-policy-file='))).toBe(false);
  expect(args(clusterAfter).filter((a) => !a.startsWith('audit-'))).toEqual(args(clusterBefore).filter((a) => !a.startsWith('audit-')));

  const plan = await sim.nodePlan(name);

  expect(plan.error).toBeUndefined();
  expect(paths(controlPlane(plan))).toEqual(['/var/lib/rancher/k3s/server/psa.yaml', '/etc/sysctl.d/90-kubelet.conf']);
  expect(paths(worker(plan))).toEqual(['/etc/sysctl.d/90-kubelet.conf']);
  expect(controlPlane(plan).kubeApiserver.effective['audit-policy-file']).toBeUndefined();
  expect(controlPlane(plan).policy).toBeUndefined();
  await expectNeighboursUnchanged(plansBefore, name);
  await expectSavedState(page, name, '9a-disable-keeps-other-files');
  expect(await page.isChecked('[data-testid="audit-enable"] input[type="checkbox"]')).toBe(false);
});

test('9b. a Secret two other clusters read: the name field says what is at stake, Save is refused and writes nothing, the offered free name saves', async() => {
  const name = N.auditOff.name;
  const plansBefore = await allNodePlans();
  const storedBefore = await storedObjects();
  const sharedBefore = JSON.stringify(await secret(N.shared.secret));
  const page = await adminPage();

  await openTab(page, name);
  await enableAudit(page);
  await page.check('[data-testid="audit-method-secret-input"]');
  await page.fill('input[data-testid="audit-file-name"]', N.shared.secret);
  await page.waitForSelector('[data-testid="audit-file-name-error"]');
  const stake = await page.textContent('[data-testid="audit-file-name-error"]');

  expect(stake).toContain(N.sharedA.name);
  expect(stake).toContain(N.sharedB.name);
  await clickSave(page);
  await page.waitForFunction(() => /audit settings cannot be saved/i.test(document.body.innerText));
  expect(await pageErrors(page)).toContain(N.shared.secret);
  await screenshotTab(page, '9b-shared-secret-refused');
  await screenshot(page, '9b-shared-secret-refused-page');
  expect(await storedObjects()).toEqual(storedBefore);
  expect(await writes()).toEqual([]);

  const suggestion = page.locator('[data-testid="audit-file-name-suggestion"]');

  expect(await suggestion.count()).toBe(1);
  await suggestion.click();
  await page.waitForSelector('[data-testid="audit-file-name-error"]', { state: 'detached' });
  const newName = await page.inputValue('input[data-testid="audit-file-name"]');

  expect(newName).not.toBe(N.shared.secret);
  expect(await sim.object('secret', `fleet-default/${ newName }`)).toBeNull();
  await clickSave(page);
  await waitForSaved(page);

  const created = await secret(newName);

  expect(created?.metadata.annotations[ANNOTATION]).toBe(name);
  expect(created?.metadata.labels[MANAGED_BY]).toBe('cluster-audit-log');
  expect(JSON.stringify(await secret(N.shared.secret))).toBe(sharedBefore);
  const files = rke(await cluster(name)).machineSelectorFiles;

  expect(files.flatMap((e: Obj) => e.fileSources.map((s: Obj) => s.secret?.name))).toEqual([newName]);
  const plan = await sim.nodePlan(name);

  expect(plan.error).toBeUndefined();
  expect(controlPlane(plan).policy).toMatchObject({ delivered: true, loadable: true, deliveredBy: expect.stringContaining(newName) });
  await expectNeighboursUnchanged(plansBefore, name);
  await expectSavedState(page, name, '9b-free-name-saved');
  expect(await page.inputValue('input[data-testid="audit-file-name"]')).toBe(newName);
});

test('9c. an external policy file: the tab shows its path, a max age edit changes that one arg in its place and writes no Secret, ConfigMap or file item', async() => {
  const name = N.external.name;
  const plansBefore = await allNodePlans();
  const storedBefore = await storedObjects(['secret', 'configmap']);
  const before = await cluster(name);
  const page = await adminPage();

  await openTab(page, name);
  await page.waitForSelector('[data-testid="audit-external"]');
  expect(await page.textContent('[data-testid="audit-external"]')).toContain(N.external.policyPath);
  await page.fill('input[data-testid="audit-log-maxAge"]', '30');
  await clickSave(page);
  await waitForSaved(page);

  const after = await cluster(name);

  expect(args(after)).toEqual(args(before).map((a) => (a.startsWith('audit-log-maxage=') ? 'audit-log-maxage=30' : a)));
  expect([rke(before).machineSelectorFiles, rke(after).machineSelectorFiles]).toEqual([undefined, undefined]);
  expect(rke(after).machineGlobalConfig['audit-policy-file']).toBeUndefined();
  expect(await storedObjects(['secret', 'configmap'])).toEqual(storedBefore);
  expect((await writes()).filter((w) => w.type !== PROV)).toEqual([]);

  const cp = controlPlane(await sim.nodePlan(name));

  expect(cp.kubeApiserver.effective['audit-policy-file']).toBe(N.external.policyPath);
  expect(cp.kubeApiserver.effective['audit-log-maxage']).toBe('30');
  expect(cp.policy.path).toBe(N.external.policyPath);
  await expectNeighboursUnchanged(plansBefore, name);
  await expectSavedState(page, name, '9c-external-policy-max-age');
  expect(await page.textContent('[data-testid="audit-external"]')).toContain(N.external.policyPath);
  expect(await page.inputValue('input[data-testid="audit-log-maxAge"]')).toBe('30');
});

test('9d. an annotation entry with a space before this cluster\'s name: flagged on opening, a plain Save fixes it, the policy is then delivered', async() => {
  const name = N.spaced.name;
  const plansBefore = await allNodePlans();
  const secretBefore = await secret(N.spaced.secret);
  const page = await adminPage();

  expect(JSON.parse(plansBefore[name].slice(4)).error).toContain('was not authorized');
  await openTab(page, name);
  await page.waitForSelector('[data-testid="audit-problems"]');
  expect(await page.textContent('[data-testid="audit-problems"]')).toContain('not authorized');
  await page.waitForSelector('[data-testid="audit-plan-warnings"]');
  expect(await page.textContent('[data-testid="audit-plan-warnings"]')).toContain(`" ${ name }"`);
  expect(await page.textContent('[data-testid="audit-changes-objects"]')).toContain(N.spaced.secret);
  await screenshotTab(page, '9d-spaced-entry-flagged');
  await clickSave(page);
  await waitForSaved(page);

  const secretAfter = await secret(N.spaced.secret);

  expect(secretAfter?.metadata.annotations[ANNOTATION]).toBe(`${ N.other.name },${ name }`);
  expect(secretAfter?.data).toEqual(secretBefore?.data);
  expect(secretAfter?.metadata.labels?.[MANAGED_BY]).toBeUndefined();
  const plan = await sim.nodePlan(name);

  expect(plan.error).toBeUndefined();
  expect(controlPlane(plan).policy).toMatchObject({ delivered: true, loadable: true, deliveredBy: expect.stringContaining(N.spaced.secret) });
  expect(plansBefore[N.other.name].startsWith('200 ')).toBe(true);
  await expectNeighboursUnchanged(plansBefore, name);
  await expectSavedState(page, name, '9d-spaced-entry-fixed');
  expect(await page.locator('[data-testid="audit-problems"], [data-testid="audit-plan-warnings"]').count()).toBe(0);
});

test('9e. one rule\'s level changed in the form: the ConfigMap\'s policy differs in that one line (comments kept), args and item permissions untouched', async() => {
  const name = N.commented.name;
  const plansBefore = await allNodePlans();
  const cmId = `fleet-default/${ N.commented.configMap }`;
  const textBefore: string = (await sim.object('configmap', cmId))?.data[N.commented.key];
  const before = await cluster(name);
  const page = await adminPage();

  await openTab(page, name);
  const summary = await page.textContent('[data-testid="audit-rule-0-summary"]');

  await page.click('[data-testid="audit-rule-0-select"]');
  await page.click('[data-testid="audit-rule-form-0"] [data-testid="audit-rule-0-level"]');
  await page.locator('.vs__dropdown-option', { hasText: /^\s*Metadata —/ }).click();
  await page.waitForFunction((was) => document.querySelector('[data-testid="audit-rule-0-summary"]')?.textContent !== was, summary);
  await clickSave(page);
  await waitForSaved(page);

  const textAfter: string = (await sim.object('configmap', cmId))?.data[N.commented.key];
  const linesBefore = textBefore.split('\n');
  const linesAfter = textAfter.split('\n');
  const changed = linesBefore.map((line, i) => (line === linesAfter[i] ? -1 : i)).filter((i) => i >= 0);
  const ruleLine = linesBefore.indexOf('  - level: RequestResponse');

  expect(linesAfter.filter((l) => l.trim().startsWith('#'))).toEqual(linesBefore.filter((l) => l.trim().startsWith('#')));
  expect({ lines: linesAfter.length, changed, now: linesAfter[ruleLine] }).toEqual({ lines: linesBefore.length, changed: [ruleLine], now: '  - level: Metadata' });

  const after = await cluster(name);

  expect(args(after)).toEqual(args(before));
  const item = rke(after).machineSelectorFiles[0].fileSources[0].configMap.items[0];

  expect(item).toMatchObject({ key: N.commented.key, path: '/var/lib/rancher/k3s/server/audit.yaml', permissions: '0644' });
  const plan = await sim.nodePlan(name);
  const file = controlPlane(plan).files.find((f: Obj) => f.path === '/var/lib/rancher/k3s/server/audit.yaml');

  expect(plan.error).toBeUndefined();
  expect(file).toMatchObject({ content: textAfter, permissions: '0644' });
  expect(controlPlane(plan).policy).toMatchObject({ delivered: true, loadable: true });
  await expectNeighboursUnchanged(plansBefore, name);
  await expectSavedState(page, name, '9e-one-level-one-line');
  expect(await page.textContent('[data-testid="audit-rule-0-summary"]')).not.toBe(summary);
});

test('9f. what the tab shows on opening a cluster with a stored policy, scrolled to without a click: the policy YAML drawn line by line, every file field inside the tab, then the cluster diff of a typed change', async() => {
  const name = N.commented.name;
  const plansBefore = await allNodePlans();
  const stored: string = (await sim.object('configmap', `fleet-default/${ N.commented.configMap }`))?.data[N.commented.key];
  const page = await adminPage();
  const seen: string[] = [];

  await openTab(page, name);
  await page.waitForFunction((text) => (document.querySelector('[data-testid="audit-yaml-editor"] .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue() === text, stored);
  // scrolled to (the editor was created while the tab was hidden): its lines are drawn without a click
  await page.locator('[data-testid="audit-yaml-editor"]').scrollIntoViewIfNeeded();
  const firstLines = stored.split('\n').filter((line) => line.trim()).slice(0, 3);
  const drawn = () => page.locator('[data-testid="audit-yaml-editor"] .CodeMirror-line').allTextContents();

  await page.waitForFunction((lines) => {
    const shown = [...document.querySelectorAll('[data-testid="audit-yaml-editor"] .CodeMirror-line')].map((l) => l.textContent);

    return lines.every((line) => shown.includes(line));
  }, firstLines, { timeout: 10000 }).catch(() => undefined);
  const shown = await drawn();

  if (!firstLines.every((line) => shown.includes(line))) {
    seen.push(`the Policy YAML box draws ${ shown.length } lines without a click: ${ JSON.stringify(shown.slice(0, 3)) }, not the stored policy's first lines ${ JSON.stringify(firstLines) }`);
  }
  const tab = await page.locator('[data-testid="cluster-audit-log-tab"]').boundingBox();

  for (const field of ['name', 'key', 'path', 'selector', 'permissions']) {
    const box = await page.locator(`input[data-testid="audit-file-${ field }"]`).boundingBox();

    if (!tab || !box || box.x < tab.x || box.x + box.width > tab.x + tab.width) {
      seen.push(`audit-file-${ field } lies outside the tab: input ${ JSON.stringify(box) }, tab ${ JSON.stringify(tab) }`);
    }
  }
  await screenshotTab(page, '9f-tab-on-opening');
  // a value typed into a field (no click anywhere) brings the cluster diff; scrolled to, it shows the change
  await page.fill('input[data-testid="audit-log-maxAge"]', '45');
  const diff = page.locator('[data-testid="audit-changes-diff"]');

  await diff.waitFor({ state: 'attached' });
  await diff.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => (document.querySelector('[data-testid="audit-changes-diff"] .d2h-diff-table') as HTMLElement | null)?.innerText.includes('audit-log-maxage=45'), undefined, { timeout: 10000 }).catch(() => undefined);
  const diffText = await diff.locator('.d2h-diff-table').first().innerText().catch(() => '');
  const inserted = await diff.locator('.d2h-ins .d2h-code-line-ctn').allInnerTexts();
  const deleted = await diff.locator('.d2h-del .d2h-code-line-ctn').allInnerTexts();

  if (!inserted.some((line) => line.includes('audit-log-maxage=45')) || !deleted.some((line) => line.includes('audit-log-maxage=30'))) {
    seen.push(`the cluster diff, scrolled to, draws ${ JSON.stringify(diffText.slice(0, 200)) }: added ${ JSON.stringify(inserted) }, removed ${ JSON.stringify(deleted) } (expected audit-log-maxage=30 -> 45)`);
  }
  await screenshotTab(page, '9f-diff-scrolled-to');
  expect(seen).toEqual([]);
  await expectNeighboursUnchanged(plansBefore, '');
});
