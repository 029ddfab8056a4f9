/**
 * plan(cluster, objects, settings): exactly which objects change and how, for the chosen distro and method.
 * The tab's YAML preview and its save both use this one plan, so what the user previews is what is written.
 * Merges, never clobbers: other kube-apiserver args, other machineSelectorFiles entries, other clusters in
 * the authorization annotation are all kept.
 */
import { formatDiagnostic, readPolicy } from '../policy';
import { authorize, deauthorize } from './annotation';
import { argList, isOwnedArg, mergeArgs, OwnedArg } from './args';
import {
  clone, clusterRef, deepEqual, FieldPath, getPath, pathText, PATHS, setPath
} from './cluster';
import {
  AUTHORIZED_ANNOTATION, CIS_LOG_MINIMUMS, detectDistro, DISTROS, defaultLogPath, MANAGED_BY_LABEL, MANAGED_BY_VALUE, methodSupported
} from './distro';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isNodeFilePath, isQualifiedName, isValidLabelValue
} from './names';
import {
  compareDigits, GO_INT_MAX, JSON_INT_MAX, LOG_NUMBER_ARGS, LOG_NUMBER_FIELDS, parseWholeNumber
} from './numbers';
import {
  CurrentSource, findObject, readSettings, referencedObjects, rke1Policy, selectorFiles
} from './settings';
import { base64, fileHash, utf8Bytes } from './sha256';
import {
  AuditSettings, Distro, FileItem, FileSource, KubeObject, LogNumberField, ObjectChange, ObjectKind, ObjectRef, Plan, Problem, SelectorFiles, SourceSpec
} from './types';

/** Permissions of the delivered policy file: readable by root only, like Rancher's default. */
export const POLICY_FILE_PERMISSIONS = '0600';

const KIND_LABEL: Record<ObjectKind, string> = { secret: 'Secret', configmap: 'ConfigMap' };

