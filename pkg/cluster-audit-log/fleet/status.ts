/**
 * fleetStatus: the clusters table and the policies table of a world. A cluster's row is read with readSettings
 * (the tab's own reader) and the delivery checks (delivery/checks.ts, annotation.ts, consumers.ts); its problems
 * carry codes and parameters (problems.ts). RKE2/K3s clusters Rancher provisions (spec.rkeConfig) and RKE1
 * management clusters are rows; other clusters (the local cluster, imported, hosted, the provisioning wrapper of
 * an RKE1 cluster) have no audit settings Rancher manages and are left out.
 */
import { isAuthorized } from '../delivery/annotation';
import { controlPlaneExclusion, pathWriterMessage } from '../delivery/checks';
import { clusterRef } from '../delivery/cluster';
import { consumersIn, spacedEntries } from '../delivery/consumers';
import { AUTHORIZED_ANNOTATION, CIS_LOG_MINIMUMS, detectDistro, inlinePolicyPath } from '../delivery/distro';
import { objectText } from '../delivery/objects';
import { kubernetesVersionOf } from '../delivery/retention';
import { CurrentSource, findFileItem, readSettings } from '../delivery/settings';
import type { Distro, KubeObject } from '../delivery/types';
import { WorldIndex } from './lookup';
import { policyStatuses, PolicyRead } from './policies';
import { problem } from './problems';
import { rotationOf, rotationProblem } from './rotation';
import type {
  ClusterStatus, FleetMethod, FleetProblem, FleetStatus, FleetWorld
} from './types';
import { PolicyVerdicts } from './verdicts';

type ObjectSource = NonNullable<CurrentSource['object']>;

/** Delivery problems of a policy file from a Secret/ConfigMap; returns the policy text when the object holds it. */
function objectDelivery(cluster: KubeObject, distro: Exclude<Distro, 'rke1'>, source: ObjectSource, index: WorldIndex, problems: FleetProblem[]): string | undefined {
  const { name: clusterName, namespace } = clusterRef(cluster);
  const at = {
    kind: source.kind, namespace, object: source.name
  };
  const obj = index.object(namespace, source.kind, source.name);
  const item = findFileItem(cluster, source.path);
  let text: string | undefined;

  if (!obj) {
    problems.push(problem('missing-object', at));
  } else {
    text = objectText(obj, source.kind, source.key);
    if (text === undefined) {
      problems.push(problem('missing-key', { ...at, key: source.key }));
    }
    const stale = index.staleHash(obj, source.kind, source.key, item?.hash);

    if (stale) {
      problems.push(problem('stale-hash', {
        ...at, key: source.key, ...stale
      }));
    }
    if (!isAuthorized(obj.metadata.annotations?.[AUTHORIZED_ANNOTATION], clusterName)) {
      problems.push(problem('not-authorized', {
        ...at, cluster: clusterName, spaced: spacedEntries(index.shared(namespace, source.kind, source.name), clusterName)
      }));
    }
  }
  const excluded = item ? controlPlaneExclusion(item.selector) : null;

  if (item && excluded) {
    problems.push(problem('selector-excludes-control-plane', { entry: item.entry, reason: excluded }));
  }
  const writer = pathWriterMessage(cluster, distro, source.path, item || undefined);

  if (writer) {
    problems.push(problem('path-collision', { path: source.path, writer }));
  }

  return text;
}

/** An item of machineSelectorFiles writing over the file Rancher writes the inline policy to. */
function inlineCollision(cluster: KubeObject, problems: FleetProblem[]): void {
  const path = inlinePolicyPath(cluster);
  const writer = consumersIn(cluster).some((c) => c.path === path) ? pathWriterMessage(cluster, 'rke2', path) : null;

  if (writer) {
    problems.push(problem('path-collision', { path, writer }));
  }
}

/** Does Rancher provision the cluster (spec.rkeConfig), rather than only register it (the local cluster, imported ones)? */
function isProvisioned(cluster: KubeObject): boolean {
  const rkeConfig = (cluster.spec as { rkeConfig?: unknown } | undefined)?.rkeConfig;

  return typeof rkeConfig === 'object' && rkeConfig !== null;
}

/** One cluster's row, and the object key its policy is read from (for the policies table); null when not a row. */
export function clusterStatus(cluster: KubeObject, index: WorldIndex, verdicts: PolicyVerdicts): { status: ClusterStatus, reads: PolicyRead | null } | null {
  const distro = detectDistro(cluster);

  if (!distro || (distro !== 'rke1' && !isProvisioned(cluster))) {
    return null;
  }
  const { name, namespace } = clusterRef(cluster);
  const { settings, current } = readSettings(cluster, index.objectsOf(cluster), distro);
  const problems: FleetProblem[] = [];
  let method: FleetMethod | null = null;
  let object: ClusterStatus['object'] = null;
  let text: string | undefined;
  let reads: PolicyRead | null = null;

  if (distro === 'rke1') {
    method = settings.enabled ? 'rke1' : null;
    text = settings.enabled ? settings.policyYaml : undefined;
  } else if (settings.external !== undefined) {
    method = 'external';
    problems.push(problem('external-policy', { path: settings.external }));
  } else if (current.object) {
    method = current.object.kind;
    object = { kind: current.object.kind, name: current.object.name };
    text = objectDelivery(cluster, distro, current.object, index, problems);
    reads = text === undefined ? null : {
      namespace, kind: current.object.kind, name: current.object.name, key: current.object.key
    };
  } else if (current.method === 'inline') {
    method = 'inline';
    text = settings.policyYaml;
    if (distro === 'rke2') {
      inlineCollision(cluster, problems);
    }
  }
  // no log file (the webhook alone, or no backend at all): no rotation to hold against the CIS minimums
  const noFile = settings.enabled && !!settings.log.off;
  const rotation = settings.enabled && !noFile ? rotationOf(distro, settings, kubernetesVersionOf(cluster)) : null;
  const below = rotation && rotationProblem(rotation);

  if (below) {
    problems.push(below);
  }
  if (noFile) {
    problems.push(problem('no-log-file', { ...CIS_LOG_MINIMUMS }));
  }
  const verdict = text === undefined ? null : verdicts.of(text);

  return {
    status: {
      name,
      namespace:   distro === 'rke1' ? null : namespace,
      distro,
      enabled:     settings.enabled,
      method,
      object,
      fingerprint: verdict?.fingerprint ?? null,
      preset:      verdict?.preset ?? null,
      findings:    verdict?.findings ?? null,
      rotation,
      problems,
    },
    reads,
  };
}

/**
 * The status of every cluster and every Secret/ConfigMap key holding an audit policy in `world`. `verdicts`
 * caches reading and linting each distinct policy (a fresh one per call unless given).
 */
export function fleetStatus(world: FleetWorld, verdicts = new PolicyVerdicts()): FleetStatus {
  const index = new WorldIndex(world);
  const rows = world.clusters.map((c) => clusterStatus(c, index, verdicts)).filter((r) => r !== null);

  return {
    clusters: rows.map((r) => r.status),
    policies: policyStatuses(index, rows.map((r) => r.reads).filter((r) => r !== null), verdicts),
  };
}
