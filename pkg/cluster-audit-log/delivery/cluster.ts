/** Small pure helpers over plain cluster objects: paths, copies, equality. */
import { KubeObject } from './types';

export type FieldPath = readonly string[];

/** spec.rkeConfig.machineGlobalConfig and friends, as paths. */
export const PATHS = {
  inlinePolicy:         ['spec', 'rkeConfig', 'machineGlobalConfig', 'audit-policy-file'],
  apiserverArgs:        ['spec', 'rkeConfig', 'machineGlobalConfig', 'kube-apiserver-arg'],
  machineSelectorFiles: ['spec', 'rkeConfig', 'machineSelectorFiles'],
  rke1AuditLog:         ['spec', 'rancherKubernetesEngineConfig', 'services', 'kubeApi', 'auditLog'],
} as const;

/** Renders a path the way the cluster's YAML shows it: `spec.rkeConfig.machineGlobalConfig.kube-apiserver-arg`. */
export function pathText(path: FieldPath): string {
  return path.join('.');
}

/** The value at a path, or undefined. */
export function getPath(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;

  for (const key of path) {
    if (cur === null || typeof cur !== 'object') {
      return undefined;
    }
    cur = (cur as Record<string, unknown>)[key];
  }

  return cur;
}

/** Sets (or, for undefined, deletes) the value at a path, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: FieldPath, value: unknown): void {
  let cur: Record<string, unknown> = obj;

  for (const key of path.slice(0, -1)) {
    if (cur[key] === null || typeof cur[key] !== 'object') {
      if (value === undefined) {
        return;
      }
      cur[key] = {};
    }
    cur = cur[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];

  if (value === undefined) {
    delete cur[last];
  } else {
    cur[last] = value;
  }
}

/** A deep copy of JSON data. */
export function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/** Deep equality of JSON data (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);

  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The cluster's name and namespace (fleet-default when unset, as Rancher creates them). */
export function clusterRef(cluster: KubeObject): { name: string, namespace: string } {
  return { name: cluster.metadata?.name || '', namespace: cluster.metadata?.namespace || 'fleet-default' };
}
