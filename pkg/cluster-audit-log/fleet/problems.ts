/**
 * The fleet problems: for each code its severity, and its message as a code of this layer's English catalog
 * (`fleet.<id>`) with parameters built from the problem's own: the page translates the message
 * (`clusterAuditLog.msg.fleet.<id>`), `audit-policy report` prints the English made here from the same code.
 * Errors are what keeps the policy from reaching kube-apiserver or from being delivered to a cluster that reads
 * it; `audit-policy report` exits 1 on a cluster with one.
 */
import { AUTHORIZED_ANNOTATION } from '../delivery/distro';
import { DELIVERY_MESSAGES } from '../delivery/messages';
import { LOG_NUMBER_ARGS } from '../delivery/numbers';
import { objectTitle } from '../delivery/sharing';
import {
  Catalog, formatMessage, Message, MessageParams, POLICY_MESSAGES
} from '../policy/messages';
import type { Severity } from '../policy/types';
import type { FleetProblem, ProblemId, ProblemParams } from './types';

/** The English catalog of fleet/: one message per problem code, and the parts of rotation-below-cis. */
export const FLEET_MESSAGES = {
  'fleet.not-authorized':                  '{object} is not authorized for this cluster: its annotation {annotation} does not list {cluster}{spacedCount, plural, =0 {} other { (it lists {spaced}, but Rancher compares names exactly)}}, so Rancher does not deliver the policy file',
  'fleet.missing-object':                  '{object} was not found: Rancher cannot deliver the policy file',
  'fleet.missing-key':                     '{object} has no key {key}: Rancher cannot deliver the policy file',
  'fleet.stale-hash':                      'the item\'s hash {got} does not match {object}\'s {key} ({want}): Rancher\'s planner refuses the file',
  'fleet.selector-excludes-control-plane': 'machineSelectorFiles[{entry}]: {reason}: kube-apiserver runs on control-plane machines only, so it never gets the policy file',
  'fleet.path-collision':                  '{path} is also written by {writer}: one file overwrites the other',
  'fleet.external-policy':                 'audit-policy-file={path} is put on the nodes some other way: its policy cannot be read here',
  'fleet.rotation-below-cis':              '{below}',
  'fleet.rotationNotSet':                  '{arg} is not set: no limit, below the CIS minimum of {minimum}',
  'fleet.rotationBelow':                   '{arg}={value} is below the CIS minimum of {minimum}',
  'fleet.no-log-file':                     'no audit log file (audit-log-path is not set, or set empty): the events go to the audit webhook only, and the CIS Benchmark checks for a log file kept at least {maxAge} days, {maxBackup} files, {maxSize} MB',
  'fleet.authorized-unused':               'authorizes {cluster}, but no item of that cluster reads it: the entry lets that cluster\'s plan read every key of it',
  'fleet.used-not-authorized':             '{cluster} reads it but is not listed in {annotation}: Rancher does not deliver it to that cluster',
  'fleet.spaced-entry':                    '{annotation} lists {entry}: Rancher compares names exactly, so this entry matches no cluster',
  'fleet.foreign-origin':                  'not made by this extension (no {label}={value} label): the Audit Log tab never authorizes another cluster on it',
} as const satisfies Catalog;

/** The catalogs a fleet message may draw on: a reason or a writer is a delivery message. */
const CATALOG: Catalog = {
  ...POLICY_MESSAGES, ...DELIVERY_MESSAGES, ...FLEET_MESSAGES
};

const SEVERITY: Record<ProblemId, Severity> = {
  'not-authorized':                  'error',
  'missing-object':                  'error',
  'missing-key':                     'error',
  'stale-hash':                      'error',
  'selector-excludes-control-plane': 'error',
  'path-collision':                  'error',
  'external-policy':                 'warning',
  'rotation-below-cis':              'warning',
  'no-log-file':                     'warning',
  'authorized-unused':               'warning',
  'used-not-authorized':             'error',
  'spaced-entry':                    'warning',
  'foreign-origin':                  'info',
};

const quote = (text: string): string => JSON.stringify(text);

/** The parameters of each problem's message, from the problem's own (names quoted, objects titled, lists joined). */
const ARGS: { [K in ProblemId]: (p: ProblemParams[K]) => MessageParams } = {
  'not-authorized': (p) => ({
    object: objectTitle(p.kind, p.namespace, p.object), annotation: AUTHORIZED_ANNOTATION, cluster: quote(p.cluster), spaced: p.spaced.map(quote).join(', '), spacedCount: p.spaced.length
  }),
  'missing-object': (p) => ({ object: objectTitle(p.kind, p.namespace, p.object) }),
  'missing-key':    (p) => ({ object: objectTitle(p.kind, p.namespace, p.object), key: quote(p.key) }),
  'stale-hash':     (p) => ({
    object: objectTitle(p.kind, p.namespace, p.object), key: quote(p.key), got: p.got, want: p.want
  }),
  'selector-excludes-control-plane': (p) => ({ entry: String(p.entry), reason: p.reason }),
  'path-collision':                  (p) => ({ path: quote(p.path), writer: p.writer }),
  'external-policy':                 (p) => ({ path: quote(p.path) }),
  'rotation-below-cis':              (p) => ({
    below: p.below.map((b): Message => (b.value === null ? { code: 'fleet.rotationNotSet', params: { arg: LOG_NUMBER_ARGS[b.field], minimum: b.minimum } } : {
      code:   'fleet.rotationBelow',
      params: {
        arg: LOG_NUMBER_ARGS[b.field], value: b.value, minimum: b.minimum
      }
    }))
  }),
  'no-log-file': (p) => ({
    maxAge: p.maxAge, maxBackup: p.maxBackup, maxSize: p.maxSize
  }),
  'authorized-unused':   (p) => ({ cluster: quote(p.cluster) }),
  'used-not-authorized': (p) => ({ cluster: quote(p.cluster), annotation: AUTHORIZED_ANNOTATION }),
  'spaced-entry':        (p) => ({ entry: quote(p.entry), annotation: AUTHORIZED_ANNOTATION }),
  'foreign-origin':      (p) => ({ label: p.label, value: p.value }),
};

/** A problem's message: code `fleet.<id>` and its parameters (the page translates it). */
export function problemMessage(p: Pick<FleetProblem, 'id' | 'params'>): Message {
  return { code: `fleet.${ p.id }`, params: (ARGS[p.id] as (params: FleetProblem['params']) => MessageParams)(p.params) };
}

/** The English text of a fleet message (of this catalog, with delivery messages nested). */
export function fleetText(message: Message): string {
  return formatMessage(message, CATALOG);
}

/** A problem with its severity and English message. */
export function problem<K extends ProblemId>(id: K, params: ProblemParams[K]): FleetProblem<K> {
  return {
    id, severity: SEVERITY[id], params, message: fleetText(problemMessage({ id, params } as Pick<FleetProblem, 'id' | 'params'>))
  } as FleetProblem<K>;
}
