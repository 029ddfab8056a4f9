// babel-jest with its own config (not the shell's babel.config.js, which adds istanbul to every file under NODE_ENV=test).
// TypeScript is stripped by @babel/preset-typescript: fast, and no type checking (that is `yarn typecheck`).
const babelJest = require('babel-jest').default;

module.exports = babelJest.createTransformer({
  configFile: false,
  babelrc:    false,
  presets:    [
    ['@babel/preset-env', { targets: { node: 'current' } }],
    ['@babel/preset-typescript', { allowDeclareFields: true }],
  ],
  plugins: ['transform-require-context'],
});
