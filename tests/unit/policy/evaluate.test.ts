/**
 * The checker's truth table, ported from k8s.io/apiserver pkg/audit/policy/checker_test.go (same named
 * requests, same named rules, same expected levels), plus the traps checker.go's matching rules set for policy authors.
 */
import {
  attributesFromEvent, compileRule, evaluatePolicy, Level, newEvaluator, Policy, PolicyRule, RequestAttributes, ruleMatches, Stage, toAttributes
} from '@pkg/policy';

const tim = { user: 'tim@k8s.io', groups: ['humans', 'developers'] };

const attrs: Record<string, RequestAttributes> = {
  namespaced: toAttributes({
    ...tim, verb: 'get', namespace: 'default', apiGroup: '', apiVersion: 'v1', resource: 'pods', name: 'busybox', resourceRequest: true, path: '/api/v1/namespaces/default/pods/busybox'
  }),
  cluster: toAttributes({
    ...tim, verb: 'get', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1beta1', resource: 'clusterroles', name: 'edit', resourceRequest: true, path: '/apis/rbac.authorization.k8s.io/v1beta1/clusterroles/edit'
  }),
  nonResource: toAttributes({
    ...tim, verb: 'get', resourceRequest: false, path: '/logs/kubelet.log'
  }),
  subresource: toAttributes({
    ...tim, verb: 'get', namespace: 'default', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: 'log', name: 'busybox', resourceRequest: true, path: '/api/v1/namespaces/default/pods/busybox'
  }),
  Unauthorized: toAttributes({
    user: null, verb: 'get', namespace: 'default', apiGroup: '', apiVersion: 'v1', resource: 'pods', name: 'busybox', resourceRequest: true, path: '/api/v1/namespaces/default/pods/busybox'
  }),
  ClusterRoleUpdate: toAttributes({
    ...tim, verb: 'update', apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1beta1', resource: 'clusterroles', subresource: 'status', name: 'somerole', resourceRequest: true, path: '/apis/rbac.authorization.k8s.io/v1beta1/clusterroles/somerole'
  }),
  listSecrets: toAttributes({
    ...tim, verb: 'list', namespace: 'default', resource: 'secrets', apiVersion: 'v1', resourceRequest: true
  }),
  appsDeployments: toAttributes({
    ...tim, verb: 'get', namespace: 'default', apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', name: 'web', resourceRequest: true
  }),
  nodesCluster: toAttributes({
    ...tim, verb: 'get', namespace: '', resource: 'nodes', name: 'n1', apiVersion: 'v1', resourceRequest: true
  }),
  healthz: toAttributes({
    ...tim, verb: 'get', path: '/healthz/etcd', resourceRequest: false
  }),
};

