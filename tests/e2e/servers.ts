/**
 * Starts what the browser suite and `yarn bench` drive: the Rancher stand-in (tests/rancher) and the dashboard
 * with this extension, pointed at the stand-in. E2E_MODE chooses how the dashboard gets the extension:
 *
 * - `in-tree` (default): built in, the shell's dev server (`yarn dev`, https://localhost:8005);
 * - `packaged`: the dev server without it (EXCLUDE_PKGS, https://localhost:8006), and the stand-in serving the
 *   UMD of `yarn build-pkg` the way Rancher serves a catalog extension (/v1/uiplugins): the dashboard's own
 *   extension loader puts it on the page (a script tag, then `window['<name>-<version>'].default(plugin, ...)`);
 * - `production`: the same with the dashboard's production build (`yarn build`, https://localhost:8007), what
 *   `yarn bench` measures.
 *
 * Each mode has its own ports, so a server of one mode is never taken for another's. The builds a mode needs are
 * made first when missing or stale (builds.ts). The servers run in their own process groups so stopping them
 * stops their children. The stand-in is started with its /__sim/ test API on; the token that API needs is read
 * from SIM_TOKEN_FILE, which the stand-in writes at start.
 */
import { ChildProcess, spawn } from 'child_process';
import {
  existsSync, mkdirSync, openSync, readFileSync, rmSync
} from 'fs';
import { join } from 'path';
import { USERS } from '../rancher/types';
import { ensureDashboardBuild, ensurePackageBuild, packageJsonOf } from './builds';

/** How the dashboard gets the extension (see above). */
export type Mode = 'in-tree' | 'packaged' | 'production';

const MODES: Record<Mode, { dashboard: number, standIn: number }> = {
  'in-tree': { dashboard: 8005, standIn: 8989 }, packaged: { dashboard: 8006, standIn: 8990 }, production: { dashboard: 8007, standIn: 8991 }
};

/** The mode E2E_MODE names (in-tree when unset). */
export const MODE: Mode = (() => {
  const mode = process.env.E2E_MODE || 'in-tree';

  if (!(mode in MODES)) {
    throw new Error(`E2E_MODE=${ mode }: want one of ${ Object.keys(MODES).join(', ') }`);
  }

  return mode as Mode;
})();
/** The extension, as pkg/<EXTENSION> and as the package Rancher loads (`<name>-<version>`). */
export const EXTENSION = 'cluster-audit-log';
/** The id Rancher's extension loader gives the package: the script element's id and its global. */
export const EXTENSION_ID = `${ EXTENSION }-${ packageJsonOf(EXTENSION).version }`;
export const ROOT = join(__dirname, '..', '..');
export const DASHBOARD = process.env.DASHBOARD_URL || `https://localhost:${ MODES[MODE].dashboard }`;
export const STAND_IN = `http://127.0.0.1:${ process.env.STAND_IN_PORT || MODES[MODE].standIn }`;
export const LOG_DIR = join(ROOT, 'tests', 'e2e', 'artifacts', 'logs');
/** Where the stand-in started here writes its /__sim/ token (mode 0600; it removes the file when it stops). */
export const SIM_TOKEN_FILE = join(ROOT, 'tests', 'e2e', 'artifacts', `sim-token-${ new URL(STAND_IN).port }`);

/** The headers a /__sim/ request needs: the token of the running stand-in. */
export function simHeaders(): Record<string, string> {
  if (!existsSync(SIM_TOKEN_FILE)) {
    throw new Error(`no /__sim token in ${ SIM_TOKEN_FILE }: start the stand-in through startServers() (it passes --sim-api)`);
  }

  return { 'X-Sim-Token': readFileSync(SIM_TOKEN_FILE, 'utf8').trim() };
}

export interface Servers {
  pids: number[];
  /** Seconds until the dashboard answered. */
  startSeconds: number;
}

async function answers(url: string, init: Parameters<typeof fetch>[1] = {}): Promise<number> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });

    return res.status;
  } catch {
    return 0;
  }
}

