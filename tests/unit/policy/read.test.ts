/**
 * The loader (reader.go LoadPolicyFromBytes) on hand-made inputs and on the real policies in
 * tests/fixtures/policies, whose expected outcome SOURCES.md records.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { policyToYaml, readPolicy } from '@pkg/policy';

const FIXTURES = join(__dirname, '../../fixtures/policies');
const V1 = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

type LoadCase = [name: string, text: string, loadable: boolean, errorContains: string | null, warningPaths: string[]];

const loadCases: LoadCase[] = [
  ['minimal policy', `${ V1 }rules:\n- level: Metadata\n`, true, null, []],
  ['JSON works too', '{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"None"}]}', true, null, []],
  ['kind may be omitted when apiVersion is v1', 'apiVersion: audit.k8s.io/v1\nrules:\n- level: Metadata\n', true, null, []],
  ['no apiVersion or kind (TestParsePolicyWithNoVersionOrKind)', 'rules:\n- level: Metadata\n', false, 'unknown group version field', []],
  ['v1beta1 was removed in 1.24', 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n', false, 'change apiVersion to audit.k8s.io/v1', []],
  ['v1alpha1 was removed in 1.24', 'apiVersion: audit.k8s.io/v1alpha1\nkind: Policy\nrules:\n- level: Metadata\n', false, 'no kind "Policy" is registered for version "audit.k8s.io/v1alpha1"', []],
  ['a Secret manifest instead of a policy', 'apiVersion: v1\nkind: Secret\ndata:\n  policy: YQ==\n', false, 'this is a Secret manifest', []],
  ['0 rules (TestPolicyCntCheck policyWithNoRule)', 'apiVersion: audit.k8s.io/v1\nkind: Policy', false, 'loaded illegal policy with 0 rules', []],
  ['empty file (TestPolicyCntCheck emptyPolicyFile)', '', false, 'unknown group version field', []],
  ['unknown field: lenient fallback (TestParsePolicyWithUnknownField)', `${ V1 }rules:\n- level: None\n  resources:\n  - group: coordination.k8s.io\n    resources:\n    - "leases"\n    verbs: ["watch", "get", "list"]\n`, true, null, ['rules[0].resources[0].verbs']],
  ['duplicate field: last value wins, with a warning', `${ V1 }rules:\n- level: None\n  level: Metadata\n`, true, null, ['rules[0].level']],
  ['field names are case-sensitive', `${ V1 }rules:\n- Level: Metadata\n`, false, 'rules[0].level: Required value', ['rules[0].Level']],
  ['YAML 1.1: yes is a boolean, not a user name', `${ V1 }rules:\n- level: Metadata\n  users: [yes]\n`, false, 'cannot unmarshal bool into Go struct field PolicyRule.rules.users of type string', []],
  ['a number where a string belongs', `${ V1 }rules:\n- level: Metadata\n  namespaces: [123]\n`, false, 'cannot unmarshal number', []],
  ['rules must be a list', `${ V1 }rules: everything\n`, false, 'cannot unmarshal string into Go struct field Policy.rules of type []v1.PolicyRule', []],
  ['a list at the top', '- level: Metadata\n', false, 'cannot unmarshal array into Go value', []],
  ['plain text', 'hello world\n', false, 'cannot unmarshal string into Go value', []],
  ['malformed YAML: line and column', `${ V1 }rules:\n- level: Metadata\n  users: [a\n  - b\n`, false, 'line 6, column 3', []],
  ['null values are absent values', `${ V1 }metadata:\n  creationTimestamp: null\nrules:\n- level: Metadata\n  users: ~\n`, true, null, []],
  ['validation runs after decoding', `${ V1 }rules:\n- level: Metadata\n  nonResourceURLs: [healthz]\n`, false, 'rules[0].nonResourceURLs[0]: Invalid value: "healthz"', []],
];

describe('readPolicy: the loader', () => {
  it.each(loadCases)('%s', (_name, text, loadable, errorContains, warningPaths) => {
    const got = readPolicy(text);
    const errors = got.errors.map((d) => `${ d.path }: ${ d.message }`).join('\n');

    expect(got.loadable).toBe(loadable);
    if (errorContains) {
      expect(errors).toContain(errorContains);
    } else {
      expect(errors).toBe('');
    }
    expect(got.warnings.map((w) => w.path)).toEqual(warningPaths);
  });

  it('duplicate fields keep the last value, as go-yaml does', () => {
    expect(readPolicy(`${ V1 }rules:\n- level: None\n  level: Metadata\n`).policy?.rules[0].level).toBe('Metadata');
  });

  it('reports positions for errors and warnings', () => {
    const got = readPolicy(`${ V1 }rules:\n- level: Metadata\n- level: Nope\n  foo: 1\n`);

    expect(got.errors[0]).toMatchObject({ path: 'rules[1].level', line: 5, column: 3 });
    expect(got.warnings[0]).toMatchObject({ path: 'rules[1].foo', line: 6, column: 3 });
    expect(got.positions['rules[1]']).toEqual({ line: 5, column: 3 });
  });

  it('a second YAML document is ignored, with a warning', () => {
    const got = readPolicy(`${ V1 }rules:\n- level: Metadata\n---\n${ V1 }rules:\n- level: None\n`);

    expect(got.policy?.rules).toEqual([{ level: 'Metadata' }]);
    expect(got.warnings[0].message).toContain('more than one YAML document');
  });
});

// tests/fixtures/policies/SOURCES.md, column "load".
const corpus: [file: string, loadable: boolean, warnings: string[]][] = [
  ['k8s-docs-example.yaml', true, []],
  ['gke-gce-configure-helper.yaml', true, []],
  ['rke1-default.yaml', true, []],
  ['rke2-default-cis.yaml', true, []],
  ['k3s-hardening-guide-starter.yaml', true, []],
  ['rancher-docs-rke2-machineglobalconfig-example.yaml', true, []],
  ['rancher-docs-secret-metadata.yaml', true, []],
  ['rancher-docs-rke1-custom-policy.yaml', true, []],
  ['sysdig-audit-policy-v2.yaml', true, []],
  ['falco-examples-audit-policy.yaml', false, []],
  ['datadog-docs-policy.yaml', true, ['rules[3].resources[0].verbs']],
  ['suse-user-malformed-metadata.yaml', true, ['creationTimestamp']],
];

describe('readPolicy: the real policies (SOURCES.md)', () => {
  it.each(corpus)('%s loads: %s', (file, loadable, warnings) => {
    const got = readPolicy(readFileSync(join(FIXTURES, file), 'utf8'));

    expect(got.loadable).toBe(loadable);
    expect(got.warnings.map((w) => w.path)).toEqual(warnings);
  });

  it.each(corpus)('%s round-trips read -> write -> read with nothing lost', (file) => {
    const first = readPolicy(readFileSync(join(FIXTURES, file), 'utf8'));
    const written = policyToYaml(first.policy!);
    const second = readPolicy(written);

    expect(second.warnings).toEqual([]);
    expect(second.loadable).toBe(first.loadable);
    expect(second.policy).toEqual(first.policy);
    expect(policyToYaml(second.policy!)).toBe(written);
  });

  it('datadog: the dropped verbs make the pods rule apply to every verb', () => {
    const got = readPolicy(readFileSync(join(FIXTURES, 'datadog-docs-policy.yaml'), 'utf8'));

    expect(got.policy?.rules[3]).toEqual({ level: 'RequestResponse', omitStages: ['RequestReceived'], resources: [{ group: '', resources: ['pods'] }] });
    expect(got.warnings[0].message).toContain('belongs to the rule, not to a resources entry');
  });
});

describe('policyToYaml', () => {
  it.each([
    ['strings YAML 1.1 would read as booleans are quoted', { users: ['on', 'yes', 'n'] }],
    ['strings that look like numbers are quoted', { namespaces: ['123', '1e3'] }],
    ['empty group and name strings survive', { resources: [{ group: '', resources: ['pods'], resourceNames: [''] }] }],
    ['colons and stars', { userGroups: ['system:nodes'], nonResourceURLs: ['/healthz*', '*'] }],
  ])('%s', (_name, extra) => {
    const policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata', ...extra }] };

    expect(readPolicy(policyToYaml(policy)).policy).toEqual(policy);
  });
});

describe('the fast and the precise YAML readers agree (YAML 1.1, as go-yaml v2 reads it)', () => {
  // [scalar as written, JSON type kube-apiserver sees]
  const scalars: [string, string][] = [
    ['yes', 'boolean'], ['No', 'boolean'], ['on', 'boolean'], ['OFF', 'boolean'], ['y', 'boolean'], ['n', 'boolean'], ['true', 'boolean'],
    ['~', 'null'], ['null', 'null'], ['', 'null'],
    ['123', 'number'], ['0x1F', 'number'], ['-5', 'number'], ['1.5', 'number'], ['.inf', 'number'],
    ['2001-12-14', 'string'], ['1:20', 'string'], ['system:nodes', 'string'], ['"yes"', 'string'], ["'123'", 'string'], ['Metadata', 'string'],
  ];

  it.each(scalars)('users: [%s] is a %s', (scalar, type) => {
    const text = `${ V1 }rules:\n- level: Metadata\n  users: [${ scalar }]\n`;
    const fast = readPolicy(text);
    const precise = readPolicy(text, { positions: true });
    const loadable = type === 'string' || type === 'null';

    expect(fast.loadable).toBe(loadable);
    expect(precise.loadable).toBe(loadable);
    expect(fast.policy).toEqual(precise.policy);
    expect(fast.errors.map((e) => e.message)).toEqual(precise.errors.map((e) => e.message));
  });

  it('merge keys work in both', () => {
    const text = `${ V1 }base: &b {level: Metadata}\nrules:\n- <<: *b\n  verbs: [get]\n`;

    expect(readPolicy(text).policy?.rules).toEqual([{ level: 'Metadata', verbs: ['get'] }]);
    expect(readPolicy(text, { positions: true }).policy?.rules).toEqual([{ level: 'Metadata', verbs: ['get'] }]);
  });
});
