/**
 * The clusters table as flat columns, named after the JSON fields they come from (`object.kind`,
 * `findings.error`, `rotation.cisOk`...): the CSV export of the page and of `audit-policy report --csv`.
 */
import { csvText } from './csv';
import type { ClusterStatus } from './types';

const text = (value: string | number | boolean | null | undefined): string => (value === null || value === undefined ? '' : String(value));

/** Each column: its header and its value for a cluster (empty when the JSON field is null). */
export const CLUSTER_COLUMNS: { header: string, value: (c: ClusterStatus) => string }[] = [
  { header: 'name', value: (c) => c.name },
  { header: 'namespace', value: (c) => text(c.namespace) },
  { header: 'distro', value: (c) => c.distro },
  { header: 'enabled', value: (c) => text(c.enabled) },
  { header: 'method', value: (c) => text(c.method) },
  { header: 'object.kind', value: (c) => text(c.object?.kind) },
  { header: 'object.name', value: (c) => text(c.object?.name) },
  { header: 'fingerprint', value: (c) => text(c.fingerprint) },
  { header: 'preset', value: (c) => text(c.preset) },
  { header: 'findings.error', value: (c) => text(c.findings?.error) },
  { header: 'findings.warning', value: (c) => text(c.findings?.warning) },
  { header: 'rotation.maxAge', value: (c) => text(c.rotation?.maxAge) },
  { header: 'rotation.maxBackup', value: (c) => text(c.rotation?.maxBackup) },
  { header: 'rotation.maxSize', value: (c) => text(c.rotation?.maxSize) },
  { header: 'rotation.cisOk', value: (c) => text(c.rotation?.cisOk) },
  { header: 'problems', value: (c) => c.problems.map((p) => p.id).join(' ') },
];

/** The clusters as CSV: a header, then one record per cluster. */
export function clustersCsv(clusters: ClusterStatus[]): string {
  return csvText([CLUSTER_COLUMNS.map((c) => c.header), ...clusters.map((cluster) => CLUSTER_COLUMNS.map((c) => c.value(cluster)))]);
}
