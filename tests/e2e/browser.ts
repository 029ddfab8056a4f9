/**
 * Browser-side helpers for the e2e scenarios and the bench: Debian's chromium through playwright-core (no
 * browser download), logins to the stand-in, the /__sim API, and the steps a user takes on the cluster pages.
 */
import { mkdirSync } from 'fs';
import { join } from 'path';
import {
  Browser, BrowserContext, chromium, Page
} from 'playwright-core';
import { USERS as SEEDED_USERS } from '../rancher/types';
import { prepareContext } from './mode';
import {
  DASHBOARD, ROOT, simHeaders, STAND_IN
} from './servers';

export const SCREENSHOTS = join(ROOT, 'tests', 'e2e', 'artifacts', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Launches headless chromium with the flags this machine needs (no background network, no sandbox as root). */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args:           ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

function seeded(username: string): { username: string, password: string } {
  const user = SEEDED_USERS.find((u) => u.username === username);

  if (!user) {
    throw new Error(`the stand-in seeds no user ${ username }`);
  }

  return { username: user.username, password: user.password };
}

/** The stand-in's logins, from its seed definitions (no route of the stand-in answers a password). */
export const USERS = {
  admin:      seeded('admin'),
  restricted: seeded('restricted'),
};

/** A logged-in browser context (the login page's own request: POST /v1-public/login, cookie response). */
export async function login(browser: Browser, user: keyof typeof USERS): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 1000 } });

  await prepareContext(context);
  const res = await context.request.post(`${ DASHBOARD }/v1-public/login`, {
    data: {
      type: 'localProvider', description: 'UI session', responseType: 'cookie', ...USERS[user]
    }
  });

  if (res.status() >= 300) {
    throw new Error(`login as ${ user } failed: ${ res.status() }`);
  }

  return { context, page: await context.newPage() };
}

class SimError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

async function simFetch(path: string, method = 'GET', body?: string): Promise<unknown> {
  const headers = body === undefined ? simHeaders() : { ...simHeaders(), 'content-type': 'application/json' };
  const res = await fetch(`${ STAND_IN }/__sim/${ path }`, { method, headers, body });
  const text = await res.text();

  if (!res.ok) {
    throw new SimError(res.status, `/__sim/${ path }: ${ res.status } ${ text }`);
  }

  return text ? JSON.parse(text) : null;
}

/** The stand-in's /__sim/ API. */
export const sim = {
  reset:   () => simFetch('reset', 'POST'),
  objects: (type: string) => simFetch(`objects/${ type }`) as Promise<Record<string, any>[]>, // eslint-disable-line @typescript-eslint/no-explicit-any
  object:  (type: string, id: string) => simFetch(`objects/${ type }/${ id }`).catch((e) => {
    if (e instanceof SimError && e.status === 404) {
      return null;
    }
    throw e;
  }) as Promise<Record<string, any> | null>, // eslint-disable-line @typescript-eslint/no-explicit-any
  nodePlan: (cluster: string) => simFetch(`clusters/${ cluster }/node-plan`) as Promise<Record<string, any>>, // eslint-disable-line @typescript-eslint/no-explicit-any
  requests: () => simFetch('requests') as Promise<{ method: string, path: string, status: number, type?: string, id?: string }[]>,
  bump:     (type: string, id: string) => simFetch(`bump/${ type }/${ id }`, 'POST', '{}'),
};

const CLUSTERS = '/c/_/manager/provisioning.cattle.io.cluster';

/** Opens a provisioning cluster's edit page and waits for its tabs. */
export async function openEdit(page: Page, name: string): Promise<void> {
  await page.goto(`${ DASHBOARD }${ CLUSTERS }/fleet-default/${ name }?mode=edit`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-testid="btn-cluster-audit-log"]', { timeout: 120000 });
}

/** Opens the RKE2/K3s custom cluster create page. */
export async function openCreate(page: Page): Promise<void> {
  await page.goto(`${ DASHBOARD }${ CLUSTERS }/create?type=custom&rkeType=rke2`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-testid="btn-cluster-audit-log"]', { timeout: 120000 });
}

/** Clicks the Audit Log tab and waits until its content is shown. */
export async function openAuditTab(page: Page): Promise<void> {
  await page.click('[data-testid="btn-cluster-audit-log"]');
  await page.waitForSelector('[data-testid="audit-editor"]', { state: 'visible', timeout: 60000 });
}

