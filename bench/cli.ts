/**
 * CLI start-up (issue 10): `check` of a small policy through the compiled bin (package.json `bin`, built here
 * first by cli/build.mjs) next to `node -e 0`, the floor of any node command; runs interleaved, medians of each.
 * Prints numbers; asserts nothing.
 */
import { execFileSync, spawnSync } from 'child_process';
import { join } from 'path';
import { performance } from 'perf_hooks';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'dist-cli/audit-policy.js');
const POLICY = join(ROOT, 'tests/fixtures/policies/k8s-docs-example.yaml');

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time of one child process, in milliseconds; throws if it does not exit as expected. */
function timed(args: string[], status: number): number {
  const t0 = performance.now();
  const got = spawnSync(process.execPath, args, { stdio: 'ignore' });

  if (got.status !== status) {
    throw new Error(`node ${ args.join(' ') } exited ${ got.status }, expected ${ status }`);
  }

  return performance.now() - t0;
}

/** Runs the start-up benchmark (`runs` calls of each) and returns rows for the table. */
export function cliBench(runs = 21): { name: string, value: string }[] {
  execFileSync(process.execPath, [join(ROOT, 'cli/build.mjs')], { stdio: 'inherit' });
  const bin: number[] = [];
  const floor: number[] = [];

  for (let i = 0; i < runs; i++) {
    bin.push(timed([BIN, 'check', POLICY], 0));
    floor.push(timed(['-e', '0'], 0));
  }
  const binMs = median(bin);
  const floorMs = median(floor);

  return [
    { name: `audit-policy check k8s-docs-example.yaml (compiled bin), median of ${ runs }`, value: `${ binMs.toFixed(1) } ms` },
    { name: `node -e 0, median of ${ runs }, same run`, value: `${ floorMs.toFixed(1) } ms` },
    { name: 'ratio (goal <= 3)', value: (binMs / floorMs).toFixed(2) },
  ];
}
