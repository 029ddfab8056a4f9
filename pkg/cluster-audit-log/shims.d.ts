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
