/**
 * The ONLY module that talks to the steve store. Every function takes the store as an argument, awaits
 * every request and reports failures with the object they concern and the HTTP status.
 */
import { toRaw } from 'vue';
import { clone, getPath, setPath } from './delivery/cluster';
import type { KubeObject, ObjectChange, ObjectKind, ObjectRef } from './delivery';

/** The steve type of provisioning clusters (RKE2/K3s). */
const PROVISIONING_CLUSTER = 'provisioning.cattle.io.cluster';
/** The steve type of management clusters (RKE1 keeps its settings there). */
const MANAGEMENT_CLUSTER = 'management.cattle.io.cluster';

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

/** What a write needs of an ObjectChange (the page's own writes carry no reason). */
export type ObjectWrite = Pick<ObjectChange, 'action' | 'phase' | 'kind' | 'namespace' | 'name' | 'after'>;

async function writeOne(store: StoreLike, change: ObjectWrite): Promise<void> {
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
export async function writeObjects(store: StoreLike, changes: ObjectWrite[], phase: ObjectChange['phase']): Promise<void> {
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

/** Steve's own fields on an object it returns (links, actions, the id, its type; metadata.state/fields/relationships). */
const STEVE_TOP = ['id', 'type', 'links', 'actions', '_type'];
const STEVE_META = ['state', 'fields', 'relationships'];

/** An object as steve returns it, in kube's own shape (a Secret's `_type` back in `type`). */
export function kubeObjectOf(item: Record<string, unknown>): KubeObject {
  const out: Record<string, unknown> = { ...item };
  const metadata: Record<string, unknown> = { ...(item.metadata as Record<string, unknown> || {}) };

  STEVE_TOP.forEach((k) => delete out[k]);
  STEVE_META.forEach((k) => delete metadata[k]);
  if (item.type === 'secret' && item._type !== undefined) {
    out.type = item._type;
  }

  return { ...out, metadata } as KubeObject;
}

/**
 * The objects of a type the store already holds in full (the dashboard keeps every cluster it lists), as kube
 * objects read off the models without copying them (the page reads them and never writes to them); null when
 * the store does not hold them all.
 */
function cachedAll(store: StoreLike, type: string): KubeObject[] | null {
  if (!store.getters[`${ STORE }/haveAll`]?.(type)) {
    return null;
  }

  return (store.getters[`${ STORE }/all`](type) as Record<string, unknown>[]).map((model) => {
    const raw = toRaw(model);

    return {
      apiVersion: raw.apiVersion, kind: raw.kind, metadata: raw.metadata, spec: raw.spec, status: raw.status
    } as KubeObject;
  });
}

/** Every object of a steve type (of one namespace when given), all pages, as plain kube objects (no store models). */
async function listAll(store: StoreLike, type: string, namespace?: string): Promise<KubeObject[]> {
  const schema = store.getters[`${ STORE }/schemaFor`]?.(type) as { links?: { collection?: string } } | undefined;
  const base = schema?.links?.collection || `/v1/${ type }s`;
  const url = `${ base }${ namespace ? `/${ encodeURIComponent(namespace) }` : '' }?exclude=metadata.managedFields`;
  const res = await store.dispatch(`${ STORE }/request`, { url, depaginate: true }) as { data?: Record<string, unknown>[] };

  return (res?.data || []).map(kubeObjectOf);
}

/** What the Cluster Management page reads: the clusters and the Secrets/ConfigMaps of their namespaces. */
export interface FleetRead {
  /** Provisioning clusters and RKE1 management clusters, then the Secrets and ConfigMaps. */
  items: KubeObject[];
  /** One line per list the user may not read (or that failed), with the HTTP status. */
  errors: string[];
}

/**
 * Reads everything the fleet page shows in one go: every provisioning cluster, the management clusters that are
 * RKE1 (where Rancher still has them), and the Secrets and ConfigMaps of the namespaces of RKE2/K3s clusters.
 * Clusters come from the store when it already holds them all (the dashboard keeps them for its lists), the rest as
 * plain objects through the store's request (no models: a fleet has hundreds of Secrets).
 */
export async function fetchFleet(store: StoreLike): Promise<FleetRead> {
  const errors: string[] = [];
  const attempt = async(what: string, list: () => Promise<KubeObject[]>): Promise<KubeObject[]> => {
    try {
      return await list();
    } catch (e) {
      const { status, message } = describeError(e);

      errors.push(`${ what }: ${ status ? `${ status } ` : '' }${ message }`);

      return [];
    }
  };
  const [clusters, mgmt] = await Promise.all([
    cachedAll(store, PROVISIONING_CLUSTER) ?? attempt('clusters.provisioning.cattle.io', () => listAll(store, PROVISIONING_CLUSTER)),
    cachedAll(store, MANAGEMENT_CLUSTER) ?? attempt('clusters.management.cattle.io', () => listAll(store, MANAGEMENT_CLUSTER)),
  ]);
  const rke1 = mgmt.filter((c) => !!(c.spec as { rancherKubernetesEngineConfig?: unknown } | undefined)?.rancherKubernetesEngineConfig);
  const namespaces = [...new Set(clusters.filter((c) => (c.spec as { rkeConfig?: unknown } | undefined)?.rkeConfig).map((c) => c.metadata.namespace || 'fleet-default'))].sort();
  const objects = await Promise.all(namespaces.flatMap((ns) => (['secret', 'configmap'] as ObjectKind[]).map((kind) => attempt(`${ LABEL[kind] }s in ${ ns }`, () => listAll(store, STEVE_TYPE[kind], ns)))));

  return { items: [...clusters, ...rke1, ...objects.flat()], errors };
}

/** A cluster the page saves: a provisioning cluster (namespace and name) or an RKE1 management cluster (its id). */
export type ClusterTarget = { kind: 'provisioning', namespace: string, name: string } | { kind: 'rke1', name: string };

/** The cluster fields a save sets: the dotted paths of `clusterPaths`, copied from `cluster`. */
export interface ClusterChange {
  cluster: KubeObject;
  clusterPaths: string[];
}

/**
 * Saves one cluster: fetches it fresh, lets `change` decide on that copy what to set (null or no paths: nothing;
 * it may write what must exist first, such as a Secret, and its failure stops the save), copies exactly those
 * fields onto the model and saves it. Returns whether anything was written; a failure (403,
 * 409 when someone saved in between, no answer) is thrown as a StoreError naming the cluster.
 */
export async function saveCluster(store: StoreLike, target: ClusterTarget, change: (fresh: KubeObject) => ClusterChange | null | Promise<ClusterChange | null>): Promise<boolean> {
  const what = target.kind === 'rke1' ? `cluster ${ target.name }` : `cluster ${ target.namespace }/${ target.name }`;

  try {
    const model = await store.dispatch(`${ STORE }/find`, {
      type: target.kind === 'rke1' ? MANAGEMENT_CLUSTER : PROVISIONING_CLUSTER, id: target.kind === 'rke1' ? target.name : `${ target.namespace }/${ target.name }`, opt: { force: true }
    }) as Model;
    const wanted = await change(JSON.parse(JSON.stringify(model)) as KubeObject);

    if (!wanted?.clusterPaths.length) {
      return false;
    }
    for (const text of wanted.clusterPaths) {
      const path = text.split('.');

      setPath(model, path, clone(getPath(wanted.cluster, path)));
    }
    await model.save();

    return true;
  } catch (e) {
    if (e instanceof StoreError) {
      throw e;
    }
    const { status, message } = describeError(e);

    throw new StoreError(`Could not save ${ what }: ${ status ? `${ status } ` : '' }${ message }`, status);
  }
}

/** May the user update provisioning clusters (the steve schema's PUT), as far as the schema says? */
export function mayUpdateClusters(store: StoreLike): boolean {
  return methods(store.getters[`${ STORE }/schemaFor`]?.(PROVISIONING_CLUSTER), 'resourceMethods').includes('PUT');
}
