/**
 * Drift (fleet/drift.ts) and the edit scripts it and the roll-out preview show (fleet/diff.ts): which clusters of
 * the generated fleet differ from a baseline, the rule-level diff of real policies, and line diffs.
 */
import { diffSequences, lineDiff } from '@pkg/fleet/diff';
import {
  baselineFingerprint, baselineText, driftStates, keyText, policyTextOf, ruleDiff
} from '@pkg/fleet/drift';
import { Policy, policyToYaml, presetPolicy } from '@pkg/policy';
import { policy } from './worlds';
import { object, pageFleet, prov } from './page-world';

const { world, status } = pageFleet();
const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const GKE = policyToYaml(presetPolicy('gke') as Policy);
const ns = (name: string) => world.objects.filter((o) => o.metadata.namespace === 'fleet-default' && o.metadata.name.startsWith(name));

describe('diffSequences', () => {
  it.each([
    [[], [], ''],
    [['a', 'b', 'c'], ['a', 'b', 'c'], '=a =b =c'],
    [['a', 'b', 'c'], ['a', 'c'], '=a -b =c'],
    [['a', 'c'], ['a', 'b', 'c'], '=a +b =c'],
    [['a', 'b'], ['b', 'a'], '-a =b +a'],
    [['x'], ['y'], '-x +y'],
    [['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'y'], '=a -b +x =c -d +y'],
  ])('%j -> %j', (a, b, want) => {
    const ops = diffSequences(a, b, (s) => s);

    expect(ops.map((o) => `${ { same: '=', removed: '-', added: '+' }[o.op] }${ o.item }`).join(' ')).toBe(want);
    expect(ops.filter((o) => o.op !== 'added').map((o) => o.item)).toEqual(a);
    expect(ops.filter((o) => o.op !== 'removed').map((o) => o.item)).toEqual(b);
  });
});

describe('lineDiff', () => {
  const lines = (n: number, change?: number) => Array.from({ length: n }, (_, i) => (i === change ? `changed ${ i }` : `line ${ i }`)).join('\n');

  it.each([
    ['equal texts', lines(5), lines(5), []],
    ['one line changed in 10: two lines of context, the rest folded', lines(10), lines(10, 5), [
      { op: 'gap', count: 3 }, { op: 'same', text: 'line 3' }, { op: 'same', text: 'line 4' }, { op: 'removed', text: 'line 5' }, { op: 'added', text: 'changed 5' },
      { op: 'same', text: 'line 6' }, { op: 'same', text: 'line 7' }, { op: 'gap', count: 2 },
    ]],
    ['from nothing', '', 'a\nb\n', [{ op: 'added', text: 'a' }, { op: 'added', text: 'b' }]],
    ['to nothing', 'a\n', '', [{ op: 'removed', text: 'a' }]],
  ])('%s', (_what, before, after, want) => {
    expect(lineDiff(before, after)).toEqual(want);
  });
});

describe('baselines and the policy text of each cluster', () => {
  it.each([
    ['a preset', { kind: 'preset' as const, id: 'cis-minimal' }, CIS],
    ['an unknown preset', { kind: 'preset' as const, id: 'nope' }, null],
    ['a shared Secret\'s key', { kind: 'shared' as const, policy: { namespace: 'fleet-default', kind: 'secret' as const, name: 'fleet-shared-audit-policy-2', key: 'audit-policy.yaml' } }, GKE],
    ['a missing key', { kind: 'shared' as const, policy: { namespace: 'fleet-default', kind: 'secret' as const, name: 'fleet-shared-audit-policy-2', key: 'nope' } }, null],
    ['another namespace', { kind: 'shared' as const, policy: { namespace: 'other', kind: 'secret' as const, name: 'fleet-shared-audit-policy-2', key: 'audit-policy.yaml' } }, null],
  ])('baselineText: %s', (_what, baseline, want) => {
    expect(baselineText(baseline, world)).toBe(want);
  });

  it.each([
    ['off', 'fleet-0001', null],
    ['inline', 'fleet-0006', CIS],
    ['shared Secret', 'fleet-0012', GKE],
    ['ConfigMap', 'fleet-0013', policy('rancher-docs-rke1-custom-policy.yaml')],
    ['external', 'fleet-0016', null],
    ['stale hash: what the key holds', 'fleet-0018', CIS],
  ])('policyTextOf: %s', (_what, name, want) => {
    expect(policyTextOf(prov(world, name), world.objects)).toBe(want);
  });

  it('a missing object gives no text (not the default the tab offers)', () => {
    const objects = world.objects.filter((o) => o !== object(world, 'Secret', 'fleet-0019-audit-policy'));

    expect(policyTextOf(prov(world, 'fleet-0019'), objects)).toBeNull();
  });

  it('keyText reads a ConfigMap as text and a Secret from base64', () => {
    expect(keyText(world, {
      namespace: 'fleet-default', kind: 'configmap', name: 'fleet-0013-audit-policy', key: 'audit-policy.yaml'
    })).toBe(policy('rancher-docs-rke1-custom-policy.yaml'));
    expect(ns('fleet-shared-audit-policy-')).toHaveLength(3);
  });
});

describe('driftStates', () => {
  const count = (fingerprint: string) => {
    const out: Record<string, number> = {};

    driftStates(status, fingerprint).forEach((s) => {
      out[s] = (out[s] || 0) + 1;
    });

    return out;
  };

  it.each([
    ['CIS: inline CIS, shared CIS, stale and own Secrets hold CIS', CIS, { same: 15, differs: 15, 'no-policy': 10 }],
    ['GKE: one shared Secret', GKE, { same: 3, differs: 27, 'no-policy': 10 }],
  ])('%s', (_what, text, want) => {
    expect(count(baselineFingerprint(text))).toEqual(want);
  });

  it('layout and comments do not make drift', () => {
    expect(baselineFingerprint(`# the CIS preset, reindented\n${ CIS.replace(/\n {2}/g, '\n    ') }`)).toBe(baselineFingerprint(CIS));
  });
});

describe('ruleDiff', () => {
  it('the same policy: every rule kept, no field differs', () => {
    const diff = ruleDiff(CIS, CIS);

    expect(diff.ok && diff.rules.every((r) => r.op === 'same')).toBe(true);
    expect(diff.ok && diff.fields).toEqual([]);
  });

  it('CIS against GKE: the rules each has alone, and omitStages', () => {
    const diff = ruleDiff(CIS, GKE);
    const cis = presetPolicy('cis-minimal') as Policy;
    const gke = presetPolicy('gke') as Policy;

    if (!diff.ok) {
      throw new Error('both decode');
    }
    expect(diff.rules.filter((r) => r.op !== 'added')).toHaveLength(cis.rules.length);
    expect(diff.rules.filter((r) => r.op !== 'removed')).toHaveLength(gke.rules.length);
    expect(diff.rules.some((r) => r.op !== 'same')).toBe(true);
    expect(diff.fields.map((f) => f.field)).toEqual(JSON.stringify(cis.omitStages) === JSON.stringify(gke.omitStages) ? [] : ['omitStages']);
  });

  it('one rule added at the end of a real policy', () => {
    const text = policy('rancher-docs-secret-metadata.yaml');
    const diff = ruleDiff(text, `${ text.trimEnd() }\n- level: None\n  users: ["system:kube-proxy"]\n`);

    expect(diff.ok && diff.rules.filter((r) => r.op !== 'same').map((r) => [r.op, r.item.level, r.item.users])).toEqual([['added', 'None', ['system:kube-proxy']]]);
  });

  it('text that is not a policy cannot be diffed', () => {
    expect(ruleDiff(CIS, 'rules: [')).toEqual({ ok: false, reason: 'undecodable' });
  });
});
