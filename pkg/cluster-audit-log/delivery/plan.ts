/**
 * plan(cluster, objects, settings): exactly which objects change and how, for the chosen distro and method.
 * The tab's YAML preview and its save both use this one plan, so what the user previews is what is written.
 * Merges, never clobbers: other kube-apiserver args, other machineSelectorFiles entries, other clusters in
 * the authorization annotation are all kept.
 */
import { LoadResult, readPolicy } from '../policy';
import { Message, messageOf, verbatim } from '../policy/messages';
import { argList, isOwnedArg, OwnedArg, updateArgs } from './args';
import { controlPlaneExclusion, pathWriterMessage, staleHash } from './checks';
import {
  clone, clusterRef, deepEqual, FieldPath, getPath, pathText, PATHS, setPath
} from './cluster';
import { sharedObject, spacedEntries, World } from './consumers';
import {
  AUTHORIZED_ANNOTATION, CIS_LOG_MINIMUMS, detectDistro, DISTROS, defaultLogPath, methodSupported
} from './distro';
import { removeFileItem, selectorFiles, upsertFileItem } from './files';
import { findObject } from './objects';
import { DeliveryCode, problem, problemOf } from './messages';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, nodeFilePathProblems
} from './names';
import {
  compareDigits, GO_INT_MAX, JSON_INT_MAX, LOG_NUMBER_ARGS, LOG_NUMBER_FIELDS, parseWholeNumber
} from './numbers';
import {
  CurrentSource, findFileItem, readSettings, ReadResult, referencedObjects, rke1Policy
} from './settings';
import { base64, fileHash, utf8Bytes } from './sha256';
import {
  checkWrite, objectTitle, reasonOf, releaseChange, withFreshObject, writtenObject
} from './sharing';
import { checkKubeconfig } from './kubeconfig';
import {
  planWebhook, webhookArgs, webhookDelivered, webhookObjectName, webhookOn
} from './webhook';
import { webhookFlagErrors, webhookFlagWarnings } from './webhook-flags';
import {
  AuditSettings, Distro, KubeObject, LogNumberField, ObjectChange, ObjectKind, ObjectRef, Plan, Problem
} from './types';

export { POLICY_FILE_PERMISSIONS } from './files';

const KIND_LABEL: Record<ObjectKind, string> = { secret: 'Secret', configmap: 'ConfigMap' };

/** Where a distro keeps the rotation numbers, and so the largest it holds exactly (see numbers.ts), and the message that says so. */
const NUMBER_LIMIT: Record<Distro, { max: string, tooLarge: DeliveryCode }> = {
  rke2: { max: GO_INT_MAX, tooLarge: 'delivery.numberGoInt' },
  k3s:  { max: GO_INT_MAX, tooLarge: 'delivery.numberGoInt' },
  rke1: { max: JSON_INT_MAX, tooLarge: 'delivery.numberJson' },
};

/** The canonical digits of a number blockingErrors has accepted (plain decimal: never an exponent or a leading 0). */
function digitsOf(text: string, distro: Distro): string {
  const read = parseWholeNumber(text, NUMBER_LIMIT[distro].max);

  if (!read.ok) {
    throw new Error(`unchecked log number ${ JSON.stringify(text) }: ${ read.message }`);
  }

  return read.digits;
}

/**
 * The kube-apiserver args the settings ask for, exactly: a log value the settings leave unset is not written
 * (RKE2 then applies its own defaults when ITS audit-policy-file option is set, the inline method; a policy
 * given through kube-apiserver-arg alone gets none, rancher/rke2 pkg/executor/staticpod/staticpod.go).
 * `fill`: a configuration the tab creates starts from the values the form shows: the distro's defaults,
 * written out where the distro would not apply them itself.
 */
