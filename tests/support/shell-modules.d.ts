// Types for the few @rancher/shell JavaScript modules the test harness imports that the shell's own
// types (node_modules/@rancher/shell/types/shell/index.d.ts) do not declare.
declare module '@shell/directives/clean-html' {
  import type { Directive } from 'vue';

  const cleanHtmlDirective: Directive<HTMLElement, string>;

  export default cleanHtmlDirective;
}

declare module '@shell/directives/strip-html-aria-label' {
  import type { Directive } from 'vue';

  const htmlStrippedAriaLabelDirective: Directive<HTMLElement, string>;

  export default htmlStrippedAriaLabelDirective;
}

declare module '@shell/mixins/child-hook' {
  import type { ComponentOptions } from 'vue';

  export const BEFORE_SAVE_HOOKS: string;
  export const AFTER_SAVE_HOOKS: string;
  const ChildHook: ComponentOptions;

  export default ChildHook;
}
