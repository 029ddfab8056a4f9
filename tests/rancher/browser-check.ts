/**
 * `yarn tsx tests/rancher/browser-check.ts [dashboardUrl]`: logs in to the dashboard (dev server in front of the
 * stand-in) with headless Debian chromium, loads the Cluster Management list and an RKE2 cluster's edit page,
 * takes screenshots into /tmp and prints what it saw. Never downloads a browser (playwright-core only).
 */
import { chromium } from 'playwright-core';
import { SEED } from './seed';
import { USERS } from './types';

const DASHBOARD = process.argv[2] || 'https://localhost:8005';
// the dev server serves the app at / (a production build lives under /dashboard)
const ROUTER_BASE = process.env.ROUTER_BASE ?? '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function out(line: string): void {
  process.stdout.write(`${ line }\n`);
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args:           ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const failed: string[] = [];

  page.on('pageerror', (e) => errors.push(`pageerror: ${ e.message }`));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      errors.push(`console: ${ m.text().slice(0, 300) }`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().includes('/sockjs-node')) {
      failed.push(`${ r.status() } ${ r.request().method() } ${ r.url().replace(DASHBOARD, '') }`);
    }
  });

  // log in through the API (what the login page does: POST /v1-public/login with responseType cookie)
  const admin = USERS[0];
  const login = await context.request.post(`${ DASHBOARD }/v1-public/login`, {
    data: {
      type: 'localProvider', description: 'UI session', responseType: 'cookie', username: admin.username, password: admin.password
    }
  });

  out(`login: ${ login.status() }`);

  const list = `${ DASHBOARD }${ ROUTER_BASE }/c/_/manager/provisioning.cattle.io.cluster`;

  await page.goto(list, { waitUntil: 'domcontentloaded', timeout: 120000 });
  await page.waitForSelector('table tbody tr', { timeout: 90000 }).catch(() => undefined);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: '/tmp/stand-in-cluster-list.png', fullPage: true });
  const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => (tr.textContent || '').replace(/\s+/g, ' ').trim()));

  out(`cluster list rows (${ rows.length }):`);
  rows.forEach((r) => out(`  ${ r.slice(0, 160) }`));

  const edit = `${ DASHBOARD }${ ROUTER_BASE }/c/_/manager/provisioning.cattle.io.cluster/fleet-default/${ SEED.rke2Inline.name }?mode=edit`;

  await page.goto(edit, { waitUntil: 'domcontentloaded', timeout: 120000 });
  await page.waitForSelector('.tabs, [data-testid="tabbed"]', { timeout: 90000 }).catch(() => undefined);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: '/tmp/stand-in-rke2-edit.png', fullPage: true });
  const tabs = await page.$$eval('.tabs li, [role="tab"]', (lis) => lis.map((li) => (li.textContent || '').replace(/\s+/g, ' ').trim()).filter(Boolean));
  const banners = await page.$$eval('.banner.error, .banner__content.error, [data-testid="banner-content"]', (bs) => bs.map((b) => (b.textContent || '').trim()));

  out(`edit page tabs (${ tabs.length }): ${ [...new Set(tabs)].join(' | ') }`);
  out(`error banners: ${ banners.length ? banners.join(' | ') : 'none' }`);
  out(`failed requests (${ failed.length }):`);
  [...new Set(failed)].forEach((f) => out(`  ${ f }`));
  out(`page errors (${ errors.length }):`);
  [...new Set(errors)].slice(0, 40).forEach((e) => out(`  ${ e }`));
  await browser.close();
}

main().catch((e) => {
  process.stderr.write(`${ (e as Error).stack || e }\n`);
  process.exit(1);
});