function wantedArgs(cluster: KubeObject, distro: Distro, settings: AuditSettings, fill: boolean): Partial<Record<OwnedArg, string>> {
  if (!settings.enabled) {
    return {};
  }
  const log = settings.log;
  const distroDefaults = distroAppliesLogDefaults(distro, settings);
  const defaults = DISTROS[distro].logDefaults;
  const pick = (value: string | undefined, fallback: string) => (value ?? (fill && !distroDefaults ? fallback : undefined));
  const args: Partial<Record<OwnedArg, string>> = {};
  const path = pick(log.path, defaultLogPath(cluster, distro));

  if (settings.external !== undefined) {
    args['audit-policy-file'] = settings.external;
  } else if (usesObject(settings)) {
    args['audit-policy-file'] = settings.file.path;
  }
  if (log.off) {
    // no log file: RKE2 adds its own path in front of the user's args whenever ITS audit-policy-file is set (the
    // inline method, and every method under its CIS profile, which sets a default policy file); a later empty
    // --audit-log-path= wins (rancher/rke2 pkg/executor/staticpod/staticpod.go APIServer), and kube-apiserver
    // starts no log backend without a path. So on RKE2 the empty path is written for every method.
    return {
      ...args, ...(DISTROS[distro].addsLogArgs ? { 'audit-log-path': '' } : {}), ...webhookArgs(settings)
    };
  }
  if (path !== undefined) {
    args['audit-log-path'] = path;
  }
  for (const field of LOG_NUMBER_FIELDS) {
    const text = pick(log[field], defaults[field]);

    if (text !== undefined) {
      args[LOG_NUMBER_ARGS[field]] = digitsOf(text, distro);
    }
  }
  if (log.format !== undefined) {
    args['audit-log-format'] = log.format;
  }

  return { ...args, ...webhookArgs(settings) };
}

/** Does the distro apply its own log defaults to what the settings leave unset (RKE2's audit-policy-file option; RKE1's block)? */
export function distroAppliesLogDefaults(distro: Distro, settings: AuditSettings): boolean {
  return distro === 'rke1' || (DISTROS[distro].addsLogArgs && settings.method === 'inline' && settings.external === undefined);
}

/**
 * What a log value left unset becomes on save: 'default' when the distro applies its default or the save
 * creates the configuration (the plan then writes the defaults the form shows), 'unset' when it stays unset
 * and kube-apiserver's own flag defaults apply (no log without a path; the rotation numbers by Kubernetes version,
 * retention.ts APISERVER_FLAG_DEFAULTS).
 */
export function unsetLogValues(distro: Distro, baseline: AuditSettings, settings: AuditSettings): 'default' | 'unset' {
  return distroAppliesLogDefaults(distro, settings) || isNewConfiguration(baseline, settings) ? 'default' : 'unset';
}

/** Does the save create the configuration (audit turned on, the method or an external policy replaced, the log file turned on)? */
function isNewConfiguration(baseline: AuditSettings, settings: AuditSettings): boolean {
  return !baseline.enabled || baseline.method !== settings.method || baseline.external !== settings.external || (!!baseline.log.off && !settings.log.off);
}

/** Does this configuration deliver the policy through a Secret or ConfigMap it names? */
function usesObject(settings: AuditSettings): boolean {
  return settings.enabled && settings.external === undefined && (settings.method === 'secret' || settings.method === 'configmap');
}

/** What the policy item depends on: when none of it changes, the item is left exactly as it is. */
function itemState(settings: AuditSettings): unknown {
  return usesObject(settings) ? {
    method: settings.method, file: settings.file, policy: settings.policyYaml
  } : null;
}

/** The Secret/ConfigMap as it must be after the save: the policy at its key, the annotation as decided. */
function desiredObject(existing: KubeObject | null, kind: ObjectKind, namespace: string, settings: AuditSettings, annotation: string): KubeObject {
  return writtenObject(existing, kind, namespace, settings.file.name, settings.file.key, storedText(kind, settings.policyYaml), annotation);
}

