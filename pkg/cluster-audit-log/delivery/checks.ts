/**
 * Delivery checks on a cluster's machineSelectorFiles that Rancher itself does not make before it fails or
 * silently does the wrong thing (rancher/rancher pkg/capr/planner):
 * - two items, or an item and one of Rancher's own files, writing the same path: one clobbers the other;
 * - a node selector that cannot match a control-plane machine: kube-apiserver never gets the policy file;
 * - a `hash` that no longer matches the object's data: the planner refuses the file.
 */
import type { Message } from '../policy/messages';
import { consumersIn } from './consumers';
import { dataDirOf } from './distro';
import { deliveryMessage, deliveryText } from './messages';
import { objectText } from './objects';
import { fileHash } from './sha256';
import {
  Distro, FileItem, KubeObject, ObjectKind, SelectorFiles
} from './types';

/** Labels Rancher puts on machines by role (rancher/rancher pkg/capr labels.go: *RoleLabel = "true"). */
export const ROLE_LABELS = {
  controlPlane: 'rke.cattle.io/control-plane-role',
  etcd:         'rke.cattle.io/etcd-role',
  worker:       'rke.cattle.io/worker-role',
} as const;

/**
 * Files Rancher's planner writes itself on RKE2/K3s nodes (planner.go ConfigYamlFileName and the registry,
 * fileParams, authn-webhook and PSA paths in config.go, registry.go and cluster_types.go), for this cluster.
 */
export function rancherFilePaths(cluster: KubeObject, distro: Exclude<Distro, 'rke1'>): string[] {
  const dataDir = dataDirOf(cluster, distro);

  return [
    `/etc/rancher/${ distro }/config.yaml.d/50-rancher.yaml`,
    `/etc/rancher/${ distro }/registries.yaml`,
    '/etc/rancher/agent/registries.yaml',
    `/etc/rancher/${ distro }/config/rancher-psact.yaml`,
    `${ dataDir }/kube-api-authn-webhook.yaml`,
    `${ dataDir }/etc/config-files/audit-policy-file`,
    `${ dataDir }/etc/config-files/cloud-provider-config`,
    `${ dataDir }/etc/config-files/flannel-conf`,
  ];
}

/** Where an item sits: indexes into machineSelectorFiles[entry].fileSources[source].items[item]. */
export interface ItemRef { entry: number, source: number, item: number }

/**
 * Who else writes `path` on this cluster's nodes: another machineSelectorFiles item (`own` excluded) or
 * Rancher itself. Null when nobody does.
 */
export function pathWriterMessage(cluster: KubeObject, distro: Exclude<Distro, 'rke1'>, path: string, own?: ItemRef): Message | null {
  const other = consumersIn(cluster).find((c) => c.path === path && !(own && c.entry === own.entry && c.source === own.source && c.item === own.item));

  if (other) {
    return deliveryMessage('delivery.writerItem', {
      entry: String(other.entry), kind: other.kind === 'secret' ? 'Secret' : 'ConfigMap', name: other.name, key: other.key
    });
  }

  return rancherFilePaths(cluster, distro).includes(path) ? deliveryMessage('delivery.writerRancher') : null;
}

/** pathWriterMessage in English. */
export function pathWriter(cluster: KubeObject, distro: Exclude<Distro, 'rke1'>, path: string, own?: ItemRef): string | null {
  const writer = pathWriterMessage(cluster, distro, path, own);

  return writer && deliveryText(writer);
}

type Selector = SelectorFiles['machineLabelSelector'];
interface Requirement { key?: string, operator?: string, values?: string[] }

/**
 * Why a selector can match no control-plane machine, or null when it can. Rancher sets the role labels to "true"
 * on machines with the role and leaves them off otherwise; a selector on other labels cannot be judged here.
 */
export function controlPlaneExclusion(selector: Selector | null | undefined): Message | null {
  const cp = ROLE_LABELS.controlPlane;
  const value = selector?.matchLabels?.[cp];

  if (value !== undefined && value !== 'true') {
    return deliveryMessage('delivery.selectorLabel', { label: cp, value: JSON.stringify(value) });
  }
  for (const raw of (selector?.matchExpressions || []) as Requirement[]) {
    if (raw?.key !== cp) {
      continue;
    }
    const values = raw.values || [];
    const excluded = raw.operator === 'DoesNotExist' ||
      (raw.operator === 'NotIn' && values.includes('true')) ||
      (raw.operator === 'In' && !values.includes('true'));

    if (excluded) {
      return deliveryMessage('delivery.selectorExpression', {
        label: cp, operator: String(raw.operator), values: JSON.stringify(values)
      });
    }
  }

  return null;
}

/** controlPlaneExclusion in English. */
export function excludesControlPlane(selector: Selector | null | undefined): string | null {
  const exclusion = controlPlaneExclusion(selector);

  return exclusion && deliveryText(exclusion);
}

/** A stale `hash`: the item's hash no longer matches the object's data, so Rancher's planner refuses the file. */
export function staleHash(item: FileItem, obj: KubeObject | null | undefined, kind: ObjectKind): { want: string, got: string } | null {
  if (!item.hash || !obj || item.key === undefined) {
    return null;
  }
  const text = objectText(obj, kind, item.key);

  if (text === undefined) {
    return null;
  }
  const want = fileHash(text);

  return want === item.hash ? null : { want, got: item.hash };
}
