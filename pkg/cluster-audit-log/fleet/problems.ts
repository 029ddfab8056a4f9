/**
 * The fleet problems: for each code its severity and its English message, built from the parameters only (the UI
 * translates the code with the same parameters). Errors are what keeps the policy from reaching kube-apiserver
 * or from being delivered to a cluster that reads it; `audit-policy report` exits 1 on a cluster with one.
 */
import { AUTHORIZED_ANNOTATION } from '../delivery/distro';
import { LOG_NUMBER_ARGS } from '../delivery/numbers';
import { objectTitle } from '../delivery/sharing';
import type { Severity } from '../policy/types';
import type { FleetProblem, ProblemId, ProblemParams } from './types';

const quote = (text: string): string => JSON.stringify(text);

type Rule<K extends ProblemId> = { severity: Severity, message: (p: ProblemParams[K]) => string };

const RULES: { [K in ProblemId]: Rule<K> } = {
  'not-authorized': {
    severity: 'error',
    message:  (p) => `${ objectTitle(p.kind, p.namespace, p.object) } is not authorized for this cluster: its annotation ${ AUTHORIZED_ANNOTATION } does not list ${ quote(p.cluster) }${ p.spaced.length ? ` (it lists ${ p.spaced.map(quote).join(', ') }, but Rancher compares names exactly)` : '' }, so Rancher does not deliver the policy file`,
  },
  'missing-object': {
    severity: 'error',
    message:  (p) => `${ objectTitle(p.kind, p.namespace, p.object) } was not found: Rancher cannot deliver the policy file`,
  },
  'missing-key': {
    severity: 'error',
    message:  (p) => `${ objectTitle(p.kind, p.namespace, p.object) } has no key ${ quote(p.key) }: Rancher cannot deliver the policy file`,
  },
  'stale-hash': {
    severity: 'error',
    message:  (p) => `the item's hash ${ p.got } does not match ${ objectTitle(p.kind, p.namespace, p.object) }'s ${ quote(p.key) } (${ p.want }): Rancher's planner refuses the file`,
  },
  'selector-excludes-control-plane': {
    severity: 'error',
    message:  (p) => `machineSelectorFiles[${ p.entry }]: ${ p.reason }: kube-apiserver runs on control-plane machines only, so it never gets the policy file`,
  },
  'path-collision': {
    severity: 'error',
    message:  (p) => `${ quote(p.path) } is also written by ${ p.writer }: one file overwrites the other`,
  },
  'external-policy': {
    severity: 'warning',
    message:  (p) => `audit-policy-file=${ quote(p.path) } is put on the nodes some other way: its policy cannot be read here`,
  },
  'rotation-below-cis': {
    severity: 'warning',
    message:  (p) => p.below.map((b) => (b.value === null ? `${ LOG_NUMBER_ARGS[b.field] } is not set: no limit, below the CIS minimum of ${ b.minimum }` : `${ LOG_NUMBER_ARGS[b.field] }=${ b.value } is below the CIS minimum of ${ b.minimum }`)).join('; '),
  },
  'authorized-unused': {
    severity: 'warning',
    message:  (p) => `authorizes ${ quote(p.cluster) }, but no item of that cluster reads it: the entry lets that cluster's plan read every key of it`,
  },
  'used-not-authorized': {
    severity: 'error',
    message:  (p) => `${ quote(p.cluster) } reads it but is not listed in ${ AUTHORIZED_ANNOTATION }: Rancher does not deliver it to that cluster`,
  },
  'spaced-entry': {
    severity: 'warning',
    message:  (p) => `${ AUTHORIZED_ANNOTATION } lists ${ quote(p.entry) }: Rancher compares names exactly, so this entry matches no cluster`,
  },
  'foreign-origin': {
    severity: 'info',
    message:  (p) => `not made by this extension (no ${ p.label }=${ p.value } label): the Audit Log tab never authorizes another cluster on it`,
  },
};

/** A problem with its severity and English message. */
export function problem<K extends ProblemId>(id: K, params: ProblemParams[K]): FleetProblem<K> {
  const rule = RULES[id] as Rule<K>;

  return {
    id, severity: rule.severity, params, message: rule.message(params)
  } as FleetProblem<K>;
}