/** The policy as a Secret (base64) or ConfigMap (text) stores it. */
function storedText(kind: ObjectKind, text: string): string {
  return kind === 'secret' ? base64(utf8Bytes(text)) : text;
}

/**
 * The before-save object change, or a blocking problem, for writing the policy into its object. When the user
 * edited nothing of it (`edited` false), only the fix the tab offers is made: an annotation entry that is this
 * cluster's name apart from spaces is set right; a missing object is not invented, nor an authorization added.
 */
function planObject(world: World, next: KubeObject, settings: AuditSettings, edited: boolean, errors: Problem[], warnings: Problem[]): ObjectChange | null {
  const { name: clusterName, namespace } = clusterRef(next);
  const kind = settings.method as ObjectKind;
  const shared = sharedObject(world, kind, settings.file.name, next);

  if (!edited && (!shared.object || (!shared.authorized.includes(clusterName) && !spacedEntries(shared, clusterName).length))) {
    return null;
  }
  const verdict = checkWrite(world, shared, namespace, clusterName, settings.file.key, settings.file.path, storedText(kind, settings.policyYaml));

  warnings.push(...verdict.notes);
  if (verdict.blocked && !edited) {
    return null;
  }
  if (verdict.blocked) {
    errors.push(verdict.blocked);

    return null;
  }
  const after = desiredObject(shared.object, kind, namespace, settings, verdict.annotation);

  if (shared.object && deepEqual(shared.object, after)) {
    return null;
  }

  return {
    action: shared.object ? 'update' : 'create',
    phase:  'before',
    kind,
    namespace,
    name:   settings.file.name,
    ...reasonOf('delivery.holdsPolicy', {
      object: objectTitle(kind, namespace, settings.file.name), key: settings.file.key, cluster: clusterName
    }),
    before: shared.object,
    after,
  };
}

/** Path collisions and selectors that miss the control plane, for the item the settings describe. */
function deliveryProblems(cluster: KubeObject, distro: Exclude<Distro, 'rke1'>, settings: AuditSettings, current: CurrentSource, errors: Problem[], warnings: Problem[]): void {
  const own = current.object ? findFileItem(cluster, current.object.path) : null;
  const writer = pathWriterMessage(cluster, distro, settings.file.path, own || undefined);

  if (writer) {
    errors.push(problem('file.path', 'error', 'delivery.pathTaken', {
      path: settings.file.path, writer, file: 'policy'
    }));
  }
  const excluded = controlPlaneExclusion(Object.keys(settings.file.nodeSelector).length ? { matchLabels: settings.file.nodeSelector } : undefined);

  if (excluded) {
    warnings.push(problem('file.nodeSelector', 'warning', 'delivery.selectorMissesPolicy', { reason: excluded }));
  }
}

