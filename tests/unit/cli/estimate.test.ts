/**
 * `audit-policy estimate`: per day and the days of history the rotation keeps, next to the per-rule figures; the
 * JSON is what the engine (policy/estimate.ts + delivery/retention.ts) gives for the same policy and log.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { DISTROS } from '@pkg/delivery';
import { apiserverOf, effectiveRotation, volumeReport } from '@pkg/delivery/retention';
import { estimate, readPolicy } from '@pkg/policy';
import {
  bin, cli, EVENTS, POLICIES, tempDir, writeFile
} from './run-cli';

const PERFSPEC = join(EVENTS, 'perfspec-cluster-requests.jsonl');
const GKE = join(POLICIES, 'gke-gce-configure-helper.yaml');
const tmp = tempDir();

/** The engine's report for a policy file, a log and rotation options, as the JSON output holds it. */
function engine(policyFile: string, logFile: string, log: Record<string, string>, version?: string): Record<string, unknown> {
  const est = estimate(readPolicy(readFileSync(policyFile, 'utf8')).policy!, readFileSync(logFile, 'utf8'));
  const report = volumeReport(est, effectiveRotation(log, DISTROS.rke2.logDefaults, 'default', apiserverOf(version)));

  return JSON.parse(JSON.stringify({
    ...est, rules: report.rules, perDay: report.perDay, noRate: report.noRate, rotation: report.rotation, retention: report.retention
  }));
}

describe('estimate --json: per day and retention', () => {
  it.each([
    ['rke2 defaults (100 MB x 11 files): deleted after half a day', [], {}, undefined],
    ['--max-size 10000: maxAge limits at 30 days', ['--max-size', '10000'], { maxSize: '10000' }, undefined],
    ['--max-size 0 on Kubernetes 1.36: never rotated', ['--max-size', '0', '--kubernetes-version', 'v1.36.0+rke2r1'], { maxSize: '0' }, 'v1.36.0+rke2r1'],
    ['--max-backup 0 --max-age 0: unbounded', ['--max-backup', '0', '--max-age', '0'], { maxBackup: '0', maxAge: '0' }, undefined],
    ['leading zeros read as decimal', ['--max-size', '0100', '--max-backup', '010'], { maxSize: '100', maxBackup: '10' }, undefined],
  ])('%s: the engine\'s figures', async(_name, args, log, version) => {
    const got = await cli(['estimate', GKE, PERFSPEC, ...args, '--json']);

    expect(got.code).toBe(0);
    expect(JSON.parse(got.out)).toEqual(engine(GKE, PERFSPEC, log, version));
  });

  const MiB = 1024 * 1024;

  it.each([
    // args, days kept as a function of the bytes per day (null: unbounded), maxAge (null: none), cisOk, warning ids
    [[], (daily: number) => (11 * 100 * MiB) / daily, 30, false, ['deletes-before-max-age', 'below-cis']],
    [['--max-size', '10000'], () => 30, 30, true, []],
    [['--max-size', '0', '--kubernetes-version', 'v1.36.0'], null, null, true, ['no-rotation']],
    [['--max-size', '0', '--kubernetes-version', 'v1.35.2+k3s1'], (daily: number) => (11 * 100 * MiB) / daily, 30, false, ['deletes-before-max-age', 'below-cis']],
    [['--max-backup', '0', '--max-age', '0'], null, null, true, ['unbounded']],
    [['--max-size', '9223372036854775807'], () => 0, null, false, ['writes-fail']],
    [['--max-age', '7', '--max-size', '100000'], () => 7, 7, false, ['below-cis']],
    [['--max-backup', '2', '--max-size', '2048', '--max-age', '0'], (daily: number) => (3 * 2048 * MiB) / daily, null, false, ['below-cis']],
  ] as [string[], ((daily: number) => number) | null, number | null, boolean, string[]][])('%j', async(args, days, maxAge, cisOk, warnings) => {
    const { retention, perDay } = JSON.parse((await cli(['estimate', GKE, PERFSPEC, ...args, '--json'])).out);

    expect(perDay).toEqual({ events: expect.any(Number), bytes: expect.any(Number) });
    expect({
      daysKept: retention.daysKept, maxAge: retention.maxAge, cisOk: retention.cisOk, warnings: retention.warnings.map((w: { id: string }) => w.id)
    }).toEqual({
      daysKept: days ? expect.closeTo(days(perDay.bytes), 12) : null, maxAge, cisOk, warnings
    });
  });

  it.each([
    ['one event', ['{"verb":"get","requestURI":"/version","requestReceivedTimestamp":"2024-01-01T00:00:00Z"}'], 'one-instant'],
    ['no timestamps', ['{"verb":"get","requestURI":"/version"}', '{"verb":"get","requestURI":"/healthz","requestReceivedTimestamp":"now"}'], 'no-timestamps'],
  ])('%s: perDay and retention null, noRate says why', async(_name, lines, why) => {
    const got = await cli(['estimate', GKE, writeFile(tmp, `${ why }.jsonl`, lines.join('\n')), '--json']);
    const json = JSON.parse(got.out);

    expect(got.code).toBe(0);
    expect({ perDay: json.perDay, retention: json.retention, noRate: json.noRate }).toEqual({ perDay: null, retention: null, noRate: why });
  });
});

