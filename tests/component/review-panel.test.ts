/**
 * ReviewPanel's policy YAML editor (with the CodeMirror stand-in of tests/support/editor-stubs.ts): text the form
 * changed replaces only the range that changed and is not sent back as if typed; text typed in the editor is.
 */
import { flushPromises, mount, VueWrapper } from '@vue/test-utils';
import ReviewPanel from '@pkg/components/parts/ReviewPanel.vue';
import { createI18nStore } from '../support/store';
import { CodeMirrorStub, FileDiffStub } from '../support/editor-stubs';

const BEFORE = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n';

function mountPanel(): VueWrapper {
  return mount(ReviewPanel, {
    props: {
      findings: [], yamlText: BEFORE, yamlError: null, plan: null, clusterBefore: '', clusterAfter: '', readOnly: false
    },
    global: { plugins: [createI18nStore('en-us')], stubs: { CodeMirror: CodeMirrorStub, FileDiff: FileDiffStub }, directives: { trimWhitespace: {} } },
  });
}

/** The editor's text (the stand-in's own copy: a textarea's value would turn carriage returns into line feeds). */
const editorText = (w: VueWrapper) => (w.findComponent(CodeMirrorStub).vm as unknown as { text: string }).text;

describe('the policy YAML editor', () => {
  it.each([
    ['a level changed', BEFORE.replace('Metadata', 'None')],
    ['a rule added', `${ BEFORE }  - level: None\n`],
    ['every rule removed', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n'],
    ['text with carriage returns (set whole)', BEFORE.replace(/\n/g, '\r\n')],
  ])('shows the form\'s change (%s) without sending it back', async(_, after) => {
    const w = mountPanel();

    await w.setProps({ yamlText: after });
    await flushPromises();
    expect(editorText(w)).toBe(after);
    expect(w.emitted('update:yaml')).toBeUndefined();
  });

  it('sends text typed in the editor', async() => {
    const w = mountPanel();
    const typed = `${ BEFORE }  - level: Request\n`;

    await w.find('[data-testid="audit-policy-yaml-code-mirror"]').setValue(typed);
    expect(w.emitted('update:yaml')).toEqual([[typed]]);
  });
});
