/**
 * The webhook section of the Audit Log tab, mounted in a page with the shell's child-hook mixin, a real vuex store
 * and real shell components: turn it on, a preset, the URL, CA and token typed, the plan's checks at the field, the
 * mode's warning, Save writing the Secret before the cluster; and an existing webhook read back into the form.
 */
import { defineComponent, h } from 'vue';
import { flushPromises, mount, VueWrapper } from '@vue/test-utils';
import { readFileSync } from 'fs';
import { join } from 'path';
import { createMemoryHistory, createRouter } from 'vue-router';
import ChildHook, { BEFORE_SAVE_HOOKS } from '@shell/mixins/child-hook';
import AuditLogTab from '@pkg/components/AuditLogTab.vue';
import {
  AUTHORIZED_ANNOTATION, editKubeconfig, fileHash, getPath, KubeObject, PATHS
} from '@pkg/delivery';
import { fakeSteve, FakeSteve } from '../support/steve';
import { rke1Cluster, rke2Cluster, secret } from '../support/clusters';
import { CodeMirrorStub, FileDiffStub } from '../support/editor-stubs';

type PageVm = { applyHooks(key: string, ...args: unknown[]): Promise<unknown> };

const Page = defineComponent({
  name:   'FakeRke2Page',
  mixins: [ChildHook],
  props:  { value: { type: Object, required: true } },
  render() {
    return h(AuditLogTab, { resource: this.value });
  },
});

const CA = readFileSync(join(__dirname, '../fixtures/webhook/ca.pem'), 'utf8');
const TOKEN = 'c0mponent-t0ken';
const PATH = '/etc/rancher/rke2/audit-webhook.yaml';

async function mountTab(cluster: KubeObject, steve: FakeSteve = fakeSteve()) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });

  await router.push({ path: '/c/_/manager/provisioning.cattle.io.cluster/fleet-default/x', query: { mode: 'edit' } });
  await router.isReady();
  const value = JSON.parse(JSON.stringify(cluster));
  const wrapper = mount(Page, { props: { value }, global: { plugins: [steve.store, router], stubs: { CodeMirror: CodeMirrorStub, FileDiff: FileDiffStub } } });

  await flushPromises();

  return { wrapper, value, steve, page: wrapper.vm as unknown as PageVm };
}

const testid = (w: VueWrapper, id: string) => w.find(`[data-testid="${ id }"]`);
const field = (w: VueWrapper, id: string) => w.find(`input[data-testid="${ id }"], [data-testid="${ id }"] input, textarea[data-testid="${ id }"], [data-testid="${ id }"] textarea`);

async function tick(w: VueWrapper, id: string): Promise<void> {
  await testid(w, id).find('label.checkbox-container').trigger('click');
  await flushPromises();
}

async function type(w: VueWrapper, id: string, text: string): Promise<void> {
  await field(w, id).setValue(text);
  await flushPromises();
}

