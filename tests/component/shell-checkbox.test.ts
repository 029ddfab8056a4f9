// Smoke test of the component harness: a real @rancher/shell component, a real vuex store, this package's l10n.
import { mount } from '@vue/test-utils';
import Checkbox from '@components/Form/Checkbox/Checkbox.vue';
import { createI18nStore } from '../support/store';

function mountCheckbox(props: Record<string, unknown>, locale = 'en-us') {
  return mount(Checkbox, { props, global: { plugins: [createI18nStore(locale)] } });
}

describe('harness: shell Checkbox with our translations', () => {
  it('renders the label from l10n/en-us.yaml through <t>', () => {
    const wrapper = mountCheckbox({ labelKey: 'clusterAuditLog.tabLabel' });

    expect(wrapper.find('.checkbox-label').text()).toBe('Audit Log');
  });

  it('renders the label from l10n/zh-hans.yaml', () => {
    const wrapper = mountCheckbox({ labelKey: 'clusterAuditLog.tabLabel' }, 'zh-hans');

    expect(wrapper.find('.checkbox-label').text()).toBe('审计日志');
  });

  it('shows a missing key as %key%, the way the dashboard does', () => {
    const wrapper = mountCheckbox({ labelKey: 'clusterAuditLog.noSuchKey' });

    expect(wrapper.find('.checkbox-label').text()).toBe('%clusterAuditLog.noSuchKey%');
  });

  it('runs the global directives (stripped-aria-label sets aria-label from the tooltip)', () => {
    const wrapper = mountCheckbox({ label: 'x', tooltip: '<b>Bold</b> tip' });

    expect(wrapper.find('[data-testid="checkbox-info-icon"]').attributes('aria-label')).toBe('Bold tip');
  });

  it('emits update:value on click, and nothing in view mode', async() => {
    const editable = mountCheckbox({ value: false, label: 'x' });

    await editable.find('label.checkbox-container').trigger('click');
    expect(editable.emitted('update:value')).toStrictEqual([[true]]);

    const readOnly = mountCheckbox({
      value: false, label: 'x', mode: 'view'
    });

    await readOnly.find('label.checkbox-container').trigger('click');
    expect(readOnly.emitted('update:value')).toBeUndefined();
    expect(readOnly.find('input[type="checkbox"]').element).toHaveProperty('checked', false);
  });
});
