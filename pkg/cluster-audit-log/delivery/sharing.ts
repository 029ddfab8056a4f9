/**
 * What the plan may write into a shared Secret/ConfigMap, and what it may release, decided on the consumer model
 * (consumers.ts). The rules:
 * - never overwrite a key another item (of any cluster) reads, unless it already holds exactly this text;
 * - never add a cluster to the annotation of an object this extension did not make (that hands it every key);
 *   an entry equal to this cluster's name apart from spaces is a typo and is fixed to the exact name;
 * - release only what is unused: de-authorize when none of this cluster's items read the object any more,
 *   remove the policy key when no item reads it, delete only what this extension made and nobody uses.
 */
import { authorize, authorizedClusters, deauthorize } from './annotation';
import { clone } from './cluster';
import {
  freeName, originOf, otherConsumers, SharedObject, spacedEntries, stake, World
} from './consumers';
import { AUTHORIZED_ANNOTATION, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './distro';
import { KubeObject, ObjectChange, ObjectKind, Problem } from './types';

const KIND_LABEL: Record<ObjectKind, string> = { secret: 'Secret', configmap: 'ConfigMap' };

/** `Secret fleet-default/name`, as the messages name an object. */
export function objectTitle(kind: ObjectKind, namespace: string, name: string): string {
  return `${ KIND_LABEL[kind] } ${ namespace }/${ name }`;
}

function plural(n: number, word: string): string {
  return `${ n } ${ word }${ n === 1 ? '' : 's' }`;
}

/** The decision on writing the policy into `key` of a (possibly shared) object. */
export interface WriteVerdict {
  /** Set when the write must not happen; the message says what is at stake and offers `suggestedName`. */
  blocked: Problem | null;
  /** A name no object or consumer uses, offered in one click when blocked. */
  suggestedName: string | null;
  /** The annotation to write: this cluster added exactly once, a spaced entry for it fixed, others kept. */
  annotation: string;
  /** Not blocking, shown before Save (a fixed typo, other files this object delivers). */
  notes: Problem[];
}

/** Which file a write or release is about: the form field of the object's name, the base of a free name, and how messages call the file. */
export interface FileRole {
  field: string;
  base: string;
  noun: string;
}

/**
 * May this cluster write `content` (as stored: base64 for a Secret) into `key` of the object, delivered to
 * `path`? `shared` is the model with this cluster as planned; `role` says which file (the policy by default).
 */
export function checkWrite(world: World, shared: SharedObject, namespace: string, cluster: string, key: string, path: string, content: string, role?: FileRole): WriteVerdict {
  const { field, base, noun } = role ?? {
    field: 'file.name', base: `${ cluster }-audit-policy`, noun: 'policy'
  };
  const what = objectTitle(shared.kind, namespace, shared.name);
  const obj = shared.object;
  const annotationNow = obj?.metadata?.annotations?.[AUTHORIZED_ANNOTATION];
  const notes: Problem[] = [];
  const block = (message: string): WriteVerdict => {
    const suggestedName = freeName(world, shared.kind, base);

    return {
      blocked: {
        path: field, message: `${ message } Choose another name: "${ suggestedName }" is free.`, severity: 'error', suggestion: suggestedName
      },
      suggestedName,
      annotation: annotationNow ?? '',
      notes
    };
  };

  if (!obj) {
    const waiting = otherConsumers(shared, cluster, path);

    if (waiting.length) {
      const { clusters, files } = stake(waiting);

      return block(`${ what } does not exist, but ${ plural(clusters.length, 'cluster') } (${ clusters.join(', ') }) name it for ${ plural(files, 'file') }: creating it changes what Rancher delivers to them.`);
    }

    return {
      blocked: null, suggestedName: null, annotation: cluster, notes
    };
  }
  if (obj.immutable === true) {
    return block(`${ what } is immutable: Kubernetes refuses any change to its data or annotations.`);
  }
  const binary = (obj.binaryData || {}) as Record<string, string>;

  if (Object.prototype.hasOwnProperty.call(binary, key)) {
    return block(`${ what } holds "${ key }" in binaryData: writing it to data as well would give the key twice, which Kubernetes refuses.`);
  }
  const readers = otherConsumers(shared, cluster, path).filter((c) => c.key === key);
  const stored = obj.data?.[key];

  if (readers.length && stored !== content) {
    const { clusters, files } = stake(readers);

    return block(`${ what } is used by ${ plural(clusters.length, 'cluster') } (${ clusters.join(', ') }) for ${ plural(files, 'file') } from its key "${ key }": writing another ${ noun } there changes what they receive, and Rancher refuses their plan while its hash no longer matches.${ noun === 'policy' ? ' A policy several clusters share is changed on the Audit Log page of Cluster Management.' : '' }`);
  }
  const exact = shared.authorized.includes(cluster);
  const spaced = spacedEntries(shared, cluster);

  if (!exact && !spaced.length && shared.origin === 'foreign') {
    const keys = Object.keys(obj.data || {}).concat(Object.keys(binary));

    return block(`${ what } was not made by this extension and is not authorized for "${ cluster }": adding it to ${ AUTHORIZED_ANNOTATION } would hand this cluster every key of it (${ keys.length ? keys.map((k) => `"${ k }"`).join(', ') : 'none yet' }).`);
  }
  let annotation = annotationNow ?? '';

  if (!exact && spaced.length) {
    const fixed = shared.authorized.map((e) => (e !== cluster && e.trim() === cluster ? cluster : e));

    annotation = dedupeFirst(fixed, cluster).join(',');
    notes.push({
      path: field, message: `${ what } lists ${ spaced.map((e) => JSON.stringify(e)).join(', ') } in ${ AUTHORIZED_ANNOTATION }: Rancher compares names exactly, so "${ cluster }" is not authorized. Save fixes the entry to "${ cluster }" and keeps the others.`, severity: 'warning'
    });
  } else {
    annotation = authorize(annotationNow, cluster);
  }
  if (shared.origin === 'foreign' && obj.data?.[key] !== content) {
    notes.push({
      path: field, message: `${ what } was not made by this extension: Save writes the ${ noun } into its key "${ key }"${ obj.data?.[key] === undefined ? '' : ', replacing what that key holds now' }.`, severity: 'warning'
    });
  }
  const others = otherConsumers(shared, cluster, path).filter((c) => c.key !== key);

  if (others.length) {
    const { clusters, files } = stake(others);

    notes.push({
      path: field, message: `${ what } also delivers ${ plural(files, 'other file') } to ${ clusters.join(', ') }; they are kept as they are.`, severity: 'info'
    });
  }

  return {
    blocked: null, suggestedName: null, annotation, notes
  };
}

/** The entries with only the first occurrence of `cluster` kept (fixing " c" next to "c" must not list it twice). */
function dedupeFirst(entries: string[], cluster: string): string[] {
  const first = entries.indexOf(cluster);

  return entries.filter((e, i) => e !== cluster || i === first);
}

/**
 * The object as it must be once this cluster no longer reads `key` from it through the released item: the
 * annotation without this cluster when none of its items read the object, the key removed when no item reads
 * it, and deleted when this extension made it and no cluster is authorized or reads it. `shared` is the model
 * with this cluster as planned (the released item gone). Null when nothing changes.
 */
export function releaseChange(shared: SharedObject, namespace: string, cluster: string, key: string, noun = 'policy'): ObjectChange | null {
  const obj = shared.object;

  if (!obj) {
    return null;
  }
  const what = objectTitle(shared.kind, namespace, shared.name);
  const selfStillReads = shared.consumers.some((c) => c.cluster === cluster);
  const keyStillRead = shared.consumers.some((c) => c.key === key);
  const annotationNow = obj.metadata.annotations?.[AUTHORIZED_ANNOTATION];
  const annotation = selfStillReads ? (annotationNow ?? '') : deauthorize(annotationNow, cluster);
  const base = {
    phase: 'after' as const, kind: shared.kind, namespace, name: shared.name, before: obj, releasedKey: key, ...(noun === 'policy' ? {} : { releasedFile: noun })
  };

  if (!selfStillReads && shared.origin === 'extension' && annotation === '' && !shared.consumers.length) {
    return {
      ...base, action: 'delete', reason: `${ what } was created by this extension and no cluster is authorized for it or reads it any more`, after: null
    };
  }
  const after: KubeObject = clone(obj);
  const reasons: string[] = [];

  if (annotation !== (annotationNow ?? '')) {
    const annotations = { ...(after.metadata.annotations || {}) };

    if (annotation === '') {
      delete annotations[AUTHORIZED_ANNOTATION];
    } else {
      annotations[AUTHORIZED_ANNOTATION] = annotation;
    }
    after.metadata.annotations = annotations;
    reasons.push(`"${ cluster }" removed from ${ AUTHORIZED_ANNOTATION }`);
  }
  if (!keyStillRead && after.data && Object.prototype.hasOwnProperty.call(after.data, key)) {
    const data = { ...after.data };

    delete data[key];
    after.data = data;
    reasons.push(`its key "${ key }" removed (no cluster reads it)`);
  }
  if (!reasons.length) {
    return null;
  }
  const kept = shared.consumers.length ? `; it still delivers ${ plural(shared.consumers.length, 'file') } to ${ stake(shared.consumers).clusters.join(', ') }` : '';

  return {
    ...base, action: 'update', reason: `${ what } is no longer read by this cluster's ${ noun }: ${ reasons.join(', ') }${ kept }`, after
  };
}

/**
 * The Secret/ConfigMap as a write leaves it: `stored` (base64 for a Secret) at `key`, the annotation as decided; a
 * new one is labelled as made by this extension (only those are ever deleted by it).
 */
export function writtenObject(existing: KubeObject | null, kind: ObjectKind, namespace: string, name: string, key: string, stored: string, annotation: string): KubeObject {
  const base: KubeObject = existing ? clone(existing) : {
    apiVersion: 'v1',
    kind:       KIND_LABEL[kind],
    metadata:   {
      name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE }
    },
  };

  if (kind === 'secret' && !existing) {
    base.type = 'Opaque';
  }
  base.metadata.annotations = { ...(base.metadata.annotations || {}), [AUTHORIZED_ANNOTATION]: annotation };
  base.data = { ...(base.data || {}), [key]: stored };

  return base;
}

/** The model with a freshly fetched copy of the object (the after-save phase decides from the object as it is then). */
export function withFreshObject(shared: SharedObject, fresh: KubeObject | null): SharedObject {
  return {
    ...shared,
    object:     fresh,
    authorized: authorizedClusters(fresh?.metadata?.annotations?.[AUTHORIZED_ANNOTATION]),
    origin:     originOf(fresh),
  };
}
