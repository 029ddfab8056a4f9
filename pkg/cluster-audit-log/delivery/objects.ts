/** Reading the Secrets and ConfigMaps machineSelectorFiles name: which is which, and the text at a key. */
import { fromBase64 } from './sha256';
import { KubeObject, ObjectKind } from './types';

/** The Secret/ConfigMap text at `key`, decoding Secret data from base64. */
export function objectText(obj: KubeObject | undefined, kind: ObjectKind, key: string): string | undefined {
  const raw = obj?.data?.[key];

  if (raw === undefined) {
    return undefined;
  }

  return kind === 'secret' ? fromBase64(raw) : raw;
}

/** Finds a Secret or ConfigMap by kind and name among fetched objects. */
export function findObject(objects: KubeObject[], kind: ObjectKind, name: string): KubeObject | undefined {
  return objects.find((o) => o.metadata?.name === name && objectKindOf(o) === kind);
}

/** secret or configmap, from a steve `type`, a `kind`, or the shape. */
export function objectKindOf(obj: KubeObject): ObjectKind {
  const t = (obj.type || obj.kind || '').toString().toLowerCase();

  return t === 'configmap' ? 'configmap' : 'secret';
}
