/**
 * Fingerprints (fleet/fingerprint.ts): the same policy written another way (comments, layout, quoting, flow or
 * block lists, JSON, RKE1's `metadata: {creationTimestamp: null}`) keeps its fingerprint; another policy, or the
 * same one with fields kube-apiserver drops, gets another. A policy equal to a preset is named after it. Lint
 * runs once per fingerprint.
 */
import {
  policyFingerprint, PolicyVerdicts, presetOf, shortHash
} from '@pkg/fleet';
import {
  Policy, policyToYaml, presetPolicy, PRESETS, readPolicy
} from '@pkg/policy';
import { policy } from './worlds';

const fp = (text: string) => policyFingerprint(readPolicy(text), text);
const preset = (id: string) => policyToYaml(presetPolicy(id) as Policy);
const RKE1_CUSTOM = policy('rancher-docs-rke1-custom-policy.yaml');

describe('the same policy, written another way, has one fingerprint', () => {
  type Group = [name: string, texts: [how: string, text: string][], presetId: string | null];
  const groups: Group[] = [
    ['every request at Metadata', [
      ['the K3s hardening guide', policy('k3s-hardening-guide-starter.yaml')],
      ['the Rancher docs Secret (a comment, no final newline)', policy('rancher-docs-secret-metadata.yaml')],
      ["RKE1's default (metadata.creationTimestamp: null)", policy('rke1-default.yaml')],
      ['the preset as the tab writes it', preset('rke1-default')],
      ['JSON', '{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"Metadata"}]}'],
      ['flow style, quoted', 'apiVersion: "audit.k8s.io/v1"\nkind: \'Policy\'\nrules: [{level: Metadata}]\n'],
      ['empty lists', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  users: []\n  verbs: []\n'],
    ], 'rke1-default'],
    ['the Rancher docs RKE1 example', [
      ['with its comments', RKE1_CUSTOM],
      ['written by policyToYaml', policyToYaml(readPolicy(RKE1_CUSTOM).policy as Policy)],
      ['keys reordered, block lists', 'kind: Policy\nrules:\n- resources:\n  - resources:\n    - pods\n    group: ""\n  level: RequestResponse\n- level: Metadata\n  resources:\n  - group: ""\n    resources: [pods/log, pods/status]\nomitStages: [RequestReceived]\napiVersion: audit.k8s.io/v1\n'],
    ], null],
    ["GKE's configure-helper policy", [
      ['as collected', policy('gke-gce-configure-helper.yaml')],
      ['the preset', preset('gke')],
    ], 'gke'],
  ];

  it.each(groups)('%s', (_name, texts, presetId) => {
    const prints = texts.map(([how, text]) => [how, fp(text)]);

    expect(new Set(prints.map(([, p]) => p)).size).toBe(1);
    expect(presetOf(prints[0][1])).toBe(presetId);
  });
});

describe('another policy has another fingerprint', () => {
  const metadata = fp(policy('k3s-hardening-guide-starter.yaml'));

  it.each([
    ['every request at None (RKE2 default)', policy('rke2-default-cis.yaml')],
    ['Metadata, RequestReceived omitted', preset('cis-minimal')],
    ['Metadata plus a dropped field (kube-apiserver warns)', policy('suse-user-malformed-metadata.yaml')],
    ['not a policy (does not decode)', 'rules: [level: Metadata'],
    ['YAML flow style starting with { (kube-apiserver reads it as JSON: it does not decode)', '{apiVersion: audit.k8s.io/v1, kind: Policy, rules: [{level: Metadata}]}'],
  ])('%s', (_what, text) => {
    expect(fp(text)).not.toBe(metadata);
  });

  it('text that does not decode is told apart by its bytes', () => {
    expect(fp('rules: [a')).not.toBe(fp('rules: [b'));
  });
});

describe('presets and format', () => {
  it.each(PRESETS.map((p) => [p.id]))('%s as the tab writes it is named after the preset', (id) => {
    expect(presetOf(fp(preset(id)))).toBe(id);
  });

  it.each([
    ['abc', 'ba7816bf8f01'],
    ['', 'e3b0c44298fc'],
  ])('shortHash(%j) is the first 12 hex digits of its SHA-256', (text, want) => {
    expect(shortHash(text)).toBe(want);
  });

  it('a fingerprint is 12 lower-case hex digits', () => {
    expect(fp(RKE1_CUSTOM)).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('PolicyVerdicts', () => {
  it('reads each text once and lints each fingerprint once', () => {
    const verdicts = new PolicyVerdicts();
    const texts = [policy('k3s-hardening-guide-starter.yaml'), policy('rke1-default.yaml'), preset('rke1-default'), RKE1_CUSTOM, RKE1_CUSTOM, policy('k8s-docs-example.yaml')];
    const got = texts.map((t) => verdicts.of(t));

    expect(verdicts.lintRuns).toBe(3);
    expect(got.map((v) => [v.preset, v.findings])).toEqual([
      ['rke1-default', { error: 0, warning: 0 }],
      ['rke1-default', { error: 0, warning: 0 }],
      ['rke1-default', { error: 0, warning: 0 }],
      [null, { error: 0, warning: 5 }],
      [null, { error: 0, warning: 5 }],
      [null, { error: 1, warning: 0 }],
    ]);
  });
});
