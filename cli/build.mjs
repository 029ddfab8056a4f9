#!/usr/bin/env node
// `yarn build:cli` (also run by the root postinstall and by `yarn test`): compiles the audit-policy CLI ahead
// of time into one plain JavaScript file, the package's `bin`, so a call starts node on it directly.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist-cli/audit-policy.js');

await build({
  entryPoints: [join(root, 'cli/audit-policy.ts')],
  outfile,
  bundle:      true,
  platform:    'node',
  target:      'node20',
  format:      'cjs',
  minify:      true,
  logLevel:    'warning',
});
chmodSync(outfile, 0o755);
