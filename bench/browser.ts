/**
 * Browser benchmarks (issue 5), measured side by side in one chromium run against the dashboard dev server
 * and the stand-in: opening the Audit Log tab vs the page's built-in Registries tab; a rule edit with a
 * 300-rule policy loaded until the YAML preview shows it; and the JavaScript the extension adds (from the
 * build-pkg output, gzipped). Prints numbers; asserts nothing.
 */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { Page } from 'playwright-core';
import { policyToYaml } from '../pkg/cluster-audit-log/policy';
import {
  enableAudit, launch, login, openEdit, sim, typeYaml
} from '../tests/e2e/browser';
import { ROOT, startServers, stopServers } from '../tests/e2e/servers';
import { generatedPolicy } from './engine';

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)];
}

/** ms from clicking a tab header to `selector` being visible. */
async function timeTab(page: Page, tab: string, selector: string): Promise<number> {
  await page.click('[data-testid="btn-basic"]').catch(() => undefined);
  await page.waitForTimeout(200);
  const t0 = Date.now();

  await page.click(`[data-testid="btn-${ tab }"]`);
  await page.waitForSelector(selector, { state: 'visible' });

  return Date.now() - t0;
}

/**
 * ms from the keystroke that adds a resource name to rule 151 (Enter in its "Resource names" field, after the
 * name was typed) to the policy YAML showing it.
 */
async function timeRuleEdit(page: Page, name: string): Promise<number> {
  const input = page.locator('[data-testid="audit-rule-150-group-0-names"] input');

  await input.click();
  await input.type(name);
  const t0 = Date.now();

  await page.keyboard.press('Enter');
  // policyToYaml writes each rule as "\n  - level: X": part 151 of the split is rule 151 (index 150)
  await page.waitForFunction((n) => {
    const cm = (document.querySelector('[data-testid="audit-yaml-editor"] .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror;

    return (cm.getValue().split('\n  - level: ')[151] || '').includes(n);
  }, name, { polling: 'raf' });

  return Date.now() - t0;
}

function chunkSizes(): { entry: number, lazy: { name: string, gz: number }[] } {
  execFileSync('yarn', ['-s', 'build-pkg', 'cluster-audit-log'], { cwd: ROOT, stdio: 'ignore' });
  const dir = join(ROOT, 'dist-pkg', readdirSync(join(ROOT, 'dist-pkg')).find((d) => d.startsWith('cluster-audit-log-')) as string);
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const gz = (f: string) => gzipSync(readFileSync(join(dir, f))).length;
  const entry = files.find((f) => f.endsWith('.umd.min.js')) as string;

  return { entry: gz(entry), lazy: files.filter((f) => f !== entry).map((f) => ({ name: f.replace(/^.*umd\.min\./, ''), gz: gz(f) })) };
}

/** Runs the browser benchmarks and returns rows for the table. */
export async function browserBench(): Promise<{ name: string, value: string }[]> {
  const servers = await startServers();
  const browser = await launch();

  try {
    await sim.reset();
    const { page } = await login(browser, 'admin');

    await openEdit(page, 'rke2-custom');
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
    const sizes = chunkSizes();
    const kib = (n: number) => `${ (n / 1024).toFixed(1) } KiB`;

    return [
      { name: 'dashboard + stand-in ready (s)', value: servers.startSeconds.toFixed(0) },
      { name: `open the Audit Log tab, median of ${ RUNS } (ms)`, value: String(median(audit)) },
      { name: `open the built-in Registries tab, same page, median of ${ RUNS } (ms)`, value: String(median(registries)) },
      { name: 'Audit Log / Registries', value: (median(audit) / median(registries)).toFixed(2) },
      { name: `300-rule policy: keystroke (Enter) adding a name to rule 151 -> YAML preview shows it, median of ${ RUNS } (ms)`, value: String(median(edits)) },
      { name: 'entry chunk, on every dashboard page (gzipped)', value: kib(sizes.entry) },
      { name: 'lazy chunks, edit page (gzipped, all of them)', value: `${ kib(sizes.lazy.reduce((n, c) => n + c.gz, 0)) } (${ sizes.lazy.map((c) => `${ c.name } ${ kib(c.gz) }`).join(', ') })` },
    ];
  } finally {
    await browser.close();
    stopServers(servers.pids);
  }
}
