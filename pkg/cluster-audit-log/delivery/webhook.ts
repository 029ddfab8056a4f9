/**
 * The audit webhook backend of an RKE2/K3s cluster. Rancher's planner inlines only the policy (fileParams in
 * rancher/rancher pkg/capr/planner), so the webhook's kubeconfig goes into a Secret delivered to the control-plane
 * machines by machineSelectorFiles, and `--audit-webhook-config-file` names the file. The Secret holds credentials:
 * it is made by this extension, authorized for this cluster only, never shared with another file or cluster, and
 * released under the shared-objects rules (sharing.ts) when the webhook goes. Its data never shows in a reason,
 * warning or problem.
 */
import { Message, messageOf } from '../policy/messages';
import { argList, ownedArgs, splitArg } from './args';
import { controlPlaneExclusion, pathWriterMessage, staleHash } from './checks';
import {
  clone, clusterRef, deepEqual, getPath, pathText, PATHS, setPath
} from './cluster';
import {
  otherConsumers, sharedObject, stake, World, freeName, spacedEntries
} from './consumers';
import { findFileItem, readDelivered } from './delivered';
import { AUTHORIZED_ANNOTATION, CONTROL_PLANE_SELECTOR, DISTROS } from './distro';
import { removeFileItem, selectorFiles, upsertFileItem } from './files';
import { deliveryMessage, problem } from './messages';
import { findObject } from './objects';
import { base64, fileHash, utf8Bytes } from './sha256';
import {
  checkWrite, objectTitle, reasonOf, releaseChange, writtenObject
} from './sharing';
import {
  AuditSettings, Distro, KubeObject, ObjectChange, Problem, WebhookSettings
} from './types';
import {
  DEPRECATED_BACKOFF_ARG, readFlag, WEBHOOK_CONFIG_ARG, WEBHOOK_FLAG_FIELDS, WEBHOOK_FLAGS, WebhookArg
} from './webhook-flags';

/** The key under which a new Secret holds the webhook's kubeconfig. */
export const WEBHOOK_OBJECT_KEY = 'audit-webhook.yaml';

/** A cluster without a webhook: off, its Secret named after the cluster, its file at the distro's path. */
export function defaultWebhookSettings(cluster: KubeObject, distro: Distro): WebhookSettings {
  const { name } = clusterRef(cluster);

  return {
    enabled:    false,
    kubeconfig: '',
    file:       {
      name: `${ name || 'cluster' }-audit-webhook`, key: WEBHOOK_OBJECT_KEY, path: DISTROS[distro].webhookFile, nodeSelector: { ...CONTROL_PLANE_SELECTOR }, hash: true
    },
    flags: {},
  };
}

/** Is the webhook on (audit logging on, the webhook ticked): --audit-webhook-config-file is written. */
export function webhookOn(settings: AuditSettings): boolean {
  return settings.enabled && settings.webhook.enabled;
}

/** Does this configuration deliver the webhook's kubeconfig from a Secret it names (on, and not put there some other way)? */
export function webhookDelivered(settings: AuditSettings): boolean {
  return webhookOn(settings) && settings.webhook.external === undefined;
}

/** The webhook args the settings ask for: the config file's path and every flag set (kube-apiserver's defaults are not written). */
export function webhookArgs(settings: AuditSettings): Partial<Record<WebhookArg, string>> {
  if (!webhookOn(settings)) {
    return {};
  }
  const { webhook } = settings;
  const args: Partial<Record<WebhookArg, string>> = { [WEBHOOK_CONFIG_ARG]: webhook.external ?? webhook.file.path };

  for (const flag of WEBHOOK_FLAG_FIELDS) {
    const text = webhook.flags[flag];
    const read = text === undefined ? null : readFlag(flag, text);

    if (read?.ok) {
      args[WEBHOOK_FLAGS[flag].arg] = read.text;
    }
  }

  return args;
}

/**
 * Reads the webhook off the cluster's kube-apiserver args and machineSelectorFiles into `webhook`: the flags kube-apiserver
 * accepts as they are written (others are reported and kept as typed), and the kubeconfig from the Secret that delivers
 * the config file (a file delivered any other way is external: kept, never rewritten).
 */
