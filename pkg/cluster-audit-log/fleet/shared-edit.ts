/**
 * Editing a policy several clusters share, once: the Secret/ConfigMap key gets the new text (its annotation and
 * other keys unchanged), and every machineSelectorFiles item of every cluster that reads that key and carries a
 * `hash` gets the new text's hash (Rancher's planner refuses a file whose hash does not match: rancher/rancher
 * pkg/capr/planner renderFiles). An item without a hash needs no change: the planner delivers what the key holds.
 * The object is written first, then each cluster (apply.ts); each cluster's hashes are set again on a fresh copy.
 */
import {
  clone, clusterRef, getPath, pathText, PATHS
} from '../delivery/cluster';
import { consumersIn } from '../delivery/consumers';
import { findObject, objectText } from '../delivery/objects';
import { base64, fileHash, utf8Bytes } from '../delivery/sha256';
import type { KubeObject, ObjectChange, SelectorFiles } from '../delivery/types';
import { lintPolicy } from '../policy/lint';
import { readPolicy } from '../policy/read';
import type { Finding } from '../policy/types';
import { namespaceClusters } from './rollout';
import { rowKey } from './rows';
import type { PolicyStatus, FleetWorld } from './types';

/** The key being edited. */
export type PolicyRef = Pick<PolicyStatus, 'namespace' | 'kind' | 'name' | 'key'>;

/** Why the edit cannot be written. */
export type EditBlock = 'missing-object' | 'immutable' | 'binary-key' | 'lint-errors';

/** One cluster that reads the key: its items (file paths) and how many of them carry a hash. */
export interface EditConsumer {
  key: string;
  cluster: string;
  paths: string[];
  hashed: number;
}

/** The object's update: the key with the new text, nothing else changed. */
export interface ObjectUpdate extends Pick<ObjectChange, 'phase' | 'kind' | 'namespace' | 'name' | 'after'> {
  action: 'update';
  before: KubeObject;
}

/** The planned edit. */
export interface SharedEditPlan {
  /** The object's update; null when the key already holds the text (or the edit is blocked). */
  object: ObjectUpdate | null;
  consumers: EditConsumer[];
  /** Lint findings of the new text (errors block). */
  findings: Finding[];
  blocks: EditBlock[];
}

/** The items of the cluster reading the key: their file paths and whether they carry a hash. */
function readers(cluster: KubeObject, ref: PolicyRef): { path: string, hashed: boolean }[] {
  const files = getPath(cluster, PATHS.machineSelectorFiles);
  const entries = Array.isArray(files) ? files as SelectorFiles[] : [];

  return consumersIn(cluster).filter((c) => c.kind === ref.kind && c.name === ref.name && c.key === ref.key).map((c) => {
    const source = entries[c.entry]?.fileSources?.[c.source];
    const item = (source?.secret || source?.configMap)?.items?.[c.item];

    return { path: c.path, hashed: typeof item?.hash === 'string' };
  });
}

/** Plans writing `text` into the key, and lists every cluster of the namespace reading it. */
export function planSharedEdit(world: FleetWorld, ref: PolicyRef, text: string): SharedEditPlan {
  const object = world.objects.find((o) => clusterRef(o).namespace === ref.namespace && findObject([o], ref.kind, ref.name)) || null;
  const findings = lintPolicy(readPolicy(text));
  const consumers = namespaceClusters(world, ref.namespace).map((c) => ({ cluster: c, items: readers(c, ref) })).filter((c) => c.items.length).map(({ cluster, items }) => ({
    key: rowKey({
      distro: 'rke2', namespace: ref.namespace, name: cluster.metadata.name
    }),
    cluster: cluster.metadata.name,
    paths:   items.map((i) => i.path),
    hashed:  items.filter((i) => i.hashed).length
  }));
  const blocks: EditBlock[] = [];

  if (!object) {
    blocks.push('missing-object');
  } else if (object.immutable === true) {
    blocks.push('immutable');
  } else if (Object.prototype.hasOwnProperty.call(object.binaryData || {}, ref.key)) {
    blocks.push('binary-key');
  }
  if (findings.some((f) => f.severity === 'error')) {
    blocks.push('lint-errors');
  }
  if (!object || blocks.length || objectText(object, ref.kind, ref.key) === text) {
    return {
      object: null, consumers, findings, blocks
    };
  }
  const after = clone(object);

  after.data = { ...(after.data || {}), [ref.key]: ref.kind === 'secret' ? base64(utf8Bytes(text)) : text };

  return {
    object: {
      action:    'update',
      phase:     'before',
      kind:      ref.kind,
      namespace: ref.namespace,
      name:      ref.name,
      before:    object,
      after,
    },
    consumers,
    findings,
    blocks,
  };
}

/**
 * The cluster with the new text's hash on every item that reads the key and carries a hash (other items, entries
 * and fields unchanged); `clusterPaths` is empty when nothing changes.
 */
export function rehashCluster(cluster: KubeObject, ref: PolicyRef, text: string): { cluster: KubeObject, clusterPaths: string[] } {
  const next = clone(cluster);
  const entries = getPath(next, PATHS.machineSelectorFiles);
  const hash = fileHash(text);
  let changed = false;

  for (const entry of Array.isArray(entries) ? entries as SelectorFiles[] : []) {
    for (const source of entry?.fileSources || []) {
      const spec = ref.kind === 'secret' ? source?.secret : source?.configMap;

      if (spec?.name !== ref.name) {
        continue;
      }
      for (const item of spec.items || []) {
        if (item?.key === ref.key && typeof item.hash === 'string' && item.hash !== hash) {
          item.hash = hash;
          changed = true;
        }
      }
    }
  }

  return { cluster: next, clusterPaths: changed ? [pathText(PATHS.machineSelectorFiles)] : [] };
}
