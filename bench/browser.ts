/**
 * Browser benchmarks (issues 5 and 11), measured side by side in one chromium run against the dashboard's
 * production build (`yarn build`, served with the proxy to the stand-in; `yarn bench` sets E2E_MODE=production,
 * see tests/e2e/servers.ts) with the extension loaded as a package, by Rancher's extension loader, from the
 * stand-in's /v1/uiplugins: opening the Audit Log tab vs the page's built-in Registries tab; a rule edit with a
 * 300-rule policy loaded until the YAML preview shows it; the JavaScript the extension adds (gzipped), the entry
 * chunk and the lazy chunks, and which of them the edit page loaded; the Audit Log page of Cluster Management with
 * 500 clusters and 500 Secrets against the built-in Clusters list (bench/fleet-page.ts). Times are taken in the page: from the
 * event's timeStamp to the first animation frame that has the content (the frame it is painted in). Prints
 * numbers; asserts nothing.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { Page } from 'playwright-core';
import { policyToYaml } from '../pkg/cluster-audit-log/policy';
import {
  enableAudit, launch, login, openEdit, sim, typeYaml
} from '../tests/e2e/browser';
import { ensurePackageBuild } from '../tests/e2e/builds';
import {
  EXTENSION, EXTENSION_ID, MODE, startServers, stopServers
} from '../tests/e2e/servers';
import { generatedPolicy } from './engine';
import { fleetPageBench } from './fleet-page';

const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Page-side: arms the page for one measurement. The next `type` event (capture phase, on the document) marks the
 * start; from then on, the first animation frame in which the content is shown marks the end (`__benchShown`). The
 * content is an element (`what.element`, a CSS selector, on screen) or a name in rule 151 of the policy YAML
 * preview (`what.inRule151`; policyToYaml writes each rule as "\n  - level: X", so part 151 of the split is
 * rule 151). A string, so the page gets the source as written.
 */
const ARM = `([type, what]) => {
  const holds = () => {
    if (what.element) {
      const el = document.querySelector(what.element);

      return !!el && el.getClientRects().length > 0;
    }
    const editor = document.querySelector('[data-testid="audit-yaml-editor"] .CodeMirror');
    const text = editor ? editor.CodeMirror.getValue() : '';

    return text.includes(what.inRule151) && (text.split('\\n  - level: ')[151] || '').includes(what.inRule151);
  };

  window.__benchStart = undefined;
  window.__benchShown = undefined;
  document.addEventListener(type, (e) => {
    window.__benchStart = e.timeStamp;
    const frame = (now) => {
      if (holds()) {
        window.__benchShown = now;
      } else {
        requestAnimationFrame(frame);
      }
    };

    requestAnimationFrame(frame);
  }, { capture: true, once: true });
}`;

/** What counts as shown: an element (CSS selector) on screen, or a name in rule 151 of the policy YAML preview. */
type Shown = { element: string } | { inRule151: string };

/** Arms the page (ARM), runs `act`, and resolves the page-side ms from the event to the frame with the content. */
async function measure(page: Page, event: 'click' | 'keydown', shown: Shown, act: () => Promise<void>): Promise<number> {
  await page.evaluate(`(${ ARM })(${ JSON.stringify([event, shown]) })`);
  await act();
  await page.waitForFunction('window.__benchShown !== undefined', undefined, { timeout: 60000 });

  return page.evaluate('Math.round(window.__benchShown - window.__benchStart)') as Promise<number>;
}

/** ms from the click on a tab header to `selector` being shown. */
async function timeTab(page: Page, tab: string, selector: string): Promise<number> {
  await page.click('[data-testid="btn-basic"]').catch(() => undefined);
  await page.waitForTimeout(300);

  return measure(page, 'click', { element: selector }, () => page.click(`[data-testid="btn-${ tab }"]`));
}

/**
 * ms from the keystroke that adds a resource name to rule 151 (Enter in its "Resource names" field, after the
 * name was typed) to the policy YAML showing it.
 */
async function timeRuleEdit(page: Page, name: string): Promise<number> {
  const input = page.locator('[data-testid="audit-rule-150-group-0-names"] input');

  // the page settles first: the cluster diff is drawn a moment after an edit and moves what is below it
  await page.waitForTimeout(1000);
  await input.click();
  await input.type(name);
  await page.waitForTimeout(300);

  return measure(page, 'keydown', { inRule151: name }, () => page.keyboard.press('Enter'));
}

