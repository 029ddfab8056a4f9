/**
 * Text from cluster objects is text. The clusters, Secrets and ConfigMaps of tests/fixtures/hostile/clusters
 * hold `<img src=x onerror=...>`, `<a href="https://x">` and `<h1>` in every field the tabs show (names,
 * namespace, data dir, args, file items, selector labels, annotations, policy text, log settings, and the
 * problems, findings and errors that quote them). Both tabs are mounted in every method and state the data
 * leads to, with the real shell components, the real CodeMirror and the real diff (diff2html): the payload must
 * be shown as text where the data is shown, and must create no element. Each run is compared with the same
 * steps on the same fixtures with the payload replaced by plain text, so the shell's own elements do not count.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  defineComponent, h, nextTick
} from 'vue';
import { flushPromises, mount, VueWrapper } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { parse } from 'yaml';
import vSelect from 'vue-select';
import { InstallCodeMirror } from 'codemirror-editor-vue3';
import '@shell/plugins/js-yaml';
import ChildHook, { BEFORE_SAVE_HOOKS } from '@shell/mixins/child-hook';
import AuditLogTab from '@pkg/components/AuditLogTab.vue';
import Rke1AuditLogTab from '@pkg/components/Rke1AuditLogTab.vue';
import { KubeObject } from '@pkg/delivery';
import { fakeSteve, FakeSteve } from '../support/steve';

const PAYLOAD = '<img src=x onerror=alert(document.domain)><a href="https://x">x</a><h1>x</h1>';
const BENIGN = 'plain-text';
const FIXTURES = join(__dirname, '../fixtures/hostile/clusters');
/** What the payload creates when it is parsed as HTML (DOMPurify, behind v-clean-html, keeps img, a and h1). */
const INJECTED = 'img, h1, a[href="https://x"], [onerror]';

/** The objects of a fixture as the steve API returns them (Secret data base64), with the payload or plain text. */
function fixture(file: string, payload: string): KubeObject[] {
  const doc = parse(readFileSync(join(FIXTURES, file), 'utf8').replaceAll(PAYLOAD, payload));
  const items = (doc.kind === 'List' ? doc.items : [doc]) as (KubeObject & { stringData?: Record<string, string> })[];

  return items.map(({ stringData, ...o }) => {
    const ns = o.metadata.namespace;

    if (o.kind === 'Secret') {
      return {
        ...o, type: 'secret', id: `${ ns }/${ o.metadata.name }`, data: Object.fromEntries(Object.entries(stringData || {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))
      };
    }

    return { ...o, type: o.kind === 'ConfigMap' ? 'configmap' : 'provisioning.cattle.io.cluster', id: ns ? `${ ns }/${ o.metadata.name }` : o.metadata.name };
  });
}

/** One run of a scenario: the payload it uses, and what it saw at each step. */
interface Run {
  payload: string;
  hostile: boolean;
  snaps: { step: string, injected: string[] }[];
  wrappers: VueWrapper[];
}

const el = (testid: string) => document.querySelector(`[data-testid="${ testid }"]`);

/** The text an element shows: its text and the values of its inputs. */
function shownText(node: Element | null): string {
  if (!node) {
    return '';
  }
  const inputs = [node, ...node.querySelectorAll('input, textarea')].filter((n): n is HTMLInputElement => 'value' in n && typeof (n as HTMLInputElement).value === 'string');

  return [node.textContent || '', ...inputs.map((i) => i.value)].join('\n');
}

/** Records the elements the payload would create at this step. */
function snap(run: Run, step: string): void {
  run.snaps.push({ step, injected: [...document.body.querySelectorAll(INJECTED)].map((e) => e.outerHTML) });
}

/**
 * The payload shown as text: messages that quote a value in Go's %q style escape its quotes, so the parts
 * without quotes are looked for.
 */
const SHOWN = expect.stringMatching(/<img src=x onerror=alert\(document\.domain\)><a href=\\?"https:\/\/x\\?">x<\/a><h1>x<\/h1>/);

/** The payload is shown, as text, at each of these places (checked on the hostile run). */
function expectShown(run: Run, ...testids: string[]): void {
  if (!run.hostile) {
    return;
  }
  for (const id of testids) {
    expect({ id, text: shownText(el(id)) }).toEqual({ id, text: SHOWN });
  }
}

/** `text` is shown inside the first element `selector` finds (checked on the hostile run). */
function expectShownIn(run: Run, selector: string, text: string): void {
  if (run.hostile) {
    expect(shownText(document.querySelector(selector))).toContain(text);
  }
}

/** Lets async work settle: the CodeMirror chunk, the objects fetched, the diff drawn a moment after an edit. */
async function settle(ms = 0): Promise<void> {
  await flushPromises();
  await new Promise((resolve) => setTimeout(resolve, ms));
  await flushPromises();
  await nextTick();
}

/**
 * The steve fake; with `exact`, reads find objects by their exact id (the fake splits ids at every "/", and
 * these names hold some) and return plain copies, or all fail with `readError`.
 */
function storeWith(objects: KubeObject[], exact?: { readError?: string }): FakeSteve {
  const steve = fakeSteve({ objects });
  const readError = exact?.readError;

  if (!exact) {
    return steve;
  }
  steve.store.hotUpdate({
    modules: {
      management: {
        namespaced: true,
        actions:    {
          find(_ctx: unknown, { type, id }: { type: string, id: string }) {
            const found = steve.objects.get(`${ type }/${ id }`);

            if (readError !== undefined) {
              return Promise.reject(Object.assign(new Error(readError), { _status: 500 }));
            }

            return found ? Promise.resolve(JSON.parse(JSON.stringify(found))) : Promise.reject(Object.assign(new Error('not found'), { _status: 404 }));
          },
        },
      },
    },
  });

  return steve;
}

const global = (steve: FakeSteve, ...plugins: unknown[]) => ({ plugins: [steve.store, InstallCodeMirror, ...plugins] as never[], components: { 'v-select': vSelect } });

type PageVm = { applyHooks(key: string, ...args: unknown[]): Promise<unknown> };

/** The RKE2/K3s tab inside a page with the shell's child-hook mixin, as on the cluster edit page. */
async function mountTab(run: Run, cluster: KubeObject, steve: FakeSteve, query: Record<string, string> = { mode: 'edit' }) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });

  await router.push({ path: '/c/_/manager/provisioning.cattle.io.cluster/x', query });
  await router.isReady();
  const value = JSON.parse(JSON.stringify(cluster));
  const Page = defineComponent({
    name:   'FakeRke2Page',
    mixins: [ChildHook],
    render: () => h(AuditLogTab, { resource: value }),
  });
  const wrapper = mount(Page, { attachTo: document.body, global: global(steve, router) });

  run.wrappers.push(wrapper);
  await settle();

  return { wrapper, value, page: wrapper.vm as unknown as PageVm };
}

