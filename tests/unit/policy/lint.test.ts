/** Lint findings: one line per case, policy rules in, finding ids and paths out. */
import {
  lintPolicy, LINT_IDS, PolicyRule, readPolicy, ruleCovers
} from '@pkg/policy';
import { policyToYaml } from '@pkg/policy/write';

const lint = (rules: PolicyRule[]) => lintPolicy(readPolicy(policyToYaml({ rules })))
  .map((f) => `${ f.severity } ${ f.id } ${ f.path }`);

const CATCH_ALL: PolicyRule = { level: 'Metadata' };
const SECRETS_META: PolicyRule = { level: 'Metadata', resources: [{ resources: ['secrets', 'configmaps'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] };

type LintCase = [name: string, rules: PolicyRule[], findings: string[]];

const cases: LintCase[] = [
  ['a catch-all at Metadata is clean', [CATCH_ALL], []],
  ['everything at RequestResponse logs Secret, ConfigMap and TokenReview bodies', [{ level: 'RequestResponse' }], [
    'error sensitive-body rules[0].level', 'error sensitive-body rules[0].level', 'error sensitive-body rules[0].level',
  ]],
  ['sensitive resources at Metadata first make a body catch-all safe', [SECRETS_META, { level: 'RequestResponse' }], []],
  ['secrets at Request', [{ level: 'Request', resources: [{ resources: ['secrets'] }] }, CATCH_ALL], ['error sensitive-body rules[0].level']],
  ['a namespace-limited Metadata rule does not protect the rest', [
    { level: 'Metadata', namespaces: ['kube-system'], resources: [{ resources: ['secrets'] }] },
    { level: 'Request', resources: [{ resources: ['secrets'] }] }, CATCH_ALL,
  ], ['error sensitive-body rules[1].level']],
  ['group "*" with resources "*" reaches tokenreviews', [{ level: 'Metadata', resources: [{ resources: ['secrets', 'configmaps'] }] }, { level: 'RequestResponse', resources: [{ group: '*', resources: ['*'] }] }, CATCH_ALL], ['error sensitive-body rules[1].level']],
  ['Request level for reads logs no body', [{ level: 'Request', verbs: ['get', 'list', 'watch', 'deletecollection'] }, CATCH_ALL], []],
  ['Request level for writes logs the body', [{ level: 'Request', verbs: ['create'], resources: [{ resources: ['configmaps'] }] }, CATCH_ALL], ['error sensitive-body rules[0].level']],
  ['secrets in another group are not Secrets', [{ level: 'RequestResponse', resources: [{ group: 'example.com', resources: ['secrets'] }] }, CATCH_ALL], []],
  ['shadowed: a catch-all before a specific rule', [CATCH_ALL, { level: 'None', resources: [{ resources: ['events'] }] }], ['warning shadowed-rule rules[1]', 'warning no-catch-all rules[1]']],
  ['shadowed: same resources, fewer restrictions first', [
    { level: 'None', resources: [{ resources: ['events'] }] },
    { level: 'Metadata', verbs: ['get'], namespaces: ['default'], resources: [{ resources: ['events'] }] }, CATCH_ALL,
  ], ['warning shadowed-rule rules[1]']],
  ['shadowed: "pods/*" covers "pods/log" and "pods"', [
    { level: 'Metadata', resources: [{ resources: ['pods/*'] }] },
    { level: 'None', resources: [{ resources: ['pods', 'pods/log'] }] }, CATCH_ALL,
  ], ['warning shadowed-rule rules[1]']],
  ['shadowed: a URL prefix covers a longer path', [{ level: 'None', nonResourceURLs: ['/healthz*'] }, { level: 'Metadata', nonResourceURLs: ['/healthz/etcd'] }, CATCH_ALL], ['warning shadowed-rule rules[1]']],
  ['not shadowed: the earlier rule names users', [{ level: 'None', users: ['a'] }, { level: 'Metadata', resources: [{ resources: ['pods'] }] }, CATCH_ALL], []],
  ['not shadowed: core group vs apps', [{ level: 'None', resources: [{ resources: ['deployments'] }] }, { level: 'Metadata', resources: [{ group: 'apps', resources: ['deployments'] }] }, CATCH_ALL], []],
  ['not shadowed: resourceNames narrow the earlier rule', [
    { level: 'None', resources: [{ resources: ['configmaps'], resourceNames: ['leader'] }] },
    { level: 'Metadata', resources: [{ resources: ['configmaps'] }] }, CATCH_ALL,
  ], []],
  ['not shadowed: resource rule vs non-resource rule', [{ level: 'None', namespaces: ['a'] }, { level: 'None', nonResourceURLs: ['/x'] }, CATCH_ALL], []],
  ['no catch-all at the end', [{ level: 'Metadata', resources: [{ group: '*' }] }], ['warning no-catch-all rules[0]']],
  ['CIS 3.2.2: exec and friends at None', [{ level: 'None', resources: [{ resources: ['pods/exec', 'pods/portforward', 'pods/proxy', 'services/proxy'] }] }, CATCH_ALL], [
    'warning cis-3.2.2-coverage rules[0]', 'warning cis-3.2.2-coverage rules[0]', 'warning cis-3.2.2-coverage rules[0]', 'warning cis-3.2.2-coverage rules[0]',
  ]],
  ['CIS 3.2.2: nothing matches them', [{ level: 'Metadata', resources: [{ resources: ['secrets'] }] }], [
    'warning no-catch-all rules[0]', 'warning cis-3.2.2-coverage rules', 'warning cis-3.2.2-coverage rules', 'warning cis-3.2.2-coverage rules', 'warning cis-3.2.2-coverage rules',
  ]],
];

describe('lintPolicy', () => {
  it.each(cases)('%s', (_name, rules, findings) => {
    expect(lint(rules)).toEqual(findings);
  });

  it('dropped fields and load errors come through from read', () => {
    const got = lintPolicy(readPolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  resources:\n  - resources: [pods]\n    verbs: [get]\n- level: Metadata\n'));

    expect(got.map((f) => `${ f.id } ${ f.path }`)).toEqual([`${ LINT_IDS.droppedField } rules[0].resources[0].verbs`]);
    expect(lintPolicy(readPolicy('rules: []')).map((f) => `${ f.id } ${ f.message }`)).toEqual([
      expect.stringMatching(/^load-error unknown group version field/), 'load-error loaded illegal policy with 0 rules',
    ]);
  });

  it('findings carry the source line of their rule when read with positions', () => {
    const got = lintPolicy(readPolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n- level: None\n  verbs: [get]\n', { positions: true }));

    expect(got[0]).toMatchObject({ id: LINT_IDS.shadowed, line: 5 });
  });
});

describe('ruleCovers (the shadow relation)', () => {
  it.each([
    [{ level: 'None' }, { level: 'None', users: ['a'] }, true],
    [{ level: 'None', users: ['a'] }, { level: 'None' }, false],
    [{ level: 'None', users: ['a', 'b'] }, { level: 'None', users: ['a'] }, true],
    [{ level: 'None', verbs: ['get'] }, { level: 'None', verbs: ['get', 'list'] }, false],
    [{ level: 'None', resources: [{ group: '*', resources: ['*'] }] }, { level: 'None', namespaces: ['x'] }, true],
    [{ level: 'None', resources: [{ resources: ['*/status'] }] }, { level: 'None', resources: [{ resources: ['pods/status'] }] }, true],
    [{ level: 'None', resources: [{ resources: ['*/status'] }] }, { level: 'None', resources: [{ resources: ['pods'] }] }, false],
    [{ level: 'None', nonResourceURLs: ['*'] }, { level: 'None', nonResourceURLs: ['/a', '/b*'] }, true],
    [{ level: 'None', nonResourceURLs: ['/a*'] }, { level: 'None', nonResourceURLs: ['/b'] }, false],
  ] as [PolicyRule, PolicyRule, boolean][])('%j covers %j: %s', (earlier, later, expected) => {
    expect(ruleCovers(earlier, later)).toBe(expected);
  });
});
