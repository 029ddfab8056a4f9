// Global setup for tests/component: what the dashboard installs on its Vue app and that shell components rely on.
import { TextDecoder, TextEncoder } from 'util';
import { config } from '@vue/test-utils';
import i18n from '@shell/plugins/i18n';
import cleanHtmlDirective from '@shell/directives/clean-html';
import htmlStrippedAriaLabelDirective from '@shell/directives/strip-html-aria-label';

// `t()` on every component, the `v-t` directive and the `<t k="...">` component; they read `i18n/t` from the
// store each test passes in `global.plugins` (see tests/support/store.ts).
config.global.plugins.push(i18n);

config.global.directives = {
  ...config.global.directives,
  'clean-html':          cleanHtmlDirective, // real: DOMPurify runs in jsdom
  'stripped-aria-label': htmlStrippedAriaLabelDirective, // real: sets aria-label
  'clean-tooltip':       {}, // no-op: the real one drives floating-vue popovers
};

// jsdom lacks the Encoding API every browser has (delivery/sha256.ts uses it).
Object.assign(globalThis, { TextEncoder, TextDecoder });