function planRkeConfig(world: World, next: KubeObject, distro: Exclude<Distro, 'rke1'>, settings: AuditSettings, read: ReadResult, objects: KubeObject[], out: { changes: ObjectChange[], errors: Problem[], warnings: Problem[] }): void {
  const { name: clusterName, namespace } = clusterRef(next);
  const { settings: baseline, current } = read;
  const fresh = isNewConfiguration(baseline, settings);
  const inlineNow = settings.enabled && settings.method === 'inline' && settings.external === undefined;
  const inlineBefore = baseline.enabled && baseline.method === 'inline' && baseline.external === undefined;

  if (inlineNow !== inlineBefore || (inlineNow && settings.policyYaml !== baseline.policyYaml)) {
    setPath(next as unknown as Record<string, unknown>, PATHS.inlinePolicy, inlineNow ? settings.policyYaml : undefined);
  }
  const before = getPath(next, PATHS.apiserverArgs);
  const args = updateArgs(argList(before), wantedArgs(next, distro, baseline, false), wantedArgs(next, distro, settings, fresh));

  if (!deepEqual(args, argList(before))) {
    setPath(next as unknown as Record<string, unknown>, PATHS.apiserverArgs, args.length || before !== undefined ? args : undefined);
  }
  const kind = settings.method as ObjectKind;
  const sameItem = usesObject(settings) && current.object?.kind === kind && current.object.name === settings.file.name && current.object.path === settings.file.path && current.object.key === settings.file.key;
  const found = current.object ? findFileItem(next, current.object.path) : null;
  const staleItem = sameItem && settings.file.hash && !!found && !!staleHash({ key: found.key, hash: found.hash }, findObject(objects, kind, found.name), kind);
  let entries = selectorFiles(next);
  const wasEmptyList = deepEqual(getPath(next, PATHS.machineSelectorFiles), []);

  if (usesObject(settings)) {
    deliveryProblems(next, distro, settings, current, out.errors, out.warnings);
    if (settings.file.permissions !== undefined && settings.file.permissions !== baseline.file.permissions && !/^[0-7]{3,4}$/.test(settings.file.permissions)) {
      out.errors.push(problem('file.permissions', 'error', 'delivery.badPermissions', { permissions: settings.file.permissions }));
    }
  }
  const edited = !deepEqual(itemState(baseline), itemState(settings));

  if (edited || staleItem) {
    if (current.object && !sameItem) {
      entries = removeFileItem(entries, current.object.kind, current.object.name, current.object.path);
    }
    if (usesObject(settings)) {
      entries = upsertFileItem(entries, {
        kind, name: settings.file.name, key: settings.file.key, path: settings.file.path, permissions: settings.file.permissions, hash: settings.file.hash ? fileHash(settings.policyYaml) : null, nodeSelector: settings.file.nodeSelector
      });
    }
  }
  if (!deepEqual(entries, selectorFiles(next))) {
    setPath(next as unknown as Record<string, unknown>, PATHS.machineSelectorFiles, entries.length || wasEmptyList ? entries : undefined);
  }
  if (usesObject(settings)) {
    const change = planObject(world, next, settings, edited, out.errors, out.warnings);

    if (change) {
      out.changes.push(change);
    }
  }
  if (current.object && !sameItem) {
    const released = sharedObject({ clusters: world.clusters, objects }, current.object.kind, current.object.name, next);
    const release = releaseChange(released, namespace, clusterName, current.object.key);

    if (release) {
      out.changes.push(release);
    }
  }
  planWebhook({ clusters: world.clusters, objects }, next, distro, baseline, settings, out);
}

function planRke1(next: KubeObject, settings: AuditSettings, loaded: LoadResult): void {
  const current = getPath(next, PATHS.rke1AuditLog) as Record<string, unknown> | undefined;

  if (!settings.enabled) {
    if (current?.enabled) {
      setPath(next as unknown as Record<string, unknown>, PATHS.rke1AuditLog, { enabled: false });
    }

    return;
  }
  const defaults = DISTROS.rke1.logDefaults;
  const policy = loaded.policy;
  const number = (field: LogNumberField) => Number(digitsOf(settings.log[field] ?? defaults[field], 'rke1'));
  const wanted = {
    enabled:       true,
    configuration: {
      maxAge:    number('maxAge'),
      maxBackup: number('maxBackup'),
      maxSize:   number('maxSize'),
      path:      settings.log.path ?? defaults.path,
      format:    settings.log.format ?? defaults.format,
      policy:    policy ? rke1Policy(policy) : undefined,
    },
  };
  const comparable = current ? { ...current, configuration: { ...(current.configuration as object || {}) } } : undefined;

  if (!deepEqual(comparable, wanted)) {
    setPath(next as unknown as Record<string, unknown>, PATHS.rke1AuditLog, { ...(current || {}), ...wanted });
  }
}

const ALL_PATHS: FieldPath[] = [PATHS.inlinePolicy, PATHS.apiserverArgs, PATHS.machineSelectorFiles, PATHS.rke1AuditLog];

