/**
 * The policy checker, mirroring k8s.io/apiserver pkg/audit/policy/checker.go: rules in order, first match
 * wins, no match is level None with the policy's omitStages; a rule's omitStages are the union with the
 * policy's; a rule's omitManagedFields overrides the policy's.
 */
import {
  isStage, Level, Policy, PolicyRule, RequestAttributes, RequestAuditConfig, Stage
} from './types';

function has(list: string[] | undefined, value: string): boolean {
  return !!list && list.includes(value);
}

/** pathMatches: "*", exact, or a prefix ending in "*" (every trailing "*" trimmed, as strings.TrimRight does). */
export function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) {
    return true;
  }

  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function ruleMatchesNonResource(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (attrs.resourceRequest) {
    return false;
  }

  return (rule.nonResourceURLs || []).some((spec) => pathMatches(attrs.path, spec));
}

function ruleMatchesResource(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!attrs.resourceRequest) {
    return false;
  }
  if (rule.namespaces?.length && !has(rule.namespaces, attrs.namespace)) {
    return false;
  }
  if (!rule.resources?.length) {
    return true;
  }
  const { resource, subresource, name } = attrs;
  const combined = subresource ? `${ resource }/${ subresource }` : resource;

  for (const gr of rule.resources) {
    const group = gr.group || '';

    if (group !== attrs.apiGroup && group !== '*') {
      continue;
    }
    if (!gr.resources?.length) {
      return true;
    }
    if (gr.resourceNames?.length && !has(gr.resourceNames, name)) {
      continue;
    }
    for (const res of gr.resources) {
      if (res === combined || res === '*') {
        return true;
      }
      if (subresource && res.startsWith('*/') && subresource === res.slice(2)) {
        return true;
      }
      if (res.endsWith('/*') && resource === res.slice(0, -2)) {
        return true;
      }
    }
  }

  return false;
}

/** ruleMatches: true when every field the rule sets matches the request. */
export function ruleMatches(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (rule.users?.length && (attrs.user === null || !has(rule.users, attrs.user))) {
    return false;
  }
  if (rule.userGroups?.length && (attrs.user === null || !attrs.groups.some((g) => has(rule.userGroups, g)))) {
    return false;
  }
  if (rule.verbs?.length && !has(rule.verbs, attrs.verb)) {
    return false;
  }
  if (rule.namespaces?.length || rule.resources?.length) {
    return ruleMatchesResource(rule, attrs);
  }
  if (rule.nonResourceURLs?.length) {
    return ruleMatchesNonResource(rule, attrs);
  }

  return true;
}

function unionStages(...lists: (string[] | undefined)[]): Stage[] {
  const set = new Set<Stage>();

  for (const list of lists) {
    for (const s of list || []) {
      if (isStage(s)) {
        set.add(s);
      }
    }
  }

  return [...set];
}

/** A policy prepared for many requests: stage unions computed once, as NewPolicyRuleEvaluator does. */
export interface Evaluator {
  evaluate(attrs: RequestAttributes): RequestAuditConfig;
}

type Matcher = (attrs: RequestAttributes) => boolean;

const optionalSet = (list: string[] | undefined): Set<string> | null => (list?.length ? new Set(list) : null);

/**
 * Compiles ruleMatches for one rule: the same checks in the same order, with lists turned into Sets once.
 * Equivalent to ruleMatches (tests/unit/policy/evaluate.test.ts runs both over the same table).
 */
