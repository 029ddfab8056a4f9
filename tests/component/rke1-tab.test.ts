/** The RKE1 tab on the cluster detail page: edits the management cluster's auditLog block and saves it. */
import { defineComponent, h } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import Rke1AuditLogTab from '@pkg/components/Rke1AuditLogTab.vue';
import { getPath, PATHS } from '@pkg/delivery';
import { fakeSteve } from '../support/steve';
import { rke1Cluster, rke2Cluster } from '../support/clusters';
import { CodeMirrorStub, FileDiffStub } from '../support/editor-stubs';

/** The shell's Tab component, as far as the tab uses it: the nearest ancestor named Tab, with removeTab. */
const FakeTab = defineComponent({
  // eslint-disable-next-line vue/multi-word-component-names -- the shell's component is called Tab
  name:    'Tab',
  props:   { mgmt: { type: Object, default: null } },
  data:    () => ({ removed: false }),
  methods: {
    removeTab() {
      this.removed = true;
    },
  },
  render() {
    return h(Rke1AuditLogTab, { resource: { mgmt: this.mgmt as never } });
  },
});

function mgmtModel(cluster: Record<string, unknown>, save: () => Promise<unknown> = async() => undefined) {
  return Object.assign(JSON.parse(JSON.stringify(cluster)), { save: jest.fn(save), canUpdate: true });
}

async function mountTab(mgmt: Record<string, unknown>) {
  const wrapper = mount(FakeTab, { props: { mgmt }, global: { plugins: [fakeSteve().store], stubs: { CodeMirror: CodeMirrorStub, FileDiff: FileDiffStub } } });

  await flushPromises();

  return wrapper;
}

describe('RKE1 tab', () => {
  it('removes itself on clusters that are not RKE1', async() => {
    const wrapper = await mountTab(mgmtModel({ ...rke2Cluster('c'), spec: { k3sConfig: {} } }));

    expect((wrapper.vm as unknown as { removed: boolean }).removed).toBe(true);
  });

  it('reads the existing auditLog block and saves a changed one through the model', async() => {
    const mgmt = mgmtModel(rke1Cluster({ enabled: true, configuration: { maxAge: 5, maxBackup: 10, maxSize: 100, path: '/var/log/kube-audit/audit-log.json', format: 'json', policy: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] } } }));
    const wrapper = await mountTab(mgmt);

    expect(wrapper.find('[data-testid="audit-distro"]').text()).toBe('Distribution: RKE1');
    expect(wrapper.find('[data-testid="audit-log-maxAge-cis"]').exists()).toBe(true);
    await wrapper.find('input[data-testid="audit-log-maxAge"]').setValue('30');
    await wrapper.find('[data-testid="audit-rke1-save"]').trigger('click');
    await flushPromises();
    expect(mgmt.save).toHaveBeenCalledTimes(1);
    expect(getPath(mgmt, PATHS.rke1AuditLog)).toMatchObject({ enabled: true, configuration: { maxAge: 30, policy: { rules: [{ level: 'Metadata' }] } } });
    expect(wrapper.find('[data-testid="audit-rke1-message"]').text()).toBe('Audit settings saved.');
  });

  it('a 409 keeps what the user entered and says to save again', async() => {
    const mgmt = mgmtModel(rke1Cluster(), () => Promise.reject(Object.assign(new Error('conflict'), { _status: 409 })));
    const wrapper = await mountTab(mgmt);

    await wrapper.find('[data-testid="audit-enable"] label.checkbox-container').trigger('click');
    await flushPromises();
    await wrapper.find('[data-testid="audit-rke1-save"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="audit-rke1-message"]').text()).toContain('changed by someone else');
    expect((wrapper.find('[data-testid="audit-enable"] input').element as HTMLInputElement).checked).toBe(true);
    expect(getPath(mgmt, PATHS.rke1AuditLog)).toBeUndefined();
  });

  it.each([
    ['9007199254740992', 'maxAge: "9007199254740992" is too large: at most 9007199254740991 (RKE1 keeps it as a JSON number'],
    ['1.5', 'maxAge: "1.5" is not a whole number'],
  ])('max age %j is refused at the field and not saved', async(text, message) => {
    const mgmt = mgmtModel(rke1Cluster({ enabled: true }));
    const wrapper = await mountTab(mgmt);

    await wrapper.find('input[data-testid="audit-log-maxAge"]').setValue(text);
    await flushPromises();
    expect(wrapper.find('[data-testid="audit-log-maxAge-error"]').text()).toContain(message);
    await wrapper.find('[data-testid="audit-rke1-save"]').trigger('click');
    await flushPromises();
    expect(mgmt.save).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="audit-rke1-message"]').text()).toContain(message);
  });
});
