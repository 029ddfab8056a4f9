/**
 * The Audit Log page of Cluster Management against the built-in Clusters list (issue 9), in the browser run of
 * bench/browser.ts, with the stand-in holding the default seed plus 500 generated clusters and 500 Secrets
 * (tests/rancher/fleet-seed.ts). Each measurement starts from a fresh load of another Cluster Management page
 * (Cloud Credentials: nothing cached) and times, in the page, from the click on the side menu's entry to the first
 * animation frame in which the page's full table is shown: its first page of rows (and for the Audit Log page the
 * summary line, drawn once every cluster is read and checked). Alternating, medians. Prints numbers; asserts nothing.
 */
import { Browser, Page } from 'playwright-core';
import { login, sim } from '../tests/e2e/browser';
import { resetWithFleet } from '../tests/e2e/fleet-page';
import { DASHBOARD } from '../tests/e2e/servers';

const RUNS = 5;
const FLEET = 500;
const SECRETS = 500;
/** Rows on a table's first page (the dashboard's default rows per page). */
const PAGE_ROWS = 100;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Page-side: the next click (capture phase) marks the start; the first animation frame in which `rows` or more
 * rows of the table `table` are drawn (and `also`, when given, is on screen) marks the end, read when that frame's
 * callback finds them (a frame's own timestamp can precede the long task that drew them).
 */
const ARM = `([table, rows, also]) => {
  const holds = () => document.querySelectorAll(table + ' tbody tr.main-row').length >= rows && (!also || !!document.querySelector(also));

  window.__benchStart = undefined;
  window.__benchShown = undefined;
  document.addEventListener('click', (e) => {
    window.__benchStart = e.timeStamp;
    const frame = () => {
      if (holds()) {
        window.__benchShown = performance.now();
      } else {
        requestAnimationFrame(frame);
      }
    };

    requestAnimationFrame(frame);
  }, { capture: true, once: true });
}`;

/** ms from the click on the side menu's entry for `path` to the frame with the full first page of `table`. */
async function timePage(page: Page, path: string, table: string, also: string | null): Promise<number> {
  const entry = `nav a[href$="${ path }"]`;

  await page.goto(`${ DASHBOARD }/c/_/manager/cloudCredential`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector(entry, { timeout: 120000 });
  await page.waitForLoadState('networkidle');
  await page.evaluate(`(${ ARM })(${ JSON.stringify([table, PAGE_ROWS, also]) })`);
  await page.click(entry);
  await page.waitForFunction('window.__benchShown !== undefined', undefined, { timeout: 120000 });

  return page.evaluate('Math.round(window.__benchShown - window.__benchStart)') as Promise<number>;
}

/** Runs the comparison in the given browser and returns rows for the table. */
export async function fleetPageBench(browser: Browser): Promise<{ name: string, value: string }[]> {
  await resetWithFleet(FLEET, { secrets: SECRETS });
  const { page, context } = await login(browser, 'admin');
  const fleet: number[] = [];
  const clusters: number[] = [];

  try {
    for (let i = 0; i < RUNS; i++) {
      clusters.push(await timePage(page, '/c/_/manager/provisioning.cattle.io.cluster', 'main', null));
      fleet.push(await timePage(page, '/c/_/manager/cluster-audit-log', '[data-testid="fleet-clusters-table"]', '[data-testid="fleet-summary"]'));
    }
  } finally {
    await context.close().catch(() => undefined);
    await sim.reset();
  }
  const shown = `${ FLEET } generated clusters and ${ SECRETS } Secrets with the default seed, first page of ${ PAGE_ROWS } rows`;

  return [
    { name: `Cluster Management -> Audit Log: click in the menu -> full table (${ shown }), median of ${ RUNS } (ms)`, value: `${ median(fleet) } (${ fleet.join(', ') })` },
    { name: `Cluster Management -> Clusters, the same way, median of ${ RUNS } (ms)`, value: `${ median(clusters) } (${ clusters.join(', ') })` },
    { name: 'Audit Log page / Clusters list (goal: at most 1.5)', value: (median(fleet) / median(clusters)).toFixed(2) },
  ];
}
