/**
 * Drift: the clusters whose policy differs from a baseline (a preset, or the policy a Secret/ConfigMap key holds),
 * told apart by fingerprint (fingerprint.ts: layout and comments do not count), and for each one a rule-level
 * diff against the baseline: rules only the baseline has, rules only the cluster has, and the policy-wide fields
 * (omitStages, omitManagedFields) that differ.
 */
import { clusterRef } from '../delivery/cluster';
import { detectDistro } from '../delivery/distro';
import { findObject, objectText } from '../delivery/objects';
import { readSettings } from '../delivery/settings';
import type { KubeObject } from '../delivery/types';
import { readPolicy } from '../policy/read';
import { presetPolicy } from '../policy/presets';
import type { Policy, PolicyRule } from '../policy/types';
import { normalizePolicy, policyToYaml } from '../policy/write';
import { diffSequences, DiffOp } from './diff';
import { rowKey } from './rows';
import type { FleetStatus, FleetWorld, PolicyStatus } from './types';
import { PolicyVerdicts } from './verdicts';

/** What the fleet is compared with. */
export type Baseline =
  | { kind: 'preset', id: string }
  | { kind: 'shared', policy: Pick<PolicyStatus, 'namespace' | 'kind' | 'name' | 'key'> };

/** same: the baseline's policy; differs: another one; no-policy: audit off, or a policy that cannot be read here. */
export type DriftState = 'same' | 'differs' | 'no-policy';

/** The policy-wide fields compared besides the rules. */
export const POLICY_FIELDS = ['omitStages', 'omitManagedFields'] as const;

/** A rule-level diff of a cluster's policy against the baseline. */
export type RuleDiff =
  | { ok: true, rules: DiffOp<PolicyRule>[], fields: { field: typeof POLICY_FIELDS[number], baseline: string, cluster: string }[] }
  | { ok: false, reason: 'undecodable' };

/** The policy text of a baseline, or null when the world no longer holds it. */
export function baselineText(baseline: Baseline, world: FleetWorld): string | null {
  if (baseline.kind === 'preset') {
    const policy = presetPolicy(baseline.id);

    return policy ? policyToYaml(policy) : null;
  }

  return keyText(world, baseline.policy);
}

/** The text a Secret/ConfigMap key of the world holds, or null when the object or the key is missing. */
export function keyText(world: FleetWorld, ref: Pick<PolicyStatus, 'namespace' | 'kind' | 'name' | 'key'>): string | null {
  const object = world.objects.find((o) => clusterRef(o).namespace === ref.namespace && findObject([o], ref.kind, ref.name));

  return objectText(object, ref.kind, ref.key) ?? null;
}

/**
 * The policy a cluster's kube-apiserver is given, as text: the inline policy, RKE1's block, or the delivering
 * Secret/ConfigMap key; null when audit logging is off, the policy is external, or the object or key is missing.
 */
export function policyTextOf(cluster: KubeObject, objects: KubeObject[]): string | null {
  const distro = detectDistro(cluster);

  if (!distro) {
    return null;
  }
  const { settings, current } = readSettings(cluster, objects, distro);

  if (!settings.enabled || settings.external !== undefined) {
    return null;
  }
  if (current.object) {
    return objectText(findObject(objects, current.object.kind, current.object.name), current.object.kind, current.object.key) ?? null;
  }

  return distro === 'rke1' || current.method === 'inline' ? settings.policyYaml : null;
}

/** Each cluster row's drift state against the baseline's fingerprint, by row key. */
export function driftStates(status: FleetStatus, fingerprint: string): Map<string, DriftState> {
  return new Map(status.clusters.map((c) => [rowKey(c), c.fingerprint === null ? 'no-policy' : c.fingerprint === fingerprint ? 'same' : 'differs']));
}

/** The fingerprint the model gives the baseline's text. */
export function baselineFingerprint(text: string, verdicts = new PolicyVerdicts()): string {
  return verdicts.of(text).fingerprint;
}

const fieldText = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));

/** The rules and policy-wide fields of a policy as kube-apiserver decodes it, or null when it does not decode. */
function decoded(text: string): Policy | null {
  const { policy } = readPolicy(text);

  return policy ? normalizePolicy(policy) : null;
}

/** The rule-level diff of `cluster` against `baseline` (policy texts): removed = only in the baseline, added = only in the cluster's. */
export function ruleDiff(baseline: string, cluster: string): RuleDiff {
  const a = decoded(baseline);
  const b = decoded(cluster);

  if (!a || !b) {
    return { ok: false, reason: 'undecodable' };
  }

  return {
    ok:     true,
    rules:  diffSequences(a.rules, b.rules, (rule) => JSON.stringify(rule)),
    fields: POLICY_FIELDS.filter((f) => fieldText(a[f]) !== fieldText(b[f])).map((field) => ({
      field, baseline: fieldText(a[field]), cluster: fieldText(b[field])
    })),
  };
}
