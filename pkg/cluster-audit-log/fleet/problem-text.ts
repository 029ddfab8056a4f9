/**
 * The fleet problems in the page's words: the translation key of each problem code and the ICU arguments built
 * from its parameters (lists joined, names quoted as problems.ts quotes them). The page translates; this module
 * picks what goes in.
 */
import { LOG_NUMBER_ARGS } from '../delivery/numbers';
import { objectTitle } from '../delivery/sharing';
import type { FleetProblem, ProblemId } from './types';

/** The translation key of each problem code. */
export const PROBLEM_KEYS: Record<ProblemId, string> = {
  'not-authorized':                  'clusterAuditLog.fleet.problem.not-authorized',
  'missing-object':                  'clusterAuditLog.fleet.problem.missing-object',
  'missing-key':                     'clusterAuditLog.fleet.problem.missing-key',
  'stale-hash':                      'clusterAuditLog.fleet.problem.stale-hash',
  'selector-excludes-control-plane': 'clusterAuditLog.fleet.problem.selector-excludes-control-plane',
  'path-collision':                  'clusterAuditLog.fleet.problem.path-collision',
  'external-policy':                 'clusterAuditLog.fleet.problem.external-policy',
  'rotation-below-cis':              'clusterAuditLog.fleet.problem.rotation-below-cis',
  'authorized-unused':               'clusterAuditLog.fleet.problem.authorized-unused',
  'used-not-authorized':             'clusterAuditLog.fleet.problem.used-not-authorized',
  'spaced-entry':                    'clusterAuditLog.fleet.problem.spaced-entry',
  'foreign-origin':                  'clusterAuditLog.fleet.problem.foreign-origin',
};

const quote = (text: string): string => JSON.stringify(text);

/** The arguments of a problem's message. */
export function problemArgs(p: FleetProblem): Record<string, string | number> {
  switch (p.id) {
  case 'not-authorized':
    return {
      object: objectTitle(p.params.kind, p.params.namespace, p.params.object), cluster: quote(p.params.cluster), spaced: p.params.spaced.map(quote).join(', '), spacedCount: p.params.spaced.length
    };
  case 'missing-object':
    return { object: objectTitle(p.params.kind, p.params.namespace, p.params.object) };
  case 'missing-key':
  case 'stale-hash':
    return { object: objectTitle(p.params.kind, p.params.namespace, p.params.object), key: quote(p.params.key) };
  case 'selector-excludes-control-plane':
    return { entry: p.params.entry, reason: p.params.reason };
  case 'path-collision':
    return { path: quote(p.params.path), writer: p.params.writer };
  case 'external-policy':
    return { path: quote(p.params.path) };
  case 'rotation-below-cis':
    return { below: p.params.below.map((b) => `${ LOG_NUMBER_ARGS[b.field] }=${ b.value ?? '-' } (${ b.minimum })`).join(', ') };
  case 'authorized-unused':
  case 'used-not-authorized':
    return { cluster: quote(p.params.cluster) };
  case 'spaced-entry':
    return { entry: quote(p.params.entry) };
  case 'foreign-origin':
    return { label: `${ p.params.label }=${ p.params.value }` };
  }
}
