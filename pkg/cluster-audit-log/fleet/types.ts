/**
 * The fleet status: one row per RKE2/K3s/RKE1 cluster (is its audit log on, where its policy comes from, which
 * policy, what lint says, rotation against the CIS minimums, whether Rancher can deliver it) and one row per
 * Secret/ConfigMap key holding an audit policy. The Cluster Management page and `audit-policy report --json`
 * show the same objects.
 */
import type { Distro, KubeObject, LogNumberField, ObjectKind } from '../delivery/types';
import type { Message } from '../policy/messages';
import type { Severity } from '../policy/types';

/** What fleetStatus reads: the clusters (provisioning, and RKE1's management clusters) and the Secrets/ConfigMaps. */
export interface FleetWorld {
  clusters: KubeObject[];
  objects: KubeObject[];
}

/** Where a cluster's policy comes from; `external`: audit-policy-file names a file no machineSelectorFiles item delivers. */
export type FleetMethod = 'inline' | 'secret' | 'configmap' | 'rke1' | 'external';

/** The parameters of each problem (problems.ts makes its message of them; a reason or a writer is a delivery message). */
export interface ProblemParams {
  'not-authorized': { kind: ObjectKind, namespace: string, object: string, cluster: string, spaced: string[] };
  'missing-object': { kind: ObjectKind, namespace: string, object: string };
  'missing-key': { kind: ObjectKind, namespace: string, object: string, key: string };
  'stale-hash': { kind: ObjectKind, namespace: string, object: string, key: string, want: string, got: string };
  'selector-excludes-control-plane': { entry: number, reason: Message };
  'path-collision': { path: string, writer: Message };
  'external-policy': { path: string };
  'rotation-below-cis': { below: { field: LogNumberField, value: string | null, minimum: number }[] };
  'no-log-file': { maxAge: number, maxBackup: number, maxSize: number };
  'authorized-unused': { cluster: string };
  'used-not-authorized': { cluster: string };
  'spaced-entry': { entry: string };
  'foreign-origin': { label: string, value: string };
}

/** The problem codes: clusters' delivery and rotation problems, and the sharing problems of policy objects. */
export type ProblemId = keyof ProblemParams;

/** One problem: its code, how bad it is, the parameters, and the English message built from them. */
export type FleetProblem<K extends ProblemId = ProblemId> = {
  [I in K]: { id: I, severity: Severity, params: ProblemParams[I], message: string };
}[K];

/** Lint findings of a policy, by severity. */
export interface FindingCounts {
  error: number;
  warning: number;
}

/**
 * The rotation numbers kube-apiserver gets (digits as configured, or the distro's default where it applies one;
 * null: not set, kube-apiserver keeps logs without that limit) and whether all three meet the CIS minimums.
 */
export interface Rotation {
  maxAge: string | null;
  maxBackup: string | null;
  maxSize: string | null;
  cisOk: boolean;
}

/** One row of the clusters table. Fields about the policy are null when it is off or cannot be read. */
export interface ClusterStatus {
  name: string;
  /** The provisioning cluster's namespace; null for an RKE1 (management, cluster-scoped) cluster. */
  namespace: string | null;
  distro: Distro;
  enabled: boolean;
  method: FleetMethod | null;
  /** The Secret/ConfigMap the policy file is delivered from. */
  object: { kind: ObjectKind, name: string } | null;
  /** policyFingerprint of the policy in effect; null when there is none to read. */
  fingerprint: string | null;
  /** The preset the policy equals. */
  preset: string | null;
  findings: FindingCounts | null;
  /** Null when the audit log is off. */
  rotation: Rotation | null;
  problems: FleetProblem[];
}

/** One item that reads the key: the cluster and the file it is written to. */
export interface PolicyConsumer {
  cluster: string;
  path: string;
}

/** One row of the policies table: a Secret/ConfigMap key that holds an audit policy. */
export interface PolicyStatus {
  kind: ObjectKind;
  namespace: string;
  name: string;
  key: string;
  fingerprint: string;
  preset: string | null;
  /** The annotation's entries, exactly as Rancher reads them. */
  authorized: string[];
  /** Every item, of any cluster, that reads this key. */
  consumers: PolicyConsumer[];
  problems: FleetProblem[];
}

/** What fleetStatus returns, and `audit-policy report --json` prints. */
export interface FleetStatus {
  clusters: ClusterStatus[];
  policies: PolicyStatus[];
}
