/**
 * Roll-out: one policy onto many clusters, planned with the tab's own plan() (delivery/plan.ts), so that what the
 * preview shows per cluster is exactly what its save writes.
 *
 * - The policy comes from a preset, a Secret/ConfigMap key that holds one (the policies table), or another cluster.
 * - Each cluster keeps what the roll-out does not set (its log values, its file path and node selector); RKE1
 *   clusters get their auditLog block whatever the method.
 * - Shared storage: the selected clusters of a namespace read one Secret/ConfigMap. Its clusters are planned one
 *   after the other on the object as the previous plan leaves it, so the last plan's object authorizes all of
 *   them: that object is written first, once (the pre-write), before any cluster is saved, and a cluster whose
 *   save then fails is "authorized, not configured" until it is retried.
 * - Waves: the first N clusters, then the rest.
 */
import { authorizedClusters } from '../delivery/annotation';
import { clone, clusterRef, deepEqual } from '../delivery/cluster';
import { AUTHORIZED_ANNOTATION, detectDistro } from '../delivery/distro';
import { findObject } from '../delivery/objects';
import { plan } from '../delivery/plan';
import { readSettings } from '../delivery/settings';
import { objectTitle } from '../delivery/sharing';
import { SPEC_YAML_FIELDS, specYaml } from '../delivery/spec-yaml';
import type {
  AuditSettings, Distro, KubeObject, LogSettings, ObjectChange, ObjectKind, Plan
} from '../delivery/types';
import { lintPolicy } from '../policy/lint';
import { readPolicy } from '../policy/read';
import { presetPolicy } from '../policy/presets';
import type { Finding } from '../policy/types';
import { policyToYaml } from '../policy/write';
import { keyText, policyTextOf } from './drift';
import { clusterObject, rowKey } from './rows';
import type { FleetWorld, PolicyStatus } from './types';

/** Where the rolled-out policy comes from. */
export type PolicySource =
  | { kind: 'preset', id: string }
  | { kind: 'shared', policy: Pick<PolicyStatus, 'namespace' | 'kind' | 'name' | 'key'> }
  | { kind: 'cluster', key: string };

/** The roll-out's choices (steps 1 and 2 of the page). */
export interface RolloutChoice {
  source: PolicySource;
  /** For RKE2/K3s clusters; a shared source uses its own object's kind. RKE1 clusters always get their block. */
  method: 'inline' | ObjectKind;
  /** secret/configmap: one object the clusters of a namespace share, or one object per cluster. */
  storage: 'shared' | 'per-cluster';
  /** The shared object's name (storage `shared`; a shared source uses its own). */
  objectName: string;
  /** Log values to set; a field left undefined keeps each cluster's own. */
  log: LogSettings;
}

/** The key the policy is stored under in an object the roll-out creates. */
const NEW_OBJECT_KEY = 'audit-policy.yaml';

/** The policy text of a source, or why there is none. */
export function sourceText(source: PolicySource, world: FleetWorld): { ok: true, text: string } | { ok: false, reason: 'unknown-preset' | 'missing-object' | 'no-policy' } {
  if (source.kind === 'preset') {
    const policy = presetPolicy(source.id);

    return policy ? { ok: true, text: policyToYaml(policy) } : { ok: false, reason: 'unknown-preset' };
  }
  if (source.kind === 'shared') {
    const text = keyText(world, source.policy);

    return text === null ? { ok: false, reason: 'missing-object' } : { ok: true, text };
  }
  const row = parseRowKey(source.key);
  const cluster = row && clusterObject(world, row);
  const text = cluster ? policyTextOf(cluster, namespaceObjects(world, clusterRef(cluster).namespace)) : null;

  return text === null ? { ok: false, reason: 'no-policy' } : { ok: true, text };
}

/** The cluster a row key names: RKE1 by id, else by namespace and name. */
export function parseRowKey(key: string): { distro: Distro | null, namespace: string | null, name: string } | null {
  const at = key.indexOf('/');

  if (at < 0) {
    return null;
  }
  const head = key.slice(0, at);

  return head === 'rke1' ? {
    distro: 'rke1', namespace: null, name: key.slice(at + 1)
  } : {
    distro: null, namespace: head, name: key.slice(at + 1)
  };
}

/** The Secrets and ConfigMaps of a namespace. */
export function namespaceObjects(world: FleetWorld, namespace: string): KubeObject[] {
  return world.objects.filter((o) => clusterRef(o).namespace === namespace);
}

