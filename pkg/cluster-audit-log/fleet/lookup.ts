/**
 * The world indexed once, so that a fleet of hundreds of clusters and objects is read in linear time: objects by
 * namespace, kind and name, the clusters whose machineSelectorFiles name each object, and each object's shared
 * model (delivery/consumers.ts sharedObject, computed on just those clusters).
 */
import { staleHash } from '../delivery/checks';
import { clusterRef } from '../delivery/cluster';
import { consumersIn, SharedObject, sharedObject } from '../delivery/consumers';
import { objectKindOf } from '../delivery/objects';
import { referencedObjects } from '../delivery/settings';
import type { KubeObject, ObjectKind } from '../delivery/types';
import type { FleetWorld } from './types';

const keyOf = (namespace: string, kind: ObjectKind, name: string): string => `${ namespace }\n${ kind }\n${ name }`;

/** A Secret or ConfigMap of the world, where it is. */
export interface PlacedObject {
  namespace: string;
  kind: ObjectKind;
  name: string;
  object: KubeObject;
}

/** Lookups over one world. */
export class WorldIndex {
  private byKey = new Map<string, PlacedObject>();
  private readers = new Map<string, KubeObject[]>();
  private models = new Map<string, SharedObject>();
  private stales = new Map<KubeObject, Map<string, ReturnType<typeof staleHash>>>();

  constructor(world: FleetWorld) {
    for (const object of world.objects) {
      const { name, namespace } = clusterRef(object);
      const kind = objectKindOf(object);
      const key = keyOf(namespace, kind, name);

      if (!this.byKey.has(key)) {
        this.byKey.set(key, {
          namespace, kind, name, object
        });
      }
    }
    for (const cluster of world.clusters) {
      const { namespace } = clusterRef(cluster);
      const named = new Set(consumersIn(cluster).map((c) => keyOf(namespace, c.kind, c.name)));

      for (const key of named) {
        const list = this.readers.get(key);

        if (list) {
          list.push(cluster);
        } else {
          this.readers.set(key, [cluster]);
        }
      }
    }
  }

  /** Every Secret/ConfigMap, in the world's order (the first of duplicates). */
  placedObjects(): PlacedObject[] {
    return [...this.byKey.values()];
  }

  /** The object, when the world holds it. */
  object(namespace: string, kind: ObjectKind, name: string): KubeObject | undefined {
    return this.byKey.get(keyOf(namespace, kind, name))?.object;
  }

  /** The objects the cluster's machineSelectorFiles name that exist (what readSettings needs). */
  objectsOf(cluster: KubeObject): KubeObject[] {
    return referencedObjects(cluster).map((r) => this.object(r.namespace, r.kind, r.name)).filter((o): o is KubeObject => !!o);
  }

  /** staleHash, once per object, key and hash (the clusters sharing an object share its hash). */
  staleHash(object: KubeObject, kind: ObjectKind, key: string, hash: string | undefined): ReturnType<typeof staleHash> {
    const memoKey = JSON.stringify([kind, key, hash ?? null]);
    let memo = this.stales.get(object);

    if (!memo) {
      memo = new Map();
      this.stales.set(object, memo);
    }
    if (!memo.has(memoKey)) {
      memo.set(memoKey, staleHash({ key, hash }, object, kind));
    }

    return memo.get(memoKey) ?? null;
  }

  /** Who may read the object and who does (see sharedObject). */
  shared(namespace: string, kind: ObjectKind, name: string): SharedObject {
    const key = keyOf(namespace, kind, name);
    let model = this.models.get(key);

    if (!model) {
      const object = this.object(namespace, kind, name);

      model = sharedObject({ clusters: this.readers.get(key) || [], objects: object ? [object] : [] }, kind, name);
      this.models.set(key, model);
    }

    return model;
  }
}