/**
 * One blocking error per check that fails: `path` is the form's field, `code` and `params` name the value, `reasons`
 * are apimachinery's own messages (shown as they are) or this extension's (node file paths).
 */
function nameErrors(path: string, code: DeliveryCode, params: Record<string, string>, reasons: (string | Message)[]): Problem[] {
  return reasons.length ? [problem(path, 'error', code, { ...params, reasons: reasons.map((r) => (typeof r === 'string' ? messageOf(verbatim(r)) : r)) })] : [];
}

/**
 * The names the plan writes for one delivered file (`prefix`: `file` for the policy, `webhook.file` for the webhook's
 * kubeconfig), checked as Kubernetes and Rancher check them (names.ts): a name the API server refuses would fail the
 * save half-way; a bad label selector fails Rancher's plan for the whole cluster.
 */
function fileSettingsErrors(file: AuditSettings['file'], kind: string, prefix: string): Problem[] {
  const errors: Problem[] = [
    ...nameErrors(`${ prefix }.name`, 'delivery.badObjectName', { kind, name: file.name }, isDNS1123Subdomain(file.name)),
    ...nameErrors(`${ prefix }.key`, 'delivery.badKey', { key: file.key }, isConfigMapKey(file.key)),
    ...nameErrors(`${ prefix }.path`, 'delivery.badFilePath', { path: file.path }, nodeFilePathProblems(file.path)),
  ];

  for (const [key, value] of Object.entries(file.nodeSelector)) {
    errors.push(
      ...nameErrors(`${ prefix }.nodeSelector`, 'delivery.badLabelKey', { key }, isQualifiedName(key)),
      ...nameErrors(`${ prefix }.nodeSelector`, 'delivery.badLabelValue', { value, key }, isValidLabelValue(value)),
    );
  }

  return errors;
}

/** The cluster's own name, written to the authorization annotation of the objects the plan writes. */
function clusterNameErrors(cluster: KubeObject): Problem[] {
  const clusterName = clusterRef(cluster).name;

  return clusterName ? nameErrors('metadata.name', 'delivery.badClusterName', { name: clusterName, annotation: AUTHORIZED_ANNOTATION }, isDNS1123Label(clusterName)) : [problem('metadata.name', 'error', 'delivery.clusterUnnamed')];
}

/** The webhook: offered on RKE2/K3s; its kubeconfig as kube-apiserver loads it, its Secret's names, its flags. */
function webhookErrors(distro: Distro, settings: AuditSettings): Problem[] {
  if (!webhookOn(settings)) {
    return [];
  }
  if (!DISTROS[distro].webhookFile) {
    return [problem('webhook', 'error', 'delivery.webhookNotOffered', { distro: DISTROS[distro].label })];
  }
  const errors: Problem[] = [];

  if (webhookDelivered(settings)) {
    errors.push(...checkKubeconfig(settings.webhook.kubeconfig).errors.map((e) => problem(`webhook.${ e.field }`, 'error', 'delivery.webhookKubeconfig', { problem: messageOf(e) })));
    errors.push(...fileSettingsErrors(settings.webhook.file, 'Secret', 'webhook.file'));
  }

  return [...errors, ...webhookFlagErrors(settings.webhook.flags)];
}

/** Audit on with neither a log file nor a webhook: kube-apiserver then has no backend and logs nothing. */
function noBackend(settings: AuditSettings): boolean {
  return settings.enabled && !!settings.log.off && !webhookOn(settings);
}

/**
 * No backend: an error when the save makes it so; a warning when the cluster is that way already and the save keeps
 * it (an unrelated edit is not refused for what the user did not change).
 */
function backendProblems(distro: Distro, baseline: AuditSettings, settings: AuditSettings): Problem[] {
  if (!noBackend(settings)) {
    return [];
  }

  return [problem('log.off', noBackend(baseline) ? 'warning' : 'error', 'delivery.noAuditBackend', { distro: DISTROS[distro].label })];
}

