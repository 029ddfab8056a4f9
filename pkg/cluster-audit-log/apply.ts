/**
 * The ONLY module that talks to the steve store. Every function takes the store as an argument, awaits
 * every request and reports failures with the object they concern and the HTTP status.
 */
import type { KubeObject, ObjectChange, ObjectKind, ObjectRef } from './delivery';

/** The steve type of provisioning clusters (RKE2/K3s). */
const PROVISIONING_CLUSTER = 'provisioning.cattle.io.cluster';

/** The part of the vuex store this module uses. */
export interface StoreLike {
  dispatch(action: string, payload?: unknown): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  getters: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A steve model as far as this module uses it. */
interface Model {
  metadata: KubeObject['metadata'];
  data?: Record<string, string>;
  _type?: string;
  save(): Promise<unknown>;
  remove(): Promise<unknown>;
  [key: string]: unknown;
}

const STORE = 'management';
const STEVE_TYPE: Record<ObjectKind, string> = { secret: 'secret', configmap: 'configmap' };
const LABEL: Record<ObjectKind, string> = { secret: 'Secret', configmap: 'ConfigMap' };

/** An HTTP failure from steve, with its status (0: no response). */
export class StoreError extends Error {
  constructor(message: string, public status: number) {
    super(message);
  }
}

/** Status and message of whatever the store threw (steve errors carry `_status` and `message`). */
export function describeError(e: unknown): { status: number, message: string } {
  const err = e as { _status?: number, status?: number, code?: string, message?: string, response?: { status?: number, data?: { message?: string } } };
  const status = err?._status ?? err?.status ?? err?.response?.status ?? 0;
  const message = err?.response?.data?.message || err?.message || (typeof e === 'string' ? e : '') || 'no response from the server';

  return { status: Number(status) || 0, message };
}

function plain(model: Model, kind: ObjectKind): KubeObject {
  return {
    apiVersion: 'v1',
    kind:       LABEL[kind],
    type:       model._type as string | undefined,
    metadata:   JSON.parse(JSON.stringify(model.metadata || {})),
    data:       { ...(model.data || {}) },
    ...(model.binaryData ? { binaryData: { ...(model.binaryData as Record<string, string>) } } : {}),
    ...(model.immutable === true ? { immutable: true } : {}),
  };
}

/**
 * Fetches the Secrets/ConfigMaps a plan needs. A 404 is "does not exist yet" (not an error); a 403 means the
 * user may not read them, reported in `errors` so the tab can say so.
 */
export async function fetchObjects(store: StoreLike, refs: ObjectRef[]): Promise<{ objects: KubeObject[], errors: string[] }> {
  const objects: KubeObject[] = [];
  const errors: string[] = [];

  await Promise.all(refs.map(async(ref) => {
    try {
      const model = await store.dispatch(`${ STORE }/find`, {
        type: STEVE_TYPE[ref.kind], id: `${ ref.namespace }/${ ref.name }`, opt: { force: true }
      }) as Model;

      objects.push(plain(model, ref.kind));
    } catch (e) {
      const { status, message } = describeError(e);

      if (status !== 404) {
        errors.push(`${ LABEL[ref.kind] } ${ ref.namespace }/${ ref.name }: ${ status ? `${ status } ` : '' }${ message }`);
      }
    }
  }));

  return { objects, errors };
}

function methods(schema: { collectionMethods?: string[], resourceMethods?: string[] } | undefined, which: 'collectionMethods' | 'resourceMethods'): string[] {
  return (schema?.[which] || []).map((m) => m.toUpperCase());
}

export interface Permissions {
  /** May create and update Secrets / ConfigMaps (in the namespace, as far as the schema says). */
  secret: boolean;
  configmap: boolean;
}

/** What the user may write, from the steve schemas (known before anything is typed). */
export function permissions(store: StoreLike): Permissions {
  const can = (type: string) => {
    const schema = store.getters[`${ STORE }/schemaFor`]?.(type);

    return !!schema && methods(schema, 'collectionMethods').includes('POST') && methods(schema, 'resourceMethods').includes('PUT');
  };

  return { secret: can(STEVE_TYPE.secret), configmap: can(STEVE_TYPE.configmap) };
}

async function writeOne(store: StoreLike, change: ObjectChange): Promise<void> {
  const what = `${ LABEL[change.kind] } ${ change.namespace }/${ change.name }`;
  const steveType = STEVE_TYPE[change.kind];

  try {
    if (change.action === 'create') {
      const after = change.after as KubeObject;
      const model = await store.dispatch(`${ STORE }/create`, {
        type: steveType, metadata: after.metadata, data: after.data
      }) as Model;

      if (change.kind === 'secret') {
        model._type = (after.type as string) || 'Opaque';
      }
      await model.save();

      return;
    }
    const model = await store.dispatch(`${ STORE }/find`, {
      type: steveType, id: `${ change.namespace }/${ change.name }`, opt: { force: true }
    }) as Model;

    if (change.action === 'delete') {
      await model.remove();

      return;
    }
    const after = change.after as KubeObject;

    model.metadata.annotations = { ...(after.metadata.annotations || {}) };
    model.metadata.labels = { ...(after.metadata.labels || {}) };
    model.data = { ...(after.data || {}) };
    await model.save();
  } catch (e) {
    const { status, message } = describeError(e);

    throw new StoreError(`Could not ${ change.action } ${ what }: ${ status ? `${ status } ` : '' }${ message }`, status);
  }
}

/** Writes the changes of one phase, in order, awaiting each; the first failure stops and is thrown. */
export async function writeObjects(store: StoreLike, changes: ObjectChange[], phase: ObjectChange['phase']): Promise<void> {
  for (const change of changes.filter((c) => c.phase === phase)) {
    await writeOne(store, change);
  }
}

/** Saves a model (the RKE1 management cluster), reporting failures like the other writes. */
export async function saveModel(model: { save(): Promise<unknown> }, what: string): Promise<void> {
  try {
    await model.save();
  } catch (e) {
    const { status, message } = describeError(e);

    throw new StoreError(`Could not save ${ what }: ${ status ? `${ status } ` : '' }${ message }`, status);
  }
}

/**
 * The provisioning clusters of a namespace, as stored: the other consumers of the Secrets/ConfigMaps a plan
 * touches. A failure (403: the user may not list them) is reported; the plan then sees this cluster only and
 * the tab says so.
 */
export async function fetchClusters(store: StoreLike, namespace: string): Promise<{ clusters: KubeObject[], error: string }> {
  try {
    const all = await store.dispatch(`${ STORE }/findAll`, { type: PROVISIONING_CLUSTER }) as { metadata?: KubeObject['metadata'], spec?: unknown }[];
    const clusters = (all || []).filter((c) => c?.metadata?.namespace === namespace).map((c) => ({
      apiVersion: 'provisioning.cattle.io/v1', kind: 'Cluster', metadata: JSON.parse(JSON.stringify(c.metadata)), spec: JSON.parse(JSON.stringify(c.spec ?? {}))
    }) as KubeObject);

    return { clusters, error: '' };
  } catch (e) {
    const { status, message } = describeError(e);

    return { clusters: [], error: `clusters in ${ namespace }: ${ status ? `${ status } ` : '' }${ message }` };
  }
}

/**
 * The objects of the after-save phase as they are now (fetched again right before that phase): another admin
 * may have authorized another cluster on them since the plan was made. Missing objects are left out.
 */
export async function refetchAfterObjects(store: StoreLike, changes: ObjectChange[]): Promise<KubeObject[]> {
  const refs = changes.filter((c) => c.phase === 'after').map((c) => ({
    kind: c.kind, namespace: c.namespace, name: c.name
  }));
  const { objects, errors } = await fetchObjects(store, refs);

  if (errors.length) {
    throw new StoreError(errors.join('; '), 0);
  }

  return objects;
}
