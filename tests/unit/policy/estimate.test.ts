/** estimate: replaying real audit events through a policy. */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  estimate, eventAtLevel, presetPolicy, readPolicy, utf8Length
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
});
