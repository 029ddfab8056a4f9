/** delivery/retention: the daily rate of a sample, the rotation in effect and the days of history it keeps. */
import { DISTROS } from '@pkg/delivery';
import {
  Apiserver, apiserverOf, effectiveRotation, EffectiveRotation, formatDays, kubernetesVersionOf, perDay, noRate, retention, volumeReport
} from '@pkg/delivery/retention';
import { estimate, presetPolicy, SampleSpan } from '@pkg/policy';

const MiB = 1024 * 1024;

/** A rotation of canonical digits, as effectiveRotation gives it. */
function rot(maxSize: string, maxBackup: string, maxAge: string, apiserver: Apiserver = 'before-1.36'): EffectiveRotation {
  return {
    apiserver, values: { maxSize, maxBackup, maxAge }, from: { maxSize: 'set', maxBackup: 'set', maxAge: 'set' }, invalid: []
  };
}

const span = (seconds: number, timed = 2): SampleSpan => ({
  first: null, last: null, seconds, timed, untimed: 0
});

describe('retention: (maxBackup + 1) x maxSize / daily bytes, against maxAge and the CIS 30 days', () => {
  it.each([
    // name, [maxSize MB, maxBackup, maxAge days], apiserver, daily bytes -> daysKept, bySize, maxAge, limitedBy, cisOk, warning ids
    ['CIS defaults, 100 MiB a day: 11 files of 100 MiB last 11 days, before maxAge', ['100', '10', '30'], 'before-1.36', 100 * MiB, 11, 11, 30, 'size', false, ['deletes-before-max-age', 'below-cis']],
    ['CIS defaults, 10 MiB a day: 110 days of files, maxAge removes them at 30', ['100', '10', '30'], 'before-1.36', 10 * MiB, 30, 110, 30, 'age', true, []],
    ['exactly 30 days by size meets CIS', ['100', '2', '0'], 'before-1.36', 10 * MiB, 30, 30, Infinity, 'size', true, []],
    ['maxAge 0: no removal by age, the count limits', ['100', '10', '0'], 'before-1.36', 10 * MiB, 110, 110, Infinity, 'size', true, []],
    ['maxBackup 0 keeps every file: maxAge limits', ['100', '0', '30'], 'before-1.36', 100 * MiB, 30, Infinity, 30, 'age', true, []],
    ['maxBackup 0 and maxAge 0: unbounded', ['100', '0', '0'], 'before-1.36', 100 * MiB, Infinity, Infinity, Infinity, 'none', true, ['unbounded']],
    ['maxSize 0 before 1.36: lumberjack rotates at its default 100 MB', ['0', '4', '0'], 'before-1.36', 50 * MiB, 10, 10, Infinity, 'size', false, ['below-cis']],
    ['maxSize 0 from 1.36: never rotated, nothing removed', ['0', '4', '30'], '1.36+', 50 * MiB, Infinity, Infinity, Infinity, 'none', true, ['no-rotation']],
    ['a policy that keeps nothing: maxAge limits', ['100', '10', '30'], 'before-1.36', 0, 30, Infinity, 30, 'age', true, []],
    ['a policy that keeps nothing, no maxAge: not worth a warning', ['100', '10', '0'], 'before-1.36', 0, Infinity, Infinity, Infinity, 'none', true, []],
    ['maxBackup beyond 2^53 counts as digits: maxAge limits', ['100', '9223372036854775807', '30'], 'before-1.36', 100 * MiB, 30, 2 ** 63, 30, 'age', true, []],
    ['maxSize 17592186044417 MB: x 1 MiB wraps int64 to 1 MiB files', ['17592186044417', '10', '0'], 'before-1.36', 11 * MiB, 1, 1, Infinity, 'size', false, ['below-cis']],
    ['maxSize 8796093022207 MB: the largest that does not wrap: 2 files of 2^63 - 2^20 bytes at 2^63 bytes a day', ['8796093022207', '1', '0'], 'before-1.36', 2 ** 63, 2 - 2 ** -42, 2 - 2 ** -42, Infinity, 'size', false, ['below-cis']],
    ['maxAge 106751 days: the largest that does not wrap', ['100', '0', '106751'], 'before-1.36', MiB, 106751, Infinity, 106751, 'age', true, []],
  ] as [string, [string, string, string], Apiserver, number, number, number, number, string, boolean, string[]][])('%s', (_name, [maxSize, maxBackup, maxAge], apiserver, daily, daysKept, bySize, age, limitedBy, cisOk, warnings) => {
    const got = retention(rot(maxSize, maxBackup, maxAge, apiserver), daily);

    expect({
      daysKept: got.daysKept, bySize: got.bySize, maxAge: got.maxAge, limitedBy: got.limitedBy, cisOk: got.cisOk, warnings: got.warnings.map((w) => w.id)
    }).toEqual({
      daysKept: expect.closeTo(daysKept, 9), bySize: bySize === Infinity ? Infinity : expect.closeTo(bySize, 9), maxAge: age, limitedBy, cisOk, warnings
    });
  });

  it.each([
    ['2^43 MB: x 1 MiB is exactly 2^63, which wraps to -2^63', '8796093022208'],
    ['2^44 MB: x 1 MiB wraps to 0', '17592186044416'],
    ['Go int max', '9223372036854775807'],
  ])('maxSize %s: lumberjack refuses every write (max() <= 0), nothing is kept', (_name, maxSize) => {
    const got = retention(rot(maxSize, '10', '30'), 100 * MiB);

    expect(got).toEqual(expect.objectContaining({
      daysKept: 0, limitedBy: 'writes-fail', cisOk: false, warnings: [{ id: 'writes-fail' }]
    }));
  });

  it.each([
    // maxAge, daily, expected maxAge as applied, warning days
    ['106752 wraps negative: every old file goes at each rotation, one 100 MiB file is kept', '106752', 100 * MiB, 1, -106751.98233460129],
    ['213504 wraps to 1,526,290,448,384 ns: 0.0177 days', '213504', MiB, 1526290448384 / 86400e9, 1526290448384 / 86400e9],
  ])('maxAge %s', (_name, maxAge, daily, applied, days) => {
    const got = retention(rot('100', '10', maxAge), daily);

    expect(got.maxAge).toBeCloseTo(applied, 12);
    expect(got.daysKept).toBeCloseTo(applied, 12);
    expect(got.limitedBy).toBe('age');
    expect(got.warnings).toEqual(expect.arrayContaining([{ id: 'max-age-wraps', days: expect.closeTo(days, 9) }]));
  });

  it('warnings carry the figures they are about', () => {
    expect(retention(rot('100', '10', '30'), 100 * MiB).warnings).toEqual([
      { id: 'deletes-before-max-age', daysKept: 11, maxAge: 30 },
      { id: 'below-cis', daysKept: 11, minimum: 30 },
    ]);
  });

  it('writes the file size as exact digits', () => {
    expect(retention(rot('8796093022207', '1', '0'), MiB).fileBytes).toBe('9223372036853727232');
    expect(retention(rot('0', '1', '0', '1.36+'), MiB).fileBytes).toBeNull();
  });
});

