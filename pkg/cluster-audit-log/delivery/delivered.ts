/**
 * A file machineSelectorFiles delivers from a Secret or ConfigMap, read back: which item writes a path, and what
 * the object behind it holds or lacks for Rancher's planner to deliver it (rancher/rancher pkg/capr/planner
 * renderFiles: the object must exist, be authorized for the cluster, and hold the key with the item's hash).
 * Both files the tab manages are read this way: the policy and the webhook's kubeconfig.
 */
import { isAuthorized } from './annotation';
import { staleHash } from './checks';
import { clusterRef, pathText, PATHS } from './cluster';
import { AUTHORIZED_ANNOTATION } from './distro';
import { selectorFiles } from './files';
import { DeliveredFile, problem } from './messages';
import { findObject, objectText } from './objects';
import { KubeObject, ObjectKind, Problem, SelectorFiles } from './types';

/** The machineSelectorFiles item that writes a path: where it sits, its object, key, selector, hash and permissions. */
export interface FoundItem {
  entry: number;
  source: number;
  item: number;
  kind: ObjectKind;
  name: string;
  key: string;
  selector: SelectorFiles['machineLabelSelector'];
  hash?: string;
  permissions?: string;
}

/** Finds the machineSelectorFiles item that writes `path`. */
export function findFileItem(cluster: KubeObject, path: string): FoundItem | null {
  const entries = selectorFiles(cluster);

  for (let e = 0; e < entries.length; e++) {
    const sources = entries[e].fileSources || [];

    for (let s = 0; s < sources.length; s++) {
      const kind: ObjectKind = sources[s].secret ? 'secret' : 'configmap';
      const spec = sources[s].secret || sources[s].configMap;
      const items = spec?.items || [];

      for (let i = 0; i < items.length; i++) {
        if (items[i].path === path) {
          return {
            entry: e, source: s, item: i, kind, name: spec?.name || '', key: items[i].key || '', selector: entries[e].machineLabelSelector, hash: items[i].hash, permissions: items[i].permissions
          };
        }
      }
    }
  }

  return null;
}

/** The text a found item delivers, and every reason Rancher would not deliver it as it is. `file` says which file it is. */
export function readDelivered(cluster: KubeObject, found: FoundItem, objects: KubeObject[], file: DeliveredFile): { text?: string, problems: Problem[] } {
  const { name: clusterName, namespace } = clusterRef(cluster);
  const filePath = `${ pathText(PATHS.machineSelectorFiles) }[${ found.entry }]`;
  const obj = findObject(objects, found.kind, found.name);
  const object = `${ found.kind === 'secret' ? 'Secret' : 'ConfigMap' } ${ namespace }/${ found.name }`;
  const problems: Problem[] = [];

  if (!obj) {
    problems.push(problem(filePath, 'error', 'delivery.objectMissing', { object, file }));

    return { problems };
  }
  const text = objectText(obj, found.kind, found.key);

  if (text === undefined) {
    problems.push(problem(filePath, 'error', 'delivery.keyMissing', {
      object, key: found.key, file
    }));
  }
  const stale = staleHash({ key: found.key, hash: found.hash }, obj, found.kind);

  if (stale) {
    problems.push(problem(`${ filePath }.hash`, 'error', 'delivery.staleHash', {
      got: stale.got, object, key: found.key, want: stale.want
    }));
  }
  if (obj.data && obj.binaryData && Object.prototype.hasOwnProperty.call(obj.data, found.key) && Object.prototype.hasOwnProperty.call(obj.binaryData, found.key)) {
    problems.push(problem(filePath, 'error', 'delivery.dataAndBinary', { object, key: found.key }));
  }
  if (obj.immutable === true) {
    problems.push(problem(filePath, 'info', 'delivery.immutable', { object, file }));
  }
  if (!isAuthorized(obj.metadata.annotations?.[AUTHORIZED_ANNOTATION], clusterName)) {
    problems.push(problem(filePath, 'error', 'delivery.notAuthorized', {
      object, annotation: AUTHORIZED_ANNOTATION, cluster: clusterName
    }));
  }

  return { text, problems };
}
