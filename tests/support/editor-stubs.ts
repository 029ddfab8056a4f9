/**
 * CodeMirror and diff2html cannot run in jsdom (it measures the DOM). Component tests replace the shell's CodeMirror
 * component, inside the real YamlEditor, with a textarea that keeps its contract: `value`, `onInput`,
 * `onReady(cm)` and `updateValue()`. The line marking the tab does is recorded on `marked`; the instance given to
 * `onReady` edits the text as CodeMirror's does (`getValue`, `posFromIndex`, `replaceRange`, which, like a change in
 * CodeMirror, is echoed as `onInput`).
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
    const indexOf = (pos: { line: number, ch: number }) => this.text.split('\n').slice(0, pos.line).reduce((n, line) => n + line.length + 1, 0) + pos.ch;

    this.$emit('onReady', {
      addLineClass:    (line: number) => marked.push(line),
      removeLineClass: (line: number) => marked.splice(marked.indexOf(line), 1),
      getValue:        () => this.text,
      posFromIndex:    (index: number) => {
        const lines = this.text.slice(0, index).split('\n');

        return { line: lines.length - 1, ch: lines[lines.length - 1].length };
      },
      replaceRange: (insert: string, from: { line: number, ch: number }, to: { line: number, ch: number }) => {
        this.text = this.text.slice(0, indexOf(from)) + insert + this.text.slice(indexOf(to));
        this.$emit('onInput', this.text);
      },
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
