/**
 * Shared objects: a Secret or ConfigMap in a cluster namespace may be authorized for many clusters and deliver
 * many files. This model says, for each object, who may read it (the annotation, parsed exactly as Rancher's
 * planner does), who does read it (every machineSelectorFiles item of every provisioning cluster that names it),
 * and whether this extension made it. plan() decides with it what it may write and what it may release.
 *
 * Facts from rancher/rancher pkg/capr/planner (renderFiles, retrieveClusterAuthorizedSecret): the planner splits
 * the annotation on "," and compares each part to the cluster name exactly; a file item names a `key` of the
 * object and the `path` it is written to on every machine the entry's selector matches.
 */
import { authorizedClusters } from './annotation';
import { clusterRef } from './cluster';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, AUTHORIZED_ANNOTATION } from './distro';
import { selectorFiles } from './files';
import { objectKindOf } from './objects';
import { KubeObject, ObjectKind } from './types';

/** One machineSelectorFiles item that reads a key of an object. */
export interface Consumer {
  /** The provisioning cluster's name. */
  cluster: string;
  /** Indexes into spec.rkeConfig.machineSelectorFiles[entry].fileSources[source].<kind>.items[item]. */
  entry: number;
  source: number;
  item: number;
  /** The key of the object's data the item reads. */
  key: string;
  /** The file path on the node. */
  path: string;
}

/** What an object is to the clusters of its namespace. */
export interface SharedObject {
  kind: ObjectKind;
  name: string;
  /** The object as fetched; null when no such object exists. */
  object: KubeObject | null;
  /** The annotation's entries exactly as Rancher reads them (" b" stays " b"). */
  authorized: string[];
  /** Made by this extension (its managed-by label), or by someone else. */
  origin: 'extension' | 'foreign';
  /** Every item of every cluster that reads this object. */
  consumers: Consumer[];
}

/** The clusters and objects of one namespace, as fetched. */
export interface World {
  clusters: KubeObject[];
  objects: KubeObject[];
}

/** The keys a Secret/ConfigMap holds (data and binaryData). */
export function objectKeys(obj: KubeObject | null | undefined): string[] {
  const keys = new Set([...Object.keys(obj?.data || {}), ...Object.keys((obj?.binaryData as Record<string, string>) || {})]);

  return [...keys];
}

/** Was this object made by this extension? */
export function originOf(obj: KubeObject | null | undefined): 'extension' | 'foreign' {
  return obj?.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE ? 'extension' : 'foreign';
}

/** Every item of a cluster's machineSelectorFiles that reads an object. */
export function consumersIn(cluster: KubeObject): (Consumer & { kind: ObjectKind, name: string })[] {
  const { name: clusterName } = clusterRef(cluster);
  const out: (Consumer & { kind: ObjectKind, name: string })[] = [];

  selectorFiles(cluster).forEach((entry, e) => {
    (entry?.fileSources || []).forEach((fs, s) => {
      const kind: ObjectKind | null = fs?.secret ? 'secret' : fs?.configMap ? 'configmap' : null;
      const spec = fs?.secret || fs?.configMap;

      if (!kind || !spec?.name) {
        return;
      }
      (spec.items || []).forEach((it, i) => {
        out.push({
          kind, name: spec.name as string, cluster: clusterName, entry: e, source: s, item: i, key: String(it?.key ?? ''), path: String(it?.path ?? '')
        });
      });
    });
  });

  return out;
}

/**
 * The model for one object: its annotation, origin and consumers among `world.clusters`. `self`, when given,
 * replaces the cluster of the same name in the world (the edited cluster as it stands in the form or after
 * the plan), so the model sees this cluster's unsaved state and the others' stored state.
 */
export function sharedObject(world: World, kind: ObjectKind, name: string, self?: KubeObject): SharedObject {
  const object = world.objects.find((o) => o.metadata?.name === name && objectKindOf(o) === kind) || null;
  const selfName = self ? clusterRef(self).name : undefined;
  const clusters = [...world.clusters.filter((c) => !self || clusterRef(c).name !== selfName), ...(self ? [self] : [])];
  const consumers = clusters.flatMap((c) => consumersIn(c)).filter((c) => c.kind === kind && c.name === name).map(({ kind: _k, name: _n, ...c }) => c);

  return {
    kind, name, object, authorized: authorizedClusters(object?.metadata?.annotations?.[AUTHORIZED_ANNOTATION]), origin: originOf(object), consumers
  };
}

/** Consumers other than the given cluster's item for `path` (that item is the one being planned). */
export function otherConsumers(shared: SharedObject, cluster: string, path?: string): Consumer[] {
  return shared.consumers.filter((c) => c.cluster !== cluster || (path !== undefined && c.path !== path));
}

/** Entries that are this cluster's name apart from surrounding spaces: a typo Rancher does not forgive. */
export function spacedEntries(shared: SharedObject, cluster: string): string[] {
  return shared.authorized.filter((e) => e !== cluster && e.trim() === cluster);
}

/** The clusters (in order of first use) and the number of files of a list of consumers: "clusters a, b for 2 files". */
export function stake(consumers: Consumer[]): { clusters: string[], files: number } {
  const clusters = [...new Set(consumers.map((c) => c.cluster))];

  return { clusters, files: consumers.length };
}

/**
 * A name for a new object that no existing object of that kind (nor any consumer) uses: `base`, else
 * `base-2`, `base-3`... kept within the 253 characters of a DNS-1123 subdomain.
 */
export function freeName(world: World, kind: ObjectKind, base: string): string {
  const taken = new Set([
    ...world.objects.filter((o) => objectKindOf(o) === kind).map((o) => o.metadata?.name),
    ...world.clusters.flatMap((c) => consumersIn(c)).filter((c) => c.kind === kind).map((c) => c.name),
  ]);
  const stem = base.slice(0, 240).replace(/[-.]+$/, '') || 'audit-policy';

  if (!taken.has(stem)) {
    return stem;
  }
  for (let n = 2; ; n++) {
    const candidate = `${ stem }-${ n }`;

    if (!taken.has(candidate)) {
      return candidate;
    }
  }
}