describe('the rotation in effect', () => {
  const k3s = DISTROS.k3s.logDefaults;

  it.each([
    ['all set', { maxSize: '5', maxBackup: '6', maxAge: '7' }, 'unset', 'before-1.36', { maxSize: '5', maxBackup: '6', maxAge: '7' }, 'set', []],
    ['leading zeros dropped', { maxSize: '010', maxBackup: '0', maxAge: '00' }, 'unset', 'before-1.36', { maxSize: '10', maxBackup: '0', maxAge: '0' }, 'set', []],
    ['unset, the distro applies its defaults', {}, 'default', 'before-1.36', { maxSize: k3s.maxSize, maxBackup: k3s.maxBackup, maxAge: k3s.maxAge }, 'default', []],
    ['unset, kube-apiserver before 1.36: its flags default to 0', {}, 'unset', 'before-1.36', { maxSize: '0', maxBackup: '0', maxAge: '0' }, 'apiserver', []],
    ['unset, kube-apiserver 1.36+: 100 MB, 100 backups, 366 days', {}, 'unset', '1.36+', { maxSize: '100', maxBackup: '100', maxAge: '366' }, 'apiserver', []],
    ['not whole numbers are listed, kept as typed', { maxSize: '1e3', maxBackup: '-1', maxAge: '9223372036854775808' }, 'default', 'before-1.36', { maxSize: '1e3', maxBackup: '-1', maxAge: '9223372036854775808' }, 'set', ['maxAge', 'maxBackup', 'maxSize']],
  ] as const)('%s', (_name, log, unset, apiserver, values, from, invalid) => {
    const got = effectiveRotation(log, k3s, unset, apiserver);

    expect(got).toEqual({
      apiserver, values, from: { maxSize: from, maxBackup: from, maxAge: from }, invalid
    });
  });

  it.each([
    ['v1.31.4+rke2r1', 'before-1.36'],
    ['v1.35.9-rancher1-1', 'before-1.36'],
    ['v1.36.0+k3s1', '1.36+'],
    ['1.36.2', '1.36+'],
    ['v1.100.0', '1.36+'],
    ['v2.0.0', '1.36+'],
    ['', 'before-1.36'],
    ['latest', 'before-1.36'],
    [undefined, 'before-1.36'],
  ])('apiserverOf(%j) = %s', (version, want) => {
    expect(apiserverOf(version)).toBe(want);
  });

  it.each([
    ['provisioning cluster', { metadata: { name: 'a' }, spec: { kubernetesVersion: 'v1.31.4+rke2r1' } }, 'v1.31.4+rke2r1'],
    ['RKE1 cluster', { metadata: { name: 'b' }, spec: { rancherKubernetesEngineConfig: { kubernetesVersion: 'v1.28.9-rancher1-1' } } }, 'v1.28.9-rancher1-1'],
    ['no version', { metadata: { name: 'c' }, spec: {} }, undefined],
    ['not a string', { metadata: { name: 'd' }, spec: { kubernetesVersion: 136 } }, undefined],
    ['no cluster', null, undefined],
  ])('kubernetesVersionOf: %s', (_name, cluster, want) => {
    expect(kubernetesVersionOf(cluster)).toBe(want);
  });
});

