// ESLint 10 flat config: the shell's shared extension config (neostandard + typescript-eslint + eslint-plugin-vue)
// plus this project's additions. Run by `yarn lint` over pkg/, cli/, bench/, tests/ and scripts/ with --max-warnings 0.
import shellConfig from '@rancher/shell/eslint.config.base.mjs';
import globals from 'globals';

export default [
  ...shellConfig,
  {
    ignores: [
      'pkg/*/.shell/',
      'pkg/*/node_modules/',
      'tests/e2e/artifacts/',
    ],
  },
  {
    files:           ['tests/**/*.{ts,js,vue}'],
    languageOptions: { globals: { ...globals.jest } },
    rules:           {
      // Tests are truth tables, one case per line: let a row hold an object literal on one line.
      'object-curly-newline':    'off',
      'object-property-newline': 'off',
    },
  },
  {
    // The engine and the plan are pure TypeScript: no Vue, no store, no shell, no component (README: how it is built).
    files: ['pkg/cluster-audit-log/policy/**/*.ts', 'pkg/cluster-audit-log/delivery/**/*.ts', 'pkg/cluster-audit-log/fleet/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group:   ['vue', 'vuex', 'vue-router', '@shell/*', '@components/*', '@rancher/*', '*.vue', '**/apply', '**/components/*', '**/composables/*'],
          message: 'policy/, delivery/ and fleet/ are pure TypeScript: no Vue, no store, no shell components.',
        }],
      }],
    },
  },
  {
    // CommonJS tooling (jest transformers, build helpers)
    files: ['tests/support/**/*.js', 'scripts/**/*.js', '*.config.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
];