/** Ticks "Enable" if it is not ticked. */
export async function enableAudit(page: Page): Promise<void> {
  const box = page.locator('[data-testid="audit-enable"] input[type="checkbox"]');

  if (!await box.isChecked()) {
    await page.click('[data-testid="audit-enable"] .checkbox-container');
  }
  await page.waitForSelector('[data-testid="audit-method-switch"]');
}

/** Presses the page's own Save (Create on the create page). */
export async function clickSave(page: Page): Promise<void> {
  await page.click('[data-testid="rke2-custom-create-save"]');
}

/** Waits until the page left the edit form (a successful save goes back to the list). */
export async function waitForSaved(page: Page): Promise<void> {
  await page.waitForURL((url) => !url.search.includes('mode=edit') && !url.pathname.endsWith('/create'), { timeout: 60000 });
}

/** The text of the page's error area (CruResource's banners). */
export async function pageErrors(page: Page): Promise<string> {
  return (await page.locator('.banner.error, .cru__errors, [data-testid="banner-content"]').allTextContents()).join(' | ');
}

/** Saves a screenshot of the scenario's final state under tests/e2e/artifacts/screenshots. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${ name }.png`);

  await page.screenshot({ path, fullPage: true });

  return path;
}

/** Replaces the policy YAML in the tab's editor (CodeMirror) with `text`. */
export async function typeYaml(page: Page, text: string): Promise<void> {
  const editor = page.locator('[data-testid="audit-yaml-editor"] .CodeMirror');

  await editor.scrollIntoViewIfNeeded();
  await page.evaluate((value) => {
    const el = document.querySelector('[data-testid="audit-yaml-editor"] .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } };

    el.CodeMirror.setValue(value);
  }, text);
}

/** Unticks "Enable" if it is ticked. */
export async function disableAudit(page: Page): Promise<void> {
  const box = page.locator('[data-testid="audit-enable"] input[type="checkbox"]');

  if (await box.isChecked()) {
    await page.click('[data-testid="audit-enable"] .checkbox-container');
  }
  await page.waitForSelector('[data-testid="audit-disabled-note"]');
}

/** A /__sim/ answer as the stand-in sent it: status and body text, byte for byte. */
async function simText(path: string): Promise<string> {
  const res = await fetch(`${ STAND_IN }/__sim/${ path }`, { headers: simHeaders() });

  return `${ res.status } ${ await res.text() }`;
}

/**
 * The node-plan of every provisioning cluster the stand-in holds (any namespace), by cluster name, exactly as
 * /__sim/clusters/<name>/node-plan answers it (a cluster without one, such as `local`, keeps its 404 text).
 */
export async function allNodePlans(): Promise<Record<string, string>> {
  const clusters = await sim.objects('provisioning.cattle.io.cluster');
  const plans: Record<string, string> = {};

  for (const name of clusters.map((c) => c.metadata.name as string).sort()) {
    plans[name] = await simText(`clusters/${ encodeURIComponent(name) }/node-plan`);
  }

  return plans;
}

/** The stored objects of these types exactly as /__sim/objects/<type> answers, by type. */
export async function storedObjects(types: string[] = ['secret', 'configmap', 'provisioning.cattle.io.cluster', 'management.cattle.io.cluster']): Promise<Record<string, string>> {
  const out: Record<string, string> = {};

  for (const type of types) {
    out[type] = await simText(`objects/${ type }`);
  }

  return out;
}

/**
 * Saves a screenshot of the page with the Audit Log tab's whole content in view under tests/e2e/artifacts/screenshots:
 * the tab scrolls inside the page, so the window is made tall enough for it while the picture is taken.
 */
export async function screenshotTab(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${ name }.png`);
  const viewport = page.viewportSize() || { width: 1440, height: 1000 };
  const tab = page.locator('[data-testid="cluster-audit-log-tab"]');
  const height = await tab.evaluate((el) => el.scrollHeight);

  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(viewport.height, height + 700), 12000) });
  await tab.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path });
  await page.setViewportSize(viewport);

  return path;
}

/**
 * What sticks out of the Audit Log tab's panel (the shell's role="tabpanel" section) sideways, one line each:
 * the panel's scrollWidth over its clientWidth, and every shown element whose box reaches past the panel's
 * left or right edge. An element inside a box that clips or scrolls sideways (CodeMirror, a select's menu) is
 * judged by that box, which must not scroll sideways itself (but the policy YAML and the diff may: long lines
 * scroll inside their editors); one never seen (hidden, or transparent as a resize observer's) is skipped; an
 * offender's own children are not listed again. Empty when everything fits.
 */
export async function tabOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const tab = document.querySelector('[data-testid="cluster-audit-log-tab"]') as HTMLElement;
    const panel = (tab.closest('[role="tabpanel"]') || tab) as HTMLElement;
    const edge = panel.getBoundingClientRect();
    const out: string[] = [];
    const reported: Element[] = [];
    const name = (el: Element) => `${ el.closest('[data-testid]')?.getAttribute('data-testid') || '?' } ${ el.tagName.toLowerCase() }.${ [...el.classList].join('.') } "${ (el.textContent || '').trim().slice(0, 40) }"`;

    if (panel.scrollWidth > panel.clientWidth) {
      out.push(`the panel scrolls sideways: scrollWidth ${ panel.scrollWidth } > clientWidth ${ panel.clientWidth }`);
    }
    for (const el of panel.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      let clipped = false;

      for (let up = el.parentElement; up && up !== panel && !clipped; up = up.parentElement) {
        clipped = getComputedStyle(up).overflowX !== 'visible';
      }
      const style = getComputedStyle(el);

      if (clipped || !box.width || !box.height || style.visibility === 'hidden' || style.opacity === '0' || reported.some((r) => r.contains(el))) {
        continue;
      }
      if (box.right > edge.right + 0.5 || box.left < edge.left - 0.5) {
        reported.push(el);
        out.push(`${ name(el) }: [${ Math.round(box.left) }, ${ Math.round(box.right) }] outside the panel's [${ Math.round(edge.left) }, ${ Math.round(edge.right) }]`);
      } else if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && !el.closest('.CodeMirror, .d2h-wrapper')) {
        reported.push(el);
        out.push(`${ name(el) }: scrolls its content sideways (scrollWidth ${ el.scrollWidth } > clientWidth ${ el.clientWidth })`);
      }
    }

    return out;
  });
}

