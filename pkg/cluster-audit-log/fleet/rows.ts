/**
 * The page's clusters table: one row per ClusterStatus with the values its columns show, sort and search on, the
 * filters of the page, and the link to each cluster's Audit Log tab. Text for people is made by the page from
 * these values (translated there); the values here are codes and numbers.
 */
import { clusterRef } from '../delivery/cluster';
import { detectDistro } from '../delivery/distro';
import type { Distro, KubeObject } from '../delivery/types';
import type { ClusterStatus, FleetStatus, FleetWorld, PolicyStatus } from './types';

/** The delivery health of a cluster: its problems other than rotation, by the worst severity. */
export type Health = 'ok' | 'warning' | 'error';

/** One row of the clusters table. */
export interface ClusterRow {
  /** Unique: `<namespace>/<name>` for RKE2/K3s, `rke1/<id>` for an RKE1 management cluster. */
  key: string;
  status: ClusterStatus;
  /** What the table shows as the cluster's name (an RKE1 cluster's display name, else its name). */
  label: string;
  /** For sorting: 1 on, 0 off. */
  auditSort: number;
  /** The Secret/ConfigMap as `secret/<name>`, or ''. */
  objectText: string;
  /** The preset's id when the policy equals one, else the fingerprint, else ''. */
  policyText: string;
  /** Lint findings for sorting (errors weigh more than warnings; -1: no policy to lint). */
  lintSort: number;
  /** The rotation as `maxAge/maxBackup/maxSize` (`-` where not set), or '' when audit logging is off or writes no log file. */
  rotationText: string;
  /** Audit logging is on but writes no log file (no-log-file): the rotation column says so. */
  noLogFile: boolean;
  health: Health;
  /** Delivery problems (rotation-below-cis and no-log-file are log file matters, shown in the rotation column). */
  deliveryProblems: ClusterStatus['problems'];
  /** For sorting: 2 error, 1 warning, 0 ok. */
  healthSort: number;
  failingCis: boolean;
  /** Everything the search box matches: name, label, namespace, distro, method, object, policy, problem ids. */
  searchText: string;
  /** Where the cluster's Audit Log tab is (a vue-router location). */
  link: TabLink;
}

/** A vue-router location: the cluster's page in Cluster Management with its Audit Log tab selected. */
export interface TabLink {
  name: string;
  params: Record<string, string>;
  query: Record<string, string>;
  hash: string;
}

/** The filters of the clusters table. */
export const FLEET_FILTERS = ['all', 'failing-cis', 'errors', 'on', 'off', 'drifted'] as const;
export type FleetFilter = typeof FLEET_FILTERS[number];

/** The problems about the log file and its rotation: the rotation column shows them, not the delivery health. */
const LOG_FILE_PROBLEMS: ReadonlySet<string> = new Set(['rotation-below-cis', 'no-log-file']);

/**
 * The query parameter naming the tab a link opens: the shell's tabbed pages select their first tab before an
 * extension's tab has registered, so a `#hash` alone does not reach it; the tab selects itself when named here.
 */
export const OPEN_TAB_QUERY = 'open-tab';

/** The route of a resource's page in Cluster Management (the shell's c-cluster-product-resource-namespace-id). */
const RESOURCE_PAGE = 'c-cluster-product-resource-namespace-id';

/**
 * Does the cluster fail the CIS Kubernetes Benchmark's audit checks? Audit logging off (3.2.1), no log file or its
 * rotation below the minimums (1.2.16-1.2.19, 1.2.17-1.2.20 by version), lint errors in its policy (3.2.2 and what
 * kube-apiserver refuses), or a delivery error that keeps the policy from kube-apiserver.
 */
export function failsCis(c: ClusterStatus): boolean {
  return !c.enabled || c.rotation?.cisOk === false || c.problems.some((p) => p.severity === 'error' || p.id === 'no-log-file') || (c.findings?.error ?? 0) > 0;
}

/** The delivery health: the worst severity among the problems other than the log file's. */
export function healthOf(c: ClusterStatus): Health {
  const delivery = c.problems.filter((p) => !LOG_FILE_PROBLEMS.has(p.id));

  return delivery.some((p) => p.severity === 'error') ? 'error' : delivery.some((p) => p.severity === 'warning') ? 'warning' : 'ok';
}

/** The row's key for a cluster of the model. */
export function rowKey(c: Pick<ClusterStatus, 'distro' | 'namespace' | 'name'>): string {
  return c.distro === 'rke1' ? `rke1/${ c.name }` : `${ c.namespace }/${ c.name }`;
}

/** What the world says about RKE1 clusters: their display names and the namespace of their provisioning wrapper. */
function rke1Facts(world: FleetWorld): Map<string, { label: string, namespace: string }> {
  const wrappers = new Map<string, string>();
  const out = new Map<string, { label: string, namespace: string }>();

  for (const c of world.clusters) {
    const id = (c.status as { clusterName?: string } | undefined)?.clusterName;

    if (c.apiVersion?.startsWith('provisioning.') && id) {
      wrappers.set(id, clusterRef(c).namespace);
    }
  }
  for (const c of world.clusters) {
    if (detectDistro(c) === 'rke1') {
      const id = c.metadata.name;

      out.set(id, { label: String((c.spec as { displayName?: string } | undefined)?.displayName || id), namespace: wrappers.get(id) || 'fleet-default' });
    }
  }

  return out;
}

