/**
 * Distro detection and each distro's defaults, as data in one place (read off rancher/rancher pkg/capr/planner,
 * rancher/rke2 pkg/executor/staticpod/staticpod.go and rancher/rke cluster/defaults.go).
 */
import type { Message } from '../policy/messages';
import { deliveryMessage } from './messages';
import { Distro, KubeObject, LogDefaults, Method } from './types';

export interface DistroFacts {
  distro: Distro;
  label: string;
  /** Methods offered, in the order the switch shows them. */
  methods: Method[];
  /** Why a method is not offered (shown, not hidden), as a message code. */
  unsupported: Partial<Record<Method, Message>>;
  /** Default data directory (spec.rkeConfig.dataDirectories.k8sDistro overrides it). */
  dataDir: string;
  /**
   * Where the inline policy lands, relative to the data dir (RKE2 only). Rancher writes it on EVERY node,
   * workers included: KDM lists audit-policy-file among RKE2's agent args.
   */
  inlineFile?: string;
  /** Default file path for machineSelectorFiles delivery. */
  policyFile: string;
  /** Log settings the distro applies when none are given; RKE1's and K3s' are written out explicitly. */
  logDefaults: LogDefaults;
  /**
   * Does the distro add audit-log args by itself when its own audit-policy-file option is set (RKE2 does:
   * 30/10/100 and <data-dir>/server/logs/audit.log)? Not when the file comes only through kube-apiserver-arg.
   */
  addsLogArgs: boolean;
  /**
   * Default path of the audit webhook's kubeconfig on control-plane machines; '' where the tab offers no webhook
   * (RKE1). RKE2 mounts every existing file an arg names into kube-apiserver's static pod, but not the files a
   * kubeconfig names (rancher/rke2 pkg/podtemplate/podtemplate.go ReadFiles); K3s runs kube-apiserver in its own process.
   */
  webhookFile: string;
}

/** The CIS Kubernetes Benchmark minimums (1.2.17-1.2.19 / 1.2.18-1.2.20 by version): maxage, maxbackup, maxsize. */
export const CIS_LOG_MINIMUMS = {
  maxAge: 30, maxBackup: 10, maxSize: 100
} as const;

/** Label put on Secrets/ConfigMaps this extension creates: only those are ever deleted by it. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'cluster-audit-log';

/** The annotation Rancher's planner checks before it delivers a Secret/ConfigMap to a cluster's machines. */
export const AUTHORIZED_ANNOTATION = 'rke.cattle.io/object-authorized-for-clusters';

/** The label Rancher puts on control-plane machines. */
export const CONTROL_PLANE_SELECTOR = { 'rke.cattle.io/control-plane-role': 'true' };

export const DISTROS: Record<Distro, DistroFacts> = {
  rke2: {
    distro:      'rke2',
    label:       'RKE2',
    methods:     ['inline', 'secret', 'configmap'],
    unsupported: { rke1: deliveryMessage('delivery.rke1BlockOnly') },
    dataDir:     '/var/lib/rancher/rke2',
    inlineFile:  'etc/config-files/audit-policy-file',
    policyFile:  '/etc/rancher/rke2/audit-policy.yaml',
    logDefaults: {
      path: '/var/lib/rancher/rke2/server/logs/audit.log', maxAge: '30', maxBackup: '10', maxSize: '100', format: 'json'
    },
    addsLogArgs: true,
    webhookFile: '/etc/rancher/rke2/audit-webhook.yaml',
  },
  k3s: {
    distro:      'k3s',
    label:       'K3s',
    methods:     ['secret', 'configmap'],
    unsupported: {
      inline: deliveryMessage('delivery.k3sNoInlineMethod'),
      rke1:   deliveryMessage('delivery.rke1BlockOnly'),
    },
    dataDir:     '/var/lib/rancher/k3s',
    policyFile:  '/var/lib/rancher/k3s/server/audit.yaml',
    logDefaults: {
      path: '/var/lib/rancher/k3s/server/logs/audit.log', maxAge: '30', maxBackup: '10', maxSize: '100', format: 'json'
    },
    addsLogArgs: false,
    webhookFile: '/var/lib/rancher/k3s/server/audit-webhook.yaml',
  },
  rke1: {
    distro:      'rke1',
    label:       'RKE1',
    methods:     ['rke1'],
    unsupported: {
      inline:    deliveryMessage('delivery.rke1Settings'),
      secret:    deliveryMessage('delivery.rke1Settings'),
      configmap: deliveryMessage('delivery.rke1Settings'),
    },
    dataDir:     '',
    policyFile:  '/etc/kubernetes/audit-policy.yaml',
    logDefaults: {
      path: '/var/log/kube-audit/audit-log.json', maxAge: '30', maxBackup: '10', maxSize: '100', format: 'json'
    },
    addsLogArgs: false,
    webhookFile: '',
  },
};

type Spec = {
  kubernetesVersion?: string;
  rkeConfig?: { dataDirectories?: { k8sDistro?: string } } | null;
  rancherKubernetesEngineConfig?: unknown;
};

/**
 * The distro of a provisioning.cattle.io cluster (`+rke2` / `+k3s` in spec.kubernetesVersion, also while it
 * is being created) or of a management.cattle.io cluster with spec.rancherKubernetesEngineConfig (RKE1).
 * Null when the cluster is none of these (imported, hosted).
 */
export function detectDistro(cluster: KubeObject | null | undefined): Distro | null {
  const spec = (cluster?.spec || {}) as Spec;

  if (spec.rancherKubernetesEngineConfig) {
    return 'rke1';
  }
  const version = spec.kubernetesVersion || '';

  if (version.includes('k3s')) {
    return 'k3s';
  }
  if (version.includes('rke2') || (spec.rkeConfig && !version)) {
    return 'rke2';
  }

  return null;
}

/** The distro's data dir for this cluster (spec.rkeConfig.dataDirectories.k8sDistro, when set). */
export function dataDirOf(cluster: KubeObject, distro: Distro): string {
  const custom = ((cluster.spec || {}) as Spec).rkeConfig?.dataDirectories?.k8sDistro;

  return custom || DISTROS[distro].dataDir;
}

/** Where Rancher writes the inline policy on RKE2 control-plane and etcd nodes. */
export function inlinePolicyPath(cluster: KubeObject): string {
  return `${ dataDirOf(cluster, 'rke2') }/${ DISTROS.rke2.inlineFile }`;
}

/** The default audit log path on this cluster's nodes (follows a custom data dir). */
export function defaultLogPath(cluster: KubeObject, distro: Distro): string {
  const facts = DISTROS[distro];

  return distro === 'rke1' ? facts.logDefaults.path : facts.logDefaults.path.replace(facts.dataDir, dataDirOf(cluster, distro));
}

/** Is this method offered for the distro? */
export function methodSupported(distro: Distro, method: Method): boolean {
  return DISTROS[distro].methods.includes(method);
}
