// Types for the modules tests/component/hostile.test.ts installs as the dashboard does
// (@rancher/shell initialize/install-components.js and install-plugins.js) that ship no declarations.
declare module 'vue-select' {
  import type { Component } from 'vue';

  const vSelect: Component;

  export default vSelect;
}

declare module '@shell/plugins/codemirror' {
  const CodeMirror: unknown;

  export default CodeMirror;
}