/** The log backend: a node path (or "-" for standard output) and whole numbers the distro holds exactly; not written, so not checked, without a log file. */
function logErrors(distro: Distro, settings: AuditSettings): Problem[] {
  const { log } = settings;

  if (log.off) {
    return [];
  }
  const errors: Problem[] = log.path !== undefined && log.path !== '-' ? nameErrors('log.path', 'delivery.badLogPath', { path: log.path }, nodeFilePathProblems(log.path)) : [];
  const limit = NUMBER_LIMIT[distro];

  for (const field of LOG_NUMBER_FIELDS) {
    const text = log[field];
    const read = text === undefined ? null : parseWholeNumber(text, limit.max);

    if (read && !read.ok) {
      errors.push(problem(`log.${ field }`, 'error', read.reason === 'tooLarge' ? limit.tooLarge : 'delivery.badNumber', { name: distro === 'rke1' ? field : LOG_NUMBER_ARGS[field], reason: messageOf(read) }));
    }
  }

  return errors;
}

/**
 * Checks that block a plan: a policy kube-apiserver would refuse, a method the distro lacks, a name Kubernetes
 * or Rancher would refuse, a log value kube-apiserver would not start with. Each error's path is the field of
 * the form that holds the value (`file.name`, `log.maxAge`...; `metadata.name` is the page's own name field).
 */
function blockingErrors(cluster: KubeObject, distro: Distro, settings: AuditSettings, loaded: LoadResult): Problem[] {
  const errors: Problem[] = [];

  if (!settings.enabled) {
    return errors;
  }
  if (!methodSupported(distro, settings.method)) {
    const unsupported = DISTROS[distro].unsupported[settings.method];

    errors.push(unsupported ? problemOf('method', 'error', unsupported) : problem('method', 'error', 'delivery.methodUnavailable', { method: settings.method, distro: DISTROS[distro].label }));
  }
  for (const e of loaded.errors) {
    errors.push(e.path ? problem(`policy.${ e.path }`, 'error', 'delivery.policyRefused', { path: e.path, problem: messageOf(e) }) : problem('policy', 'error', 'delivery.policyRefusedWhole', { problem: messageOf(e) }));
  }
  if (settings.method === 'secret' || settings.method === 'configmap' || webhookDelivered(settings)) {
    errors.push(...clusterNameErrors(cluster));
  }
  if (settings.method === 'secret' || settings.method === 'configmap') {
    errors.push(...fileSettingsErrors(settings.file, KIND_LABEL[settings.method], 'file'));
  }
  errors.push(...logErrors(distro, settings), ...webhookErrors(distro, settings));

  return errors;
}

function advice(distro: Distro, settings: AuditSettings): Problem[] {
  const warnings: Problem[] = [];

  if (!settings.enabled) {
    return warnings;
  }
  const defaults = DISTROS[distro].logDefaults;

  for (const field of settings.log.off ? [] : LOG_NUMBER_FIELDS) {
    const min = CIS_LOG_MINIMUMS[field];
    const read = parseWholeNumber(settings.log[field] ?? defaults[field]);

    if (read.ok && compareDigits(read.digits, String(min)) < 0) {
      warnings.push(problem(`log.${ field }`, 'warning', 'delivery.belowCis', { value: read.digits, minimum: min }));
    }
  }
  if (distro === 'rke2' && !settings.log.off && settings.log.path && !settings.log.path.endsWith('audit.log')) {
    warnings.push(problem('log.path', 'warning', 'delivery.rke2LogPath'));
  }
  if (webhookOn(settings)) {
    if (webhookDelivered(settings)) {
      warnings.push(...checkKubeconfig(settings.webhook.kubeconfig).warnings.map((w) => problem(`webhook.${ w.field }`, 'warning', 'delivery.webhookKubeconfig', { problem: messageOf(w) })));
    }
    warnings.push(...webhookFlagWarnings(settings.webhook.flags));
  }

  return warnings;
}