/** The RKE1 tab on the detail page, for a management cluster model whose save() does `save`. */
async function mountRke1(run: Run, cluster: KubeObject, save: () => Promise<unknown>, canUpdate = true) {
  const mgmt = Object.assign(JSON.parse(JSON.stringify(cluster)), { save: jest.fn(save), canUpdate });
  const wrapper = mount(defineComponent({ render: () => h(Rke1AuditLogTab, { resource: { mgmt } }) }), { attachTo: document.body, global: global(storeWith([])) });

  run.wrappers.push(wrapper);
  await settle();

  return { wrapper, mgmt };
}

async function click(testid: string): Promise<void> {
  const checkbox = ['audit-enable-label', 'audit-log-file-enabled-label'].includes(testid) ? el(testid.slice(0, -'-label'.length))?.querySelector('label.checkbox-container') as HTMLElement : null;

  (checkbox ?? el(testid) as HTMLElement).click();
  await settle();
}

async function type(testid: string, text: string): Promise<void> {
  const input = document.querySelector(`input[data-testid="${ testid }"], [data-testid="${ testid }"] input`) as HTMLInputElement;

  input.value = text;
  input.dispatchEvent(new Event('input'));
  await settle();
}

async function choose(testid: string): Promise<void> {
  const input = el(testid) as HTMLInputElement;

  input.checked = true;
  input.dispatchEvent(new Event('change'));
  await settle();
}

async function applyPreset(id: string): Promise<void> {
  await choose(`audit-preset-${ id }`);
  await click('audit-preset-apply');
}

const objectsOf = (file: string, payload: string) => fixture(file, payload).filter((o) => o.kind !== 'Cluster');
const clusterOf = (file: string, payload: string) => fixture(file, payload).find((o) => o.kind === 'Cluster') as KubeObject;
/** Where the log path hint (the distro's default path under the cluster's data dir) is shown. */
const LOG_PATH_HINT = '[data-testid="audit-log-backend"] [data-testid="sub-label"]';

type Scenario = (run: Run) => Promise<void>;

