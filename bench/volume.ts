/**
 * The volume estimate in the browser (issue 12): the Audit Log tab's Web Worker replaying 100,000 audit events
 * (the real 16,563-event trace repeated with shifted timestamps and new audit IDs) through the seeded cluster's
 * policy. Uploaded through the tab's file input; prints the worker's own time, the time from the upload to the
 * figures on screen, and the longest gap between two animation frames of the page meanwhile (what a user would
 * feel as a stall). Prints numbers; asserts nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Page } from 'playwright-core';
import {
  launch, login, openAuditTab, openEdit, sim
} from '../tests/e2e/browser';
import { ROOT, startServers, stopServers } from '../tests/e2e/servers';

const EVENTS = 100000;
const RUNS = 3;
const CLUSTER = 'rke2-audit-inline';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)];
}

/** Shifts an RFC 3339 UTC timestamp by whole seconds (the fraction is kept as written). */
function shifted(ts: unknown, seconds: number): unknown {
  if (typeof ts !== 'string') {
    return ts;
  }
  const m = /^(.*?)(\.\d+)?Z$/.exec(ts);

  return m ? `${ new Date(Date.parse(`${ m[1] }Z`) + seconds * 1000).toISOString().slice(0, 19) }${ m[2] || '' }Z` : ts;
}

/**
 * `count` events made of the real trace: copy k of it comes k x (its span + 1 s) later, with new audit IDs, so
 * the sample spans about 6 x 4 minutes of the same traffic.
 */
export function repeatedSample(count: number): string {
  const lines = readFileSync(join(ROOT, 'tests/fixtures/events/perfspec-cluster-requests.jsonl'), 'utf8').split('\n').filter(Boolean);
  const out: string[] = [];

  for (let k = 0; out.length < count; k++) {
    for (const line of lines.slice(0, count - out.length)) {
      const event = JSON.parse(line);

      event.auditID = `${ String(event.auditID).slice(0, -6) }${ String(k).padStart(6, '0') }`;
      event.requestReceivedTimestamp = shifted(event.requestReceivedTimestamp, k * 246);
      event.stageTimestamp = shifted(event.stageTimestamp, k * 246);
      out.push(JSON.stringify(event));
    }
  }

  return `${ out.join('\n') }\n`;
}

/**
 * One upload of `file`, timed in the page from the file input's change event: the worker's ms (shown by the tab),
 * change-to-figures ms (the first animation frame with the new figures) and the longest gap between two frames.
 */
async function uploadOnce(page: Page, file: string): Promise<{ worker: number, shown: number, gap: number }> {
  // a string, not a function: `tsx` compiles functions with esbuild's keepNames, whose __name helper the page lacks
  await page.evaluate(`(() => {
    const w = window;

    w.__volume = { gap: 0 };
    document.addEventListener('change', (e) => {
      let last = e.timeStamp;
      let gone = false;

      w.__volume.start = e.timeStamp;
      requestAnimationFrame(function frame(now) {
        const figures = !!document.querySelector('[data-testid="audit-volume-timing"]');

        w.__volume.gap = Math.max(w.__volume.gap, now - last);
        last = now;
        gone = gone || !figures;
        if (gone && figures) {
          w.__volume.shown = now;
        } else {
          requestAnimationFrame(frame);
        }
      });
    }, { capture: true, once: true });
  })()`);
  await page.setInputFiles('[data-testid="audit-volume-file"]', file);
  await page.waitForFunction(() => (window as unknown as { __volume: { shown?: number } }).__volume.shown !== undefined, null, { timeout: 120000, polling: 100 });

  return page.evaluate(() => {
    const v = (window as unknown as { __volume: { start: number, shown: number, gap: number } }).__volume;
    const ms = Number(document.querySelector('[data-testid="audit-volume-timing"]')?.getAttribute('data-ms'));

    return {
      worker: ms, shown: Math.round(v.shown - v.start), gap: Math.round(v.gap)
    };
  });
}

/** Runs the benchmark and returns rows for the table. */
export async function volumeBench(): Promise<{ name: string, value: string }[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'volume-bench-')), 'events-100k.jsonl');
  const text = repeatedSample(EVENTS);

  writeFileSync(file, text);
  const servers = await startServers();
  const browser = await launch();

  try {
    await sim.reset();
    const { page } = await login(browser, 'admin');

    await openEdit(page, CLUSTER);
    await openAuditTab(page);
    await page.waitForSelector('[data-testid="audit-volume-file"]', { state: 'attached' });
    const runs = [];

    for (let i = 0; i < RUNS; i++) {
      runs.push(await uploadOnce(page, file));
    }
    const events = await page.textContent('[data-testid="audit-volume-sample"]');

    return [
      { name: `sample: ${ EVENTS.toLocaleString('en-US') } events, ${ (text.length / 1024 / 1024).toFixed(1) } MiB (the tab: ${ /[\d,]+ events/.exec(events || '')?.[0] })`, value: '' },
      { name: `the worker's estimate, median of ${ RUNS } (ms)`, value: `${ median(runs.map((r) => r.worker)) } (${ runs.map((r) => r.worker).join(', ') })` },
      { name: `file chosen -> figures on screen, median of ${ RUNS } (ms)`, value: `${ median(runs.map((r) => r.shown)) } (${ runs.map((r) => r.shown).join(', ') })` },
      { name: `longest gap between two frames of the page meanwhile, median of ${ RUNS } (ms)`, value: `${ median(runs.map((r) => r.gap)) } (${ runs.map((r) => r.gap).join(', ') })` },
    ];
  } finally {
    await browser.close();
    stopServers(servers.pids);
  }
}