/** Where a distro keeps the rotation numbers, and so the largest it holds exactly (see numbers.ts). */
const NUMBER_LIMIT: Record<Distro, { max: string, why: string }> = {
  rke2: { max: GO_INT_MAX, why: 'kube-apiserver reads it into a Go int' },
  k3s:  { max: GO_INT_MAX, why: 'kube-apiserver reads it into a Go int' },
  rke1: { max: JSON_INT_MAX, why: 'RKE1 keeps it as a JSON number, which the dashboard holds exactly only up to there' },
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
 * The kube-apiserver args for the log backend. Undefined values are left to the distro only where it has
 * defaults: RKE2 adds audit-log-* args when ITS audit-policy-file option is set (the inline method). A policy
 * given through kube-apiserver-arg alone (Secret/ConfigMap) gets no defaults, not even a log path, on RKE2 or
 * K3s, so those are written out.
 */
function logArgs(cluster: KubeObject, distro: Distro, settings: AuditSettings): Partial<Record<OwnedArg, string>> {
  const log = settings.log;
  const distroDefaults = DISTROS[distro].addsLogArgs && settings.method === 'inline';
  const defaults = DISTROS[distro].logDefaults;
  const pick = <T>(value: T | undefined, fallback: T) => (value ?? (distroDefaults ? undefined : fallback));
  const args: Partial<Record<OwnedArg, string>> = { 'audit-log-path': pick(log.path, defaultLogPath(cluster, distro)) };

  for (const field of LOG_NUMBER_FIELDS) {
    const text = pick(log[field], defaults[field]);

    args[LOG_NUMBER_ARGS[field]] = text === undefined ? undefined : digitsOf(text, distro);
  }
  args['audit-log-format'] = log.format;

  return args;
}

function sourceOf(fs: FileSource): { kind: ObjectKind, spec: SourceSpec } | null {
  if (fs.secret) {
    return { kind: 'secret', spec: fs.secret };
  }

  return fs.configMap ? { kind: 'configmap', spec: fs.configMap } : null;
}

/** Removes the item delivering `path` from `name`; drops sources and entries it leaves empty. */
function removeFileItem(entries: SelectorFiles[], kind: ObjectKind, name: string, path: string): SelectorFiles[] {
  return entries.map((entry): SelectorFiles | null => {
    const fileSources = (entry.fileSources || []).map((fs) => {
      const src = sourceOf(fs);

      if (!src || src.kind !== kind || src.spec.name !== name) {
        return fs;
      }
      const items = (src.spec.items || []).filter((it) => it.path !== path);

      return items.length ? { ...fs, [kind === 'secret' ? 'secret' : 'configMap']: { ...src.spec, items } } : null;
    }).filter((fs): fs is FileSource => fs !== null);

    return fileSources.length ? { ...entry, fileSources } : null;
  }).filter((e): e is SelectorFiles => e !== null);
}

function selectorOf(labels: Record<string, string>): SelectorFiles['machineLabelSelector'] | undefined {
  return Object.keys(labels).length ? { matchLabels: { ...labels } } : undefined;
}

/** Adds or updates the item delivering the policy file; an entry with other files keeps them. */
function upsertFileItem(entries: SelectorFiles[], kind: ObjectKind, settings: AuditSettings): SelectorFiles[] {
  const { file } = settings;
  const item: FileItem = {
    key: file.key, path: file.path, permissions: POLICY_FILE_PERMISSIONS
  };

  if (file.hash) {
    item.hash = fileHash(settings.policyYaml);
  }
  const field = kind === 'secret' ? 'secret' : 'configMap';
  const selector = selectorOf(file.nodeSelector);

  for (let e = 0; e < entries.length; e++) {
    const sources = entries[e].fileSources || [];

    for (let s = 0; s < sources.length; s++) {
      const src = sourceOf(sources[s]);
      const items = src?.spec.items || [];
      const i = items.findIndex((it) => it.path === file.path);

      if (!src || src.kind !== kind || src.spec.name !== file.name || i < 0) {
        continue;
      }
      const kept = { ...items[i] };

      delete kept.hash;
      const newItems = [...items];

      newItems[i] = { ...kept, ...item };
      const newSources = [...sources];

      newSources[s] = { ...sources[s], [field]: { ...src.spec, items: newItems } };
      const out = [...entries];
      const expressions = entries[e].machineLabelSelector && Object.keys(entries[e].machineLabelSelector as object).some((k) => k !== 'matchLabels');
      const entry: SelectorFiles = { ...entries[e], fileSources: newSources };

      if (selector || expressions) {
        entry.machineLabelSelector = { ...(entries[e].machineLabelSelector || {}), matchLabels: { ...file.nodeSelector } };
      } else {
        delete entry.machineLabelSelector;
      }
      out[e] = entry;

      return out;
    }
  }
  const entry: SelectorFiles = { fileSources: [{ [field]: { name: file.name, items: [item] } }] };

  if (selector) {
    entry.machineLabelSelector = selector;
  }

  return [...entries, entry];
}

/** The Secret/ConfigMap as it must be after the save, from what exists now (or a new one). */
function desiredObject(existing: KubeObject | undefined, kind: ObjectKind, namespace: string, clusterName: string, settings: AuditSettings): KubeObject {
  const base: KubeObject = existing ? clone(existing) : {
    apiVersion: 'v1',
    kind:       KIND_LABEL[kind],
    metadata:   {
      name: settings.file.name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE }
    },
  };

  if (kind === 'secret' && !existing) {
    base.type = 'Opaque';
  }
  const annotations = { ...(base.metadata.annotations || {}) };

  annotations[AUTHORIZED_ANNOTATION] = authorize(annotations[AUTHORIZED_ANNOTATION], clusterName);
  base.metadata.annotations = annotations;
  base.data = { ...(base.data || {}), [settings.file.key]: kind === 'secret' ? base64(utf8Bytes(settings.policyYaml)) : settings.policyYaml };

  return base;
}

