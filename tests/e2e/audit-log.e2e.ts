/**
 * The Audit Log tab clicked through for real: the shell's dashboard dev server with this extension, Debian's
 * chromium, the Rancher stand-in. Each scenario ends with assertions on the stand-in's stored objects AND on
 * its node-plan (what Rancher's planner would put on the nodes, checked by the project's `check`).
 */
import { Browser, Page } from 'playwright-core';
import {
  clickSave, enableAudit, launch, login, openAuditTab, openCreate, openEdit, pageErrors, screenshot, sim, typeYaml, waitForSaved, waitForText
} from './browser';
import { modeTest } from './mode';
import { DASHBOARD } from './servers';

const ANNOTATION = 'rke.cattle.io/object-authorized-for-clusters';
const SEED = {
  rke2: 'rke2-custom', k3s: 'k3s-custom', rke2Inline: 'rke2-audit-inline', k3sSecret: 'k3s-audit-secret', rke1Prov: 'c-7xk2p', rke1Mgmt: 'c-7xk2p',
};

/**
 * This file's `test`: scenarios 1, 2, 3 and 7 also run in the packaged mode (E2E_MODE=packaged, named
 * "packaged: ..."), with the UMD of `yarn build-pkg` loaded by Rancher's extension loader; see mode.ts.
 */
const test = modeTest({ packaged: ['1. ', '2. ', '3. ', '7. '] });

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

const mgc = (cluster: Obj | null): Obj => cluster?.spec?.rkeConfig?.machineGlobalConfig || {};
const controlPlane = (plan: Obj): Obj => plan.nodes.find((n: Obj) => n.roles.includes('controlplane'));

async function adminPage(): Promise<Page> {
  return (await login(browser, 'admin')).page;
}

async function choosePreset(page: Page, id: string): Promise<void> {
  await page.check(`[data-testid="audit-preset-${ id }"]`);
  await page.click('[data-testid="audit-preset-apply"]');
}

async function chooseMethod(page: Page, method: string): Promise<void> {
  await page.check(`[data-testid="audit-method-${ method }-input"]`);
  await page.waitForSelector(`[data-testid="audit-method-${ method }-where"]`);
}

test('1. new RKE2 custom cluster: enable, CIS preset, a rule from the wizard, YAML preview, Create -> inline policy; node-plan has the file and flags', async() => {
  const page = await adminPage();
  const name = 'e2e-new-rke2';

  await openCreate(page);
  await page.fill('[data-testid="name-ns-description-name"] input, input[data-testid="name-ns-description-name"]', name);
  await openAuditTab(page);
  await enableAudit(page);
  await choosePreset(page, 'cis-minimal');
  await page.click('[data-testid="audit-rule-add"]');
  const form = page.locator('[data-testid="audit-rule-form-2"]');

  await form.locator('[data-testid="audit-rule-2-scope-nonResource"]').check();
  await form.locator('[data-testid="audit-rule-2-level"]').click();
  await page.locator('.vs__dropdown-option', { hasText: 'None —' }).click();
  await page.click('[data-testid="audit-rule-1-up"]').catch(() => undefined);
  await page.waitForFunction(() => (document.querySelector('[data-testid="audit-yaml-editor"]')?.textContent || '').includes('/healthz*'));
  await clickSave(page);
  await waitForSaved(page);
  const cluster = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ name }`);

  expect(mgc(cluster)['audit-policy-file']).toContain('nonResourceURLs');
  expect(mgc(cluster)['audit-policy-file']).toContain('level: None');
  const plan = await sim.nodePlan(name);
  const node = controlPlane(plan);

  expect(plan.error).toBeUndefined();
  expect(node.files.map((f: Obj) => f.path)).toContain('/var/lib/rancher/rke2/etc/config-files/audit-policy-file');
  expect(node.policy).toMatchObject({ delivered: true, loadable: true });
  expect(node.kubeApiserver.auditLogEnabled).toBe(true);
  expect(node.kubeApiserver.effective['audit-log-maxage']).toBe('30');
  // the page a save goes back to draws its content later: the picture waits for the new cluster's name
  await waitForText(page, name);
  await screenshot(page, '1-new-rke2-inline');
});

test('2. existing K3s cluster: Secret method -> Secret with the exact annotation, machineSelectorFiles to control-plane nodes, args; node-plan delivers the file', async() => {
  const page = await adminPage();

  await openEdit(page, SEED.k3s);
  await openAuditTab(page);
  await enableAudit(page);
  expect(await page.isDisabled('[data-testid="audit-method-inline-input"]')).toBe(true);
  await chooseMethod(page, 'secret');
  await screenshot(page, '2-k3s-secret-before-save');
  await clickSave(page);
  await waitForSaved(page);
  const secret = await sim.object('secret', `fleet-default/${ SEED.k3s }-audit-policy`);
  const cluster = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ SEED.k3s }`);

  expect(secret?.metadata.annotations[ANNOTATION]).toBe(SEED.k3s);
  expect(cluster?.spec.rkeConfig.machineSelectorFiles).toEqual([expect.objectContaining({ machineLabelSelector: { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } } })]);
  expect(mgc(cluster)['kube-apiserver-arg']).toEqual(expect.arrayContaining(['audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml', 'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log']));
  const plan = await sim.nodePlan(SEED.k3s);

  expect(plan.error).toBeUndefined();
  expect(controlPlane(plan).policy).toMatchObject({ path: '/var/lib/rancher/k3s/server/audit.yaml', delivered: true, loadable: true });
  expect(plan.nodes.find((n: Obj) => !n.roles.includes('controlplane'))?.files.map((f: Obj) => f.path) || []).not.toContain('/var/lib/rancher/k3s/server/audit.yaml');
  await waitForText(page, SEED.k3s);
  await screenshot(page, '2-k3s-secret-saved');
});

