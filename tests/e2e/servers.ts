/**
 * Starts what the browser suite and `yarn bench` drive: the Rancher stand-in (tests/rancher) and the shell's
 * dashboard dev server (`yarn dev`, https://localhost:8005) with this extension, pointed at the stand-in.
 * Both run in their own process groups so stopping them stops their children. The stand-in is started with its
 * /__sim/ test API on; the token that API needs is read from SIM_TOKEN_FILE, which the stand-in writes at start.
 */
import { ChildProcess, spawn } from 'child_process';
import {
  existsSync, mkdirSync, openSync, readFileSync, rmSync
} from 'fs';
import { join } from 'path';

export const ROOT = join(__dirname, '..', '..');
export const DASHBOARD = process.env.DASHBOARD_URL || 'https://localhost:8005';
export const STAND_IN = `http://127.0.0.1:${ process.env.STAND_IN_PORT || '8989' }`;
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

/** Starts the stand-in and the dashboard (unless already running) and waits until both answer. */
export async function startServers(): Promise<Servers> {
  const started = Date.now();
  const pids: number[] = [];

  mkdirSync(LOG_DIR, { recursive: true });
  // The dev server uses a self-signed certificate.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const simApi = async() => existsSync(SIM_TOKEN_FILE) && (await answers(`${ STAND_IN }/__sim/requests`, { headers: simHeaders() })) === 200;

  if (!await answers(`${ STAND_IN }/healthz`)) {
    rmSync(SIM_TOKEN_FILE, { force: true });
    const standIn = start(join(ROOT, 'node_modules/.bin/tsx'), ['tests/rancher/main.ts', '--port', new URL(STAND_IN).port, '--sim-api', '--sim-token-file', SIM_TOKEN_FILE], {}, 'stand-in.log');

    pids.push(standIn.pid as number);
    await waitFor('the stand-in', simApi, standIn, 60);
  } else if (!await simApi()) {
    throw new Error(`a stand-in without the test API (or with another token) answers on ${ STAND_IN }, e.g. one of scripts/start.sh; stop it first`);
  }
  if ((await answers(`${ DASHBOARD }/`)) === 0) {
    const dev = start('yarn', ['dev'], { API: STAND_IN, NODE_OPTIONS: '--max-old-space-size=4096' }, 'dev.log');

    pids.push(dev.pid as number);
    await waitFor('the dashboard dev server', async() => (await answers(`${ DASHBOARD }/c/_/manager/provisioning.cattle.io.cluster`, { headers: { Accept: 'text/html' } })) === 200, dev, 600);
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
