/**
 * The Audit Log tab mounted inside a page that uses the shell's real child-hook mixin (as rke2.vue does), with
 * a real vuex store (tests/support/steve.ts), a real router and real shell components.
 */
import { defineComponent, h, nextTick } from 'vue';
import { flushPromises, mount, VueWrapper } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import ChildHook, { AFTER_SAVE_HOOKS, BEFORE_SAVE_HOOKS } from '@shell/mixins/child-hook';
import AuditLogTab from '@pkg/components/AuditLogTab.vue';
import { AUTHORIZED_ANNOTATION, getPath, KubeObject, PATHS } from '@pkg/delivery';
import { policyToYaml, presetPolicy, Policy } from '@pkg/policy';
import { fakeSteve, FakeSteve } from '../support/steve';
import { k3sCluster, rke2Cluster, secret } from '../support/clusters';
import { CodeMirrorStub, FileDiffStub } from '../support/editor-stubs';

type PageVm = { applyHooks(key: string, ...args: unknown[]): Promise<unknown>, [k: string]: unknown };

const Page = defineComponent({
  name:   'FakeRke2Page',
  mixins: [ChildHook],
  props:  { value: { type: Object, required: true } },
  render() {
    return h(AuditLogTab, { resource: this.value });
  },
});

async function mountTab(cluster: KubeObject, steve: FakeSteve = fakeSteve(), query: Record<string, string> = { mode: 'edit' }) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });

  await router.push({ path: '/c/_/manager/provisioning.cattle.io.cluster/fleet-default/x', query });
  await router.isReady();
  const value = JSON.parse(JSON.stringify(cluster));
  const wrapper = mount(Page, { props: { value }, global: { plugins: [steve.store, router], stubs: { CodeMirror: CodeMirrorStub, FileDiff: FileDiffStub } } });

  await flushPromises();

  return { wrapper, value, steve, page: wrapper.vm as unknown as PageVm };
}

/**
 * Resolves once the next frame is painted the way the draft waits for it (a timer set in that frame's animation
 * callback; jsdom runs animation frames): the shown findings have caught up with the text by then.
 */
async function painted(): Promise<void> {
  await new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
  await flushPromises();
}

const testid = (w: VueWrapper, id: string) => w.find(`[data-testid="${ id }"]`);
/** The <input> of a LabeledInput (which puts its data-testid on the input itself). */
const inputOf = (w: VueWrapper, id: string) => w.find(`input[data-testid="${ id }"], [data-testid="${ id }"] input`);

/** The tab's draft, to type YAML into it as the YAML editor would. */
function draftOf(wrapper: VueWrapper): { setYaml(text: string): void } {
  return (wrapper.findComponent(AuditLogTab).vm as unknown as { $: { setupState: { draft: { setYaml(text: string): void } } } }).$.setupState.draft;
}

async function enable(wrapper: VueWrapper): Promise<void> {
  await testid(wrapper, 'audit-enable').find('label.checkbox-container').trigger('click');
  await flushPromises();
}

async function chooseMethod(wrapper: VueWrapper, method: string): Promise<void> {
  await testid(wrapper, `audit-method-${ method }-input`).setValue(true);
  await flushPromises();
}

describe('step 1: enable, distro and method', () => {
  it('shows the detected distro; RKE2 offers inline, Secret and ConfigMap, with where the file lands', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    expect(testid(wrapper, 'audit-distro').text()).toBe('Distribution: RKE2');
    await enable(wrapper);
    for (const m of ['inline', 'secret', 'configmap']) {
      expect((testid(wrapper, `audit-method-${ m }-input`).element as HTMLInputElement).disabled).toBe(false);
    }
    expect(testid(wrapper, 'audit-method-inline-where').text()).toContain('/var/lib/rancher/rke2/etc/config-files/audit-policy-file on every node');
  });

  it('K3s: inline is shown as not available, with the reason', async() => {
    const { wrapper } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    expect(testid(wrapper, 'audit-distro').text()).toBe('Distribution: K3s');
    expect((testid(wrapper, 'audit-method-inline-input').element as HTMLInputElement).disabled).toBe(true);
    expect(testid(wrapper, 'audit-method-inline-reason').text()).toContain('K3s has no audit-policy-file option');
  });

  it('permission denied: Secret and ConfigMap are not allowed up front; inline still is', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'), fakeSteve({ writable: ['provisioning.cattle.io.cluster'] }));

    await enable(wrapper);
    expect((testid(wrapper, 'audit-method-secret-input').element as HTMLInputElement).disabled).toBe(true);
    expect(testid(wrapper, 'audit-method-secret-reason').text()).toBe('You may not create or update Secrets in fleet-default, so this method is not available.');
    expect((testid(wrapper, 'audit-method-inline-input').element as HTMLInputElement).disabled).toBe(false);
  });

  it('view mode is read-only', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'), fakeSteve(), { mode: 'view' });

    expect(testid(wrapper, 'audit-read-only').exists()).toBe(true);
  });
});

