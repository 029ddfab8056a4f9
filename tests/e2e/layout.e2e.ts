/**
 * The Audit Log tab's layout in the real browser at the sizes of a laptop (1280x800) and a desktop (1440x900):
 * nothing sticks out of the tab's panel sideways, in each state a user reaches (audit off, on with the inline
 * policy, a Secret with every file field, a rule open in the form, a test request matched, the cluster diff), and
 * nothing is drawn over something else (the log path hint, the distribution line, the matched badge, a rule
 * card's buttons). Scenario 10a also takes the README's pictures.
 */
import { Browser, Page } from 'playwright-core';
import {
  enableAudit, launch, login, openAuditTab, openEdit, overlap, screenshot, screenshotOf, screenshotTab, sim, tabOverflow, typeYaml
} from './browser';

const RKE2 = 'rke2-custom';

/** A policy whose first rule has a long summary (long names, no spaces to break at) and matches the default test request. */
const LONG_RULE_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  users: [jane, system:serviceaccount:cattle-system:cattle-cluster-agent-with-an-unusually-long-name-for-a-service-account, system:serviceaccount:kube-system:generic-garbage-collector]
  userGroups: [system:authenticated, system:serviceaccounts:cattle-fleet-system]
  verbs: [get, list, watch, create, update, patch, delete]
  resources:
  - group: ""
    resources: [secrets, configmaps, serviceaccounts/token, persistentvolumeclaims, endpoints]
  namespaces: [default, kube-system, cattle-system, cattle-fleet-system, cattle-impersonation-system, cattle-monitoring-system]
- level: None
  nonResourceURLs: ["/healthz*", "/readyz*", "/livez*"]