/** The link to a cluster's Audit Log tab: the edit page for RKE2/K3s, the detail page of the wrapper for RKE1. */
export function tabLink(c: ClusterStatus, rke1Namespace = 'fleet-default'): TabLink {
  const params = {
    cluster: '_', product: 'manager', resource: 'provisioning.cattle.io.cluster', namespace: c.namespace ?? rke1Namespace, id: c.name
  };

  return c.distro === 'rke1' ? {
    name: RESOURCE_PAGE, params, query: { [OPEN_TAB_QUERY]: 'cluster-audit-log-rke1' }, hash: '#cluster-audit-log-rke1'
  } : {
    name: RESOURCE_PAGE, params, query: { mode: 'edit', [OPEN_TAB_QUERY]: 'cluster-audit-log' }, hash: '#cluster-audit-log'
  };
}

/** The rows of the clusters table, in the model's order. */
export function clusterRows(status: FleetStatus, world: FleetWorld): ClusterRow[] {
  const rke1 = rke1Facts(world);

  return status.clusters.map((c) => {
    const facts = c.distro === 'rke1' ? rke1.get(c.name) : undefined;
    const health = healthOf(c);
    const objectText = c.object ? `${ c.object.kind }/${ c.object.name }` : '';
    const policyText = c.preset ?? c.fingerprint ?? '';
    const label = facts?.label ?? c.name;
    const r = c.rotation;

    return {
      key:              rowKey(c),
      status:           c,
      label,
      auditSort:        c.enabled ? 1 : 0,
      objectText,
      policyText,
      lintSort:         c.findings ? c.findings.error * 10000 + c.findings.warning : -1,
      rotationText:     r ? [r.maxAge, r.maxBackup, r.maxSize].map((v) => v ?? '-').join('/') : '',
      noLogFile:        c.problems.some((p) => p.id === 'no-log-file'),
      health,
      deliveryProblems: c.problems.filter((p) => !LOG_FILE_PROBLEMS.has(p.id)),
      healthSort:       {
        ok: 0, warning: 1, error: 2
      }[health],
      failingCis: failsCis(c),
      searchText: [c.name, label, c.namespace ?? '', c.distro, c.method ?? '', objectText, policyText, c.fingerprint ?? '', ...c.problems.map((p) => p.id)].join(' ').toLowerCase(),
      link:       tabLink(c, facts?.namespace),
    };
  });
}

/** The rows a filter keeps; `drifted` keeps the keys in `drifted` (the drift view's flagged clusters). */
export function filterRows(rows: ClusterRow[], filter: FleetFilter, drifted: ReadonlySet<string> = new Set()): ClusterRow[] {
  switch (filter) {
  case 'failing-cis':
    return rows.filter((r) => r.failingCis);
  case 'errors':
    return rows.filter((r) => r.status.problems.some((p) => p.severity === 'error') || (r.status.findings?.error ?? 0) > 0);
  case 'on':
    return rows.filter((r) => r.status.enabled);
  case 'off':
    return rows.filter((r) => !r.status.enabled);
  case 'drifted':
    return rows.filter((r) => drifted.has(r.key));
  default:
    return rows;
  }
}

/** A policy row's key: `<namespace>/<kind>/<name>/<key>`. */
export function policyKey(p: Pick<PolicyStatus, 'namespace' | 'kind' | 'name' | 'key'>): string {
  return `${ p.namespace }/${ p.kind }/${ p.name }/${ p.key }`;
}

/** The Kubernetes object of a cluster in the world: RKE1's management cluster by id, else the provisioning cluster. */
export function clusterObject(world: FleetWorld, row: { distro: Distro | null, namespace: string | null, name: string }): KubeObject | undefined {
  return world.clusters.find((c) => (row.distro === 'rke1' ? detectDistro(c) === 'rke1' && c.metadata.name === row.name : c.apiVersion?.startsWith('provisioning.') && c.metadata.name === row.name && clusterRef(c).namespace === row.namespace));
}

/** The rows the table shows: the filter's, then those whose search text holds every word searched, by label. */
export function visibleRows(rows: ClusterRow[], filter: FleetFilter, search: string, drifted: ReadonlySet<string> = new Set()): ClusterRow[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);

  return filterRows(rows, filter, drifted).filter((r) => words.every((w) => r.searchText.includes(w))).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.key < b.key ? -1 : 1));
}

/** The page's summary line: clusters, with the audit log on, failing CIS, with errors; policies. */
export function fleetSummary(rows: ClusterRow[], policies: PolicyStatus[]): { clusters: number, on: number, failing: number, errors: number, policies: number } {
  return {
    clusters: rows.length,
    on:       rows.filter((r) => r.status.enabled).length,
    failing:  rows.filter((r) => r.failingCis).length,
    errors:   filterRows(rows, 'errors').length,
    policies: policies.length,
  };
}
