/**
 * Helpers for the Cluster Management -> Audit Log page (the browser scenarios 9.x and `yarn bench`): the stand-in
 * reset with a generated fleet, faults on its writes, the page opened, rows selected, the model computed from the
 * stand-in's stored objects (what the page must show).
 */
import { Page } from 'playwright-core';
import { fleetStatus, FleetStatus, FleetWorld } from '../../pkg/cluster-audit-log/fleet';
import { DASHBOARD, simHeaders, STAND_IN } from './servers';

/** The page's route. */
export const FLEET_PAGE = '/c/_/manager/cluster-audit-log';

async function simPost(path: string, body: unknown, method = 'POST'): Promise<unknown> {
  const res = await fetch(`${ STAND_IN }/__sim/${ path }`, { method, headers: { ...simHeaders(), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();

  if (!res.ok) {
    throw new Error(`/__sim/${ path }: ${ res.status } ${ text }`);
  }

  return JSON.parse(text);
}

/** Resets the stand-in to the default seed plus a generated fleet (tests/rancher/fleet-seed.ts). */
export function resetWithFleet(fleet: number, options: { secrets?: number, sharedBy?: number } = {}): Promise<unknown> {
  return simPost('reset', { fleet, ...options });
}

/** Makes the stand-in answer the next `times` writes of this kind with `status` (0: no answer at all). */
export function fault(method: 'POST' | 'PUT' | 'DELETE', type: string, id: string, status: 0 | 403 | 409 | 500 | 503, times = 1): Promise<unknown> {
  return simPost('faults', {
    method, type, id, status, times
  });
}

/** The model the page must show, computed here from the stand-in's stored objects. */
export async function storedFleetStatus(): Promise<{ world: FleetWorld, status: FleetStatus }> {
  const list = async(type: string) => {
    const res = await fetch(`${ STAND_IN }/__sim/objects/${ type }`, { headers: simHeaders() });

    return await res.json() as FleetWorld['objects'];
  };
  const [prov, mgmt, secrets, configMaps] = await Promise.all(['provisioning.cattle.io.cluster', 'management.cattle.io.cluster', 'secret', 'configmap'].map(list));
  const world = { clusters: [...prov, ...mgmt], objects: [...secrets, ...configMaps] };

  return { world, status: fleetStatus(world) };
}

/** Opens the page and waits until its clusters table shows its rows (the summary line is drawn with them). */
export async function openFleetPage(page: Page): Promise<void> {
  await page.goto(`${ DASHBOARD }${ FLEET_PAGE }`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-testid="fleet-summary"]', { timeout: 120000 });
  await page.waitForSelector('[data-testid="fleet-clusters-table"] tr.main-row', { timeout: 60000 });
}

/** Ticks the table's selection box of each row, in this order (the roll-out's order). */
export async function selectRows(page: Page, keys: string[]): Promise<void> {
  for (const key of keys) {
    await page.click(`[data-testid="fleet-clusters-table"] tr.main-row[data-node-id="${ key }"] .selection-checkbox .checkbox-custom`);
  }
}

/** The text of one cell of a row of the clusters table, by the cell's testid. */
export async function cellText(page: Page, key: string, cell: string): Promise<string> {
  const row = page.locator(`[data-testid="fleet-clusters-table"] tr.main-row[data-node-id="${ key }"]`);
  const found = row.locator(`[data-testid="${ cell }"]`);

  return await found.count() ? (await found.first().textContent() || '').trim() : '';
}