test('3. existing RKE2 cluster with an inline policy: read back into the wizard; switch to Secret; the inline key is gone', async() => {
  const page = await adminPage();
  const before = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ SEED.rke2Inline }`);

  await openEdit(page, SEED.rke2Inline);
  await openAuditTab(page);
  expect(await page.locator('[data-testid="audit-enable"] input[type="checkbox"]').isChecked()).toBe(true);
  expect(await page.isChecked('[data-testid="audit-method-inline-input"]')).toBe(true);
  expect(await page.locator('[data-testid^="audit-rule-"][data-testid$="-summary"]').count()).toBeGreaterThan(0);
  await chooseMethod(page, 'secret');
  await clickSave(page);
  await waitForSaved(page);
  const cluster = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ SEED.rke2Inline }`);
  const secret = await sim.object('secret', `fleet-default/${ SEED.rke2Inline }-audit-policy`);

  expect(mgc(cluster)['audit-policy-file']).toBeUndefined();
  expect(secret).not.toBeNull();
  expect(Buffer.from(Object.values(secret?.data as Record<string, string>)[0], 'base64').toString()).toBe(mgc(before)['audit-policy-file']);
  const plan = await sim.nodePlan(SEED.rke2Inline);

  expect(controlPlane(plan).files.map((f: Obj) => f.path)).not.toContain('/var/lib/rancher/rke2/etc/config-files/audit-policy-file');
  expect(controlPlane(plan).policy).toMatchObject({ delivered: true, loadable: true });
  await waitForText(page, SEED.rke2Inline);
  await screenshot(page, '3-rke2-inline-to-secret');
});