const rules: Record<string, PolicyRule> = {
  default:                           { level: 'Metadata' },
  create:                            { level: 'Request', verbs: ['create'] },
  tims:                              { level: 'Metadata', users: ['tim@k8s.io'] },
  humans:                            { level: 'Metadata', userGroups: ['humans'] },
  serviceAccounts:                   { level: 'Request', userGroups: ['system:serviceaccounts'] },
  getPods:                           { level: 'RequestResponse', verbs: ['get'], resources: [{ resources: ['pods'] }] },
  getPodLogs:                        { level: 'Request', verbs: ['get'], resources: [{ resources: ['pods/log'] }] },
  getPodWildcardMatching:            { level: 'Request', verbs: ['get'], resources: [{ resources: ['*'] }] },
  getPodResourceWildcardMatching:    { level: 'Request', verbs: ['get'], resources: [{ resources: ['*/log'] }] },
  getPodSubResourceWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ resources: ['pods/*'] }] },
  getClusterRoles:                   {
    level: 'RequestResponse', verbs: ['get'], resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'] }], namespaces: ['']
  },
  getGroupWildCardMatchingWithSubresourceWildcardMatching: { level: 'RequestResponse', verbs: ['update'], resources: [{ group: '*', resources: ['*/status'] }] },
  getLogs:                                                 { level: 'RequestResponse', verbs: ['get'], nonResourceURLs: ['/logs*'] },
  getMetrics:                                              { level: 'Request', verbs: ['get'], nonResourceURLs: ['/metrics'] },
  clusterRoleEdit:                                         { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], resourceNames: ['edit'] }] },
  'omit RequestReceived':                                  { level: 'Request', omitStages: ['RequestReceived'] },
  'only audit panic':                                      { level: 'Request', omitStages: ['RequestReceived', 'ResponseStarted', 'ResponseComplete'] },
  // Extra fixtures for the traps of checker.go's matching rules.
  secretsNamed:                                            { level: 'None', resources: [{ resources: ['secrets'], resourceNames: ['s1'] }] },
  anyGroupDeployments:                                     { level: 'Request', resources: [{ group: '*', resources: ['deployments'] }] },
  coreOnlyDeployments:                                     { level: 'Request', resources: [{ resources: ['deployments'] }] },
  wholeAppsGroup:                                          { level: 'RequestResponse', resources: [{ group: 'apps' }] },
  clusterScoped:                                           { level: 'Request', namespaces: [''] },
  defaultNamespace:                                        { level: 'Request', namespaces: ['default'] },
  healthzPrefix:                                           { level: 'None', nonResourceURLs: ['/healthz*'] },
  healthzExact:                                            { level: 'None', nonResourceURLs: ['/healthz'] },
  anyNonResource:                                          { level: 'None', nonResourceURLs: ['*'] },
};

type Case = [request: string, level: Level, ruleNames: string[]];

// testAuditLevel in checker_test.go, one line per `test(...)` call.
const checkerCases: Case[] = [
  ['namespaced', 'Metadata', ['default']],
  ['namespaced', 'None', ['create']],
  ['namespaced', 'Metadata', ['tims']],
  ['namespaced', 'Metadata', ['humans']],
  ['namespaced', 'None', ['serviceAccounts']],
  ['namespaced', 'RequestResponse', ['getPods']],
  ['namespaced', 'None', ['getClusterRoles']],
  ['namespaced', 'None', ['getLogs']],
  ['namespaced', 'None', ['getMetrics']],
  ['namespaced', 'Metadata', ['getMetrics', 'serviceAccounts', 'default']],
  ['namespaced', 'RequestResponse', ['getMetrics', 'getPods', 'default']],
  ['namespaced', 'RequestResponse', ['getPodLogs', 'getPods']],
  ['cluster', 'Metadata', ['default']],
  ['cluster', 'None', ['create']],
  ['cluster', 'Metadata', ['tims']],
  ['cluster', 'Metadata', ['humans']],
  ['cluster', 'None', ['serviceAccounts']],
  ['cluster', 'None', ['getPods']],
  ['cluster', 'RequestResponse', ['getClusterRoles']],
  ['cluster', 'Request', ['clusterRoleEdit', 'getClusterRoles']],
  ['cluster', 'None', ['getLogs']],
  ['cluster', 'None', ['getMetrics']],
  ['cluster', 'Metadata', ['getMetrics', 'serviceAccounts', 'default']],
  ['cluster', 'RequestResponse', ['getMetrics', 'getClusterRoles', 'default']],
  ['cluster', 'None', ['getPodLogs', 'getPods']],
  ['nonResource', 'Metadata', ['default']],
  ['nonResource', 'None', ['create']],
  ['nonResource', 'Metadata', ['tims']],
  ['nonResource', 'Metadata', ['humans']],
  ['nonResource', 'None', ['serviceAccounts']],
  ['nonResource', 'None', ['getPods']],
  ['nonResource', 'None', ['getClusterRoles']],
  ['nonResource', 'RequestResponse', ['getLogs']],
  ['nonResource', 'None', ['getMetrics']],
  ['nonResource', 'Metadata', ['getMetrics', 'serviceAccounts', 'default']],
  ['nonResource', 'RequestResponse', ['getLogs', 'getClusterRoles', 'default']],
  ['nonResource', 'None', ['getPodLogs', 'getPods']],
  ['subresource', 'Request', ['getPodLogs', 'getPods']],
  ['subresource', 'Request', ['getPodWildcardMatching']],
  ['subresource', 'Request', ['getPodResourceWildcardMatching']],
  ['subresource', 'Request', ['getPodSubResourceWildcardMatching']],
  ['Unauthorized', 'None', ['tims']],
  ['Unauthorized', 'Metadata', ['tims', 'default']],
  ['Unauthorized', 'None', ['humans']],
  ['Unauthorized', 'Metadata', ['humans', 'default']],
  ['ClusterRoleUpdate', 'RequestResponse', ['getGroupWildCardMatchingWithSubresourceWildcardMatching']],
];

