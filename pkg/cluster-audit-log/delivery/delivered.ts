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

/**
 * The text a found item delivers, and every reason Rancher would not deliver it as it is. `noun` names the file in
 * the messages ("policy", "webhook kubeconfig").
 */
export function readDelivered(cluster: KubeObject, found: FoundItem, objects: KubeObject[], noun: string): { text?: string, problems: Problem[] } {
  const { name: clusterName, namespace } = clusterRef(cluster);
  const filePath = `${ pathText(PATHS.machineSelectorFiles) }[${ found.entry }]`;
  const obj = findObject(objects, found.kind, found.name);
  const what = `${ found.kind === 'secret' ? 'Secret' : 'ConfigMap' } ${ namespace }/${ found.name }`;
  const problems: Problem[] = [];

  if (!obj) {
    problems.push({
      path: filePath, message: `${ what } was not found: Rancher cannot deliver the ${ noun } file`, severity: 'error'
    });

    return { problems };
  }
  const text = objectText(obj, found.kind, found.key);

  if (text === undefined) {
    problems.push({
      path: filePath, message: `${ what } has no key "${ found.key }": Rancher cannot deliver the ${ noun } file`, severity: 'error'
    });
  }
  const stale = staleHash({ key: found.key, hash: found.hash }, obj, found.kind);

  if (stale) {
    problems.push({
      path: `${ filePath }.hash`, message: `the item's hash ${ stale.got } does not match ${ what }'s "${ found.key }" (${ stale.want }): Rancher's planner refuses the file ("does not contain the expected content"); Save writes the matching hash`, severity: 'error'
    });
  }
  if (obj.data && obj.binaryData && Object.prototype.hasOwnProperty.call(obj.data, found.key) && Object.prototype.hasOwnProperty.call(obj.binaryData, found.key)) {
    problems.push({
      path: filePath, message: `${ what } has "${ found.key }" in both data and binaryData: Kubernetes refuses such an object, and this tab cannot tell which one is delivered`, severity: 'error'
    });
  }
  if (obj.immutable === true) {
    problems.push({
      path: filePath, message: `${ what } is immutable: the ${ noun } cannot be changed in place; a change is saved to a new object`, severity: 'info'
    });
  }
  if (!isAuthorized(obj.metadata.annotations?.[AUTHORIZED_ANNOTATION], clusterName)) {
    problems.push({
      path: filePath, message: `${ what } is not authorized for this cluster: its annotation ${ AUTHORIZED_ANNOTATION } does not list "${ clusterName }", so Rancher will not deliver it`, severity: 'error'
    });
  }

  return { text, problems };
}