/** The provisioning clusters of a namespace (the consumers plan() must never break). */
export function namespaceClusters(world: FleetWorld, namespace: string): KubeObject[] {
  return world.clusters.filter((c) => c.apiVersion?.startsWith('provisioning.') && clusterRef(c).namespace === namespace);
}

/** The lint errors that keep a policy from being rolled out (the tab refuses to save them too). */
export function policyBlockers(text: string): Finding[] {
  return lintPolicy(readPolicy(text)).filter((f) => f.severity === 'error');
}

/** The object a shared roll-out writes in a namespace: its kind, name and key. */
export function sharedTarget(choice: RolloutChoice): { kind: ObjectKind, name: string, key: string } | null {
  if (choice.source.kind === 'shared') {
    return {
      kind: choice.source.policy.kind, name: choice.source.policy.name, key: choice.source.policy.key
    };
  }

  return choice.method !== 'inline' && choice.storage === 'shared' ? {
    kind: choice.method, name: choice.objectName, key: NEW_OBJECT_KEY
  } : null;
}

/** The settings a cluster is saved with: its own, with audit logging on, the policy, the method and the log values chosen. */
export function targetSettings(cluster: KubeObject, objects: KubeObject[], distro: Distro, choice: RolloutChoice, text: string): AuditSettings {
  const { settings: base } = readSettings(cluster, objects, distro);
  const log = Object.fromEntries(Object.entries(choice.log).filter(([, v]) => v !== undefined && v !== ''));
  const settings: AuditSettings = {
    ...base, enabled: true, policyYaml: text, external: undefined, log: { ...base.log, ...log }, file: { ...base.file }
  };

  if (distro === 'rke1') {
    return { ...settings, method: 'rke1' };
  }
  const shared = sharedTarget(choice);

  settings.method = shared ? shared.kind : choice.method;
  if (shared) {
    settings.file = {
      ...settings.file, name: shared.name, key: shared.key, hash: true
    };
  } else if (settings.method !== 'inline') {
    const own = `${ clusterRef(cluster).name }-audit-policy`;
    const keep = base.enabled && base.method === settings.method && base.file.name === own;

    settings.file = {
      ...settings.file, name: own, key: keep ? base.file.key : NEW_OBJECT_KEY, hash: true
    };
  }

  return settings;
}

/** What one cluster's save does, planned by plan() on the cluster, the objects and the namespace's clusters given. */
export function clusterPlan(cluster: KubeObject, objects: KubeObject[], clusters: KubeObject[], choice: RolloutChoice, text: string): { plan: Plan, settings: AuditSettings } {
  const distro = detectDistro(cluster) as Distro;
  const settings = targetSettings(cluster, objects, distro, choice, text);

  return { plan: plan(cluster, distro === 'rke1' ? [] : objects, settings, { distro, clusters }), settings };
}

/** One cluster of the preview. */
export interface ClusterPreview {
  key: string;
  name: string;
  distro: Distro;
  plan: Plan;
  /** This cluster's object writes and releases, without the shared object's pre-write. */
  objectChanges: ObjectChange[];
  /** The cluster's audit fields as YAML, before and after. */
  before: string;
  after: string;
  /** Set when the pre-write authorizes this cluster on a shared object: that object's title. */
  authorizedBy: string | null;
}

/** A shared object written before any cluster: the policy at its key, every selected cluster of its namespace authorized. */
export interface Prewrite extends Pick<ObjectChange, 'phase' | 'kind' | 'namespace' | 'name' | 'before' | 'after'> {
  action: 'create' | 'update';
  /** The key holding the policy. */
  key: string;
  /** How many clusters it authorizes in all. */
  authorized: number;
}

/** The roll-out as planned: the pre-writes (shared objects, written first) and every cluster's plan. */
export interface RolloutPlan {
  prewrites: Prewrite[];
  clusters: ClusterPreview[];
  /** Clusters whose plan has errors: the roll-out cannot start while there are any. */
  blocked: string[];
}

const fieldsOf = (distro: Distro) => (distro === 'rke1' ? SPEC_YAML_FIELDS.rke1 : SPEC_YAML_FIELDS.rkeConfig);