/** The built package's scripts, gzipped: the entry (the UMD) and the lazy chunks. */
function chunkSizes(): { entry: number, lazy: { name: string, gz: number }[] } {
  const dir = ensurePackageBuild(EXTENSION);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const gz = (f: string) => gzipSync(readFileSync(join(dir, f))).length;
  const entry = `${ EXTENSION_ID }.umd.min.js`;

  return { entry: gz(entry), lazy: files.filter((f) => f !== entry).map((f) => ({ name: f.slice(`${ EXTENSION_ID }.umd.min.`.length), gz: gz(f) })) };
}

/** Runs the browser benchmarks and returns rows for the table. */
export async function browserBench(): Promise<{ name: string, value: string }[]> {
  if (MODE !== 'production') {
    throw new Error('the browser bench measures the production build: run it as `yarn bench` (E2E_MODE=production)');
  }
  const servers = await startServers();
  const browser = await launch();

  try {
    await sim.reset();
    const { page } = await login(browser, 'admin');
    const loaded: string[] = [];

    page.on('response', (res) => {
      const file = new URL(res.url()).pathname.match(new RegExp(`^/v1/uiplugins/${ EXTENSION }/[^/]+/plugin/${ EXTENSION_ID }\\.umd\\.min\\.(.+\\.js)$`));

      if (file && res.status() === 200) {
        loaded.push(file[1]);
      }
    });
    await openEdit(page, 'rke2-custom');
    await page.waitForFunction((id) => !!document.getElementById(id), EXTENSION_ID);
    const audit: number[] = [];
    const registries: number[] = [];

    for (let i = 0; i < RUNS; i++) {
      registries.push(await timeTab(page, 'registry', '#registry div'));
      audit.push(await timeTab(page, 'cluster-audit-log', '#cluster-audit-log [data-testid="audit-editor"]'));
    }
    await enableAudit(page);
    await typeYaml(page, policyToYaml(generatedPolicy(300)));
    await page.waitForSelector('[data-testid="audit-rule-299"]');
    await page.click('[data-testid="audit-rule-150-select"]');
    await page.waitForSelector('[data-testid="audit-rule-form-150"]');
    const edits: number[] = [];

    for (let i = 0; i < RUNS; i++) {
      edits.push(await timeRuleEdit(page, `bench-name-${ i }`));
    }
    const fleetPage = await fleetPageBench(browser);
    const sizes = chunkSizes();
    const kib = (n: number) => `${ (n / 1024).toFixed(1) } KiB`;
    const editPage = sizes.lazy.filter((c) => loaded.includes(c.name));
    const list = (chunks: { name: string, gz: number }[]) => chunks.map((c) => `${ c.name } ${ kib(c.gz) }`).join(', ');

    return [
      { name: 'production dashboard + stand-in ready (s)', value: servers.startSeconds.toFixed(0) },
      { name: `open the Audit Log tab, median of ${ RUNS } (ms)`, value: `${ median(audit) } (${ audit.join(', ') })` },
      { name: `open the built-in Registries tab, same page, median of ${ RUNS } (ms)`, value: `${ median(registries) } (${ registries.join(', ') })` },
      { name: 'Audit Log / Registries', value: (median(audit) / median(registries)).toFixed(2) },
      { name: `300-rule policy: keystroke (Enter) adding a name to rule 151 -> YAML preview shows it, median of ${ RUNS } (ms)`, value: `${ median(edits) } (${ edits.join(', ') })` },
      { name: 'entry chunk, on every dashboard page (gzipped)', value: kib(sizes.entry) },
      { name: 'lazy chunks the edit page loaded (gzipped)', value: `${ kib(editPage.reduce((n, c) => n + c.gz, 0)) } (${ list(editPage) })` },
      { name: 'lazy chunks, all (gzipped)', value: `${ kib(sizes.lazy.reduce((n, c) => n + c.gz, 0)) } (${ list(sizes.lazy) })` },
      ...fleetPage,
    ];
  } finally {
    await browser.close();
    stopServers(servers.pids);
  }
}