const SCENARIOS: [string, Scenario][] = [
  ['RKE2, Secret: every field, the rule form, a refused number', async(run) => {
    const p = run.payload;

    await mountTab(run, clusterOf('rke2-secret.yaml', p), storeWith(objectsOf('rke2-secret.yaml', p), {}));
    snap(run, 'loaded');
    expectShown(run, 'audit-problems', 'audit-method-secret-where', 'audit-file-name', 'audit-file-key', 'audit-file-path', 'audit-file-selector',
      'audit-file-name-error', 'audit-file-key-error', 'audit-file-path-error', 'audit-file-selector-error', 'audit-cluster-name-error',
      'audit-log-path', 'audit-log-path-error', 'audit-rule-0-summary', 'audit-findings-errors', 'audit-findings-warnings', 'audit-yaml-editor');
    expectShownIn(run, LOG_PATH_HINT, `/data/${ PAYLOAD }/server/logs/audit.log`);
    expectShownIn(run, '[data-testid="audit-yaml-editor"] .CodeMirror-code', `# ${ PAYLOAD }`);
    await click('audit-rule-0-select');
    snap(run, 'rule form');
    expectShown(run, 'audit-rule-0-users', 'audit-rule-0-userGroups', 'audit-rule-0-verbs', 'audit-rule-0-group-0-group', 'audit-rule-0-group-0-resources',
      'audit-rule-0-group-0-names', 'audit-rule-0-namespaces', 'audit-rule-0-resources-error');
    await type('audit-log-maxAge', p);
    snap(run, 'number refused');
    expectShown(run, 'audit-log-maxAge', 'audit-log-maxAge-error');
  }],
  ['RKE2, Secret: view mode', async(run) => {
    await mountTab(run, clusterOf('rke2-secret.yaml', run.payload), storeWith(objectsOf('rke2-secret.yaml', run.payload), {}), { mode: 'view' });
    snap(run, 'view');
    expectShown(run, 'audit-problems', 'audit-file-name', 'audit-file-name-error', 'audit-rule-0-summary');
  }],
  ['RKE2, Secret: a user who may not update the cluster', async(run) => {
    await mountTab(run, { ...clusterOf('rke2-secret.yaml', run.payload), canUpdate: false } as KubeObject, storeWith(objectsOf('rke2-secret.yaml', run.payload), {}));
    snap(run, 'cannot update');
    expectShown(run, 'audit-problems', 'audit-file-path', 'audit-findings-warnings');
  }],
  ['RKE2, Secret: the objects cannot be read', async(run) => {
    await mountTab(run, clusterOf('rke2-secret.yaml', run.payload), storeWith([], { readError: run.payload }));
    snap(run, 'load error');
    expectShown(run, 'audit-load-error', 'audit-problems');
  }],
  ['RKE2, inline: the cluster diff, then Secret and a YAML error', async(run) => {
    const p = run.payload;

    await mountTab(run, clusterOf('rke2-inline.yaml', p), storeWith([]));
    snap(run, 'inline');
    expectShown(run, 'audit-method-inline-where', 'audit-rule-0-summary', 'audit-findings-warnings');
    expectShownIn(run, LOG_PATH_HINT, `/data/${ PAYLOAD }/server/logs/audit.log`);
    await applyPreset('cis-minimal');
    await settle(450);
    snap(run, 'diff');
    expectShown(run, 'audit-changes-diff');
    expectShownIn(run, '[data-testid="audit-changes-diff"] .d2h-diff-table', PAYLOAD);
    await choose('audit-method-secret-input');
    snap(run, 'secret');
    expectShown(run, 'audit-method-secret-where', 'audit-file-name', 'audit-file-name-error', 'audit-cluster-name-error');
    await choose('audit-method-configmap-input');
    snap(run, 'configmap');
    expectShown(run, 'audit-method-configmap-where', 'audit-cluster-name-error');
    await choose('audit-method-inline-input');
    await click('audit-rule-0-select');
    await type('audit-log-path', `/var/log/${ p }`);
    snap(run, 'log path refused');
    expectShown(run, 'audit-log-path', 'audit-log-path-error');
  }],
  ['RKE2, inline: audit logging off, then on', async(run) => {
    const cluster = clusterOf('rke2-inline.yaml', run.payload);

    delete ((cluster.spec as { rkeConfig: { machineGlobalConfig: Record<string, unknown> } }).rkeConfig.machineGlobalConfig)['audit-policy-file'];
    await mountTab(run, cluster, storeWith([]));
    snap(run, 'disabled');
    expectShown(run, 'audit-problems');
    await click('audit-enable-label');
    snap(run, 'enabled');
    expectShown(run, 'audit-method-inline-where');
  }],
  ['K3s, ConfigMap: the diff of other entries, a save error', async(run) => {
    const p = run.payload;
    const steve = storeWith(objectsOf('k3s-configmap.yaml', p));
    const { page, value } = await mountTab(run, clusterOf('k3s-configmap.yaml', p), steve);

    snap(run, 'configmap');
    expectShown(run, 'audit-problems', 'audit-rule-0-summary', 'audit-findings-warnings');
    // the policy comes through kube-apiserver-arg alone and no audit-log-path: no log file, and no webhook either
    expect(el('audit-log-file-warning')?.textContent).toContain('neither a log file nor a webhook');
    await click('audit-log-file-enabled-label');
    expectShownIn(run, LOG_PATH_HINT, `/data/${ PAYLOAD }/server/logs/audit.log`);
    await applyPreset('cis-minimal');
    await type('audit-log-maxAge', '45');
    await settle(450);
    snap(run, 'diff');
    expectShown(run, 'audit-changes-diff');
    steve.failNext('configmap', 403, `configmaps "${ p }" is forbidden`);
    await expect(page.applyHooks(BEFORE_SAVE_HOOKS, value)).rejects.toThrow('403');
    await settle();
    snap(run, 'save error');
    expectShown(run, 'audit-save-error');
  }],
  ['RKE1: every field, a blocked save, a failed save', async(run) => {
    const p = run.payload;

    await mountRke1(run, fixture('rke1.yaml', p)[0], () => Promise.reject(new Error(p)));
    snap(run, 'loaded');
    expectShown(run, 'audit-problems', 'audit-log-path', 'audit-log-path-error', 'audit-log-maxAge', 'audit-log-maxAge-error', 'audit-rule-0-summary', 'audit-findings-errors');
    await click('audit-rule-0-select');
    snap(run, 'rule form');
    expectShown(run, 'audit-rule-0-users', 'audit-rule-0-group-0-group', 'audit-rule-0-namespaces');
    await type('audit-log-maxSize', '200');
    await click('audit-rke1-save');
    snap(run, 'save blocked');
    expectShown(run, 'audit-rke1-message');
    await type('audit-log-path', '/var/log/kube-audit/audit-log.json');
    await type('audit-log-maxAge', '30');
    await type('audit-log-maxBackup', '10');
    await applyPreset('cis-minimal');
    await click('audit-rke1-save');
    snap(run, 'save failed');
    expectShown(run, 'audit-rke1-message');
  }],
  ['RKE1: read-only', async(run) => {
    await mountRke1(run, fixture('rke1.yaml', run.payload)[0], () => Promise.resolve(), false);
    snap(run, 'read-only');
    expectShown(run, 'audit-problems', 'audit-log-path', 'audit-rule-0-summary');
  }],
];

