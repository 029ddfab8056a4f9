#!/usr/bin/env node
// `yarn test:e2e [jest options]`: the browser suite in each mode, one after the other (each starts and stops its
// own servers; tests/e2e/servers.ts): in-tree, then packaged, whose tests are all named "packaged: ...". A name
// filter picks the mode its tests are in: `-t "<pattern>"` runs the packaged mode when the pattern says "packaged",
// the in-tree mode otherwise. E2E_MODES=in-tree,packaged (or one of them) overrides that choice.
// Each mode's results go to .test-results/browser[-packaged].json for scripts/test-summary.js; the exit code is
// the first non-zero one. The jest options are passed to every mode run.
const { spawnSync } = require('child_process');
const { mkdirSync } = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const MODES = ['in-tree', 'packaged'];

/** The -t / --testNamePattern value among the jest options, or undefined. */
function namePattern() {
  for (let i = 0; i < args.length; i++) {
    const m = /^(?:-t|--testNamePattern)(?:=(.*))?$/.exec(args[i]);

    if (m) {
      return m[1] ?? args[i + 1];
    }
  }

  return undefined;
}

function modes() {
  if (process.env.E2E_MODES) {
    return process.env.E2E_MODES.split(',').map((m) => m.trim()).filter(Boolean);
  }
  const pattern = namePattern();

  if (pattern === undefined) {
    return MODES;
  }

  return [/packaged/i.test(pattern) ? 'packaged' : 'in-tree'];
}

let exitCode = 0;

mkdirSync(path.join(root, '.test-results'), { recursive: true });
for (const mode of modes()) {
  if (!MODES.includes(mode)) {
    process.stderr.write(`e2e: unknown mode "${ mode }" (${ MODES.join(', ') })\n`);
    process.exit(2);
  }
  const output = path.join('.test-results', mode === 'in-tree' ? 'browser.json' : `browser-${ mode }.json`);

  process.stdout.write(`\ne2e: ${ mode } mode\n`);
  const run = spawnSync(path.join(root, 'node_modules', '.bin', 'jest'), ['-c', 'jest.e2e.config.js', '--json', `--outputFile=${ output }`, ...args], {
    cwd: root, stdio: 'inherit', env: { ...process.env, E2E_MODE: mode }
  });

  exitCode = exitCode || (run.status ?? 1);
}
process.exit(exitCode);
