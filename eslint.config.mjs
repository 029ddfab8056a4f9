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
      // Tests are truth tables, one case per line (DESIGN.md): let a row hold an object literal on one line.
      'object-curly-newline':    'off',
      'object-property-newline': 'off',
    },
  },
  {
    // CommonJS tooling (jest transformers, build helpers)
    files: ['tests/support/**/*.js', 'scripts/**/*.js', '*.config.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
];
