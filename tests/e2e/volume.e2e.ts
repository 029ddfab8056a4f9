/**
 * Volume and retention on the Audit Log tab (issue 12): the bundled real-cluster sample estimated in the tab's
 * Web Worker shows the same per-rule, per-day and days-kept figures as `audit-policy estimate --json` for the
 * same policy, log settings and Kubernetes version; lowering the maximum size brings the retention warnings.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Browser, Page } from 'playwright-core';
import { run } from '../../cli/run';
import {
  launch, login, openAuditTab, openEdit, screenshotOf, sim
} from './browser';
import { ROOT } from './servers';

const CLUSTER = 'rke2-audit-inline';
const PERFSPEC = join(ROOT, 'tests/fixtures/events/perfspec-cluster-requests.jsonl');

let browser: Browser;

beforeAll(async() => {
  browser = await launch();
});

afterAll(async() => {
  await browser?.close();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `audit-policy estimate POLICY PERFSPEC ... --json`, run in-process (the engine the tab's worker runs). */
async function cliEstimate(policyYaml: string, args: string[]): Promise<Json> {
  const file = join(mkdtempSync(join(tmpdir(), 'volume-e2e-')), 'policy.yaml');
  let out = '';
  let err = '';

  writeFileSync(file, policyYaml);
  const code = await run(['estimate', file, PERFSPEC, ...args, '--json'], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    stdin: () => {
      throw new Error('no stdin');
    },
  });

  if (code !== 0) {
    throw new Error(`estimate exited ${ code }: ${ err }`);
  }

  return JSON.parse(out);
}

/** The figures the tab shows (its data attributes), in the CLI JSON's terms. */
async function shown(page: Page): Promise<Json> {
  return page.evaluate(() => {
    const q = (id: string) => document.querySelector(`[data-testid="${ id }"]`) as HTMLElement | null;
    const perDay = q('audit-volume-per-day');
    const days = q('audit-volume-days');
    const rotation = q('audit-volume-rotation') as HTMLElement;

    return {
      perDay:   perDay ? { events: Number(perDay.dataset.events), bytes: Number(perDay.dataset.bytes) } : null,
      daysKept: days ? days.dataset.value : null,
      rotation: { maxSize: rotation.dataset.maxSize, maxBackup: rotation.dataset.maxBackup, maxAge: rotation.dataset.maxAge },
      rules:    [...document.querySelectorAll<HTMLElement>('[data-testid^="audit-volume-rule-"]')].map((r) => ({
        rule: r.dataset.testid === 'audit-volume-rule-none' ? null : Number(r.dataset.testid?.replace('audit-volume-rule-', '')), matched: Number(r.dataset.matched), events: Number(r.dataset.events), bytes: Number(r.dataset.bytes)
      })),
      warnings: [...document.querySelectorAll<HTMLElement>('[data-testid^="audit-volume-warning-"]')].map((b) => (b.dataset.testid || '').replace('audit-volume-warning-', '')),
    };
  });
}

/** The CLI JSON's figures, as `shown` reads them off the tab (Infinity is JSON's null). */
function expected(json: Json): Json {
  return {
    perDay:   json.perDay,
    daysKept: String(json.retention.daysKept ?? Infinity),
    rotation: { maxSize: json.rotation.values.maxSize, maxBackup: json.rotation.values.maxBackup, maxAge: json.rotation.values.maxAge },
    rules:    json.rules.map((r: Json) => ({
      rule: r.rule, matched: r.matched, events: r.events, bytes: r.bytes
    })),
    warnings: json.retention.warnings.map((w: Json) => w.id),
  };
}

/** Types a maximum size and waits until the estimate's rotation follows it. */
async function setMaxSize(page: Page, value: string): Promise<void> {
  await page.fill('input[data-testid="audit-log-maxSize"]', value);
  await page.waitForSelector(`[data-testid="audit-volume-rotation"][data-max-size="${ value }"]`);
}

test('12b. volume: the bundled sample estimated in the tab (Web Worker) matches `estimate --json`; a lower max size warns', async() => {
  await sim.reset();
  const { page } = await login(browser, 'admin');
  const cluster = await sim.object('provisioning.cattle.io.cluster', `fleet-default/${ CLUSTER }`);
  const version = cluster?.spec?.kubernetesVersion as string;

  await openEdit(page, CLUSTER);
  await openAuditTab(page);
  await page.click('[data-testid="audit-volume-bundled"]');
  await page.waitForSelector('[data-testid="audit-volume-timing"]', { timeout: 60000 });
  await setMaxSize(page, '10000');

  expect(await page.textContent('[data-testid="audit-volume-bundled-source"]')).toContain('16,563 API requests');
  expect(await page.textContent('[data-testid="audit-volume-sample"]')).toContain('16,563 events over 4.1 minutes');
  // the worker's own time, shown by the tab
  expect(Number(await page.getAttribute('[data-testid="audit-volume-timing"]', 'data-ms'))).toBeGreaterThan(0);
  const policyYaml = await page.evaluate(() => (document.querySelector('[data-testid="audit-yaml-editor"] .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
  const big = await shown(page);
  const rotationArgs = ['--max-size', big.rotation.maxSize, '--max-backup', big.rotation.maxBackup, '--max-age', big.rotation.maxAge, '--kubernetes-version', version];
  const bigJson = await cliEstimate(policyYaml, rotationArgs);

  expect(big).toEqual(expected(bigJson));
  expect(big.rules.length).toBeGreaterThan(1);
  expect(big.perDay.events).toBeGreaterThan(0);
  expect(big.warnings).toEqual([]);
  await screenshotOf(page, '[data-testid="audit-volume"]', 'volume-estimate');

  await setMaxSize(page, '100');
  await page.waitForSelector('[data-testid="audit-volume-warning-below-cis"]');
  const small = await shown(page);
  const smallJson = await cliEstimate(policyYaml, ['--max-size', '100', ...rotationArgs.slice(2)]);

  expect(small).toEqual(expected(smallJson));
  expect(small.warnings).toEqual(['deletes-before-max-age', 'below-cis']);
  expect(Number(small.daysKept)).toBeLessThan(30);
  await screenshotOf(page, '[data-testid="audit-volume"]', 'volume-estimate-warnings');
});