/** What plan() sees besides the cluster: the distro (detected when absent) and the other clusters of its namespace. */
export interface PlanContext {
  distro?: Distro;
  /** The provisioning clusters of the namespace as stored (this one included or not): the consumers of shared objects. */
  clusters?: KubeObject[];
  /**
   * A read of a policy text the caller already made (the tab's draft reads its text once per edit): used when its
   * `text` is the settings' policyYaml, so the plan does not parse the policy again.
   */
  policy?: { text: string, load: LoadResult };
}

/** What stands for the policy's read when audit logging is off (nothing reads it then). */
const NOT_READ: LoadResult = {
  loadable: false, policy: null, errors: [], warnings: [], positions: {}
};

/** readPolicy(settings.policyYaml), or the caller's read of that very text. */
function policyRead(settings: AuditSettings, ctx: PlanContext): LoadResult {
  return ctx.policy && ctx.policy.text === settings.policyYaml ? ctx.policy.load : readPolicy(settings.policyYaml);
}

/**
 * Plans the save of `settings` onto `cluster`. `objects` are the Secrets/ConfigMaps involved (those the
 * cluster references now and the one the settings name), as fetched; `context.clusters` the other clusters
 * of the namespace, whose files must never change. Only what differs from the settings read off the cluster
 * is written; the inputs are not modified.
 */
export function plan(cluster: KubeObject, objects: KubeObject[], settings: AuditSettings, context: Distro | PlanContext = {}): Plan {
  const ctx: PlanContext = typeof context === 'string' ? { distro: context } : context;
  const distro = ctx.distro || detectDistro(cluster);

  if (!distro) {
    return {
      distro:       'rke2',
      method:       settings.method,
      errors:       [problem('spec', 'error', 'delivery.notPlannable')],
      warnings:     [],
      cluster:      clone(cluster),
      clusterPaths: [],
      objects:      [],
      noop:         true
    };
  }
  const loaded = settings.enabled ? policyRead(settings, ctx) : NOT_READ;
  const read = readSettings(cluster, objects, distro);
  const backend = backendProblems(distro, read.settings, settings);
  const errors = [...blockingErrors(cluster, distro, settings, loaded), ...backend.filter((p) => p.severity === 'error')];
  const warnings = [...advice(distro, settings), ...backend.filter((p) => p.severity === 'warning')];
  let next = clone(cluster);
  let changes: ObjectChange[] = [];

  if (!errors.length) {
    if (distro === 'rke1') {
      planRke1(next, settings, loaded);
    } else {
      const out = {
        changes, errors, warnings
      };

      planRkeConfig({ clusters: ctx.clusters || [], objects }, next, distro, settings, read, objects, out);
      changes = afterWrites(changes, next, ctx.clusters || []);
    }
  }
  if (errors.length) {
    next = clone(cluster);
    changes = [];
  }
  const clusterPaths = ALL_PATHS.filter((p) => !deepEqual(getPath(cluster, p), getPath(next, p))).map(pathText);

  return {
    distro,
    method:  settings.method,
    errors,
    warnings,
    cluster: next,
    clusterPaths,
    objects: changes,
    noop:    !errors.length && !clusterPaths.length && !changes.length,
  };
}

/**
 * A release of the after-save phase decided again on the object as it is now (`fresh`, fetched right before
 * that phase; null when it is gone): another cluster authorized in the meantime keeps it from being deleted.
 * `clusters` are the namespace's clusters the plan was made with; the plan's own cluster is taken as saved.
 */
export function releaseAgain(p: Pick<Plan, 'cluster'>, change: ObjectChange, fresh: KubeObject | null, clusters: KubeObject[]): ObjectChange | null {
  if (change.phase !== 'after' || change.releasedKey === undefined) {
    return change;
  }
  const { name: clusterName } = clusterRef(p.cluster);
  const model = sharedObject({ clusters, objects: fresh ? [fresh] : [] }, change.kind, change.name, p.cluster);

  return releaseChange(withFreshObject(model, fresh), change.namespace, clusterName, change.releasedKey, change.releasedFile);
}

