/**
 * Policy -> YAML text, with fields in the order of the Go types (as kubectl and Rancher print them) and
 * lists of names in flow style. Written as YAML 1.1 so a string such as "on" or "yes" is quoted and reads back
 * as a string on the node.
 */
import { Document, isScalar, isSeq, visit } from 'yaml';
import {
  AUDIT_API_VERSION, GroupResources, Policy, POLICY_KIND, PolicyRule
} from './types';

const RULE_ORDER: (keyof PolicyRule)[] = ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields'];
const GROUP_ORDER: (keyof GroupResources)[] = ['group', 'resources', 'resourceNames'];

function ordered<T extends object>(obj: T, order: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};

  for (const key of order) {
    const value = obj[key];

    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      out[key] = value;
    }
  }

  return out;
}

/** A canonical copy of a rule: known fields only, in Go field order, empty lists dropped, `group` always set. */
export function normalizeRule(rule: PolicyRule): PolicyRule {
  const r = ordered(rule, RULE_ORDER) as PolicyRule;

  if (rule.resources?.length) {
    r.resources = rule.resources.map((gr) => ({ group: '', ...ordered(gr, GROUP_ORDER) }));
  }

  return r;
}

/**
 * A canonical copy of a policy: known fields only, in Go field order, empty lists dropped. Each rule goes
 * through `rule` (normalizeRule; a caller may pass a remembering version of it).
 */
export function normalizePolicy(policy: Policy, rule: (r: PolicyRule) => PolicyRule = normalizeRule): Policy {
  const out: Policy = {
    apiVersion: policy.apiVersion ?? AUDIT_API_VERSION,
    kind:       policy.kind ?? POLICY_KIND,
  } as Policy;

  if (policy.metadata && Object.keys(policy.metadata).length) {
    out.metadata = policy.metadata;
  }
  out.rules = (policy.rules || []).map((r) => rule(r));
  if (policy.omitStages?.length) {
    out.omitStages = policy.omitStages;
  }
  if (policy.omitManagedFields !== undefined) {
    out.omitManagedFields = policy.omitManagedFields;
  }

  return out;
}

/** Serialises a policy to the YAML text the extension writes to the nodes. */
export function policyToYaml(policy: Policy): string {
  const doc = new Document(normalizePolicy(policy), { version: '1.1' });

  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) {
        node.flow = true;
      }
    },
    Pair(_, pair) {
      if (isSeq(pair.value) && !pair.value.flow) {
        pair.value.spaceBefore = false;
      }
    }
  });

  return doc.toString({
    indentSeq: true, lineWidth: 0, flowCollectionPadding: false, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN'
  });
}
