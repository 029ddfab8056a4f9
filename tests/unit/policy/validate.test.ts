/**
 * ValidatePolicy cases from k8s.io/apiserver pkg/apis/audit/validation/validation_test.go, with the exact
 * field paths and messages kube-apiserver prints.
 */
import { Policy, PolicyRule, validatePolicy } from '@pkg/policy';

const DNS_MSG = 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')';

// validRules in validation_test.go
const validRules: [string, PolicyRule][] = [
  ['metadata only', { level: 'Metadata' }],
  ['matching non-humans', { level: 'None', userGroups: ['system:serviceaccounts', 'system:nodes'] }],
  ['specific request', {
    level: 'RequestResponse', verbs: ['get'], resources: [{ group: 'rbac.authorization.k8s.io', resources: ['roles', 'rolebindings'] }], namespaces: ['kube-system']
  }],
  ['some non-resource URLs', { level: 'Metadata', userGroups: ['developers'], nonResourceURLs: ['/logs*', '/healthz*', '/metrics', '*'] }],
  ['omit RequestReceived', { level: 'Metadata', omitStages: ['RequestReceived'] }],
  ['group "*" is allowed', { level: 'Metadata', resources: [{ group: '*', resources: ['*/status'] }] }],
  ['users, verbs and namespaces are not validated', { level: 'None', users: ['Any Thing!'], verbs: ['GET'], namespaces: ['Not_A_Namespace'] }],
];

// invalidRules in validation_test.go, each with what kube-apiserver reports.
const invalidRules: [string, PolicyRule, string[]][] = [
  ['empty rule (missing level)', {} as PolicyRule, ['rules[0].level: Required value']],
  ['missing level', { verbs: ['get'], resources: [{ resources: ['secrets'] }], namespaces: ['kube-system'] } as PolicyRule, ['rules[0].level: Required value']],
  ['invalid level', { level: 'FooBar' }, ['rules[0].level: Unsupported value: "FooBar": supported values: "None", "Metadata", "Request", "RequestResponse"']],
  ['nonResourceURLs + namespaces', { level: 'Metadata', namespaces: ['default'], nonResourceURLs: ['/logs*'] }, ['rules[0].nonResourceURLs: Invalid value: ["/logs*"]: rules cannot apply to both regular resources and non-resource URLs']],
  ['nonResourceURLs + resources', { level: 'Metadata', resources: [{ resources: ['secrets'] }], nonResourceURLs: ['/logs*'] }, ['rules[0].nonResourceURLs: Invalid value: ["/logs*"]: rules cannot apply to both regular resources and non-resource URLs']],
  ['invalid group name', { level: 'Metadata', resources: [{ group: 'rbac.authorization.k8s.io/v1beta1', resources: ['roles'] }] }, [`rules[0].resources.group: Invalid value: "rbac.authorization.k8s.io/v1beta1": ${ DNS_MSG }`]],
  ['group name too long', { level: 'Metadata', resources: [{ group: `${ 'a'.repeat(250) }.com` }] }, [`rules[0].resources.group: Invalid value: "${ 'a'.repeat(250) }.com": must be no more than 253 characters`]],
  ['invalid non-resource URL', { level: 'Metadata', nonResourceURLs: ['logs', '/healthz*'] }, ['rules[0].nonResourceURLs[0]: Invalid value: "logs": non-resource URL rules must begin with a \'/\' character']],
  ['empty non-resource URL', { level: 'Metadata', nonResourceURLs: ['', '/healthz*'] }, ['rules[0].nonResourceURLs[0]: Invalid value: "": non-resource URL rules must begin with a \'/\' character']],
  ['multiple "*"', { level: 'Metadata', nonResourceURLs: ['/logs/*/*', '/metrics'] }, ['rules[0].nonResourceURLs[0]: Invalid value: "/logs/*/*": non-resource URL wildcards \'*\' must be the final character of the rule']],
  ['"*" not at the end', { level: 'Metadata', nonResourceURLs: ['/logs/*.log', '/metrics'] }, ['rules[0].nonResourceURLs[0]: Invalid value: "/logs/*.log": non-resource URL wildcards \'*\' must be the final character of the rule']],
  ['no slash and inner "*"', { level: 'Metadata', nonResourceURLs: ['a*b'] }, [
    'rules[0].nonResourceURLs[0]: Invalid value: "a*b": non-resource URL rules must begin with a \'/\' character',
    'rules[0].nonResourceURLs[0]: Invalid value: "a*b": non-resource URL wildcards \'*\' must be the final character of the rule',
  ]],
  ['resourceNames without resources', {
    level: 'Metadata', verbs: ['get'], resources: [{ resourceNames: ['leader'] }], namespaces: ['kube-system']
  }, ['rules[0].resources.resourceNames: Invalid value: ["leader"]: using resourceNames requires at least one resource']],
  ['invalid omitStages in rule', { level: 'Metadata', omitStages: ['foo'] }, ['rules[0].omitStages[0]: Invalid value: "foo": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic']],
];

const text = (policy: Policy) => validatePolicy(policy).map((d) => `${ d.path }: ${ d.message }`);

describe('validatePolicy: valid (validation_test.go successCases)', () => {
  it.each(validRules)('%s', (_name, rule) => {
    expect(text({ rules: [rule] })).toEqual([]);
  });
  it('all valid rules together', () => {
    expect(text({ rules: validRules.map(([, r]) => r) })).toEqual([]);
  });
  it('empty policy is valid (0 rules is the loader\'s error, not validation\'s)', () => {
    expect(text({ rules: [] })).toEqual([]);
  });
  it('policy with omitStages', () => {
    expect(text({ rules: [], omitStages: ['RequestReceived'] })).toEqual([]);
  });
});

describe('validatePolicy: invalid (validation_test.go errorCases)', () => {
  it.each(invalidRules)('%s', (_name, rule, expected) => {
    expect(text({ rules: [rule] })).toEqual(expected);
  });
  it('multiple rules: the index of the bad one', () => {
    expect(text({ rules: [...validRules.map(([, r]) => r), {} as PolicyRule] })).toEqual([`rules[${ validRules.length }].level: Required value`]);
  });
  it('invalid omitStages in policy', () => {
    expect(text({ omitStages: ['foo'], rules: [{ level: 'Metadata' }] })).toEqual(['omitStages[0]: Invalid value: "foo": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic']);
  });
  it('identical errors are reported once (ErrorList.ToAggregate)', () => {
    const rule: PolicyRule = { level: 'Metadata', resources: [{ group: 'Bad', resources: ['x'] }, { group: 'Bad', resources: ['y'] }] };

    expect(text({ rules: [rule] })).toHaveLength(1);
  });
});