// Matching forms beyond checker_test.go, each read off checker.go.
const extraCases: Case[] = [
  // "res/*" also matches the bare resource (checker.go ruleMatchesResource: "res/*" matches the resource and its subresources).
  ['namespaced', 'Request', ['getPodSubResourceWildcardMatching']],
  // "*/sub" needs a subresource.
  ['namespaced', 'None', ['getPodResourceWildcardMatching']],
  // "*" matches a bare resource too.
  ['namespaced', 'Request', ['getPodWildcardMatching']],
  // resourceNames never match a request without a name (list).
  ['listSecrets', 'Metadata', ['secretsNamed', 'default']],
  // An omitted group is the core group only (checker.go: an empty group is the core API group, not every group).
  ['appsDeployments', 'None', ['coreOnlyDeployments']],
  ['appsDeployments', 'Request', ['anyGroupDeployments']],
  // An entry without resources matches the whole group.
  ['appsDeployments', 'RequestResponse', ['wholeAppsGroup']],
  ['namespaced', 'None', ['wholeAppsGroup']],
  // "" namespace = cluster-scoped; namespaces make the rule resource-only.
  ['nodesCluster', 'Request', ['clusterScoped']],
  ['namespaced', 'None', ['clusterScoped']],
  ['namespaced', 'Request', ['defaultNamespace']],
  ['nonResource', 'None', ['defaultNamespace']],
  // nonResourceURLs: trailing "*" is a prefix, exact otherwise, "*" is everything; never a resource request.
  ['healthz', 'None', ['healthzPrefix', 'default']],
  ['healthz', 'Metadata', ['healthzExact', 'default']],
  ['nonResource', 'None', ['anyNonResource', 'default']],
  ['namespaced', 'Metadata', ['anyNonResource', 'default']],
  // No rule: None.
  ['namespaced', 'None', []],
];

function policyOf(ruleNames: string[], omitStages?: Stage[]): Policy {
  return { rules: ruleNames.map((n) => rules[n]), omitStages };
}

describe('evaluate: checker_test.go testAuditLevel', () => {
  for (const stages of [undefined, ['RequestReceived', 'ResponseStarted'] as Stage[]]) {
    it.each(checkerCases)(`%s -> %s with rules %j (policy omitStages ${ stages })`, (req, level, names) => {
      const got = evaluatePolicy(policyOf(names, stages), attrs[req]);

      expect(got.level).toBe(level);
      expect([...got.omitStages].sort()).toEqual([...(stages || [])].sort());
      // one request (rules matched one by one) and many (rules compiled once) give the same answer
      expect(newEvaluator(policyOf(names, stages)).evaluate(attrs[req])).toEqual(got);
    });
  }
});

describe('evaluate: further matching forms', () => {
  it.each(extraCases)('%s -> %s with rules %j', (req, level, names) => {
    expect(evaluatePolicy(policyOf(names), attrs[req]).level).toBe(level);
  });
});

