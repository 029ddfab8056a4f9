/**
 * `rke.cattle.io/object-authorized-for-clusters`: Rancher splits it on "," and compares each part to the
 * cluster name exactly, with no trimming. So other entries are kept byte for byte (even " b" with its
 * space), this cluster is added once, and no space is ever added.
 */

/** The cluster names the annotation authorizes, exactly as Rancher reads them. */
export function authorizedClusters(value: string | undefined): string[] {
  return value ? value.split(',') : [];
}

/** Does the annotation authorize this cluster (exact match, as the planner checks it)? */
export function isAuthorized(value: string | undefined, cluster: string): boolean {
  return authorizedClusters(value).includes(cluster);
}

/** The annotation with the cluster added (unchanged if it is already listed exactly). */
export function authorize(value: string | undefined, cluster: string): string {
  if (isAuthorized(value, cluster)) {
    return value as string;
  }

  return value ? `${ value },${ cluster }` : cluster;
}

/** The annotation with every exact occurrence of the cluster removed; other entries untouched. */
export function deauthorize(value: string | undefined, cluster: string): string {
  return authorizedClusters(value).filter((c) => c !== cluster).join(',');
}
