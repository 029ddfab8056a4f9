/**
 * The webhook backend clicked through for real (issue 12): the Audit Log tab of an RKE2 cluster sends its events to
 * a small HTTPS receiver this test starts on 127.0.0.1, with a throwaway CA made by openssl. After Save, the stand-in
 * holds the Secret (this cluster only) and the cluster's item and args; its node-plan delivers the kubeconfig file and
 * the flags to the control-plane machine. The test then builds kube-apiserver's webhook client from the delivered
 * kubeconfig alone (its server, CA and token) and sends one real audit event, which the receiver must get. Turning the
 * webhook off releases the Secret.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Browser, Page } from 'playwright-core';
import { checkKubeconfig } from '../../pkg/cluster-audit-log/delivery/kubeconfig';
import { SEED } from '../rancher/seed';
import {
  clickSave, launch, login, openAuditTab, openEdit, pageErrors, screenshotTab, sim, tabOverflow, waitForSaved
} from './browser';
import {
  Certs, makeCerts, Receiver, sendEvents, startReceiver
} from './receiver';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLUSTER = SEED.rke2Inline.name;
const SECRET = `${ CLUSTER }-audit-webhook`;
const PATH = '/etc/rancher/rke2/audit-webhook.yaml';
const TOKEN = 'e2e-webhook-t0ken';
const ANNOTATION = 'rke.cattle.io/object-authorized-for-clusters';
/** One real audit event (sysdiglabs/aks-audit-log, tests/fixtures/events/SOURCES.md). */
const EVENT = JSON.parse(readFileSync(join(__dirname, '../fixtures/events/sysdig-aks-audit-log.jsonl'), 'utf8').split('\n')[0]);

let browser: Browser;
let certs: Certs;
let receiver: Receiver;

beforeAll(async() => {
  certs = makeCerts();
  browser = await launch();
});

afterAll(async() => {
  await browser?.close();
});

beforeEach(async() => {
  await sim.reset();
  receiver = await startReceiver(certs);
});

afterEach(async() => {
  await receiver?.close();
});

const input = (page: Page, id: string) => page.locator(`input[data-testid="${ id }"], [data-testid="${ id }"] input, textarea[data-testid="${ id }"], [data-testid="${ id }"] textarea`).first();
const controlPlane = (plan: Obj): Obj => plan.nodes.find((n: Obj) => n.roles.includes('controlplane'));
const worker = (plan: Obj): Obj => plan.nodes.find((n: Obj) => !n.roles.includes('controlplane'));
const args = (cluster: Obj | null): string[] => cluster?.spec?.rkeConfig?.machineGlobalConfig?.['kube-apiserver-arg'] || [];

async function openTab(page: Page): Promise<void> {
  await openEdit(page, CLUSTER);
  await openAuditTab(page);
}

async function tick(page: Page, id: string): Promise<void> {
  await page.click(`[data-testid="${ id }"] .checkbox-container`);
}