describe('steps 2-3: presets and the rule list', () => {
  it('a preset replaces the rules; cards summarise them in words', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    await testid(wrapper, 'audit-preset-rke1-default').setValue(true);
    await testid(wrapper, 'audit-preset-apply').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[data-testid$="-summary"]').map((w) => w.text())).toEqual(['Log every request at Metadata for everyone']);
    await testid(wrapper, 'audit-preset-cis-minimal').setValue(true);
    await testid(wrapper, 'audit-preset-apply').trigger('click');
    await flushPromises();
    expect(testid(wrapper, 'audit-rule-0-summary').text()).toBe('Log secrets, configmaps, tokenreviews.authentication.k8s.io at Metadata for everyone');
  });

  it('add, duplicate, move and delete rules; the YAML follows', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    await testid(wrapper, 'audit-rule-add').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('.rule-card')).toHaveLength(3);
    expect(testid(wrapper, 'audit-rule-form-2').exists()).toBe(true);
    await testid(wrapper, 'audit-rule-1-duplicate').trigger('click');
    await testid(wrapper, 'audit-rule-3-up').trigger('click');
    await testid(wrapper, 'audit-rule-0-remove').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('[data-testid$="-summary"]').map((w) => w.text())).toEqual([
      'Log every request at Metadata for everyone', 'Log every request at Metadata for everyone', 'Log every request at Metadata for everyone',
    ]);
  });
});

describe('step 3: the rule form shows kube-apiserver\'s errors at the field', () => {
  it('a non-resource URL without "/" is reported with kube-apiserver\'s wording', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    const draft = draftOf(wrapper);

    draft.setYaml('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  nonResourceURLs: [healthz]\n');
    await flushPromises();
    await testid(wrapper, 'audit-rule-0-select').trigger('click');
    await nextTick();
    expect(testid(wrapper, 'audit-rule-0-nonResourceURLs-error').text()).toBe('rules[0].nonResourceURLs[0]: Invalid value: "healthz": non-resource URL rules must begin with a \'/\' character');
  });
});