export function compileRule(rule: PolicyRule): Matcher {
  const users = optionalSet(rule.users);
  const groups = optionalSet(rule.userGroups);
  const verbs = optionalSet(rule.verbs);
  const namespaces = optionalSet(rule.namespaces);
  const resourceRule = !!(rule.namespaces?.length || rule.resources?.length);
  const nonResource = !resourceRule && !!rule.nonResourceURLs?.length;
  const resourcesRule: PolicyRule = { level: rule.level, resources: rule.resources };
  const urls = rule.nonResourceURLs || [];

  return (attrs) => {
    if (users && (attrs.user === null || !users.has(attrs.user))) {
      return false;
    }
    if (groups) {
      if (attrs.user === null) {
        return false;
      }
      let found = false;

      for (const g of attrs.groups) {
        if (groups.has(g)) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    if (verbs && !verbs.has(attrs.verb)) {
      return false;
    }
    if (resourceRule) {
      if (!attrs.resourceRequest || (namespaces && !namespaces.has(attrs.namespace))) {
        return false;
      }

      return !resourcesRule.resources?.length || ruleMatchesResource(resourcesRule, attrs);
    }
    if (nonResource) {
      return !attrs.resourceRequest && urls.some((spec) => pathMatches(attrs.path, spec));
    }

    return true;
  };
}

/** Builds an evaluator for a (validated) policy. */
export function newEvaluator(policy: Policy): Evaluator {
  const rules = policy.rules || [];
  const matchers = rules.map(compileRule);
  const stages = rules.map((r) => unionStages(policy.omitStages, r.omitStages));
  const policyStages = unionStages(policy.omitStages);
  const policyOmit = !!policy.omitManagedFields;

  return {
    evaluate(attrs: RequestAttributes): RequestAuditConfig {
      for (let i = 0; i < matchers.length; i++) {
        if (matchers[i](attrs)) {
          const rule = rules[i];

          return {
            level:             rule.level as Level,
            omitStages:        stages[i],
            omitManagedFields: rule.omitManagedFields ?? policyOmit,
            rule:              i,
          };
        }
      }

      return {
        level: 'None', omitStages: policyStages, omitManagedFields: policyOmit, rule: null
      };
    }
  };
}

/**
 * Evaluates one request against a policy (see newEvaluator for many): the rules in order with ruleMatches, up to the
 * first that matches, so nothing is compiled for a single request.
 */
export function evaluatePolicy(policy: Policy, attrs: RequestAttributes): RequestAuditConfig {
  const rules = policy.rules || [];
  const policyOmit = !!policy.omitManagedFields;

  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];

    if (ruleMatches(rule, attrs)) {
      return {
        level: rule.level as Level, omitStages: unionStages(policy.omitStages, rule.omitStages), omitManagedFields: rule.omitManagedFields ?? policyOmit, rule: i
      };
    }
  }

  return {
    level: 'None', omitStages: unionStages(policy.omitStages), omitManagedFields: policyOmit, rule: null
  };
}

/** The fields of an audit.k8s.io Event this module reads. */
export interface AuditEventLike {
  verb?: string;
  requestURI?: string;
  user?: { username?: string, groups?: string[] } | null;
  objectRef?: {
    resource?: string, subresource?: string, namespace?: string, name?: string, apiGroup?: string, apiVersion?: string
  } | null;
  stage?: string;
  [key: string]: unknown;
}

/** Fills in attributes omitted from a request line: no user means "no user", everything else "". */
export function toAttributes(input: Partial<RequestAttributes>): RequestAttributes {
  return {
    user:            input.user ?? null,
    groups:          input.groups ?? [],
    verb:            input.verb ?? '',
    namespace:       input.namespace ?? '',
    apiGroup:        input.apiGroup ?? '',
    apiVersion:      input.apiVersion ?? '',
    resource:        input.resource ?? '',
    subresource:     input.subresource ?? '',
    name:            input.name ?? '',
    path:            input.path ?? '',
    resourceRequest: input.resourceRequest ?? !!input.resource,
  };
}

/**
 * Derives the checker's attributes from a real audit Event: the authenticated user (the audit filter runs
 * before impersonation), the verb, objectRef for resource requests and the request URI's path otherwise.
 */
export function attributesFromEvent(event: AuditEventLike): RequestAttributes {
  const ref = event.objectRef;
  const uri = event.requestURI || '';
  const q = uri.indexOf('?');

  return {
    user:            event.user?.username ?? null,
    groups:          event.user?.groups ?? [],
    verb:            event.verb || '',
    namespace:       ref?.namespace || '',
    apiGroup:        ref?.apiGroup || '',
    apiVersion:      ref?.apiVersion || '',
    resource:        ref?.resource || '',
    subresource:     ref?.subresource || '',
    name:            ref?.name || '',
    path:            q >= 0 ? uri.slice(0, q) : uri,
    resourceRequest: !!ref,
  };
}

/** True when a JSON object looks like an audit Event rather than request attributes. */
export function isAuditEvent(value: Record<string, unknown>): boolean {
  return value.kind === 'Event' || 'auditID' in value || 'requestURI' in value || 'objectRef' in value || 'stage' in value;
}
