/**
 * Fleet report (issue 9): `report` on the generated fleet of 500 clusters and 500 Secrets (tests/rancher/
 * fleet-seed.ts): the status model in-process (fleetStatus on the world, a fresh lint cache each run), the same on
 * 1,000 clusters, and the compiled bin end to end on the world as `kubectl get ... -o yaml` prints it (read,
 * decode, model, JSON out). Medians; prints numbers, asserts nothing.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { dump } from 'js-yaml';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { fleetStatus, FleetWorld } from '../pkg/cluster-audit-log/fleet';
import { fleetList, fleetWorld } from '../tests/rancher/fleet-seed';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'dist-cli/audit-policy.js');

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time of fleetStatus on a world of `n` clusters (`secrets` Secrets when given), after one warm-up run. */
function modelMs(n: number, runs: number, secrets?: number): { ms: number, rows: number } {
  const fleet = fleetWorld(n, { secrets });
  const world = { clusters: fleet.clusters, objects: [...fleet.secrets, ...fleet.configMaps] } as FleetWorld;
  const times: number[] = [];
  const rows = fleetStatus(world).clusters.length;

  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();

    fleetStatus(world);
    times.push(performance.now() - t0);
  }

  return { ms: median(times), rows };
}

/** Runs the fleet benchmark and returns rows for the table. */
export function fleetBench(runs = 7): { name: string, value: string }[] {
  execFileSync(process.execPath, [join(ROOT, 'cli/build.mjs')], { stdio: 'inherit' });
  const small = modelMs(500, runs, 500);
  const large = modelMs(1000, runs);
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  const file = join(dir, 'world.yaml');

  const yaml = dump(fleetList(fleetWorld(500, { secrets: 500 })), { noRefs: true, lineWidth: -1 });

  writeFileSync(file, yaml);
  const times: number[] = [];

  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const got = spawnSync(process.execPath, [BIN, 'report', file, '--json'], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

      times.push(performance.now() - t0);
      if (got.status !== 1) {
        throw new Error(`audit-policy report exited ${ got.status }, expected 1 (the fleet has errors): ${ got.stderr }`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bin = median(times);
  const mib = (Buffer.byteLength(yaml) / 1024 / 1024).toFixed(1);

  return [
    { name: `report model (fleetStatus), ${ small.rows } clusters / 500 Secrets, median of ${ runs }`, value: `${ small.ms.toFixed(1) } ms (${ (small.ms / small.rows).toFixed(3) } ms per cluster)` },
    { name: `report model (fleetStatus), ${ large.rows } clusters, median of ${ runs }`, value: `${ large.ms.toFixed(1) } ms (goal: well under 1 s)` },
    { name: `audit-policy report WORLD --json (compiled bin, the same world as YAML, ${ mib } MiB), median of ${ runs }`, value: `${ bin.toFixed(1) } ms (${ (bin / small.rows).toFixed(2) } ms per cluster)` },
  ];
}