describe('step 4: log backend', () => {
  it('flags values under the CIS minimums', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    expect(testid(wrapper, 'audit-log-maxAge-cis').exists()).toBe(false);
    await inputOf(wrapper, 'audit-log-maxAge').setValue('7');
    await flushPromises();
    expect(testid(wrapper, 'audit-log-maxAge-cis').text()).toBe('Below the CIS minimum of 30');
  });

  /** The hint under the input with this data-testid (HintedInput puts it after the input, in the flow). */
  const hintOf = (w: VueWrapper, id: string) => w.findAll('.hinted-input').find((x) => x.find(`[data-testid="${ id }"]`).exists())?.find('[data-testid="sub-label"]').text();

  type HintRow = [version: string, maxAge: string, maxBackup: string, maxSize: string];
  const hintRows: HintRow[] = [
    ['v1.35.4+k3s1', 'Not set: kube-apiserver removes no rotated file by age (0)', 'Not set: kube-apiserver keeps every rotated file (0)', 'Not set: kube-apiserver rotates the log at 100 MB (lumberjack\'s default for 0)'],
    ['v1.36.2+k3s1', 'Not set: kube-apiserver\'s default from Kubernetes 1.36: 366 days', 'Not set: kube-apiserver\'s default from Kubernetes 1.36: 100 files', 'Not set: kube-apiserver\'s default from Kubernetes 1.36: 100 MB'],
  ];

  it.each(hintRows)('an empty rotation field that stays unset says what kube-apiserver %s does', async(version, maxAge, maxBackup, maxSize) => {
    const c = k3sCluster('k1');

    (c.spec as Record<string, unknown>).kubernetesVersion = version;
    (c.spec as { rkeConfig: { machineGlobalConfig: Record<string, unknown> } }).rkeConfig.machineGlobalConfig['kube-apiserver-arg'] = ['audit-policy-file=/etc/external.yaml', 'audit-log-path=/var/log/audit.log'];
    const { wrapper } = await mountTab(c);

    expect([hintOf(wrapper, 'audit-log-maxAge'), hintOf(wrapper, 'audit-log-maxBackup'), hintOf(wrapper, 'audit-log-maxSize')]).toEqual([maxAge, maxBackup, maxSize]);
  });

  it('"Write a log file" off: the log fields are hidden, and without a webhook the plan refuses it; on again brings them back', async() => {
    const { wrapper, page, value } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    expect((testid(wrapper, 'audit-log-file-enabled').find('input').element as HTMLInputElement).checked).toBe(true);
    await inputOf(wrapper, 'audit-log-maxAge').setValue('45');
    await testid(wrapper, 'audit-log-file-enabled').find('label.checkbox-container').trigger('click');
    await flushPromises();
    expect(['audit-log-path', 'audit-log-format', 'audit-log-maxAge', 'audit-log-maxBackup', 'audit-log-maxSize'].filter((id) => testid(wrapper, id).exists())).toEqual([]);
    expect(testid(wrapper, 'audit-log-file-error').text()).toContain('neither a log file nor a webhook');
    await expect(page.applyHooks(BEFORE_SAVE_HOOKS, value)).rejects.toThrow();
    await testid(wrapper, 'audit-log-file-enabled').find('label.checkbox-container').trigger('click');
    await flushPromises();
    expect(testid(wrapper, 'audit-log-file-error').exists()).toBe(false);
    expect((inputOf(wrapper, 'audit-log-maxAge').element as HTMLInputElement).value).toBe('45');
  });
});

describe('step 5: review and changes on save', () => {
  it('lists the objects the plan writes', async() => {
    const { wrapper } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    expect(testid(wrapper, 'audit-change-0').text()).toContain('Create Secret fleet-default/k1-audit-policy');
  });

  it('a lint error is listed and blocks saving', async() => {
    const { wrapper, page } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    const draft = draftOf(wrapper);

    draft.setYaml('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n');
    await flushPromises();
    await painted();
    expect(testid(wrapper, 'audit-findings-errors').text()).toContain('sensitive-body');
    await expect(page.applyHooks(BEFORE_SAVE_HOOKS, {})).rejects.toThrow('The audit policy has errors');
  });
});

describe('step 6: test a request', () => {
  it('highlights the matching rule and shows its level', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    expect(testid(wrapper, 'audit-test-result').text()).toBe('Level Metadata, rule 1 — Omitted stages: RequestReceived');
    expect(testid(wrapper, 'audit-rule-0-matched').exists()).toBe(true);
    await inputOf(wrapper, 'audit-test-resource').setValue('pods');
    await flushPromises();
    expect(testid(wrapper, 'audit-test-result').text()).toContain('rule 2');
    expect(testid(wrapper, 'audit-rule-1-matched').exists()).toBe(true);
  });
});