/** De-authorizes (and, when this extension made it and nothing else uses it, deletes) an object no longer used. */
function releaseObject(existing: KubeObject, kind: ObjectKind, namespace: string, clusterName: string): ObjectChange | null {
  const annotation = existing.metadata.annotations?.[AUTHORIZED_ANNOTATION];
  const remaining = deauthorize(annotation, clusterName);
  const what = `${ KIND_LABEL[kind] } ${ namespace }/${ existing.metadata.name }`;

  if (remaining === (annotation ?? '')) {
    return null;
  }
  if (remaining === '' && existing.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) {
    return {
      action: 'delete', phase: 'after', kind, namespace, name: existing.metadata.name, reason: `${ what } was created by this extension and no other cluster uses it`, before: existing, after: null
    };
  }
  const after = clone(existing);
  const annotations = { ...(after.metadata.annotations || {}) };

  if (remaining === '') {
    delete annotations[AUTHORIZED_ANNOTATION];
  } else {
    annotations[AUTHORIZED_ANNOTATION] = remaining;
  }
  after.metadata.annotations = annotations;

  return {
    action: 'update', phase: 'after', kind, namespace, name: existing.metadata.name, reason: `${ what } is no longer used by this cluster: removed from ${ AUTHORIZED_ANNOTATION }`, before: existing, after
  };
}

function planRkeConfig(next: KubeObject, distro: Distro, settings: AuditSettings, current: CurrentSource, objects: KubeObject[], changes: ObjectChange[]): void {
  const { name: clusterName, namespace } = clusterRef(next);
  const on = settings.enabled;
  const usesFile = on && (settings.method === 'secret' || settings.method === 'configmap');
  const wanted: Partial<Record<OwnedArg, string>> = on ? logArgs(next, distro, settings) : {};

  setPath(next as unknown as Record<string, unknown>, PATHS.inlinePolicy, on && settings.method === 'inline' ? settings.policyYaml : undefined);
  if (usesFile) {
    wanted['audit-policy-file'] = settings.file.path;
  }
  const before = getPath(next, PATHS.apiserverArgs);
  const args = mergeArgs(argList(before), wanted);

  if (!deepEqual(args, argList(before))) {
    setPath(next as unknown as Record<string, unknown>, PATHS.apiserverArgs, args.length || before !== undefined ? args : undefined);
  }

  let entries = selectorFiles(next) as SelectorFiles[];
  const wasEmptyList = deepEqual(getPath(next, PATHS.machineSelectorFiles), []);
  const kind = settings.method as ObjectKind;
  const sameObject = usesFile && current.object?.kind === kind && current.object.name === settings.file.name;

  if (current.object && !(sameObject && current.object.path === settings.file.path && current.object.key === settings.file.key)) {
    entries = removeFileItem(entries, current.object.kind, current.object.name, current.object.path);
  }
  if (usesFile) {
    entries = upsertFileItem(entries, kind, settings);
    const existing = findObject(objects, kind, settings.file.name);
    const after = desiredObject(existing, kind, namespace, clusterName, settings);

    if (!existing || !deepEqual(existing, after)) {
      changes.push({
        action: existing ? 'update' : 'create',
        phase:  'before',
        kind,
        namespace,
        name:   settings.file.name,
        reason: `${ KIND_LABEL[kind] } ${ namespace }/${ settings.file.name } holds the policy under "${ settings.file.key }" and authorizes cluster "${ clusterName }"`,
        before: existing || null,
        after,
      });
    }
  }
  if (current.object && !sameObject) {
    const old = findObject(objects, current.object.kind, current.object.name);
    const release = old ? releaseObject(old, current.object.kind, namespace, clusterName) : null;

    if (release) {
      changes.push(release);
    }
  }
  if (!deepEqual(entries, selectorFiles(next))) {
    setPath(next as unknown as Record<string, unknown>, PATHS.machineSelectorFiles, entries.length || wasEmptyList ? entries : undefined);
  }
}