export function readWebhook(cluster: KubeObject, objects: KubeObject[], webhook: WebhookSettings, problems: Problem[]): void {
  const args = argList(getPath(cluster, PATHS.apiserverArgs));
  const owned = ownedArgs(args);
  const at = (i: number) => `${ pathText(PATHS.apiserverArgs) }[${ i }]`;

  for (const flag of WEBHOOK_FLAG_FIELDS) {
    const facts = WEBHOOK_FLAGS[flag];
    const found = owned[facts.arg];

    if (!found) {
      continue;
    }
    // a bool flag given without a value is true (pflag's NoOptDefVal)
    const text = found.value ?? (facts.kind === 'bool' ? 'true' : '');
    const read = readFlag(flag, text);

    if (read.ok && read.text === text) {
      webhook.flags[flag] = text;
    } else {
      problems.push(read.ok ? problem(at(found.index), 'error', 'delivery.octalArg', { arg: facts.arg, value: text }) : problem(at(found.index), 'error', 'delivery.badArg', {
        arg: facts.arg, value: text, reason: messageOf(read)
      }));
    }
  }
  args.forEach((arg, i) => {
    if (splitArg(arg).name === DEPRECATED_BACKOFF_ARG) {
      problems.push(problem(at(i), 'warning', 'delivery.deprecatedArg', { arg, kube: 'Deprecated, use --audit-webhook-initial-backoff instead' }));
    }
  });
  const config = owned[WEBHOOK_CONFIG_ARG];

  if (!config || !config.value) {
    if (config || Object.keys(webhook.flags).length) {
      problems.push(problem(pathText(PATHS.apiserverArgs), 'warning', 'delivery.webhookArgsNoConfig', { arg: WEBHOOK_CONFIG_ARG }));
    }

    return;
  }
  webhook.enabled = true;
  const path = config.value;
  const found = findFileItem(cluster, path);

  if (!found || found.kind !== 'secret') {
    problems.push(problem(at(config.index), 'warning', 'delivery.externalWebhook', { arg: WEBHOOK_CONFIG_ARG, path }));
    webhook.external = path;

    return;
  }
  webhook.file = {
    name: found.name, key: found.key, path, nodeSelector: { ...(found.selector?.matchLabels || {}) }, hash: !!found.hash
  };
  if (found.permissions !== undefined) {
    webhook.file.permissions = found.permissions;
  }
  const delivered = readDelivered(cluster, found, objects, 'webhook');

  webhook.kubeconfig = delivered.text ?? '';
  problems.push(...delivered.problems);
  const obj = findObject(objects, 'secret', found.name);
  const { name: clusterName, namespace } = clusterRef(cluster);
  const others = authorizedOthers(obj, clusterName);

  if (others.length) {
    problems.push(problem(`${ pathText(PATHS.machineSelectorFiles) }[${ found.entry }]`, 'warning', 'delivery.webhookSecretShared', { object: objectTitle('secret', namespace, found.name), clusters: others.map((c) => JSON.stringify(c)).join(', ') }));
  }
}

/** The annotation's entries that are not this cluster (nor this cluster's name with spaces around it). */
function authorizedOthers(obj: KubeObject | null | undefined, cluster: string): string[] {
  const value = obj?.metadata?.annotations?.[AUTHORIZED_ANNOTATION];

  return value ? value.split(',').filter((e) => e.trim() !== cluster && e !== '') : [];
}

/** What the webhook's item and Secret depend on: when none of it changes, both are left exactly as they are. */
function itemState(settings: AuditSettings): unknown {
  return webhookDelivered(settings) ? { file: settings.webhook.file, kubeconfig: settings.webhook.kubeconfig } : null;
}

/**
 * Why the kubeconfig must not be written into the Secret the settings name, beyond the shared-objects rules: the
 * policy's own Secret, a Secret this extension did not make, one authorized for other clusters too, or one that
 * delivers other files. Null when it may.
 */
function writeBlock(world: World, next: KubeObject, settings: AuditSettings): Problem | null {
  const { name: clusterName, namespace } = clusterRef(next);
  const { file } = settings.webhook;
  const object = objectTitle('secret', namespace, file.name);
  const shared = sharedObject(world, 'secret', file.name, next);
  const block = (why: Message): Problem => {
    const suggestion = freeName(world, 'secret', `${ clusterName }-audit-webhook`);

    return { ...problem('webhook.file.name', 'error', 'delivery.chooseName', { reason: deliveryMessage('delivery.webhookSecretTaken', { object, why }), suggestion }), suggestion };
  };

  if (settings.method === 'secret' && settings.external === undefined && settings.file.name === file.name) {
    return block(deliveryMessage('delivery.alsoHoldsPolicy'));
  }
  if (shared.object && shared.origin === 'foreign') {
    return block(deliveryMessage('delivery.notMadeHere'));
  }
  const others = authorizedOthers(shared.object, clusterName);

  if (others.length) {
    return block(deliveryMessage('delivery.authorizedForOthers', { clusters: others.map((c) => JSON.stringify(c)).join(', ') }));
  }
  const readers = otherConsumers(shared, clusterName, file.path);

  if (readers.length) {
    const { clusters, files } = stake(readers);

    return block(deliveryMessage('delivery.namedForOtherFiles', { files, clusters: clusters.join(', ') }));
  }

  return null;
}

