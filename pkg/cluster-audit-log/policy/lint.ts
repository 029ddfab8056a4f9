/**
 * Advice on a policy kube-apiserver would load: what it logs that it should not, rules that can never
 * match, and gaps against the CIS Kubernetes Benchmark 3.2.2. Load errors are validate.ts's and read.ts's.
 */
import { newEvaluator, toAttributes } from './evaluate';
import { policyMessage } from './messages';
import { LoadResult } from './read';
import {
  compareLevels, Finding, GroupResources, isLevel, Policy, PolicyRule
} from './types';

export const LINT_IDS = {
  sensitiveBody: 'sensitive-body',
  shadowed:      'shadowed-rule',
  noCatchAll:    'no-catch-all',
  droppedField:  'dropped-field',
  cisCoverage:   'cis-3.2.2-coverage',
  loadError:     'load-error',
} as const;

/**
 * Resources whose request or response bodies carry secrets or tokens: CIS 3.2.2 wants them at Metadata. What each
 * one's bodies hold is said by the lint.sensitiveBody message (messages.ts), chosen by the resource.
 */
export const SENSITIVE_RESOURCES: { group: string, resource: string }[] = [
  { group: '', resource: 'secrets' },
  { group: '', resource: 'configmaps' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews' },
];

/** Requests CIS 3.2.2 asks to be audited (at Metadata or above). */
export const CIS_COVERAGE: { resource: string, subresource: string, verb: string }[] = [
  {
    resource: 'pods', subresource: 'exec', verb: 'create'
  },
  {
    resource: 'pods', subresource: 'portforward', verb: 'create'
  },
  {
    resource: 'pods', subresource: 'proxy', verb: 'get'
  },
  {
    resource: 'services', subresource: 'proxy', verb: 'get'
  },
];

const isEmpty = (list?: unknown[]) => !list || list.length === 0;

/** a ⊆ b, where an empty b means "any" and an empty a means "any" too (so only an empty b covers it). */
function listCovers(outer: string[] | undefined, inner: string[] | undefined): boolean {
  if (isEmpty(outer)) {
    return true;
  }
  if (isEmpty(inner)) {
    return false;
  }

  return (inner as string[]).every((v) => (outer as string[]).includes(v));
}

/** Does resource pattern `outer` match every request that resource pattern `inner` matches? */
function resourcePatternCovers(outer: string, inner: string): boolean {
  if (outer === '*' || outer === inner) {
    return true;
  }
  if (outer.endsWith('/*')) {
    const base = outer.slice(0, -2);

    return inner === base || (inner.startsWith(`${ base }/`) && !inner.startsWith('*'));
  }
  if (outer.startsWith('*/')) {
    return inner.includes('/') && !inner.startsWith('*/') && !inner.endsWith('/*') && inner.endsWith(outer.slice(1));
  }

  return false;
}

function groupCovers(outer: GroupResources, innerGroup: string): boolean {
  const og = outer.group || '';

  return og === '*' || (og === innerGroup && innerGroup !== '*');
}

/** Does some entry of `outer` match every request the (group, resource pattern, names) triple matches? */
function entriesCover(outer: GroupResources[], group: string, resource: string | null, names: string[] | undefined): boolean {
  return outer.some((o) => {
    if (!groupCovers(o, group)) {
      return false;
    }
    if (isEmpty(o.resources)) {
      return true;
    }
    if (!listCovers(o.resourceNames, names)) {
      return false;
    }

    return (o.resources as string[]).some((p) => (resource === null ? p === '*' : resourcePatternCovers(p, resource)));
  });
}

function resourcesCover(outer: GroupResources[] | undefined, inner: GroupResources[] | undefined): boolean {
  if (isEmpty(outer)) {
    return true;
  }
  const o = outer as GroupResources[];

  if (isEmpty(inner)) {
    return entriesCover(o, '*', null, undefined);
  }

  return (inner as GroupResources[]).every((e) => {
    const group = e.group || '';

    if (isEmpty(e.resources)) {
      return entriesCover(o, group, null, undefined);
    }

    return (e.resources as string[]).every((r) => entriesCover(o, group, r, e.resourceNames));
  });
}

function urlsCover(outer: string[], inner: string[]): boolean {
  return inner.every((u) => outer.some((o) => o === '*' || o === u || (o.endsWith('*') && u.startsWith(o.replace(/\*+$/, '')) && u !== '*')));
}

type Scope = 'all' | 'resource' | 'nonResource';

function scopeOf(rule: PolicyRule): Scope {
  if (!isEmpty(rule.namespaces) || !isEmpty(rule.resources)) {
    return 'resource';
  }

  return isEmpty(rule.nonResourceURLs) ? 'all' : 'nonResource';
}

/** True when every request `later` matches is matched by `earlier` (so `later` never wins). */
export function ruleCovers(earlier: PolicyRule, later: PolicyRule): boolean {
  if (!listCovers(earlier.users, later.users) || !listCovers(earlier.userGroups, later.userGroups) || !listCovers(earlier.verbs, later.verbs)) {
    return false;
  }
  const se = scopeOf(earlier);
  const sl = scopeOf(later);

  if (se === 'all') {
    return true;
  }
  if (se !== sl) {
    return false;
  }
  if (se === 'nonResource') {
    return urlsCover(earlier.nonResourceURLs as string[], later.nonResourceURLs as string[]);
  }

  return listCovers(earlier.namespaces, later.namespaces) && resourcesCover(earlier.resources, later.resources);
}

/** Could this rule match some request for the given group/resource (any verb, user, namespace, name)? */
function ruleMayMatchResource(rule: PolicyRule, group: string, resource: string): boolean {
  const scope = scopeOf(rule);

  if (scope !== 'resource') {
    return scope === 'all';
  }
  if (isEmpty(rule.resources)) {
    return true;
  }

  return (rule.resources as GroupResources[]).some((gr) => {
    const g = gr.group || '';

    if (g !== '*' && g !== group) {
      return false;
    }

    return isEmpty(gr.resources) || (gr.resources as string[]).some((r) => r === '*' || r === resource || r === `${ resource }/*`);
  });
}

/** Does this rule match every request for the resource (no user, verb, namespace or name restriction)? */
function ruleMatchesAllOf(rule: PolicyRule, group: string, resource: string): boolean {
  if (!isEmpty(rule.users) || !isEmpty(rule.userGroups) || !isEmpty(rule.verbs) || !isEmpty(rule.namespaces)) {
    return false;
  }
  if (scopeOf(rule) === 'all') {
    return true;
  }
  if (scopeOf(rule) !== 'resource') {
    return false;
  }

  return resourcesCover(rule.resources, [{ group, resources: [resource] }]);
}

function isCatchAll(rule: PolicyRule): boolean {
  return scopeOf(rule) === 'all' && isEmpty(rule.users) && isEmpty(rule.userGroups) && isEmpty(rule.verbs);
}

/** Verbs whose request carries the object: at level Request only these write a body into the log. */
const WRITE_VERBS = ['create', 'update', 'patch'];

/** Would this rule write a request or response body of a matching request into the log? */
function logsBodies(rule: PolicyRule): boolean {
  if (!isLevel(rule.level) || compareLevels(rule.level, 'Metadata') <= 0) {
    return false;
  }

  return rule.level === 'RequestResponse' || isEmpty(rule.verbs) || (rule.verbs as string[]).some((v) => WRITE_VERBS.includes(v));
}

function lintSensitive(policy: Policy): Finding[] {
  const findings: Finding[] = [];

  for (const s of SENSITIVE_RESOURCES) {
    for (let i = 0; i < policy.rules.length; i++) {
      const rule = policy.rules[i];

      if (!ruleMayMatchResource(rule, s.group, s.resource)) {
        continue;
      }
      if (logsBodies(rule)) {
        const what = s.group ? `${ s.resource }.${ s.group }` : s.resource;

        findings.push({
          id:       LINT_IDS.sensitiveBody,
          severity: 'error',
          path:     `rules[${ i }].level`,
          ...policyMessage('lint.sensitiveBody', {
            rule: `rules[${ i }]`, what, level: String(rule.level), resource: s.resource
          }),
        });
      }
      if (ruleMatchesAllOf(rule, s.group, s.resource)) {
        break;
      }
    }
  }

  return findings;
}

/**
 * A cheap necessary condition for ruleCovers, so a 1,000-rule policy is not compared pair by pair in full:
 * an earlier rule whose resources are all exact names can only cover a later rule naming one of them.
 */
interface Shape {
  exact: Set<string> | null;
  firstKey: string | null;
  scope: Scope;
  /** Bit 1: names users, 2: user groups, 4: verbs, 8: namespaces. */
  limits: number;
}

function shapeOf(rule: PolicyRule): Shape {
  const entries = rule.resources || [];
  const wild = !entries.length || entries.some((e) => (e.group || '') === '*' || isEmpty(e.resources) || (e.resources as string[]).some((r) => r.includes('*')));
  const keys = entries.flatMap((e) => (e.resources || []).map((r) => `${ e.group || '' }/${ r }`));

  const limits = (isEmpty(rule.users) ? 0 : 1) | (isEmpty(rule.userGroups) ? 0 : 2) | (isEmpty(rule.verbs) ? 0 : 4) | (isEmpty(rule.namespaces) ? 0 : 8);

  return {
    exact: wild ? null : new Set(keys), firstKey: entries.length && !isEmpty(entries[0].resources) ? keys[0] : null, scope: scopeOf(rule), limits
  };
}

function lintShadowed(policy: Policy): Finding[] {
  const findings: Finding[] = [];
  const rules = policy.rules;
  const shapes = rules.map(shapeOf);

  for (let j = 1; j < rules.length; j++) {
    const later = shapes[j];

    for (let i = 0; i < j; i++) {
      const earlier = shapes[i];

      // An earlier rule limited where the later one is not (users, groups, verbs, namespaces) cannot cover it.
      if ((earlier.limits & ~later.limits) !== 0 || (earlier.scope !== 'all' && earlier.scope !== later.scope)) {
        continue;
      }
      if (earlier.exact && later.firstKey !== null && !earlier.exact.has(later.firstKey)) {
        continue;
      }
      if (ruleCovers(rules[i], rules[j])) {
        findings.push({
          id:       LINT_IDS.shadowed,
          severity: 'warning',
          path:     `rules[${ j }]`,
          ...policyMessage('lint.shadowed', { rule: `rules[${ j }]`, earlier: `rules[${ i }]` }),
        });
        break;
      }
    }
  }

  return findings;
}

function lintCatchAll(policy: Policy): Finding[] {
  const last = policy.rules[policy.rules.length - 1];

  if (!last || isCatchAll(last)) {
    return [];
  }

  return [{
    id:       LINT_IDS.noCatchAll,
    severity: 'warning',
    path:     `rules[${ policy.rules.length - 1 }]`,
    ...policyMessage('lint.noCatchAll'),
  }];
}

function lintCoverage(policy: Policy): Finding[] {
  const evaluator = newEvaluator(policy);

  return CIS_COVERAGE.flatMap((c) => {
    const config = evaluator.evaluate(toAttributes({
      user: 'cis-probe', groups: ['system:authenticated'], verb: c.verb, namespace: 'default', resource: c.resource, subresource: c.subresource, name: 'probe', apiVersion: 'v1', resourceRequest: true
    }));

    if (config.level !== 'None') {
      return [];
    }
    const request = `${ c.resource }/${ c.subresource }`;

    return [{
      id:       LINT_IDS.cisCoverage,
      severity: 'warning' as const,
      path:     config.rule === null ? 'rules' : `rules[${ config.rule }]`,
      ...(config.rule === null ? policyMessage('lint.cisNoRule', { request }) : policyMessage('lint.cisAtNone', { request, rule: `rules[${ config.rule }]` })),
    }];
  });
}

/**
 * Lints a loaded policy. Dropped fields and load errors from `read` are included, so one call gives the
 * whole picture; findings carry source positions when `read` knew them.
 */
export function lintPolicy(loaded: LoadResult): Finding[] {
  const findings: Finding[] = [
    ...loaded.errors.map((d) => ({
      id: LINT_IDS.loadError, severity: 'error' as const, ...d
    })),
    ...loaded.warnings.map((d) => ({
      id: LINT_IDS.droppedField, severity: 'warning' as const, ...d
    })),
  ];
  const policy = loaded.policy;

  if (!policy || !loaded.loadable) {
    return findings;
  }
  const ruleFindings = [
    ...lintSensitive(policy),
    ...lintShadowed(policy),
    ...lintCatchAll(policy),
    ...lintCoverage(policy),
  ].map((f) => ({ ...f, ...(loaded.positions[f.path] || loaded.positions[f.path.replace(/\.level$/, '')] || {}) }));

  return [...findings, ...ruleFindings];
}
