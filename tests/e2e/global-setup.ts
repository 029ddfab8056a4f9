/** jest globalSetup for the browser suite: start the stand-in and the dashboard once for all scenarios. */
import { startServers } from './servers';

export default async function setup(): Promise<void> {
  const servers = await startServers();

  (globalThis as Record<string, unknown>).__E2E_PIDS__ = servers.pids;
  process.stdout.write(`\ne2e: servers ready in ${ servers.startSeconds.toFixed(0) } s\n`);
}