/**
 * The changes in the order they are written (the before-phase first), the releases decided on the objects as the
 * before-phase leaves them: an object one file releases while another file of this cluster is written into it (the
 * policy's old Secret becoming the webhook's) keeps what was written.
 */
function afterWrites(changes: ObjectChange[], cluster: KubeObject, clusters: KubeObject[]): ObjectChange[] {
  const before = changes.filter((c) => c.phase === 'before');
  const written = new Map(before.map((c) => [`${ c.kind }/${ c.name }`, c.after]));
  const after = changes
    .filter((c) => c.phase === 'after')
    .map((c) => (written.has(`${ c.kind }/${ c.name }`) ? releaseAgain({ cluster }, c, written.get(`${ c.kind }/${ c.name }`) ?? null, clusters) : c))
    .filter((c): c is ObjectChange => !!c);

  return [...before, ...after];
}

/** The Secrets/ConfigMaps plan() needs: those the cluster references now plus the one the settings name. */
export function objectsToFetch(cluster: KubeObject, settings: AuditSettings): ObjectRef[] {
  const refs = referencedObjects(cluster);
  const { namespace } = clusterRef(cluster);
  const kind = settings.method;

  if ((kind === 'secret' || kind === 'configmap') && !refs.some((r) => r.kind === kind && r.name === settings.file.name)) {
    refs.push({
      kind, namespace, name: settings.file.name
    });
  }
  const webhookSecret = webhookObjectName(settings);

  if (webhookSecret !== null && !refs.some((r) => r.kind === 'secret' && r.name === webhookSecret)) {
    refs.push({
      kind: 'secret', namespace, name: webhookSecret
    });
  }

  return refs;
}

/**
 * The cluster as it would be without this tab's unsaved edits: `current` (the live model, with other tabs'
 * edits) with the audit fields of `saved` (the cluster as loaded), the owned args in the places they had. Planning from it makes the save hook
 * idempotent: the page runs before-hooks again after a 409 conflict, and the hook may already have applied
 * its fields once.
 */
export function rebase(saved: KubeObject, current: KubeObject): KubeObject {
  const out = clone(current);

  for (const path of [PATHS.inlinePolicy, PATHS.machineSelectorFiles, PATHS.rke1AuditLog]) {
    setPath(out as unknown as Record<string, unknown>, path, clone(getPath(saved, path)));
  }
  const savedArgs = argList(getPath(saved, PATHS.apiserverArgs));
  const savedOwned = savedArgs.filter((a) => isOwnedArg(a));
  const currentArgs = getPath(current, PATHS.apiserverArgs);
  const others = argList(currentArgs).filter((a) => !isOwnedArg(a));

  if (deepEqual(others, savedArgs.filter((a) => !isOwnedArg(a)))) {
    setPath(out as unknown as Record<string, unknown>, PATHS.apiserverArgs, clone(getPath(saved, PATHS.apiserverArgs)));
  } else if (currentArgs !== undefined || savedOwned.length) {
    const at = savedArgs.findIndex(isOwnedArg);
    const before = at < 0 ? others.length : savedArgs.slice(0, at).filter((a) => !isOwnedArg(a)).length;

    setPath(out as unknown as Record<string, unknown>, PATHS.apiserverArgs, [...others.slice(0, before), ...savedOwned, ...others.slice(before)]);
  }

  return out;
}

/** Copies the planned cluster fields onto a target (e.g. the page's live cluster model), deleting removed ones. */
export function applyClusterFields(plan: Plan, target: Record<string, unknown>): void {
  for (const text of plan.clusterPaths) {
    const path = ALL_PATHS.find((p) => pathText(p) === text) as FieldPath;

    setPath(target, path, clone(getPath(plan.cluster, path)));
  }
}