function planRke1(next: KubeObject, settings: AuditSettings): void {
  const current = getPath(next, PATHS.rke1AuditLog) as Record<string, unknown> | undefined;

  if (!settings.enabled) {
    if (current?.enabled) {
      setPath(next as unknown as Record<string, unknown>, PATHS.rke1AuditLog, { enabled: false });
    }

    return;
  }
  const defaults = DISTROS.rke1.logDefaults;
  const policy = readPolicy(settings.policyYaml).policy;
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

/** One blocking error per check that fails: `what` names the value, `path` is the form's field. */
function nameErrors(path: string, what: string, messages: string[]): Problem[] {
  return messages.length ? [{
    path, message: `${ what }: ${ messages.join('; ') }`, severity: 'error'
  }] : [];
}

/**
 * The names the plan writes, checked as Kubernetes and Rancher check them (names.ts): a name the API server
 * refuses would fail the save half-way; a bad label selector fails Rancher's plan for the whole cluster.
 */
function fileErrors(cluster: KubeObject, settings: AuditSettings): Problem[] {
  const { file } = settings;
  const clusterName = clusterRef(cluster).name;
  const kind = KIND_LABEL[settings.method as ObjectKind];
  const errors: Problem[] = clusterName ? nameErrors('metadata.name', `the cluster name "${ clusterName }" (written to ${ AUTHORIZED_ANNOTATION })`, isDNS1123Label(clusterName)) : [{
    path: 'metadata.name', message: 'the cluster needs a name before a Secret or ConfigMap can be authorized for it', severity: 'error'
  }];

  errors.push(
    ...nameErrors('file.name', `${ kind } name "${ file.name }"`, isDNS1123Subdomain(file.name)),
    ...nameErrors('file.key', `key "${ file.key }"`, isConfigMapKey(file.key)),
    ...nameErrors('file.path', `file path "${ file.path }"`, isNodeFilePath(file.path)),
  );
  for (const [key, value] of Object.entries(file.nodeSelector)) {
    errors.push(
      ...nameErrors('file.nodeSelector', `node label key "${ key }"`, isQualifiedName(key)),
      ...nameErrors('file.nodeSelector', `node label value "${ value }" (of "${ key }")`, isValidLabelValue(value)),
    );
  }

  return errors;
}

/** The log backend: a node path (or "-" for standard output) and whole numbers the distro holds exactly. */
function logErrors(distro: Distro, settings: AuditSettings): Problem[] {
  const { log } = settings;
  const errors: Problem[] = log.path !== undefined && log.path !== '-' ? nameErrors('log.path', `log path "${ log.path }" (or "-" for standard output)`, isNodeFilePath(log.path)) : [];
  const limit = NUMBER_LIMIT[distro];

  for (const field of LOG_NUMBER_FIELDS) {
    const text = log[field];
    const read = text === undefined ? null : parseWholeNumber(text, limit.max);

    if (read && !read.ok) {
      errors.push({
        path: `log.${ field }`, message: `${ distro === 'rke1' ? field : LOG_NUMBER_ARGS[field] }: ${ read.message }${ read.reason === 'tooLarge' ? ` (${ limit.why })` : '' }`, severity: 'error'
      });
    }
  }

  return errors;
}

/**
 * Checks that block a plan: a policy kube-apiserver would refuse, a method the distro lacks, a name Kubernetes
 * or Rancher would refuse, a log value kube-apiserver would not start with. Each error's path is the field of
 * the form that holds the value (`file.name`, `log.maxAge`...; `metadata.name` is the page's own name field).
 */
function blockingErrors(cluster: KubeObject, distro: Distro, settings: AuditSettings): Problem[] {
  const errors: Problem[] = [];

  if (!settings.enabled) {
    return errors;
  }
  if (!methodSupported(distro, settings.method)) {
    errors.push({
      path: 'method', message: DISTROS[distro].unsupported[settings.method] || `${ settings.method } is not available for ${ DISTROS[distro].label }`, severity: 'error'
    });
  }
  const loaded = readPolicy(settings.policyYaml);

  for (const e of loaded.errors) {
    errors.push({
      path: `policy${ e.path ? `.${ e.path }` : '' }`, message: `kube-apiserver would refuse this policy and not start: ${ formatDiagnostic(e) }`, severity: 'error'
    });
  }
  if (settings.method === 'secret' || settings.method === 'configmap') {
    errors.push(...fileErrors(cluster, settings));
  }
  errors.push(...logErrors(distro, settings));

  return errors;
}

function advice(distro: Distro, settings: AuditSettings): Problem[] {
  const warnings: Problem[] = [];

  if (!settings.enabled) {
    return warnings;
  }
  const defaults = DISTROS[distro].logDefaults;

  for (const field of LOG_NUMBER_FIELDS) {
    const min = CIS_LOG_MINIMUMS[field];
    const read = parseWholeNumber(settings.log[field] ?? defaults[field]);

    if (read.ok && compareDigits(read.digits, String(min)) < 0) {
      warnings.push({
        path: `log.${ field }`, message: `${ read.digits } is below the CIS Kubernetes Benchmark minimum of ${ min }`, severity: 'warning'
      });
    }
  }
  if (distro === 'rke2' && settings.log.path && !settings.log.path.endsWith('audit.log')) {
    warnings.push({
      path: 'log.path', message: 'some RKE2 versions mishandle an audit log path that does not end in audit.log (rancher/rke2#4136)', severity: 'warning'
    });
  }

  return warnings;
}

/**
 * Plans the save of `settings` onto `cluster`. `objects` are the Secrets/ConfigMaps involved (those the
 * cluster references now and the one the settings name), as fetched; the inputs are not modified.
 */
export function plan(cluster: KubeObject, objects: KubeObject[], settings: AuditSettings, distroOverride?: Distro): Plan {
  const distro = distroOverride || detectDistro(cluster);

  if (!distro) {
    return {
      distro: 'rke2',
      method: settings.method,
      errors: [{
        path: 'spec', message: 'not an RKE2, K3s or RKE1 cluster', severity: 'error'
      }],
      warnings:     [],
      cluster:      clone(cluster),
      clusterPaths: [],
      objects:      [],
      noop:         true
    };
  }
  const errors = blockingErrors(cluster, distro, settings);
  const { current } = readSettings(cluster, objects, distro);
  const next = clone(cluster);
  const changes: ObjectChange[] = [];

  if (!errors.length) {
    if (distro === 'rke1') {
      planRke1(next, settings);
    } else {
      planRkeConfig(next, distro, settings, current, objects, changes);
    }
  }
  const clusterPaths = ALL_PATHS.filter((p) => !deepEqual(getPath(cluster, p), getPath(next, p))).map(pathText);

  return {
    distro,
    method:   settings.method,
    errors,
    warnings: advice(distro, settings),
    cluster:  next,
    clusterPaths,
    objects:  changes,
    noop:     !errors.length && !clusterPaths.length && !changes.length,
  };
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

  return refs;
}

/**
 * The cluster as it would be without this tab's unsaved edits: `current` (the live model, with other tabs'
 * edits) with the audit fields of `saved` (the cluster as loaded). Planning from it makes the save hook
 * idempotent: the page runs before-hooks again after a 409 conflict, and the hook may already have applied
 * its fields once.
 */
export function rebase(saved: KubeObject, current: KubeObject): KubeObject {
  const out = clone(current);

  for (const path of [PATHS.inlinePolicy, PATHS.machineSelectorFiles, PATHS.rke1AuditLog]) {
    setPath(out as unknown as Record<string, unknown>, path, clone(getPath(saved, path)));
  }
  const savedOwned = argList(getPath(saved, PATHS.apiserverArgs)).filter((a) => isOwnedArg(a));
  const currentArgs = getPath(current, PATHS.apiserverArgs);

  if (currentArgs !== undefined || savedOwned.length) {
    const others = argList(currentArgs).filter((a) => !isOwnedArg(a));

    setPath(out as unknown as Record<string, unknown>, PATHS.apiserverArgs, [...others, ...savedOwned]);
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
