#!/usr/bin/env node
// `yarn typecheck`: vue-tsc --noEmit -p tsconfig.check.json, reporting only diagnostics in this project's files.
// Our files import @rancher/shell sources (.ts/.vue under node_modules/@rancher/shell, reached through the
// @shell/* and @components/* paths); TypeScript then checks those as source files (skipLibCheck covers only
// .d.ts) and some of them fail our strict settings. Those diagnostics are counted and dropped; any other
// diagnostic, or a diagnostic without a file (bad config), fails the check.
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const vueTsc = require.resolve('vue-tsc/bin/vue-tsc.js', { paths: [root] });
const args = [vueTsc, '--noEmit', '-p', 'tsconfig.check.json', '--pretty', 'false', ...process.argv.slice(2)];
const result = spawnSync(process.execPath, args, {
  cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024
});

if (result.error) {
  throw result.error;
}

const output = `${ result.stdout }${ result.stderr }`;
const start = /^(.+?)\(\d+,\d+\): (error|warning|message) TS\d+:/;
const diagnostics = [];

for (const line of output.split('\n')) {
  if (start.test(line) || !diagnostics.length || !/^\s/.test(line)) {
    if (line.trim()) {
      diagnostics.push([line]);
    }
  } else {
    diagnostics[diagnostics.length - 1].push(line);
  }
}

const isShell = (d) => {
  const m = d[0].match(start);

  return !!m && path.relative(root, path.resolve(root, m[1])).startsWith(`node_modules${ path.sep }`);
};
const ours = diagnostics.filter((d) => !isShell(d));
const ignored = diagnostics.length - ours.length;

if (ours.length) {
  process.stdout.write(`${ ours.map((d) => d.join('\n')).join('\n') }\n`);
}
if (ignored) {
  process.stdout.write(`typecheck: ignored ${ ignored } diagnostic(s) inside node_modules (@rancher/shell sources)\n`);
}

if (ours.length || (result.status !== 0 && !ignored)) {
  process.stdout.write(`typecheck: failed (${ ours.length } diagnostic(s) in this project)\n`);
  process.exit(1);
}
process.stdout.write('typecheck: ok\n');