function start(command: string, args: string[], env: Record<string, string>, log: string): ChildProcess {
  const fd = openSync(join(LOG_DIR, log), 'w');

  return spawn(command, args, {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd], detached: true
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;

  while (Date.now() < until) {
    if (await check()) {
      return;
    }
    if (child.exitCode !== null) {
      throw new Error(`${ what } exited with ${ child.exitCode }; see ${ LOG_DIR }`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${ what } did not answer within ${ seconds } s; see ${ LOG_DIR }`);
}

/** True when the stand-in lists the built extension in its /v1/uiplugins index (asked as a logged-in user). */
async function servesExtension(): Promise<boolean> {
  try {
    const login = await fetch(`${ STAND_IN }/v3-public/localProviders/local?action=login`, { method: 'POST', body: JSON.stringify({ username: USERS[0].username, password: USERS[0].password }), signal: AbortSignal.timeout(5000) });
    const { token } = await login.json() as { token: string };
    const index = await fetch(`${ STAND_IN }/v1/uiplugins`, { headers: { Authorization: `Bearer ${ token }` }, signal: AbortSignal.timeout(5000) });
    const { entries } = await index.json() as { entries?: Record<string, { version: string }> };

    return `${ EXTENSION }-${ entries?.[EXTENSION]?.version }` === EXTENSION_ID;
  } catch {
    return false;
  }
}

/** Starts the stand-in and the dashboard of MODE (unless already running) and waits until both answer. */
export async function startServers(): Promise<Servers> {
  const started = Date.now();
  const pids: number[] = [];
  const packaged = MODE !== 'in-tree';

  mkdirSync(LOG_DIR, { recursive: true });
  if (packaged) {
    ensurePackageBuild(EXTENSION);
  }
  // The dev server uses a self-signed certificate.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const simApi = async() => existsSync(SIM_TOKEN_FILE) && (await answers(`${ STAND_IN }/__sim/requests`, { headers: simHeaders() })) === 200;

  if (!await answers(`${ STAND_IN }/healthz`)) {
    rmSync(SIM_TOKEN_FILE, { force: true });
    const standIn = start(join(ROOT, 'node_modules/.bin/tsx'), ['tests/rancher/main.ts', '--port', new URL(STAND_IN).port, '--sim-api', '--sim-token-file', SIM_TOKEN_FILE, ...(packaged ? ['--ui-plugin', EXTENSION] : [])], {}, MODE === 'in-tree' ? 'stand-in.log' : `stand-in-${ MODE }.log`);

    pids.push(standIn.pid as number);
    await waitFor('the stand-in', simApi, standIn, 60);
  } else if (!await simApi()) {
    throw new Error(`a stand-in without the test API (or with another token) answers on ${ STAND_IN }, e.g. one of scripts/start.sh; stop it first`);
  }
  if (packaged && !await servesExtension()) {
    throw new Error(`the stand-in on ${ STAND_IN } does not serve ${ EXTENSION_ID } (/v1/uiplugins); stop it first`);
  }
  if ((await answers(`${ DASHBOARD }/`)) === 0) {
    const port = new URL(DASHBOARD).port;
    const devEnv = { API: STAND_IN, NODE_OPTIONS: '--max-old-space-size=4096', ...(packaged ? { EXCLUDE_PKGS: EXTENSION, PORT: port } : {}) };
    const dashboard = MODE === 'production' ? start(join(ROOT, 'node_modules/.bin/tsx'), ['tests/e2e/static-dashboard.ts', '--dir', ensureDashboardBuild([EXTENSION]), '--port', port, '--api', STAND_IN], {}, 'production.log') : start('yarn', ['dev'], devEnv, MODE === 'packaged' ? 'dev-packaged.log' : 'dev.log');

    pids.push(dashboard.pid as number);
    await waitFor(`the dashboard (${ MODE })`, async() => (await answers(`${ DASHBOARD }/c/_/manager/provisioning.cattle.io.cluster`, { headers: { Accept: 'text/html' } })) === 200, dashboard, 600);
  }

  return { pids, startSeconds: (Date.now() - started) / 1000 };
}

/** Stops what startServers started. */
export function stopServers(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
