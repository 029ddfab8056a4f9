/**
 * The Audit column of Rancher's Clusters list: from the row's own objects (the provisioning cluster, and for an
 * RKE1 cluster its management cluster), read with readSettings as the tab reads them, whether the cluster's
 * kube-apiserver has an audit policy and where it comes from. No Secret or ConfigMap is fetched for it: the
 * Audit Log page in Cluster Management checks delivery.
 */
import { detectDistro } from '../delivery/distro';
import { readSettings } from '../delivery/settings';
import type { KubeObject } from '../delivery/types';
import type { FleetMethod } from './types';

/** none: not an RKE2/K3s/RKE1 cluster Rancher provisions; off; on, with the policy's source. */
export type AuditColumnValue = { state: 'none' } | { state: 'off' } | { state: 'on', method: FleetMethod };

/**
 * The column's value for a cluster: its provisioning cluster (null when the list has not loaded it) and its
 * management cluster (which holds RKE1's settings).
 */
export function auditColumn(cluster: KubeObject | null, mgmt?: KubeObject | null): AuditColumnValue {
  if (mgmt && detectDistro(mgmt) === 'rke1') {
    return readSettings(mgmt, [], 'rke1').settings.enabled ? { state: 'on', method: 'rke1' } : { state: 'off' };
  }
  const distro = detectDistro(cluster);
  const rkeConfig = (cluster?.spec as { rkeConfig?: unknown } | undefined)?.rkeConfig;

  if (!cluster || !distro || distro === 'rke1' || typeof rkeConfig !== 'object' || rkeConfig === null) {
    return { state: 'none' };
  }
  const { settings, current } = readSettings(cluster, [], distro);

  if (!settings.enabled) {
    return { state: 'off' };
  }

  return { state: 'on', method: settings.external !== undefined ? 'external' : current.object?.kind ?? 'inline' };
}
