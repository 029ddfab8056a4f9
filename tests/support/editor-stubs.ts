/**
 * CodeMirror and diff2html cannot run in jsdom (it measures the DOM). Component tests replace the shell's CodeMirror
 * component, inside the real YamlEditor, with a textarea that keeps its contract: `value`, `onInput`,
 * `onReady(cm)` and `updateValue()`. The line marking the tab does is recorded on `marked`.
 */
import { defineComponent, h } from 'vue';

export const CodeMirrorStub = defineComponent({
  name:  'CodeMirror',
  props: { value: { type: String, default: '' }, options: { type: Object, default: () => ({}) } },
  emits: ['onInput', 'onReady', 'onChanges', 'validationChanged'],
  data() {
    return { text: this.value, marked: [] as number[] };
  },
  mounted() {
    const marked = this.marked;

    this.$emit('onReady', {
      addLineClass:    (line: number) => marked.push(line),
      removeLineClass: (line: number) => marked.splice(marked.indexOf(line), 1),
    });
  },
  methods: {
    updateValue(value: string) {
      this.text = value;
    },
  },
  render() {
    return h('textarea', {
      'data-testid': 'codemirror-stub',
      'data-marked': this.marked.join(','),
      value:         this.text,
      readOnly:      !!this.options.readOnly,
      onInput:       (e: Event) => {
        this.text = (e.target as HTMLTextAreaElement).value;
        this.$emit('onInput', this.text);
      },
    });
  },
});

/** diff2html cannot draw in jsdom either: FileDiff renders its two texts for assertions. */
export const FileDiffStub = defineComponent({
  name:  'FileDiff',
  props: { orig: { type: String, default: '' }, neu: { type: String, default: '' } },
  render() {
    return h('pre', { 'data-testid': 'filediff-stub' }, `--- before\n${ this.orig }\n+++ after\n${ this.neu }`);
  },
});