/** jsdom lays nothing out; CodeMirror draws only lines it believes visible, and measures with ranges. */
beforeAll(() => {
  for (const prop of ['offsetWidth', 'offsetHeight', 'clientWidth', 'clientHeight']) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => 800 });
  }
  const rect = {
    x: 0, y: 0, width: 0, height: 0, top: 0, bottom: 0, left: 0, right: 0, toJSON: () => ({})
  };

  Object.assign(Range.prototype, { getBoundingClientRect: () => rect, getClientRects: () => Object.assign([], { item: () => null }) });
  Object.assign(document, { elementFromPoint: () => null });
  Object.assign(window, { __codeMirrorLoader: () => import('@shell/plugins/codemirror') });
});

async function runScenario(scenario: Scenario, payload: string): Promise<Run> {
  const run: Run = {
    payload, hostile: payload === PAYLOAD, snaps: [], wrappers: []
  };

  try {
    await scenario(run);
  } finally {
    run.wrappers.forEach((w) => w.unmount());
    document.body.innerHTML = '';
  }

  return run;
}

describe('text from cluster objects is text', () => {
  it('the fixtures carry the payload where the tabs read it', () => {
    const texts = ['rke2-secret.yaml', 'rke2-inline.yaml', 'k3s-configmap.yaml', 'rke1.yaml'].map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

    expect(texts.map((t) => t.split(PAYLOAD).length - 1)).toEqual(texts.map(() => expect.any(Number)));
    expect(Math.min(...texts.map((t) => t.split(PAYLOAD).length - 1))).toBeGreaterThan(10);
  });

  it.each(SCENARIOS)('%s', async(_name, scenario) => {
    const benign = await runScenario(scenario, BENIGN);
    const hostile = await runScenario(scenario, PAYLOAD);

    expect(hostile.snaps.map((s) => s.step)).toEqual(benign.snaps.map((s) => s.step));
    expect(hostile.snaps).toEqual(benign.snaps);
  }, 30000);
});
