/** jest globalTeardown for the browser suite: stop what global-setup started. */
import { stopServers } from './servers';

export default async function teardown(): Promise<void> {
  stopServers(((globalThis as Record<string, unknown>).__E2E_PIDS__ as number[]) || []);
}