test('4. YAML typed by hand with an error: shown at its line, Save refused with a clear message, fixing it saves', async() => {
  const page = await adminPage();

  await openEdit(page, SEED.rke2);
  await openAuditTab(page);
  await enableAudit(page);
  await typeYaml(page, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  users: [a\n  - b\n');
  await page.waitForSelector('[data-testid="audit-yaml-error"]');
  expect(await page.textContent('[data-testid="audit-yaml-error"]')).toMatch(/Line 6, column 3/);
  await clickSave(page);
  await page.waitForFunction(() => /audit settings cannot be saved/i.test(document.body.innerText));
  expect(await pageErrors(page)).toMatch(/kube-apiserver would refuse this policy/);
  await screenshot(page, '4-yaml-error-refused');
  await typeYaml(page, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  users: [a, b]\n- level: Metadata\n');
  await page.waitForSelector('[data-testid="audit-yaml-error"]', { state: 'detached' });
  await clickSave(page);
  await waitForSaved(page);
  const cluster = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ SEED.rke2 }`);

  expect(mgc(cluster)['audit-policy-file']).toContain('users: [a, b]');
  expect(controlPlane(await sim.nodePlan(SEED.rke2)).policy).toMatchObject({ loadable: true });
});

test('5. the restricted user: the Secret method is shown as not allowed up front; inline still works', async() => {
  const { page } = await login(browser, 'restricted');

  await openEdit(page, SEED.rke2);
  await openAuditTab(page);
  await enableAudit(page);
  expect(await page.isDisabled('[data-testid="audit-method-secret-input"]')).toBe(true);
  expect(await page.textContent('[data-testid="audit-method-secret-reason"]')).toContain('You may not create or update Secrets in fleet-default');
  await screenshot(page, '5-restricted-secret-not-allowed');
  await chooseMethod(page, 'inline');
  await clickSave(page);
  await waitForSaved(page);
  const cluster = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ SEED.rke2 }`);

  expect(mgc(cluster)['audit-policy-file']).toContain('kind: Policy');
  expect((await sim.requests()).filter((r) => r.type === 'secret' && r.method !== 'GET')).toEqual([]);
  expect(controlPlane(await sim.nodePlan(SEED.rke2)).policy).toMatchObject({ delivered: true, loadable: true });
});

test('6. a 409 during save: the page\'s conflict handling runs, the audit settings survive, the save succeeds', async() => {
  const page = await adminPage();

  await openEdit(page, SEED.k3s);
  await openAuditTab(page);
  await enableAudit(page);
  await chooseMethod(page, 'configmap');
  await sim.bump('provisioning.cattle.io.cluster', `fleet-default/${ SEED.k3s }`);
  await clickSave(page);
  // The page's conflict handling either merges and saves again by itself, or (when the stand-in's change event
  // reaches the page mid-save) shows the conflict; then the user's settings must still be there for a second Save.
  const outcome = await Promise.race([
    waitForSaved(page).then(() => 'saved'),
    page.waitForFunction(() => /the object has been modified/.test(document.body.innerText), undefined, { timeout: 60000 }).then(() => 'conflict'),
  ]);

  if (outcome === 'conflict') {
    await screenshot(page, '6-conflict-shown');
    expect(await page.isChecked('[data-testid="audit-method-configmap-input"]')).toBe(true);
    // Save again, as the banner says. The page merges with its copy of the cluster, which the stand-in's change
    // event updates; on a loaded machine that event can come after the next Save, which then conflicts again.
    let saved = false;

    for (let attempt = 0; attempt < 3 && !saved; attempt++) {
      await clickSave(page);
      saved = await page.waitForURL((url) => !url.search.includes('mode=edit'), { timeout: 20000 }).then(() => true, () => false);
    }
    expect(saved).toBe(true);
  }
  const puts = (await sim.requests()).filter((r) => r.method === 'PUT' && r.type === 'provisioning.cattle.io.cluster');

  expect(puts[0].status).toBe(409);
  expect(puts[puts.length - 1].status).toBe(200);
  const cluster = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ SEED.k3s }`);

  expect(cluster?.metadata.annotations['sim.cattle.io/bumped']).toBeDefined();
  expect(mgc(cluster)['kube-apiserver-arg']).toContain('audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml');
  expect((await sim.requests()).filter((r) => r.type === 'configmap' && r.method === 'POST')).toHaveLength(1);
  expect(controlPlane(await sim.nodePlan(SEED.k3s)).policy).toMatchObject({ delivered: true, loadable: true });
  await waitForText(page, SEED.k3s);
  await screenshot(page, '6-conflict-saved');
});

test('7. RKE1: the tab on the cluster detail page saves the auditLog block', async() => {
  const page = await adminPage();

  await page.goto(`${ DASHBOARD }/c/_/manager/provisioning.cattle.io.cluster/fleet-default/${ SEED.rke1Prov }`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-testid="btn-cluster-audit-log-rke1"]', { timeout: 120000 });
  await page.click('[data-testid="btn-cluster-audit-log-rke1"]');
  await page.waitForSelector('[data-testid="audit-editor"]', { state: 'visible' });
  expect(await page.textContent('[data-testid="audit-distro"]')).toContain('RKE1');
  expect(await page.textContent('[data-testid="audit-rke1-versions"]')).toContain('Rancher 2.10 and 2.11 only');
  await enableAudit(page);
  await choosePreset(page, 'cis-minimal');
  await page.fill('input[data-testid="audit-log-maxBackup"]', '20');
  await page.click('[data-testid="audit-rke1-save"]');
  await page.waitForSelector('[data-testid="audit-rke1-message"]');
  expect(await page.textContent('[data-testid="audit-rke1-message"]')).toContain('Audit settings saved.');
  const mgmt = await sim.object('management.cattle.io.cluster', SEED.rke1Mgmt);
  const auditLog = mgmt?.spec.rancherKubernetesEngineConfig.services.kubeApi.auditLog;

  expect(auditLog).toMatchObject({ enabled: true, configuration: { maxBackup: 20, maxAge: 30, path: '/var/log/kube-audit/audit-log.json' } });
  expect(auditLog.configuration.policy.rules).toHaveLength(2);
  expect(controlPlane(await sim.nodePlan(SEED.rke1Mgmt)).policy).toMatchObject({ loadable: true });
  await screenshot(page, '7-rke1-saved');
});

test('8. the page\'s own "Edit as YAML" preview does not create a Secret', async() => {
  const page = await adminPage();

  await openEdit(page, SEED.k3s);
  await openAuditTab(page);
  await enableAudit(page);
  await chooseMethod(page, 'secret');
  await page.click('[data-testid="rke2-custom-create-yaml"]');
  // the page first asks to save machine configurations (none to save on a custom cluster)
  await page.getByRole('button', { name: 'Save and Continue' }).click();
  await page.waitForSelector('.cru-resource-yaml-container .CodeMirror', { state: 'visible', timeout: 60000 });
  const yaml = await page.evaluate(() => (document.querySelector('.cru-resource-yaml-container .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());

  expect(yaml).toContain('audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml');
  expect(yaml).toContain(`name: ${ SEED.k3s }-audit-policy`);
  expect((await sim.requests()).filter((r) => r.type === 'secret' && r.method !== 'GET')).toEqual([]);
  expect(await sim.object('secret', `fleet-default/${ SEED.k3s }-audit-policy`)).toBeNull();
  // nothing was saved: the nodes still get no audit policy
  const node = controlPlane(await sim.nodePlan(SEED.k3s));

  expect(node.kubeApiserver?.auditLogEnabled ?? false).toBe(false);
  expect(node.files.map((f: Obj) => f.path)).not.toContain('/var/lib/rancher/k3s/server/audit.yaml');
  await screenshot(page, '8-edit-as-yaml-no-secret');
});