/** The boxes of two elements (CSS selectors) when they overlap, else null: text drawn over text, a hint under a field. */
export async function overlap(page: Page, a: string, b: string): Promise<string | null> {
  const [boxA, boxB] = [await page.locator(a).first().boundingBox(), await page.locator(b).first().boundingBox()];

  if (!boxA || !boxB) {
    return `not both shown: ${ a } ${ JSON.stringify(boxA) }, ${ b } ${ JSON.stringify(boxB) }`;
  }
  const apart = boxA.x + boxA.width <= boxB.x || boxB.x + boxB.width <= boxA.x || boxA.y + boxA.height <= boxB.y || boxB.y + boxB.height <= boxA.y;

  return apart ? null : `${ a } ${ JSON.stringify(boxA) } overlaps ${ b } ${ JSON.stringify(boxB) }`;
}

/**
 * Saves a picture of one element (with a small margin) under tests/e2e/artifacts/screenshots: the tab scrolls
 * inside the page and the page's Save bar stays at the window's bottom, so the window is made tall enough for the
 * element to lie above the bar while the picture is taken.
 */
export async function screenshotOf(page: Page, selector: string, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${ name }.png`);
  const viewport = page.viewportSize() || { width: 1440, height: 1000 };
  const target = page.locator(selector).first();
  const height = await target.evaluate((el) => el.getBoundingClientRect().height);

  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(viewport.height, Math.ceil(height) + 400), 12000) });
  await target.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const box = await target.boundingBox();

  if (!box) {
    throw new Error(`${ selector } is not shown`);
  }
  await page.screenshot({
    path, clip: {
      x: box.x - 8, y: Math.max(box.y - 8, 0), width: box.width + 16, height: box.height + 16
    }
  });
  await page.setViewportSize(viewport);

  return path;
}

/** Waits until the page's main area shows `text` (a save goes back to a page that draws its content later). */
export async function waitForText(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t) => (document.querySelector('main')?.textContent || '').includes(t), text, { timeout: 60000 });
}
