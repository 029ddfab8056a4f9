/** Types of the delivery plan: how a cluster's audit settings are stored, for each distro and method. */
import type { Coded, Message } from '../policy/messages';
import type { DeliveredFile } from './messages';
import type { WebhookFlag } from './webhook-flags';

export type Distro = 'rke2' | 'k3s' | 'rke1';

/** inline: RKE2 machineGlobalConfig["audit-policy-file"]; secret/configmap: machineSelectorFiles; rke1: RKE1's auditLog block. */
export type Method = 'inline' | 'secret' | 'configmap' | 'rke1';

export type LogFormat = 'json' | 'legacy';

/**
 * The log backend. A field left undefined means "the distro's default": RKE2 adds its own audit-log args,
 * so nothing is written; K3s has none, so the default is written; RKE1 writes its block in full.
 * The rotation numbers are text: what the user typed or the cluster holds, digit for digit (a JS number
 * would round values above 2^53). plan() writes them only when parseWholeNumber (numbers.ts) accepts them.
 */
export interface LogSettings {
  path?: string;
  /** audit-log-maxage: days. */
  maxAge?: string;
  /** audit-log-maxbackup: files kept. */
  maxBackup?: string;
  /** audit-log-maxsize: megabytes. */
  maxSize?: string;
  format?: LogFormat;
  /**
   * Set when the user chose not to write a log file (the webhook backend alone): no audit-log-* arg is written
   * (RKE2's inline method gets `audit-log-path=`, which overrides the path RKE2 adds). Unset: a log file is written.
   */
  off?: true;
}

/** The log values a distro applies when none are given (every field of LogSettings but the user's `off` choice). */
export type LogDefaults = Required<Omit<LogSettings, 'off'>>;

/** The LogSettings fields that hold a whole number. */
export type LogNumberField = 'maxAge' | 'maxBackup' | 'maxSize';

/** Where a Secret or ConfigMap delivered through machineSelectorFiles lands. */
export interface FileSettings {
  /** Secret/ConfigMap name in the cluster's namespace. */
  name: string;
  /** Key in its data. */
  key: string;
  /** File path on the node; `audit-policy-file=` points at it. */
  path: string;
  /** machineLabelSelector.matchLabels of the machineSelectorFiles entry. */
  nodeSelector: Record<string, string>;
  /** Add `hash` (base64 SHA-256 of the data) so Rancher checks the file it delivers. */
  hash: boolean;
  /** The item's `permissions` (octal, as Rancher's system-agent applies them); undefined: "0600" for a new item. */
  permissions?: string;
}

/**
 * kube-apiserver's audit webhook backend (RKE2/K3s): its kubeconfig in a Secret of its own, delivered to the nodes by
 * machineSelectorFiles and named by --audit-webhook-config-file, and its other --audit-webhook-* flags.
 */
export interface WebhookSettings {
  enabled: boolean;
  /** The kubeconfig file's text exactly as it is written into the Secret (its credentials included). */
  kubeconfig: string;
  /** The Secret, its key, the file path on the nodes and the machines that get it. */
  file: FileSettings;
  /** The flags of webhook-flags.ts as typed (whole numbers as digits); unset: kube-apiserver's default, not written. */
  flags: Partial<Record<WebhookFlag, string>>;
  /**
   * Set when --audit-webhook-config-file names a file no Secret item of machineSelectorFiles delivers (put on the
   * nodes some other way): the path. The plan then never writes a kubeconfig.
   */
  external?: string;
}

export interface AuditSettings {
  enabled: boolean;
  method: Method;
  /** The policy file's text exactly as it will be written (comments and layout are kept). */
  policyYaml: string;
  log: LogSettings;
  file: FileSettings;
  /**
   * Set when `audit-policy-file=` names a file no machineSelectorFiles item delivers (put on the nodes some
   * other way): the path. The plan then never writes a policy; clearing it ("Replace it") lets the tab take over.
   */
  external?: string;
  /** The webhook backend, next to the log file. */
  webhook: WebhookSettings;
}

/** A plain Kubernetes object as the steve API returns it (enough of it for this module). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  type?: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    resourceVersion?: string;
    [key: string]: unknown;
  };
  data?: Record<string, string>;
  [key: string]: unknown;
}

export type ObjectKind = 'secret' | 'configmap';

export interface ObjectRef {
  kind: ObjectKind;
  namespace: string;
  name: string;
}

/** One Secret or ConfigMap the plan writes. `before` is what exists now (null: nothing). */
export interface ObjectChange {
  action: 'create' | 'update' | 'delete';
  /**
   * before: written before the cluster is saved (Rancher's planner needs the new object to exist and be
   * authorized); after: de-authorizing or deleting an object the cluster no longer uses, once it is saved.
   */
  phase: 'before' | 'after';
  kind: ObjectKind;
  namespace: string;
  name: string;
  /** Why, in English words. */
  reason: string;
  /** Why, as a message code with parameters (delivery/messages.ts; translated in "Changes on save"). */
  why: Message;
  before: KubeObject | null;
  /** The object to write; null for delete. */
  after: KubeObject | null;
  /** For a release: the key this cluster's policy item read (the after-save phase decides again from a fresh copy). */
  releasedKey?: string;
  /** For a release of another file than the policy: which one (the webhook kubeconfig). */
  releasedFile?: DeliveredFile;
}

/**
 * Something the reader found but could not turn into settings (kept as is), or a check of the plan: a message code
 * with its parameters (delivery/messages.ts; the UI translates it) and its English text.
 */
export interface Problem extends Coded {
  /** Field path in the cluster object, e.g. `spec.rkeConfig.machineGlobalConfig.kube-apiserver-arg[3]`. */
  path: string;
  severity: 'error' | 'warning' | 'info';
  /** A value for the field at `path` that resolves the problem, offered in one click (e.g. a free object name). */
  suggestion?: string;
}

export interface Plan {
  distro: Distro;
  method: Method;
  /** Blocking: the plan must not be applied (a policy kube-apiserver would refuse, a missing name...). */
  errors: Problem[];
  warnings: Problem[];
  /** The cluster object as it will be saved (a copy; the input is not touched). */
  cluster: KubeObject;
  /** Dotted paths under the cluster whose values the plan changes (apply copies exactly these). */
  clusterPaths: string[];
  /** Secrets/ConfigMaps to write, in the order to write them (before the cluster is saved). */
  objects: ObjectChange[];
  /** True when applying the plan changes nothing. */
  noop: boolean;
}

/** spec.rkeConfig.machineSelectorFiles, as the provisioning.cattle.io CRD defines it. */
export interface FileItem { key?: string, path?: string, permissions?: string, hash?: string, dynamic?: boolean, [k: string]: unknown }
export interface SourceSpec { name?: string, items?: FileItem[], defaultPermissions?: string, [k: string]: unknown }
export interface FileSource { secret?: SourceSpec, configMap?: SourceSpec, [k: string]: unknown }
export interface SelectorFiles {
  machineLabelSelector?: { matchLabels?: Record<string, string>, matchExpressions?: unknown[], [k: string]: unknown };
  fileSources?: FileSource[];
  [k: string]: unknown;
}