describe('per day: scaled by the sample time span', () => {
  it.each([
    ['one day', 86400, { events: 3, bytes: 300 }, { events: 3, bytes: 300 }],
    ['half a day doubles', 43200, { events: 3, bytes: 300 }, { events: 6, bytes: 600 }],
    ['an hour: x 24', 3600, { events: 1, bytes: 3 }, { events: 24, bytes: 72 }],
    ['rounded to whole events and bytes', 7, { events: 1, bytes: 1 }, { events: 12343, bytes: 12343 }],
  ])('%s', (_name, seconds, count, want) => {
    expect(perDay(count, span(seconds))).toEqual(want);
    expect(noRate(span(seconds))).toBeNull();
  });

  it.each([
    ['no readable timestamp', span(0, 0), 'no-timestamps'],
    ['one event', span(0, 1), 'one-instant'],
    ['every event at one instant', span(0, 5), 'one-instant'],
  ])('%s: no rate', (_name, s, why) => {
    expect(perDay({ events: 5, bytes: 5 }, s)).toBeNull();
    expect(noRate(s)).toBe(why);
  });
});

describe('volumeReport', () => {
  const line = (ts: unknown) => JSON.stringify({
    verb: 'get', requestURI: '/version', stage: 'ResponseComplete', requestReceivedTimestamp: ts
  });
  const policy = presetPolicy('cis-minimal')!;

  it('scales what the policy keeps, per rule too, and holds it against the rotation', () => {
    const log = [line('2024-01-01T00:00:00Z'), line('2024-01-01T00:00:30Z'), line('2024-01-01T00:01:00Z')].join('\n');
    const est = estimate(policy, log);
    const got = volumeReport(est, rot('1', '1', '30'));

    expect(got.perDay).toEqual({ events: 3 * 1440, bytes: est.after.bytes * 1440 });
    expect(got.rules.map((r) => r.perDay)).toEqual(est.rules.map((r) => ({ events: r.events * 1440, bytes: r.bytes * 1440 })));
    expect(got.retention?.daysKept).toBeCloseTo((2 * MiB) / (est.after.bytes * 1440), 12);
  });

  it.each([
    ['one event', [line('2024-01-01T00:00:00Z')], 'one-instant'],
    ['unparsable timestamps only', [line('yesterday'), line(12), line(null)], 'no-timestamps'],
  ])('%s: no per day, no retention', (_name, lines, why) => {
    const got = volumeReport(estimate(policy, lines.join('\n')), rot('100', '10', '30'));

    expect({ perDay: got.perDay, noRate: got.noRate, retention: got.retention }).toEqual({ perDay: null, noRate: why, retention: null });
  });

  it('a rotation number that is not a whole number: a rate, no retention', () => {
    const log = [line('2024-01-01T00:00:00Z'), line('2024-01-01T00:01:00Z')].join('\n');
    const got = volumeReport(estimate(policy, log), effectiveRotation({ maxSize: 'ten' }, DISTROS.rke2.logDefaults, 'default', 'before-1.36'));

    expect(got.perDay).not.toBeNull();
    expect(got.retention).toBeNull();
  });
});

describe('formatDays', () => {
  it.each([
    [0.465, '0.47'],
    [9.994, '9.99'],
    [30, '30.0'],
    [412.46, '412.5'],
    [2.5e7, '25,000,000'],
    [Infinity, 'unbounded'],
  ])('%d -> %s', (n, want) => {
    expect(formatDays(n)).toBe(want);
  });
});