describe('the webhook section', () => {
  it('turned on: a Falco preset, the host, CA and token typed; each check shows at its field until it is right', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    await tick(wrapper, 'audit-enable');
    expect(testid(wrapper, 'audit-webhook-server').exists()).toBe(false);
    await tick(wrapper, 'audit-webhook-enable');
    expect(testid(wrapper, 'audit-webhook-kubeconfig-error').text()).toBe('webhook kubeconfig: invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
    await testid(wrapper, 'audit-webhook-preset-falco').trigger('click');
    await flushPromises();
    expect((field(wrapper, 'audit-webhook-server').element as HTMLInputElement).value).toBe('https://:9765/k8s-audit');
    expect(testid(wrapper, 'audit-webhook-server-error').text()).toBe('webhook kubeconfig: server "https://:9765/k8s-audit": the URL has no host name');
    expect((testid(wrapper, 'audit-webhook-auth-none').element as HTMLInputElement).checked).toBe(true);
    await type(wrapper, 'audit-webhook-server', 'https://falco.example.com:9765/k8s-audit');
    expect(testid(wrapper, 'audit-webhook-server-error').exists()).toBe(false);
    await type(wrapper, 'audit-webhook-ca', 'not a certificate');
    expect(testid(wrapper, 'audit-webhook-ca-error').text()).toBe('webhook kubeconfig: unable to load root certificates: unable to parse bytes as PEM block');
    await type(wrapper, 'audit-webhook-ca', CA);
    expect(testid(wrapper, 'audit-webhook-ca-error').exists()).toBe(false);
    await testid(wrapper, 'audit-webhook-auth-token').setValue(true);
    await flushPromises();
    expect((field(wrapper, 'audit-webhook-token').element as HTMLInputElement).type).toBe('password');
    await type(wrapper, 'audit-webhook-token', TOKEN);
    expect(testid(wrapper, 'audit-changes-objects').text()).toContain('Secret fleet-default/c1-audit-webhook holds the webhook kubeconfig under "audit-webhook.yaml" (1 key, hidden) and authorizes cluster "c1"');
    expect(testid(wrapper, 'audit-changes-objects').text()).not.toContain(TOKEN);
    expect((field(wrapper, 'audit-webhook-file-path').element as HTMLInputElement).value).toBe(PATH);
  });

  it('the batch flags show with kube-apiserver\'s defaults; a value it refuses shows at its field', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    await tick(wrapper, 'audit-enable');
    await tick(wrapper, 'audit-webhook-enable');
    const hints = ['batchBufferSize', 'batchMaxSize', 'batchMaxWait', 'batchThrottleQPS', 'batchThrottleBurst', 'initialBackoff', 'truncateMaxBatchSize', 'truncateMaxEventSize']
      .map((f) => testid(wrapper, `audit-webhook-${ f }`).element.closest('.flag')?.querySelector('[data-testid="sub-label"]')?.textContent?.trim());

    expect(hints).toEqual([
      '--audit-webhook-batch-buffer-size; empty: kube-apiserver\'s default, 10000',
      '--audit-webhook-batch-max-size; empty: kube-apiserver\'s default, 400',
      '--audit-webhook-batch-max-wait; empty: kube-apiserver\'s default, 30s',
      '--audit-webhook-batch-throttle-qps; empty: kube-apiserver\'s default, 10',
      '--audit-webhook-batch-throttle-burst; empty: kube-apiserver\'s default, 15',
      '--audit-webhook-initial-backoff; empty: kube-apiserver\'s default, 10s',
      '--audit-webhook-truncate-max-batch-size; empty: kube-apiserver\'s default, 10485760',
      '--audit-webhook-truncate-max-event-size; empty: kube-apiserver\'s default, 102400',
    ]);
    expect((testid(wrapper, 'audit-webhook-batchThrottleEnable').find('input').element as HTMLInputElement).checked).toBe(true);
    await type(wrapper, 'audit-webhook-batchMaxWait', '30');
    expect(testid(wrapper, 'audit-webhook-batchMaxWait-error').text()).toBe('invalid argument "30" for "--audit-webhook-batch-max-wait" flag: time: missing unit in duration "30"');
  });

  it('Save writes the Secret before the cluster; the cluster names the file and holds no credential', async() => {
    const { wrapper, page, value, steve } = await mountTab(rke2Cluster('c1'));

    await tick(wrapper, 'audit-enable');
    await tick(wrapper, 'audit-webhook-enable');
    await type(wrapper, 'audit-webhook-server', 'https://siem.example.com:8443/audit');
    await testid(wrapper, 'audit-webhook-auth-token').setValue(true);
    await type(wrapper, 'audit-webhook-token', TOKEN);
    await page.applyHooks(BEFORE_SAVE_HOOKS, value);

    expect(steve.writes).toEqual(['POST secret/fleet-default/c1-audit-webhook']);
    expect(steve.objects.get('secret/fleet-default/c1-audit-webhook')?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe('c1');
    expect((getPath(value, PATHS.apiserverArgs) as string[])).toContain(`audit-webhook-config-file=${ PATH }`);
    expect(JSON.stringify(value)).not.toContain(TOKEN);
  });

  it('an existing webhook reads back into the form; blocking-strict shows its warning and hides the batch flags', async() => {
    const kubeconfig = editKubeconfig('', { server: 'https://siem.example.com/in', ca: CA, auth: 'token', token: TOKEN });
    const cluster = rke2Cluster('c1');
    const rke = (cluster.spec as { rkeConfig: Record<string, unknown> }).rkeConfig;

    rke.machineGlobalConfig = { ...(rke.machineGlobalConfig as object), 'audit-policy-file': 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n', 'kube-apiserver-arg': [`audit-webhook-config-file=${ PATH }`, 'audit-webhook-mode=blocking-strict'] };
    rke.machineSelectorFiles = [{ machineLabelSelector: { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } }, fileSources: [{ secret: { name: 'c1-audit-webhook', items: [{ key: 'audit-webhook.yaml', path: PATH, permissions: '0600', hash: fileHash(kubeconfig) }] } }] }];
    const steve = fakeSteve({ objects: [{ ...secret('c1-audit-webhook', { 'audit-webhook.yaml': kubeconfig }, { [AUTHORIZED_ANNOTATION]: 'c1' }, { 'app.kubernetes.io/managed-by': 'cluster-audit-log' }), type: 'secret' }] });
    const { wrapper } = await mountTab(cluster, steve);

    expect((testid(wrapper, 'audit-webhook-enable').find('input').element as HTMLInputElement).checked).toBe(true);
    expect((field(wrapper, 'audit-webhook-server').element as HTMLInputElement).value).toBe('https://siem.example.com/in');
    expect((field(wrapper, 'audit-webhook-token').element as HTMLInputElement).value).toBe(TOKEN);
    expect(testid(wrapper, 'audit-webhook-mode-warning').text()).toBe('blocking-strict makes the receiver part of the API server\'s availability: every request waits for its events to be sent, and a request fails when its RequestReceived event cannot be sent');
    expect(testid(wrapper, 'audit-webhook-batchMaxSize').exists()).toBe(false);
    expect(testid(wrapper, 'audit-webhook-initialBackoff').exists()).toBe(true);
    expect(testid(wrapper, 'audit-changes-none').exists()).toBe(true);
  });

  it('RKE1 shows no webhook section', async() => {
    const { wrapper } = await mountTab(rke1Cluster({ enabled: true }));

    expect(testid(wrapper, 'audit-section-webhook').exists()).toBe(false);
  });
});