describe('evaluate: omitStages union (TestChecker / TestCheckerPolicyOmitStages)', () => {
  const RR: Stage = 'RequestReceived';
  const RS: Stage = 'ResponseStarted';
  const RC: Stage = 'ResponseComplete';

  it.each([
    ['namespaced', undefined, 'Request', [RR], ['omit RequestReceived', 'getPods', 'default']],
    ['namespaced', undefined, 'Request', [RR, RS, RC], ['only audit panic', 'getPods', 'default']],
    ['nonResource', undefined, 'Request', [RR], ['omit RequestReceived', 'getPods', 'default']],
    ['namespaced', [RR, RS], 'Request', [RR, RS], ['omit RequestReceived', 'getPods', 'default']],
    ['namespaced', [RR, RS], 'Request', [RR, RS, RC], ['only audit panic', 'getPods', 'default']],
    ['nonResource', [RR, RS], 'Metadata', [RR, RS], ['default', 'omit RequestReceived', 'getPods']],
  ] as [string, Stage[] | undefined, Level, Stage[], string[]][])('%s, policy %j -> %s omitting %j', (req, policyStages, level, expected, names) => {
    const got = evaluatePolicy(policyOf(names, policyStages), attrs[req]);

    expect(got.level).toBe(level);
    expect([...got.omitStages].sort()).toEqual([...expected].sort());
  });
});

describe('evaluate: omitManagedFields (isOmitManagedFields)', () => {
  it.each([
    [undefined, undefined, false],
    [true, undefined, true],
    [true, false, false],
    [false, true, true],
    [undefined, true, true],
  ])('policy %s, rule %s -> %s', (policyValue, ruleValue, expected) => {
    const policy: Policy = { omitManagedFields: policyValue, rules: [{ level: 'Metadata', omitManagedFields: ruleValue }] };

    expect(evaluatePolicy(policy, attrs.namespaced).omitManagedFields).toBe(expected);
  });

  it('no match keeps the policy default and reports rule null', () => {
    expect(evaluatePolicy({ omitManagedFields: true, rules: [rules.create] }, attrs.namespaced)).toEqual({
      level: 'None', omitStages: [], omitManagedFields: true, rule: null
    });
  });
});

describe('evaluate: attributes from a real audit Event', () => {
  it.each([
    ['resource request with query string', {
      verb: 'watch', requestURI: '/api/v1/namespaces/kube-system/configmaps?watch=true', user: { username: 'system:node:n1' }, objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'c', apiVersion: 'v1' }
    }, {
      user: 'system:node:n1', groups: [], verb: 'watch', namespace: 'kube-system', resource: 'configmaps', name: 'c', resourceRequest: true, path: '/api/v1/namespaces/kube-system/configmaps'
    }],
    ['non-resource request (no objectRef)', { verb: 'get', requestURI: '/readyz?verbose', user: { username: 'u', groups: ['g'] } }, {
      user: 'u', groups: ['g'], verb: 'get', resource: '', resourceRequest: false, path: '/readyz'
    }],
    ['subresource in another group', {
      verb:       'update', requestURI: '/apis/apps/v1/namespaces/d/deployments/x/scale', user:       { username: 'u' }, objectRef:  {
        resource: 'deployments', subresource: 'scale', apiGroup: 'apps', apiVersion: 'v1', namespace: 'd', name: 'x'
      }
    }, {
      apiGroup: 'apps', resource: 'deployments', subresource: 'scale', resourceRequest: true
    }],
    ['no user at all', { verb: 'get', requestURI: '/version' }, { user: null, groups: [] }],
  ])('%s', (_name, event, expected) => {
    expect(attributesFromEvent(event)).toEqual(expect.objectContaining(expected));
  });
});

describe('compileRule is ruleMatches, precompiled', () => {
  it('agrees with ruleMatches on every named rule x every named request', () => {
    for (const [ruleName, rule] of Object.entries(rules)) {
      for (const [reqName, req] of Object.entries(attrs)) {
        expect({ ruleName, reqName, matches: compileRule(rule)(req) }).toEqual({ ruleName, reqName, matches: ruleMatches(rule, req) });
      }
    }
  });
});
