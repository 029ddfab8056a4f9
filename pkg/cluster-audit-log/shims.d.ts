// Module shapes that webpack (build-pkg) and jest provide but TypeScript cannot see.

// Generated at build time by @rancher/shell/pkg/auto-import.js (a webpack virtual module).
declare module '@rancher/auto-import' {
  import type { IPlugin } from '@shell/core/types';

  export function importTypes(plugin: IPlugin): void;
}

// Translations, loaded with js-yaml-loader by webpack and by a jest transform in tests.
declare module '*.yaml' {
  const translations: Record<string, unknown>;

  export default translations;
}

// The shell's SortableTable, a JavaScript component in a directory (index.vue): its cells are filled through
// dynamic slots (`cell:<column>`), which a JavaScript component cannot declare.
declare module '@shell/components/SortableTable' {
  const SortableTable: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  export default SortableTable;
}
