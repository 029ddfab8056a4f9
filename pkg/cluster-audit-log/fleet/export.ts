/**
 * The page's export, as evidence for an auditor: the clusters the table shows (its filter and search applied) as
 * CSV (columns.ts: the columns of `audit-policy report --csv`) or as JSON (the objects of `audit-policy report
 * --json`, with when and from what the export was made), and the file names they are saved under.
 */
import { clustersCsv } from './columns';
import type { ClusterStatus, PolicyStatus } from './types';

/** What the JSON export holds besides the rows. */
export interface ExportContext {
  /** When the page read the clusters and objects (ISO 8601). */
  readAt: string;
  /** The table's filter and search text. */
  filter: string;
  search: string;
  /** The Rancher server the page talks to. */
  server: string;
}

/** The clusters as CSV (the report's columns). */
export function exportCsv(clusters: ClusterStatus[]): string {
  return clustersCsv(clusters);
}

/**
 * The export as JSON: the context, the clusters shown, and the policies those clusters read or that no cluster
 * reads (a policy only unshown clusters read is left out).
 */
export function exportJson(context: ExportContext, clusters: ClusterStatus[], policies: PolicyStatus[]): string {
  const shown = new Set(clusters.map((c) => `${ c.namespace }\n${ c.name }`));
  const kept = policies.filter((p) => !p.consumers.length || p.consumers.some((c) => shown.has(`${ p.namespace }\n${ c.cluster }`)));

  return `${ JSON.stringify({
    ...context, clusters, policies: kept
  }, null, 2) }\n`;
}

/** `cluster-audit-log-<yyyymmdd>-<hhmmss>.<ext>` in UTC, from the time the page read the data. */
export function exportFileName(readAt: string, ext: 'csv' | 'json'): string {
  const stamp = readAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-').replace(/Z$/, '');

  return `cluster-audit-log-${ stamp }.${ ext }`;
}