/** Plans the roll-out of `text` onto the clusters with these row keys (in this order; unknown keys are left out). */
export function planRollout(world: FleetWorld, keys: string[], choice: RolloutChoice, text: string): RolloutPlan {
  const shared = sharedTarget(choice);
  const objectsByNs = new Map<string, KubeObject[]>();
  const clustersByNs = new Map<string, KubeObject[]>();
  const out: RolloutPlan = {
    prewrites: [], clusters: [], blocked: []
  };

  for (const key of keys) {
    const row = parseRowKey(key);
    const cluster = row ? clusterObject(world, row) : undefined;
    const distro = cluster ? detectDistro(cluster) : null;

    if (!cluster || !distro) {
      continue;
    }
    const { name, namespace } = clusterRef(cluster);

    if (!objectsByNs.has(namespace)) {
      objectsByNs.set(namespace, namespaceObjects(world, namespace));
      clustersByNs.set(namespace, namespaceClusters(world, namespace));
    }
    const objects = objectsByNs.get(namespace) as KubeObject[];
    const clusters = clustersByNs.get(namespace) as KubeObject[];
    const { plan: p } = clusterPlan(cluster, objects, clusters, choice, text);
    const isShared = (c: ObjectChange) => !!shared && distro !== 'rke1' && c.phase === 'before' && c.kind === shared.kind && c.name === shared.name;
    const sharedChange = p.objects.find(isShared);

    if (sharedChange?.after) {
      objectsByNs.set(namespace, [...objects.filter((o) => !findObject([o], sharedChange.kind, sharedChange.name)), sharedChange.after]);
    }
    if (distro !== 'rke1') {
      clustersByNs.set(namespace, [...clusters.filter((c) => clusterRef(c).name !== name), p.cluster]);
    }
    out.clusters.push({
      key: rowKey({
        distro, namespace, name
      }),
      name:          distro === 'rke1' ? String((cluster.spec as { displayName?: string }).displayName || name) : name,
      distro,
      plan:          p,
      objectChanges: p.objects.filter((c) => !isShared(c)),
      before:        specYaml(cluster, fieldsOf(distro)),
      after:         specYaml(p.cluster, fieldsOf(distro)),
      authorizedBy:  shared && distro !== 'rke1' && !p.errors.length ? objectTitle(shared.kind, namespace, shared.name) : null,
    });
    if (p.errors.length) {
      out.blocked.push(out.clusters[out.clusters.length - 1].key);
    }
  }
  if (shared) {
    for (const [namespace, objects] of objectsByNs) {
      const original = findObject(namespaceObjects(world, namespace), shared.kind, shared.name) || null;
      const final = findObject(objects, shared.kind, shared.name) || null;

      if (final && !deepEqual(original, final)) {
        out.prewrites.push({
          action:     original ? 'update' : 'create',
          phase:      'before',
          kind:       shared.kind,
          namespace,
          name:       shared.name,
          key:        shared.key,
          authorized: authorizedClusters(final.metadata.annotations?.[AUTHORIZED_ANNOTATION]).length,
          before:     original,
          after:      clone(final),
        });
      }
    }
  }

  return out;
}

/** The waves: the first `first` keys, then the rest (no empty wave). */
export function waves(keys: string[], first: number): string[][] {
  const n = Math.max(1, Math.floor(first));

  return [keys.slice(0, n), keys.slice(n)].filter((w) => w.length);
}

/** A source as the page's select names it: `preset:<id>`, `shared:<namespace>/<kind>/<name>/<key>`, `cluster:<row key>`. */
export function sourceKey(source: PolicySource): string {
  if (source.kind === 'preset') {
    return `preset:${ source.id }`;
  }

  return source.kind === 'shared' ? `shared:${ source.policy.namespace }/${ source.policy.kind }/${ source.policy.name }/${ source.policy.key }` : `cluster:${ source.key }`;
}

/** The source a select value names, or null. A key may hold slashes: the name never does (DNS-1123). */
export function parseSourceKey(value: string): PolicySource | null {
  const at = value.indexOf(':');
  const kind = value.slice(0, at);
  const rest = value.slice(at + 1);

  if (at < 0 || !rest) {
    return null;
  }
  if (kind === 'preset') {
    return { kind, id: rest };
  }
  if (kind === 'cluster') {
    return { kind, key: rest };
  }
  const [namespace, objectKind, name, ...key] = rest.split('/');

  if (kind !== 'shared' || (objectKind !== 'secret' && objectKind !== 'configmap') || !name || !key.length) {
    return null;
  }

  return {
    kind,
    policy: {
      namespace, kind: objectKind, name, key: key.join('/')
    }
  };
}