describe('save through the page\'s hooks', () => {
  it('registers one before-hook and one after-hook under fixed names, also when mounted twice', async() => {
    const { page, wrapper } = await mountTab(rke2Cluster('c1'));
    const names = () => ((page[BEFORE_SAVE_HOOKS] || []) as { name: string }[]).map((h) => h.name);

    expect(names()).toEqual(['cluster-audit-log-before-save']);
    expect(((page[AFTER_SAVE_HOOKS] || []) as { name: string }[]).map((h) => h.name)).toEqual(['cluster-audit-log-after-save']);
    wrapper.unmount();
  });

  it('inline: Save puts the policy into machineGlobalConfig', async() => {
    const { wrapper, page, value, steve } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    await page.applyHooks(BEFORE_SAVE_HOOKS, value);
    expect(getPath(value, PATHS.inlinePolicy)).toBe(policyToYaml(presetPolicy('cis-minimal') as Policy));
    expect(steve.writes).toEqual([]);
  });

  it('the "Edit as YAML" preview applies the cluster fields but writes no Secret', async() => {
    const { wrapper, page, value, steve } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    await page.applyHooks(BEFORE_SAVE_HOOKS, 'show-preview-yaml');
    expect(steve.writes).toEqual([]);
    expect((getPath(value, PATHS.apiserverArgs) as string[])).toContain('audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml');
  });

  it('Secret method: the Secret is written before the cluster, with the exact annotation', async() => {
    const { wrapper, page, value, steve } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    await page.applyHooks(BEFORE_SAVE_HOOKS, value);
    expect(steve.writes).toEqual(['POST secret/fleet-default/k1-audit-policy']);
    expect(steve.objects.get('secret/fleet-default/k1-audit-policy')?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe('k1');
    expect(getPath(value, PATHS.machineSelectorFiles)).toHaveLength(1);
  });

  it('403 on the Secret: a clear message, nothing lost, and a retry works', async() => {
    const { wrapper, page, value, steve } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    steve.failNext('secret', 403, 'secrets is forbidden: User "u-restricted" cannot create resource "secrets"');
    await expect(page.applyHooks(BEFORE_SAVE_HOOKS, value)).rejects.toThrow('Could not create Secret fleet-default/k1-audit-policy: 403 secrets is forbidden');
    expect(testid(wrapper, 'audit-save-error').text()).toContain('403');
    expect(getPath(value, PATHS.machineSelectorFiles)).toBeUndefined();
    await page.applyHooks(BEFORE_SAVE_HOOKS, value);
    expect(steve.writes).toEqual(['POST secret/fleet-default/k1-audit-policy']);
  });

  it('409 on save: the page runs the hooks again; the half-done Secret is reused, not created twice', async() => {
    const { wrapper, page, value, steve } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    await page.applyHooks(BEFORE_SAVE_HOOKS, value);
    // the cluster PUT got a 409; the page's conflict handling saves again, running the before-hooks again
    await page.applyHooks(BEFORE_SAVE_HOOKS, value);
    expect(steve.writes).toEqual(['POST secret/fleet-default/k1-audit-policy']);
    expect((getPath(value, PATHS.apiserverArgs) as string[]).filter((a) => a.startsWith('audit-policy-file='))).toHaveLength(1);
    await page.applyHooks(AFTER_SAVE_HOOKS, value);
  });

  it('switching an existing Secret cluster to ConfigMap releases the old Secret after the cluster is saved', async() => {
    const base = k3sCluster('k1');
    const rke = (base.spec as { rkeConfig: Record<string, unknown> }).rkeConfig;

    (rke.machineGlobalConfig as Record<string, unknown>)['kube-apiserver-arg'] = ['audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml', 'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log'];
    rke.machineSelectorFiles = [{ fileSources: [{ secret: { name: 'old', items: [{ key: 'p', path: '/var/lib/rancher/k3s/server/audit.yaml' }] } }] }];
    const steve = fakeSteve({ objects: [{ ...secret('old', { p: policyToYaml(presetPolicy('cis-minimal') as Policy) }, { [AUTHORIZED_ANNOTATION]: 'k1' }, { 'app.kubernetes.io/managed-by': 'cluster-audit-log' }), type: 'secret' }] });
    const { wrapper, page, value } = await mountTab(base, steve);

    expect(testid(wrapper, 'audit-problems').exists()).toBe(false);
    await chooseMethod(wrapper, 'configmap');
    await page.applyHooks(BEFORE_SAVE_HOOKS, value);
    expect(steve.writes).toEqual(['POST configmap/fleet-default/old']);
    await page.applyHooks(AFTER_SAVE_HOOKS, value);
    expect(steve.writes).toEqual(['POST configmap/fleet-default/old', 'DELETE secret/fleet-default/old']);
  });

  it('a policy kube-apiserver would refuse is never saved', async() => {
    const { wrapper, page, value, steve } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    const draft = draftOf(wrapper);

    draft.setYaml('apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n');
    await flushPromises();
    await expect(page.applyHooks(BEFORE_SAVE_HOOKS, value)).rejects.toThrow('kube-apiserver would refuse this policy');
    expect(steve.writes).toEqual([]);
  });
});

describe('a cluster the user may not update', () => {
  it('says so up front and shows the settings read-only', async() => {
    const { wrapper } = await mountTab({ ...rke2Cluster('c1'), canUpdate: false } as KubeObject);

    expect(testid(wrapper, 'audit-cannot-update').text()).toBe('You may not update this cluster, so its audit settings are shown read-only.');
    await enable(wrapper);
    expect(testid(wrapper, 'audit-method-switch').exists()).toBe(false);
    expect(testid(wrapper, 'audit-disabled-note').exists()).toBe(true);
  });
});

describe('changes on save while the policy is refused', () => {
  it('says to fix the errors first instead of showing nothing', async() => {
    const { wrapper } = await mountTab(rke2Cluster('c1'));

    await enable(wrapper);
    const draft = draftOf(wrapper);

    draft.setYaml('rules: [\n');
    await flushPromises();
    expect(testid(wrapper, 'audit-changes-blocked').text()).toBe('Fix the errors above to see what saving would write.');
    expect(testid(wrapper, 'audit-yaml-error').text()).toContain('Line 2, column 1');
  });
});

describe('names and numbers are refused at their field, and the save with them', () => {
  it.each([
    ['audit-file-name', 'Audit_Policy', 'Secret name "Audit_Policy": a DNS-1123 subdomain must consist of lower case alphanumeric characters'],
    ['audit-file-key', 'a/b', 'key "a/b": a valid config key must consist of alphanumeric characters'],
    ['audit-file-path', 'var/audit.yaml', 'file path "var/audit.yaml": must be an absolute path'],
    ['audit-file-selector', 'a b=true', 'node label key "a b": name part must consist of alphanumeric characters'],
    ['audit-file-selector', 'role=<b>', 'node label value "<b>" (of "role"): a valid label must be an empty string'],
    ['audit-log-path', 'audit.log', 'log path "audit.log" (or "-" for standard output): must be an absolute path'],
    ['audit-log-maxAge', '1e3', 'audit-log-maxage: "1e3" is not a whole number'],
    ['audit-log-maxBackup', '-1', 'audit-log-maxbackup: "-1" is negative'],
    ['audit-log-maxSize', '1000000000000000000000', 'audit-log-maxsize: "1000000000000000000000" is too large: at most 9223372036854775807'],
  ])('%s = %j', async(field, text, message) => {
    const { wrapper, page, value, steve } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    expect(testid(wrapper, `${ field }-error`).exists()).toBe(false);
    await inputOf(wrapper, field).setValue(text);
    await flushPromises();
    expect(testid(wrapper, `${ field }-error`).text()).toContain(message);
    expect(testid(wrapper, 'audit-changes-blocked').exists()).toBe(true);
    await expect(page.applyHooks(BEFORE_SAVE_HOOKS, value)).rejects.toThrow(message);
    expect(steve.writes).toEqual([]);
  });

  it('a cluster name that is no DNS-1123 label is refused once a Secret would authorize it', async() => {
    const { wrapper } = await mountTab(k3sCluster('K1,other'));

    await enable(wrapper);
    expect(testid(wrapper, 'audit-cluster-name-error').text()).toContain('the cluster name "K1,other" (written to rke.cattle.io/object-authorized-for-clusters): a DNS-1123 label must consist of');
  });

  it('a max age of 19 digits is saved digit for digit', async() => {
    const { wrapper, page, value } = await mountTab(k3sCluster('k1'));

    await enable(wrapper);
    await inputOf(wrapper, 'audit-log-maxAge').setValue('09223372036854775807');
    await flushPromises();
    expect(testid(wrapper, 'audit-log-maxAge-error').exists()).toBe(false);
    await page.applyHooks(BEFORE_SAVE_HOOKS, value);
    expect((getPath(value, PATHS.apiserverArgs) as string[]).filter((a) => a.startsWith('audit-log-maxage'))).toEqual(['audit-log-maxage=9223372036854775807']);
  });
});