/** The Secret change that writes the kubeconfig (before the cluster is saved), or a blocking problem. */
function planSecret(world: World, next: KubeObject, settings: AuditSettings, edited: boolean, errors: Problem[], warnings: Problem[]): ObjectChange | null {
  const { name: clusterName, namespace } = clusterRef(next);
  const { file, kubeconfig } = settings.webhook;
  const shared = sharedObject(world, 'secret', file.name, next);

  if (!edited && (!shared.object || (!shared.authorized.includes(clusterName) && !spacedEntries(shared, clusterName).length))) {
    return null;
  }
  const blocked = edited ? writeBlock(world, next, settings) : null;

  if (blocked) {
    errors.push(blocked);

    return null;
  }
  const stored = base64(utf8Bytes(kubeconfig));
  const verdict = checkWrite(world, shared, namespace, clusterName, file.key, file.path, stored, {
    field: 'webhook.file.name', base: `${ clusterName }-audit-webhook`, file: 'webhook'
  });

  warnings.push(...verdict.notes);
  if (verdict.blocked) {
    if (edited) {
      errors.push(verdict.blocked);
    }

    return null;
  }
  const after = writtenObject(shared.object, 'secret', namespace, file.name, file.key, stored, verdict.annotation);

  if (shared.object && deepEqual(shared.object, after)) {
    return null;
  }
  const keys = Object.keys(after.data || {}).length;

  return {
    action: shared.object ? 'update' : 'create',
    phase:  'before',
    kind:   'secret',
    namespace,
    name:   file.name,
    ...reasonOf('delivery.holdsWebhook', {
      object: objectTitle('secret', namespace, file.name), key: file.key, keys, cluster: clusterName
    }),
    before: shared.object,
    after,
  };
}

/**
 * Plans the webhook's machineSelectorFiles item and Secret onto `next` (the cluster as the policy's part of the plan
 * left it): only what differs from `baseline` (the settings read off the cluster) is written; the Secret a previous
 * configuration used is released. The args are written with the policy's and the log's (plan.ts wantedArgs).
 */
export function planWebhook(world: World, next: KubeObject, distro: Exclude<Distro, 'rke1'>, baseline: AuditSettings, settings: AuditSettings, out: { changes: ObjectChange[], errors: Problem[], warnings: Problem[] }): void {
  const { name: clusterName, namespace } = clusterRef(next);
  const was = webhookDelivered(baseline) ? baseline.webhook.file : null;
  const now = webhookDelivered(settings) ? settings.webhook.file : null;
  const sameItem = !!was && !!now && was.name === now.name && was.path === now.path && was.key === now.key;
  const found = was ? findFileItem(next, was.path) : null;
  const staleItem = sameItem && !!now?.hash && !!found && found.kind === 'secret' && !!staleHash({ key: found.key, hash: found.hash }, findObject(world.objects, 'secret', found.name), 'secret');
  const edited = !deepEqual(itemState(baseline), itemState(settings));
  const before = selectorFiles(next);
  const wasEmptyList = deepEqual(getPath(next, PATHS.machineSelectorFiles), []);
  let entries = before;

  if (now) {
    const writer = pathWriterMessage(next, distro, now.path, found || undefined);

    if (writer) {
      out.errors.push(problem('webhook.file.path', 'error', 'delivery.pathTaken', {
        path: now.path, writer, file: 'webhook'
      }));
    }
    const excluded = controlPlaneExclusion(Object.keys(now.nodeSelector).length ? { matchLabels: now.nodeSelector } : undefined);

    if (excluded) {
      out.errors.push(problem('webhook.file.nodeSelector', 'error', 'delivery.selectorMissesWebhook', { reason: excluded }));
    }
    if (now.permissions !== undefined && now.permissions !== baseline.webhook.file.permissions && !/^[0-7]{3,4}$/.test(now.permissions)) {
      out.errors.push(problem('webhook.file.permissions', 'error', 'delivery.badPermissions', { permissions: now.permissions }));
    }
  }
  if (edited || staleItem) {
    if (was && !sameItem) {
      entries = removeFileItem(entries, 'secret', was.name, was.path);
    }
    if (now) {
      entries = upsertFileItem(entries, {
        kind: 'secret', name: now.name, key: now.key, path: now.path, permissions: now.permissions, hash: now.hash ? fileHash(settings.webhook.kubeconfig) : null, nodeSelector: now.nodeSelector
      });
    }
  }
  if (!deepEqual(entries, before)) {
    setPath(next as unknown as Record<string, unknown>, PATHS.machineSelectorFiles, entries.length || wasEmptyList ? clone(entries) : undefined);
  }
  if (now) {
    const change = planSecret(world, next, settings, edited, out.errors, out.warnings);

    if (change) {
      out.changes.push(change);
    }
  }
  if (was && !sameItem) {
    const release = releaseChange(sharedObject(world, 'secret', was.name, next), namespace, clusterName, was.key, 'webhook');

    if (release) {
      out.changes.push(release);
    }
  }
}

/** The webhook's Secret to fetch before planning: the one the settings name (those the cluster names come with referencedObjects). */
export function webhookObjectName(settings: AuditSettings): string | null {
  return webhookDelivered(settings) ? settings.webhook.file.name : null;
}
