/** estimate: replaying real audit events through a policy. */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  estimate, eventAtLevel, eventTime, presetPolicy, readPolicy, utf8Length
} from '@pkg/policy';

const EVENTS = join(__dirname, '../../fixtures/events');
const falco = readFileSync(join(EVENTS, 'falco-k8s-audit-trace-files.jsonl'), 'utf8');

describe('estimate', () => {
  it('counts every input event once, and per rule', () => {
    const got = estimate(presetPolicy('gke')!, falco);
    const lines = falco.split('\n').filter((l) => l.trim()).length;

    expect(got.before.events).toBe(lines);
    expect(got.rules.reduce((n, r) => n + r.matched, 0)).toBe(lines);
    expect(got.rules.reduce((n, r) => n + r.events, 0)).toBe(got.after.events);
    expect(got.rules.reduce((n, r) => n + r.bytes, 0)).toBe(got.after.bytes);
  });

  it.each([
    ['level None keeps nothing', 'rules:\n- level: None\n', 0],
    ['Metadata for everything keeps every event', 'rules:\n- level: Metadata\n', 51],
  ])('%s', (_name, rules, kept) => {
    const policy = readPolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\n${ rules }`).policy!;

    expect(estimate(policy, falco).after.events).toBe(kept);
  });

  it('omitStages drops the events of that stage', () => {
    const log = [
      { verb: 'get', stage: 'RequestReceived', requestURI: '/version' },
      { verb: 'get', stage: 'ResponseComplete', requestURI: '/version' },
    ].map((e) => JSON.stringify(e)).join('\n');
    const policy = readPolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n').policy!;

    expect(estimate(policy, log).after.events).toBe(1);
  });

  it('Metadata drops bodies; RequestResponse keeps them and counts what the input lacks', () => {
    const event = {
      verb: 'create', requestURI: '/api/v1/namespaces', objectRef: { resource: 'namespaces' }, requestObject: { big: 'x'.repeat(100) }
    };

    expect(eventAtLevel(event, 'Metadata').json).not.toContain('requestObject');
    expect(eventAtLevel(event, 'Request').json).toContain('requestObject');
    expect(eventAtLevel(event, 'RequestResponse').bodiesMissing).toBe(true);
  });

  it('lines that are not events are skipped and reported', () => {
    const got = estimate(presetPolicy('cis-minimal')!, 'not json\n{"verb":"get","requestURI":"/x"}\n[1]\n');

    expect(got.skipped).toBe(2);
    expect(got.skippedLines).toEqual([1, 3]);
    expect(got.before.events).toBe(1);
  });

  it.each([['ascii', 5], ['é', 2], ['中', 3], ['😀', 4]])('utf8Length(%s) = %d', (s, n) => {
    expect(utf8Length(s === 'ascii' ? 'ascii' : s)).toBe(n);
  });

  it('the real cluster: CIS minimal keeps every request, GKE-style drops events and health checks', () => {
    const perfspec = readFileSync(join(EVENTS, 'perfspec-cluster-requests.jsonl'), 'utf8');
    const cis = estimate(presetPolicy('cis-minimal')!, perfspec);
    const gke = estimate(presetPolicy('gke')!, perfspec);

    expect(cis.before.events).toBe(16563);
    expect(cis.after.events).toBe(16563);
    expect(gke.after.events).toBeLessThan(cis.after.events);
  });

  it('the real cluster spans its earliest to its latest requestReceivedTimestamp (the lines are not in time order)', () => {
    const perfspec = readFileSync(join(EVENTS, 'perfspec-cluster-requests.jsonl'), 'utf8');

    expect(estimate(presetPolicy('cis-minimal')!, perfspec).span).toEqual({
      first: '2023-01-27T18:28:08.127428Z', last: '2023-01-27T18:32:12.473826Z', seconds: expect.closeTo(244.346398, 9), timed: 16563, untimed: 0
    });
  });
});

describe('the sample time span', () => {
  const log = (stamps: unknown[]) => stamps.map((ts) => JSON.stringify({ verb: 'get', requestURI: '/version', requestReceivedTimestamp: ts })).join('\n');
  const policy = presetPolicy('cis-minimal')!;

  it.each([
    ['in order', ['2024-01-01T00:00:00Z', '2024-01-01T00:01:00Z'], '2024-01-01T00:00:00Z', '2024-01-01T00:01:00Z', 60, 0],
    ['out of order: earliest to latest', ['2024-01-01T00:00:30Z', '2024-01-01T00:01:00Z', '2024-01-01T00:00:00Z'], '2024-01-01T00:00:00Z', '2024-01-01T00:01:00Z', 60, 0],
    ['offsets are applied', ['2024-01-01T01:00:00+01:00', '2024-01-01T00:30:00Z'], '2024-01-01T01:00:00+01:00', '2024-01-01T00:30:00Z', 1800, 0],
    ['nanoseconds', ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000000001Z'], '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000000001Z', 1e-9, 0],
    ['a comma before the fraction (Go accepts it)', ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00,5Z'], '2024-01-01T00:00:00Z', '2024-01-01T00:00:00,5Z', 0.5, 0],
    ['one event: no span', ['2024-01-01T00:00:00Z'], '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 0, 0],
    ['all at one instant', ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z'], '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 0, 0],
    ['unreadable timestamps are counted apart', ['2024-01-01T00:00:00Z', 'yesterday', 1704067200, null, '2024-02-30T00:00:00Z', '2024-01-01T00:00:10Z'], '2024-01-01T00:00:00Z', '2024-01-01T00:00:10Z', 10, 4],
    ['none readable', [undefined, '2024-01-01 00:00:00'], null, null, 0, 2],
  ])('%s', (_name, stamps, first, last, seconds, untimed) => {
    const got = estimate(policy, log(stamps)).span;

    expect(got).toEqual({
      first, last, seconds: expect.closeTo(seconds, 12), timed: stamps.length - untimed, untimed
    });
  });

  it.each([
    ['2023-01-27T18:28:08.127428Z', { seconds: 1674844088, nanos: 127428000 }],
    ['2023-01-27T19:28:08+01:00', { seconds: 1674844088, nanos: 0 }],
    ['2023-01-27T17:58:08.5-00:30', { seconds: 1674844088, nanos: 500000000 }],
    ['0099-01-01T00:00:00Z', { seconds: -59042995200, nanos: 0 }],
    ['2024-02-29T00:00:00.1234567891Z', { seconds: 1709164800, nanos: 123456789 }],
    ['2023-02-29T00:00:00Z', null],
    ['2023-01-27T24:00:00Z', null],
    ['2023-01-27T18:28:08', null],
    ['2023-01-27 18:28:08Z', null],
    [1674844088, null],
  ])('eventTime(%j)', (value, want) => {
    expect(eventTime(value)).toEqual(want);
  });
});
