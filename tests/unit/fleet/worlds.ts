/**
 * Worlds for the fleet tests, built from the real fixtures: the dashboard's RKE2 test cluster (tests/support/
 * clusters.ts), the collected policies (tests/fixtures/policies) and Rancher's Secret and ConfigMap shapes. Each
 * builder says what Rancher would store; the tests say what the fleet status must make of it.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  AUTHORIZED_ANNOTATION, fileHash, KubeObject, MANAGED_BY_LABEL, MANAGED_BY_VALUE
} from '@pkg/delivery';
import { ClusterStatus, PolicyStatus } from '@pkg/fleet';
import { k3sCluster, rke2Cluster, secret } from '../../support/clusters';

export const NS = 'fleet-default';
export const OURS = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
export const CONTROL_PLANE = { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } };
export const RKE2_PATH = '/etc/rancher/rke2/audit-policy.yaml';
/** The log file our plan writes for a delivered policy file (kube-apiserver writes no log file without one). */
export const LOG_PATH = '/var/lib/rancher/rke2/server/logs/audit.log';

/** A collected policy's text (tests/fixtures/policies, see its SOURCES.md). */
export function policy(file: string): string {
  return readFileSync(join(__dirname, '../../fixtures/policies', file), 'utf8');
}

/** One machineSelectorFiles item: the object it reads, and what the item says. */
export interface Item {
  kind?: 'secret' | 'configmap';
  name: string;
  key: string;
  path?: string;
  /** The text the item's hash was taken of (none: no hash). */
  hashOf?: string;
  selector?: Record<string, unknown>;
}

/** An RKE2 (or K3s) cluster with machineGlobalConfig values and machineSelectorFiles items, as Rancher stores it. */
export function cluster(name: string, global: Record<string, unknown> = {}, items: Item[] = [], distro: 'rke2' | 'k3s' = 'rke2'): KubeObject {
  const c = distro === 'rke2' ? rke2Cluster(name) : k3sCluster(name);
  const rke = (c.spec as { rkeConfig: Record<string, unknown> }).rkeConfig;

  rke.machineGlobalConfig = { ...(rke.machineGlobalConfig as object), ...global };
  if (items.length) {
    rke.machineSelectorFiles = items.map((it) => ({
      machineLabelSelector: it.selector ?? CONTROL_PLANE,
      fileSources:          [{
        [it.kind === 'configmap' ? 'configMap' : 'secret']: {
          name: it.name, items: [{ key: it.key, path: it.path ?? RKE2_PATH, ...(it.hashOf === undefined ? {} : { hash: fileHash(it.hashOf) }) }]
        }
      }],
    }));
  }

  return c;
}

/** The kube-apiserver args naming a delivered policy file, with the log path and rotation values (null: not written). */
export function args(path = RKE2_PATH, maxAge: string | null = '30', maxBackup: string | null = '10', maxSize: string | null = '100', logPath: string | null = LOG_PATH): { 'kube-apiserver-arg': string[] } {
  const log = [['path', logPath], ['maxage', maxAge], ['maxbackup', maxBackup], ['maxsize', maxSize]].filter(([, v]) => v !== null).map(([k, v]) => `audit-log-${ k }=${ v }`);

  return { 'kube-apiserver-arg': [`audit-policy-file=${ path }`, ...log] };
}

/** A Secret holding `text` at `key`, authorized by `annotation` (undefined: no annotation). */
export function policySecret(name: string, key: string, text: string, annotation: string | undefined, labels: Record<string, string> = OURS): KubeObject {
  return secret(name, { [key]: text }, annotation === undefined ? {} : { [AUTHORIZED_ANNOTATION]: annotation }, labels);
}

/** A ConfigMap as the steve API returns it. */
export function configMap(name: string, data: Record<string, string>, annotation: string | undefined, labels: Record<string, string> = {}): KubeObject {
  return {
    id: `${ NS }/${ name }`, type: 'configmap', apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, annotations: annotation === undefined ? {} : { [AUTHORIZED_ANNOTATION]: annotation }, labels }, data
  };
}

/** A cluster row in a few words, the way the truth tables write it. */
export interface RowSummary {
  audit: 'on' | 'off';
  method: string | null;
  object: string | null;
  policy: string | null;
  lint: string | null;
  rotation: string | null;
  problems: string;
}

/** Summarises a row: policy is the preset or the fingerprint, lint `errors/warnings`, rotation `age/backup/size ok|below`. */
export function summary(c: ClusterStatus): RowSummary {
  const r = c.rotation;

  return {
    audit:    c.enabled ? 'on' : 'off',
    method:   c.method,
    object:   c.object && `${ c.object.kind }/${ c.object.name }`,
    policy:   c.preset ?? c.fingerprint,
    lint:     c.findings && `${ c.findings.error }/${ c.findings.warning }`,
    rotation: r && `${ r.maxAge ?? '-' }/${ r.maxBackup ?? '-' }/${ r.maxSize ?? '-' } ${ r.cisOk ? 'ok' : 'below' }`,
    problems: c.problems.map((p) => p.id).join(' '),
  };
}

/** A policies row in a few words. */
export function policySummary(p: PolicyStatus): { object: string, policy: string, authorized: string, consumers: string, problems: string } {
  return {
    object:     `${ p.kind }/${ p.name }:${ p.key }`,
    policy:     p.preset ?? p.fingerprint,
    authorized: p.authorized.map((a) => JSON.stringify(a)).join(','),
    consumers:  p.consumers.map((c) => c.cluster).join(','),
    problems:   p.problems.map((q) => q.id).join(' '),
  };
}
