/**
 * The policies table: every Secret/ConfigMap key that holds an audit policy (a key a cluster reads its policy
 * from, or one whose text names audit.k8s.io and Policy), with who may read the object (its annotation, as
 * Rancher's planner reads it) and who does (every machineSelectorFiles item naming the key), and the problems of
 * the object's sharing.
 */
import { SharedObject } from '../delivery/consumers';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../delivery/distro';
import { objectText } from '../delivery/objects';
import type { ObjectKind } from '../delivery/types';
import { WorldIndex } from './lookup';
import { problem } from './problems';
import type { FleetProblem, PolicyStatus } from './types';
import { PolicyVerdicts } from './verdicts';

/** A key a cluster reads its audit policy from. */
export interface PolicyRead {
  namespace: string;
  kind: ObjectKind;
  name: string;
  key: string;
}

const readKey = (r: PolicyRead): string => JSON.stringify([r.namespace, r.kind, r.name, r.key]);

/** Text that may be an audit policy (read only then: most Secrets of a namespace are not). */
export function looksLikePolicy(text: string): boolean {
  return text.includes('audit.k8s.io') && /\bPolicy\b/.test(text);
}

/** The sharing problems of an object: readers not authorized, entries with spaces, entries no reader uses, origin. */
export function sharingProblems(shared: SharedObject): FleetProblem[] {
  const readers = [...new Set(shared.consumers.map((c) => c.cluster))];
  const entries = [...new Set(shared.authorized)];
  const spaced = (entry: string) => /\s/.test(entry);

  return [
    ...readers.filter((c) => !shared.authorized.includes(c)).map((cluster) => problem('used-not-authorized', { cluster })),
    ...entries.filter(spaced).map((entry) => problem('spaced-entry', { entry })),
    ...entries.filter((e) => e !== '' && !spaced(e) && !readers.includes(e)).map((cluster) => problem('authorized-unused', { cluster })),
    ...(shared.origin === 'foreign' ? [problem('foreign-origin', { label: MANAGED_BY_LABEL, value: MANAGED_BY_VALUE })] : []),
  ];
}

/** One row per key holding a policy, objects in the world's order, keys in the object's order. */
export function policyStatuses(index: WorldIndex, reads: PolicyRead[], verdicts: PolicyVerdicts): PolicyStatus[] {
  const read = new Set(reads.map(readKey));
  const rows: PolicyStatus[] = [];

  for (const {
    namespace, kind, name, object
  } of index.placedObjects()) {
    let problems: FleetProblem[] | undefined;

    for (const key of Object.keys(object.data || {})) {
      const text = objectText(object, kind, key) as string;

      if (!read.has(readKey({
        namespace, kind, name, key
      })) && !looksLikePolicy(text)) {
        continue;
      }
      const shared = index.shared(namespace, kind, name);
      const { fingerprint, preset } = verdicts.of(text);

      problems ??= sharingProblems(shared);
      rows.push({
        kind,
        namespace,
        name,
        key,
        fingerprint,
        preset,
        authorized: shared.authorized,
        consumers:  shared.consumers.filter((c) => c.key === key).map((c) => ({ cluster: c.cluster, path: c.path })),
        problems,
      });
    }
  }

  return rows;
}
