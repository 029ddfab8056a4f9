/**
 * `yarn stand-in [--port 8989] [--host 127.0.0.1] [--verbose] [--sim-api [--sim-token-file <path>]] [--fleet N] [--ui-plugin <name>]`: runs
 * the Rancher API stand-in until killed. Prints `stand-in listening on <url>`, then one `login: <user> / <password>`
 * line per seeded user (from the seed definitions; no route answers a password).
 *
 * `--fleet N` adds N generated clusters with their Secrets and ConfigMaps (tests/rancher/fleet-seed.ts) next to the
 * default seed; POST /__sim/reset restores the default seed only, POST /__sim/reset with `{"fleet": N, "secrets": M}`
 * the default seed and such a fleet.
 *
 * `--ui-plugin <name>` (repeatable) serves the extension pkg/<name> as built by `yarn build-pkg <name>` (dist-pkg/) the
 * way Rancher serves an extension installed from a catalog: /v1/uiplugins lists it and serves its files (uiplugins.ts).
 *
 * `--sim-api` turns on the /__sim/ test API (the browser suite and the bench pass it; scripts/start.sh does not).
 * Its requests need the random token made at start in the X-Sim-Token header: the token is written to
 * `--sim-token-file` (mode 0600, removed on exit), or printed when no file is given.
 */
import { rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { seedFleet } from './fleet-seed';
import { createStandIn } from './server';
import { USERS } from './types';
import { uiPluginFromRepository } from './uiplugins';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${ name }`);

  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const tokenFile = arg('sim-token-file', '');
  const fleet = arg('fleet', '0');

  if (!/^\d+$/.test(fleet)) {
    throw new Error(`--fleet ${ fleet }: want a number of clusters`);
  }
  const uiPlugins = process.argv.flatMap((a, i) => (a === '--ui-plugin' && process.argv[i + 1] ? [uiPluginFromRepository(join(__dirname, '..', '..'), process.argv[i + 1])] : []));
  const standIn = await createStandIn({
    port:    Number(arg('port', process.env.STAND_IN_PORT || '8989')),
    host:    arg('host', '127.0.0.1'),
    verbose: process.argv.includes('--verbose'),
    simApi:  process.argv.includes('--sim-api'),
    uiPlugins,
  });

  if (Number(fleet) > 0) {
    const added = seedFleet(standIn.store, Number(fleet));

    process.stdout.write(`fleet: ${ fleet } generated clusters, ${ added.secrets.length } Secrets, ${ added.configMaps.length } ConfigMaps in fleet-default\n`);
  }
  if (standIn.simToken && tokenFile) {
    rmSync(tokenFile, { force: true });
    writeFileSync(tokenFile, `${ standIn.simToken }\n`, { mode: 0o600, flag: 'wx' });
  }
  process.stdout.write(`stand-in listening on ${ standIn.url }\n`);
  for (const p of uiPlugins) {
    process.stdout.write(`ui extension: ${ p.packageJson.name } ${ p.packageJson.version } from ${ p.dir }\n`);
  }
  for (const u of USERS) {
    process.stdout.write(`login: ${ u.username } / ${ u.password }  - ${ u.displayName }\n`);
  }
  if (standIn.simToken) {
    process.stdout.write(`test API: ${ standIn.url }/__sim/, token ${ tokenFile ? `in ${ tokenFile }` : standIn.simToken } (send it as X-Sim-Token)\n`);
  }
  const stop = () => {
    if (standIn.simToken && tokenFile) {
      rmSync(tokenFile, { force: true });
    }
    standIn.close().then(() => process.exit(0));
  };

  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`stand-in failed: ${ (e as Error).stack || e }\n`);
  process.exit(1);
});
