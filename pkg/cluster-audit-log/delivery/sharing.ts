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
import type { Message } from '../policy/messages';
import { coded, DeliveredFile, deliveryMessage, problem } from './messages';
import { KubeObject, ObjectChange, ObjectKind, Problem } from './types';

const KIND_LABEL: Record<ObjectKind, string> = { secret: 'Secret', configmap: 'ConfigMap' };

/** `Secret fleet-default/name`, as the messages name an object. */
export function objectTitle(kind: ObjectKind, namespace: string, name: string): string {
  return `${ KIND_LABEL[kind] } ${ namespace }/${ name }`;
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

/** Which file a write or release is about: the form field of the object's name, the base of a free name, and the file. */
export interface FileRole {
  field: string;
  base: string;
  file: DeliveredFile;
}

/**
 * May this cluster write `content` (as stored: base64 for a Secret) into `key` of the object, delivered to
 * `path`? `shared` is the model with this cluster as planned; `role` says which file (the policy by default).
 */
export function checkWrite(world: World, shared: SharedObject, namespace: string, cluster: string, key: string, path: string, content: string, role?: FileRole): WriteVerdict {
  const { field, base, file } = role ?? {
    field: 'file.name', base: `${ cluster }-audit-policy`, file: 'policy'
  };
  const object = objectTitle(shared.kind, namespace, shared.name);
  const obj = shared.object;
  const annotationNow = obj?.metadata?.annotations?.[AUTHORIZED_ANNOTATION];
  const notes: Problem[] = [];
  const block = (reason: Message): WriteVerdict => {
    const suggestedName = freeName(world, shared.kind, base);

    return {
      blocked:    { ...problem(field, 'error', 'delivery.chooseName', { reason, suggestion: suggestedName }), suggestion: suggestedName },
      suggestedName,
      annotation: annotationNow ?? '',
      notes
    };
  };

  if (!obj) {
    const waiting = otherConsumers(shared, cluster, path);

    if (waiting.length) {
      const { clusters, files } = stake(waiting);

      return block(deliveryMessage('delivery.nameWaited', {
        object, clusters: clusters.length, clusterList: clusters.join(', '), files
      }));
    }

    return {
      blocked: null, suggestedName: null, annotation: cluster, notes
    };
  }
  if (obj.immutable === true) {
    return block(deliveryMessage('delivery.nameImmutable', { object }));
  }
  const binary = (obj.binaryData || {}) as Record<string, string>;

  if (Object.prototype.hasOwnProperty.call(binary, key)) {
    return block(deliveryMessage('delivery.nameBinary', { object, key }));
  }
  const readers = otherConsumers(shared, cluster, path).filter((c) => c.key === key);
  const stored = obj.data?.[key];

  if (readers.length && stored !== content) {
    const { clusters, files } = stake(readers);

    return block(deliveryMessage('delivery.nameShared', {
      object, clusters: clusters.length, clusterList: clusters.join(', '), files, key, file
    }));
  }
  const exact = shared.authorized.includes(cluster);
  const spaced = spacedEntries(shared, cluster);

  if (!exact && !spaced.length && shared.origin === 'foreign') {
    const keys = Object.keys(obj.data || {}).concat(Object.keys(binary));

    return block(deliveryMessage('delivery.nameForeign', {
      object, cluster, annotation: AUTHORIZED_ANNOTATION, keys: keys.map((k) => `"${ k }"`).join(', '), keyCount: keys.length
    }));
  }
  let annotation = annotationNow ?? '';

  if (!exact && spaced.length) {
    const fixed = shared.authorized.map((e) => (e !== cluster && e.trim() === cluster ? cluster : e));

    annotation = dedupeFirst(fixed, cluster).join(',');
    notes.push(problem(field, 'warning', 'delivery.spacedEntry', {
      object, entries: spaced.map((e) => JSON.stringify(e)).join(', '), annotation: AUTHORIZED_ANNOTATION, cluster
    }));
  } else {
    annotation = authorize(annotationNow, cluster);
  }
  if (shared.origin === 'foreign' && obj.data?.[key] !== content) {
    notes.push(problem(field, 'warning', 'delivery.foreignObject', {
      object, file, key, replaces: obj.data?.[key] === undefined ? 'no' : 'yes'
    }));
  }
  const others = otherConsumers(shared, cluster, path).filter((c) => c.key !== key);

  if (others.length) {
    const { clusters, files } = stake(others);

    notes.push(problem(field, 'info', 'delivery.otherFiles', {
      object, files, clusters: clusters.join(', ')
    }));
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
export function releaseChange(shared: SharedObject, namespace: string, cluster: string, key: string, file: DeliveredFile = 'policy'): ObjectChange | null {
  const obj = shared.object;

  if (!obj) {
    return null;
  }
  const object = objectTitle(shared.kind, namespace, shared.name);
  const selfStillReads = shared.consumers.some((c) => c.cluster === cluster);
  const keyStillRead = shared.consumers.some((c) => c.key === key);
  const annotationNow = obj.metadata.annotations?.[AUTHORIZED_ANNOTATION];
  const annotation = selfStillReads ? (annotationNow ?? '') : deauthorize(annotationNow, cluster);
  const base = {
    phase: 'after' as const, kind: shared.kind, namespace, name: shared.name, before: obj, releasedKey: key, ...(file === 'policy' ? {} : { releasedFile: file })
  };

  if (!selfStillReads && shared.origin === 'extension' && annotation === '' && !shared.consumers.length) {
    return {
      ...base, action: 'delete', ...reasonOf('delivery.releaseDelete', { object }), after: null
    };
  }
  const after: KubeObject = clone(obj);
  let deauthorized = false;
  let keyRemoved = false;

  if (annotation !== (annotationNow ?? '')) {
    const annotations = { ...(after.metadata.annotations || {}) };

    if (annotation === '') {
      delete annotations[AUTHORIZED_ANNOTATION];
    } else {
      annotations[AUTHORIZED_ANNOTATION] = annotation;
    }
    after.metadata.annotations = annotations;
    deauthorized = true;
  }
  if (!keyStillRead && after.data && Object.prototype.hasOwnProperty.call(after.data, key)) {
    const data = { ...after.data };

    delete data[key];
    after.data = data;
    keyRemoved = true;
  }
  if (!deauthorized && !keyRemoved) {
    return null;
  }
  const params = {
    object, file, cluster, annotation: AUTHORIZED_ANNOTATION, key, consumers: shared.consumers.length, clusters: stake(shared.consumers).clusters.join(', ')
  };

  return {
    ...base, action: 'update', ...reasonOf(deauthorized ? (keyRemoved ? 'delivery.releaseBoth' : 'delivery.releaseCluster') : 'delivery.releaseKey', params), after
  };
}

/** An ObjectChange's reason: the message and its English text. */
export function reasonOf(...args: Parameters<typeof coded>): Pick<ObjectChange, 'reason' | 'why'> {
  const { code, params, message } = coded(...args);

  return { reason: message, why: { code, params } };
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