test('12a. webhook: Falco preset, the receiver\'s URL, CA and token; Save -> the Secret for this cluster only, the item and flags; the node-plan\'s kubeconfig delivers a real event to the receiver; off releases the Secret', async() => {
  const { page } = await login(browser, 'admin');
  const url = `https://127.0.0.1:${ receiver.port }/k8s-audit`;

  await openTab(page);
  await tick(page, 'audit-webhook-enable');
  await page.click('[data-testid="audit-webhook-preset-falco"]');
  await page.waitForSelector('[data-testid="audit-webhook-server-error"]');
  expect(await page.textContent('[data-testid="audit-webhook-server-error"]')).toContain('the URL has no host name');
  await input(page, 'audit-webhook-server').fill(url);
  await input(page, 'audit-webhook-ca').fill(certs.ca);
  await page.check('[data-testid="audit-webhook-auth-token"]');
  await input(page, 'audit-webhook-token').fill(TOKEN);
  await page.waitForSelector('[data-testid="audit-webhook-server-error"]', { state: 'detached' });
  const review = await page.textContent('[data-testid="audit-changes-objects"]');

  expect(review).toContain(`Secret fleet-default/${ SECRET } holds the webhook kubeconfig under "audit-webhook.yaml" (1 key, hidden) and authorizes cluster "${ CLUSTER }"`);
  expect(review).not.toContain(TOKEN);
  expect(await tabOverflow(page)).toEqual([]);
  await screenshotTab(page, '12a-webhook-before-save');
  await clickSave(page);
  await waitForSaved(page).catch(async(e) => {
    throw new Error(`${ e.message }; page errors: ${ await pageErrors(page) }`);
  });

  // stored: a Secret made for this cluster only, the cluster naming the file and holding no credential
  const secret = await sim.object('secret', `fleet-default/${ SECRET }`);
  const stored = Buffer.from(secret?.data['audit-webhook.yaml'], 'base64').toString('utf8');
  const cluster = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ CLUSTER }`);

  expect(secret?.metadata.annotations[ANNOTATION]).toBe(CLUSTER);
  expect(secret?.metadata.labels['app.kubernetes.io/managed-by']).toBe('cluster-audit-log');
  expect(checkKubeconfig(stored)).toMatchObject({ errors: [], warnings: [] });
  expect(args(cluster)).toEqual(expect.arrayContaining([`audit-webhook-config-file=${ PATH }`, 'audit-webhook-truncate-enabled=true']));
  expect(JSON.stringify(cluster)).not.toContain(TOKEN);

  // the node-plan: the kubeconfig file and the flags on the control-plane machine only
  const plan = await sim.nodePlan(CLUSTER);
  const cp = controlPlane(plan);
  const delivered = cp.files.find((f: Obj) => f.path === PATH);

  expect(plan.error).toBeUndefined();
  expect(cp.webhook).toEqual({ path: PATH, delivered: true, deliveredBy: `machineSelectorFiles secret fleet-default/${ SECRET } key audit-webhook.yaml` });
  expect(cp.kubeApiserver.auditArgs).toEqual(expect.arrayContaining([`--audit-webhook-config-file=${ PATH }`, '--audit-webhook-truncate-enabled=true']));
  expect(delivered).toMatchObject({ content: stored, permissions: '0600' });
  expect(worker(plan).files.map((f: Obj) => f.path)).not.toContain(PATH);

  // kube-apiserver's webhook client, built from the delivered kubeconfig alone, sends one real event; with another
  // CA than the one the Secret holds, the receiver is not trusted and nothing is sent
  const otherCa = readFileSync(join(__dirname, '../fixtures/webhook/ca.pem'), 'base64');

  await expect(sendEvents(delivered.content.replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${ otherCa }`), [EVENT])).rejects.toThrow(/unable to verify the first certificate/);
  expect(receiver.received).toEqual([]);
  expect(await sendEvents(delivered.content, [EVENT])).toBe(200);
  expect(receiver.received).toEqual([{
    method:        'POST', path:          '/k8s-audit', authorization: `Bearer ${ TOKEN }`, contentType:   'application/json', body:          {
      kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [EVENT]
    },
  }]);

  // read back: the form shows it, and saving again would change nothing
  await openTab(page);
  expect(await input(page, 'audit-webhook-server').inputValue()).toBe(url);
  await page.waitForSelector('[data-testid="audit-changes-none"]');
  await screenshotTab(page, '12a-webhook-saved');

  // off: the item and flags go; the Secret this extension made for this cluster alone is deleted after the save
  await tick(page, 'audit-webhook-enable');
  await clickSave(page);
  await waitForSaved(page);
  const after = await sim.nodePlan(CLUSTER);

  expect(await sim.object('secret', `fleet-default/${ SECRET }`)).toBeNull();
  expect(args(await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ CLUSTER }`)).filter((a) => a.startsWith('audit-webhook'))).toEqual([]);
  expect(controlPlane(after).webhook).toBeUndefined();
  expect(controlPlane(after).files.map((f: Obj) => f.path)).not.toContain(PATH);
});