describe('estimate: text output', () => {
  it('prints the sample span, per day, the rotation and the days kept with their warnings', async() => {
    const got = await cli(['estimate', GKE, PERFSPEC]);

    expect(got.code).toBe(0);
    expect(got.out).toContain('sample: 16563 timed events from 2023-01-27T18:28:08.127428Z to 2023-01-27T18:32:12.473826Z (244.3 s)\n');
    expect(got.out).toMatch(/\nper day, one kube-apiserver: \d+ events, [\d.]+ GiB\n/);
    expect(got.out).toContain('rotation (Kubernetes before 1.36; unset: rke2 defaults): --max-size 100 MB, --max-backup 10, --max-age 30\n');
    expect(got.out).toMatch(/\ndays kept: 0\.\d\d \(by size: the oldest file goes once max-backup \+ 1 files are full; CIS 30 days: below\)\n/);
    expect(got.out).toMatch(/\nwarning: rotation deletes files after 0\.\d\d days, before --max-age 30 days/);
    expect(got.out).toMatch(/\nwarning: 0\.\d\d days of history is less than the CIS Benchmark's 30 days\n$/);
  });

  it('without a time span: says so, no retention', async() => {
    const got = await cli(['estimate', GKE, writeFile(tmp, 'untimed.jsonl', '{"verb":"get","requestURI":"/version"}\n')]);

    expect(got.out).toContain('sample: no event has a readable requestReceivedTimestamp\nper day: unknown (no timestamps): no retention worked out\n');
    expect(got.out).not.toContain('days kept');
  });
});

describe('estimate: refused options (one line, exit 2)', () => {
  it.each([
    [['--max-size', '-1'], /^audit-policy: Option '--max-size' argument is ambiguous/],
    [['--max-size=-1'], /^audit-policy: --max-size "-1" is negative: must be 0 or more$/],
    [['--max-backup', '1e3'], /^audit-policy: --max-backup "1e3" is not a whole number/],
    [['--max-age', '9223372036854775808'], /^audit-policy: --max-age "9223372036854775808" is too large: at most 9223372036854775807$/],
    [['--distro', 'eks'], /^audit-policy: --distro must be one of rke2, k3s, rke1$/],
    [['--distro', 'constructor'], /^audit-policy: --distro must be one of rke2, k3s, rke1$/],
    [['--kubernetes-version', 'latest'], /^audit-policy: --kubernetes-version "latest": want a version such as v1\.31\.4\+rke2r1$/],
  ])('%j', async(args, message) => {
    const got = await cli(['estimate', GKE, PERFSPEC, ...args, '--json']);

    expect(got.code).toBe(2);
    expect(got.err.trimEnd()).toMatch(message);
    expect(got.err.trimEnd().split('\n')).toHaveLength(1);
    expect(got.out).toBe('');
  });
});

describe('the compiled bin', () => {
  it('prints the same JSON as the in-process run', async() => {
    const args = ['estimate', GKE, join(EVENTS, 'falco-k8s-audit-trace-files.jsonl'), '--max-size', '1', '--json'];
    const [spawned, inProcess] = [await bin(args), await cli(args)];

    expect(spawned.code).toBe(0);
    expect(JSON.parse(spawned.out)).toEqual(JSON.parse(inProcess.out));
    expect(JSON.parse(spawned.out).retention).toEqual(expect.objectContaining({ daysKept: expect.any(Number), maxAge: 30, cisOk: expect.any(Boolean) }));
  });
});
