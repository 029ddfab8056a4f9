#!/usr/bin/env node
// Keeps yarn.lock free of download addresses: yarn 1 writes a `resolved` URL (naming a registry host) for every
// entry; it installs just as well from `version` + `integrity`, fetching from whatever registry is configured.
// Runs as the root `postinstall` (after yarn has saved the lockfile). `--check` only reports (used by `yarn lint`).
const fs = require('fs');
const path = require('path');

const file = path.join(__dirname, '..', 'yarn.lock');
const check = process.argv.includes('--check');

if (!fs.existsSync(file)) {
  process.exit(0);
}

const src = fs.readFileSync(file, 'utf8');
const out = src.replace(/^ {2}resolved .*\r?\n/gm, '');

if (out === src) {
  process.exit(0);
}

if (check) {
  // eslint-disable-next-line no-console
  console.error('yarn.lock contains `resolved` download addresses: run `node scripts/lockfile-hosts.js` (or `yarn install`) to strip them.');
  process.exit(1);
}

fs.writeFileSync(file, out);