- level: Metadata
`;

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

/** The box of the first element matching `selector` (it must be shown). */
async function box(page: Page, selector: string): Promise<{ x: number, y: number, width: number, height: number }> {
  const found = await page.locator(selector).first().boundingBox();

  if (!found) {
    throw new Error(`${ selector } is not shown`);
  }

  return found;
}

const SIZES = [{ width: 1280, height: 800 }, { width: 1440, height: 900 }];

test.each(SIZES)('10a. at $width x $height nothing leaves the tab sideways or covers other text: audit off, inline, Secret with every file field, a rule in the form, a matched test request, the cluster diff', async(size) => {
  const { page } = await login(browser, 'admin');
  const seen: string[] = [];
  const at = `${ size.width }x${ size.height }`;
  const fits = async(state: string) => {
    for (const line of await tabOverflow(page)) {
      seen.push(`${ at }, ${ state }: ${ line }`);
    }
  };
  const apart = async(state: string, a: string, b: string) => {
    const found = await overlap(page, a, b);

    if (found) {
      seen.push(`${ at }, ${ state }: ${ found }`);
    }
  };
  const shot = size.width === 1440 ? (selector: string, name: string) => screenshotOf(page, selector, name) : async() => '';

  await page.setViewportSize(size);
  await openEdit(page, RKE2);
  await openAuditTab(page);

  // audit off: nothing is checked, so Review says so instead of "No findings"
  await fits('audit off');
  expect(await page.textContent('[data-testid="audit-findings-not-checked"]')).toContain('Audit logging is off');
  expect(await page.locator('[data-testid="audit-findings-none"]').count()).toBe(0);

  // on, inline
  await enableAudit(page);
  await page.waitForSelector('[data-testid="audit-method-inline-where"]');
  await fits('audit on, inline');
  const distro = await box(page, '[data-testid="audit-distro"]');
  const enable = await box(page, '[data-testid="audit-enable"]');

  if (enable.y - (distro.y + distro.height) < 8) {
    seen.push(`${ at }: "Distribution" ends ${ enable.y - (distro.y + distro.height) }px above the Enable checkbox (less than 8)`);
  }
  await apart('log backend', '[data-testid="audit-log-backend"] [data-testid="sub-label"]', '[data-testid="audit-log-backend"] .labeled-input:has(input[data-testid="audit-log-maxAge"])');
  await apart('log backend', '[data-testid="audit-log-backend"] [data-testid="sub-label"]', '[data-testid="audit-log-backend"] .labeled-input:has(input[data-testid="audit-log-maxBackup"])');
  const picker = await box(page, '[data-testid="audit-preset-picker"]');

  if (picker.height > size.height / 4) {
    seen.push(`${ at }: "Start from" is ${ Math.round(picker.height) }px tall, more than a quarter of the window`);
  }
  await page.check('[data-testid="audit-preset-gke"]');
  expect(await page.textContent('[data-testid="audit-preset-description"]')).toContain('Drops noisy system traffic');
  if (size.width === 1440) {
    await page.locator('[role="tabpanel"]:has([data-testid="cluster-audit-log-tab"])').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'readme-tab-top');
  }

  // Secret, every file field filled
  await page.check('[data-testid="audit-method-secret-input"]');
  await page.waitForSelector('[data-testid="audit-method-secret-where"]');
  await page.fill('input[data-testid="audit-file-selector"]', 'node-role.kubernetes.io/control-plane=true, topology.kubernetes.io/zone=eu-west-1a');
  await page.fill('input[data-testid="audit-file-permissions"]', '0640');
  if (!await page.isChecked('[data-testid="audit-file-hash"] input[type="checkbox"]')) {
    await page.click('[data-testid="audit-file-hash"] .checkbox-container');
  }
  await fits('Secret, every file field');
  for (const field of ['name', 'key', 'path', 'selector', 'permissions']) {
    expect(await page.isVisible(`input[data-testid="audit-file-${ field }"]`)).toBe(true);
  }
  expect(await page.isChecked('[data-testid="audit-file-hash"] input[type="checkbox"]')).toBe(true);

  // a rule with a long summary, open in the form
  await typeYaml(page, LONG_RULE_POLICY);
  await page.waitForFunction(() => (document.querySelector('[data-testid="audit-rule-0-summary"]')?.textContent || '').includes('unusually-long-name'));
  await page.click('[data-testid="audit-rule-0-select"]');
  await page.waitForSelector('[data-testid="audit-rule-form-0"]');
  await fits('a rule open in the form');
  const card = await box(page, '[data-testid="audit-rule-0"]');

  for (const button of ['up', 'down', 'duplicate', 'remove']) {
    const b = await box(page, `[data-testid="audit-rule-0-${ button }"]`);

    if (b.x + b.width > card.x + card.width) {
      seen.push(`${ at }: rule 1's ${ button } button ends at ${ Math.round(b.x + b.width) }, past its card's right edge ${ Math.round(card.x + card.width) }`);
    }
  }
  await shot('[data-testid="audit-section-rules"]', 'readme-rule-wizard');

  // the default test request (jane gets a Secret in default) matches rule 1
  await page.locator('[data-testid="audit-section-test"]').scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-testid="audit-rule-0-matched"]');
  expect(await page.textContent('[data-testid="audit-test-result"]')).toContain('Level Metadata, rule 1');
  await fits('a test request matched');
  await apart('a test request matched', '[data-testid="audit-rule-0-matched"]', '[data-testid="audit-rule-0-summary"]');
  await apart('a test request matched', '[data-testid="audit-rule-0-matched"]', '[data-testid="audit-rule-0-duplicate"]');
  await shot('[data-testid="audit-section-test"]', 'readme-test-request');

  // the cluster diff
  await page.locator('[data-testid="audit-changes-diff"]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => (document.querySelector('[data-testid="audit-changes-diff"]')?.textContent || '').includes('machineSelectorFiles'));
  await fits('the cluster diff');
  await shot('[data-testid="audit-section-review"]', 'readme-review-diff');
  await screenshotTab(page, `10a-${ at }`);
  expect(seen).toEqual([]);
});

test('10b. RKE2: a log path that does not end in audit.log gets the rancher/rke2#4136 note at the field and under Changes on save', async() => {
  const { page } = await login(browser, 'admin');

  await page.setViewportSize(SIZES[0]);
  await openEdit(page, RKE2);
  await openAuditTab(page);
  await enableAudit(page);
  expect(await page.locator('[data-testid="audit-log-path-warning"]').count()).toBe(0);
  await page.fill('input[data-testid="audit-log-path"]', '/var/log/kube-audit/audit.json');
  await page.waitForSelector('[data-testid="audit-log-path-warning"]');
  expect(await page.textContent('[data-testid="audit-log-path-warning"]')).toContain('rancher/rke2#4136');
  expect(await page.textContent('[data-testid="audit-plan-warnings"]')).toContain('rancher/rke2#4136');
  expect(await tabOverflow(page)).toEqual([]);
  await page.fill('input[data-testid="audit-log-path"]', '/var/log/kube-audit/audit.log');
  await page.waitForSelector('[data-testid="audit-log-path-warning"]', { state: 'detached' });
  expect(await page.locator('[data-testid="audit-plan-warnings"]').count()).toBe(0);
});
