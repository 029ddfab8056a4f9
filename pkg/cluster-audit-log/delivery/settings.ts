/**
 * The reverse of the plan: today's audit settings of a cluster, recovered from whatever is there — an
 * inline policy, a Secret or ConfigMap wired through machineSelectorFiles, RKE1's auditLog block, or
 * audit args typed by hand. What cannot be interpreted is reported as a Problem, never dropped.
 */
import { normalizePolicy, Policy, policyToYaml, presetPolicy } from '../policy';
import {
  argList, isOwnedArg, OwnedArg, ownedArgs, splitArg
} from './args';
import { clusterRef, getPath, pathText, PATHS } from './cluster';
import { findFileItem, readDelivered } from './delivered';
import { CONTROL_PLANE_SELECTOR, detectDistro, DISTROS } from './distro';
import { messageOf } from '../policy/messages';
import { problem } from './messages';
import { JSON_INT_MAX, LOG_NUMBER_ARGS, LOG_NUMBER_FIELDS, parseWholeNumber } from './numbers';
import { selectorFiles } from './files';
import {
  AuditSettings, Distro, KubeObject, LogFormat, LogNumberField, LogSettings, Method, ObjectKind, ObjectRef, Problem
} from './types';
import { defaultWebhookSettings, readWebhook } from './webhook';
import { DEPRECATED_BACKOFF_ARG } from './webhook-flags';

export { findFileItem } from './delivered';

/** The key under which a new Secret/ConfigMap holds the policy. */
export const DEFAULT_OBJECT_KEY = 'audit-policy.yaml';

/** The policy offered when audit logging is first enabled. */
export const DEFAULT_PRESET = 'cis-minimal';

let defaultPolicyText: string | undefined;

/** The default preset as text, written once (readSettings runs for every cluster of a fleet). */
function defaultPolicyYaml(): string {
  defaultPolicyText = defaultPolicyText ?? policyToYaml(presetPolicy(DEFAULT_PRESET) as Policy);

  return defaultPolicyText;
}

/** Settings for a cluster that has no audit configuration yet. */
export function defaultSettings(cluster: KubeObject, distro: Distro): AuditSettings {
  const facts = DISTROS[distro];
  const { name } = clusterRef(cluster);

  return {
    enabled:    false,
    method:     facts.methods[0],
    policyYaml: defaultPolicyYaml(),
    log:        distro === 'rke1' ? { ...facts.logDefaults } : {},
    file:       {
      name: `${ name || 'cluster' }-audit-policy`, key: DEFAULT_OBJECT_KEY, path: facts.policyFile, nodeSelector: { ...CONTROL_PLANE_SELECTOR }, hash: true
    },
    webhook: defaultWebhookSettings(cluster, distro),
  };
}

/** Where the policy currently comes from, for the plan to clean up after a switch. */
export interface CurrentSource {
  method: Method | null;
  /** The Secret/ConfigMap machineSelectorFiles delivers the policy from, if any. */
  object: { kind: ObjectKind, name: string, key: string, path: string } | null;
}

export interface ReadResult {
  distro: Distro | null;
  settings: AuditSettings;
  current: CurrentSource;
  problems: Problem[];
}


const LOG_ARGS: Record<string, Exclude<keyof LogSettings, 'off'>> = {
  'audit-log-path': 'path', ...Object.fromEntries(LOG_NUMBER_FIELDS.map((f) => [LOG_NUMBER_ARGS[f], f])), 'audit-log-format': 'format'
};

function readLogArgs(args: string[], problems: Problem[]): LogSettings {
  const owned = ownedArgs(args);
  const log: LogSettings = {};
  const at = (i: number) => `${ pathText(PATHS.apiserverArgs) }[${ i }]`;

  for (const [arg, field] of Object.entries(LOG_ARGS)) {
    const found = owned[arg as OwnedArg];

    if (!found || found.value === null) {
      continue;
    }
    if (field === 'path') {
      if (found.value === '') {
        log.off = true;
      } else {
        log.path = found.value;
      }
    } else if (field === 'format') {
      if (found.value === 'json' || found.value === 'legacy') {
        log.format = found.value as LogFormat;
      } else {
        problems.push(problem(at(found.index), 'error', 'delivery.badLogFormat', { arg, value: found.value }));
      }
    } else {
      const number = parseWholeNumber(found.value);

      if (number.ok && number.digits === found.value) {
        log[field as LogNumberField] = found.value;
      } else {
        problems.push(number.ok ? problem(at(found.index), 'error', 'delivery.octalArg', { arg, value: found.value }) : problem(at(found.index), 'error', 'delivery.badArgNumber', {
          arg, value: found.value, reason: messageOf(number)
        }));
      }
    }
  }
  args.forEach((arg, i) => {
    const { name } = splitArg(arg);

    if (name.startsWith('audit-') && !isOwnedArg(arg) && name !== DEPRECATED_BACKOFF_ARG) {
      problems.push(problem(at(i), 'info', 'delivery.argNotManaged', { arg }));
    }
  });

  return log;
}

function readRke1(cluster: KubeObject, settings: AuditSettings, problems: Problem[]): CurrentSource {
  const auditLog = getPath(cluster, PATHS.rke1AuditLog) as { enabled?: boolean, configuration?: Record<string, unknown> } | undefined;
  const conf = auditLog?.configuration || {};
  const defaults = DISTROS.rke1.logDefaults;

  settings.enabled = !!auditLog?.enabled;
  settings.method = 'rke1';
  const number = (field: LogNumberField): string => {
    const value = conf[field];

    if (value === undefined || value === null) {
      return defaults[field];
    }
    const text = String(value);
    const read = parseWholeNumber(text, JSON_INT_MAX);

    if (!read.ok) {
      problems.push(problem(`${ pathText(PATHS.rke1AuditLog) }.configuration.${ field }`, 'error', 'delivery.badRke1Number', { field, reason: messageOf(read) }));
    }

    return text;
  };

  settings.log = {
    path:   (conf.path as string) || defaults.path,
    ...Object.fromEntries(LOG_NUMBER_FIELDS.map((f) => [f, number(f)])),
    format: conf.format === 'legacy' ? 'legacy' : 'json',
  };
  if (conf.policy && typeof conf.policy === 'object') {
    settings.policyYaml = policyToYaml(conf.policy as Policy);
  } else if (auditLog?.enabled) {
    settings.policyYaml = policyToYaml(presetPolicy('rke1-default') as Policy);
    problems.push(problem(`${ pathText(PATHS.rke1AuditLog) }.configuration.policy`, 'info', 'delivery.rke1DefaultPolicy'));
  }

  return { method: auditLog?.enabled ? 'rke1' : null, object: null };
}

function readRkeConfig(cluster: KubeObject, distro: Distro, objects: KubeObject[], settings: AuditSettings, problems: Problem[]): CurrentSource {
  const inline = getPath(cluster, PATHS.inlinePolicy);
  const args = argList(getPath(cluster, PATHS.apiserverArgs));
  const owned = ownedArgs(args);
  const policyArg = owned['audit-policy-file'];

  settings.log = readLogArgs(args, problems);
  readWebhook(cluster, objects, settings.webhook, problems);

  if (typeof inline === 'string' && inline.trim() !== '') {
    settings.enabled = true;
    settings.method = 'inline';
    settings.policyYaml = inline;
    if (distro === 'k3s') {
      problems.push(problem(pathText(PATHS.inlinePolicy), 'error', 'delivery.k3sInline'));
    }
    if (/^\/\S*$/.test(inline.trim())) {
      problems.push(problem(pathText(PATHS.inlinePolicy), 'error', 'delivery.inlinePath', { path: inline.trim() }));
    }
    if (policyArg) {
      problems.push(problem(`${ pathText(PATHS.apiserverArgs) }[${ policyArg.index }]`, 'warning', 'delivery.policyArgWins', { path: String(policyArg.value) }));
    }

    return { method: 'inline', object: null };
  }
  if (!policyArg) {
    // audit is off: turning it on starts with a log file
    delete settings.log.off;
    if (Object.values(LOG_ARGS).some((f) => settings.log[f] !== undefined)) {
      problems.push(problem(pathText(PATHS.apiserverArgs), 'warning', 'delivery.logArgsNoPolicy'));
    }

    return { method: null, object: null };
  }
  settings.enabled = true;
  if (!owned['audit-log-path']) {
    // the policy comes through kube-apiserver-arg alone: no distro adds a log path then, so there is no log file
    settings.log.off = true;
  }
  const path = policyArg.value || '';
  const found = findFileItem(cluster, path);

  if (!found) {
    problems.push(problem(`${ pathText(PATHS.apiserverArgs) }[${ policyArg.index }]`, 'warning', 'delivery.externalPolicy', { path }));
    settings.external = path;

    return { method: null, object: null };
  }
  settings.method = found.kind;
  settings.file = {
    name: found.name, key: found.key, path, nodeSelector: { ...(found.selector?.matchLabels || {}) }, hash: !!found.hash
  };
  if (found.permissions !== undefined) {
    settings.file.permissions = found.permissions;
  }
  const filePath = `${ pathText(PATHS.machineSelectorFiles) }[${ found.entry }]`;

  if (found.selector?.matchExpressions?.length) {
    problems.push(problem(`${ filePath }.machineLabelSelector.matchExpressions`, 'info', 'delivery.matchExpressionsKept'));
  }
  const delivered = readDelivered(cluster, found, objects, 'policy');

  if (delivered.text !== undefined) {
    settings.policyYaml = delivered.text;
  }
  problems.push(...delivered.problems);

  return {
    method: found.kind,
    object: {
      kind: found.kind, name: found.name, key: found.key, path
    }
  };
}

/**
 * Reads the audit settings of a cluster. `objects` are the Secrets/ConfigMaps of the cluster's namespace
 * that machineSelectorFiles names (see referencedObjects); missing ones are reported, not invented.
 */
export function readSettings(cluster: KubeObject, objects: KubeObject[] = [], distroOverride?: Distro): ReadResult {
  const distro = distroOverride || detectDistro(cluster);
  const problems: Problem[] = [];

  if (!distro) {
    return {
      distro:   null,
      settings: defaultSettings(cluster, 'rke2'),
      current:  { method: null, object: null },
      problems: [problem('spec', 'error', 'delivery.notRancherCluster')]
    };
  }
  const settings = defaultSettings(cluster, distro);
  const current = distro === 'rke1' ? readRke1(cluster, settings, problems) : readRkeConfig(cluster, distro, objects, settings, problems);

  return {
    distro, settings, current, problems
  };
}

/** The Secrets/ConfigMaps the cluster's machineSelectorFiles name: what to fetch before readSettings. */
export function referencedObjects(cluster: KubeObject): ObjectRef[] {
  const { namespace } = clusterRef(cluster);
  const refs = selectorFiles(cluster).flatMap((e) => (e.fileSources || []).map((s) => ({
    kind: (s.secret ? 'secret' : 'configmap') as ObjectKind, namespace, name: (s.secret || s.configMap)?.name || ''
  })));

  return refs.filter((r, i) => r.name && refs.findIndex((o) => o.kind === r.kind && o.name === r.name) === i);
}

/** The policy of an RKE1 block, as the object RKE1 stores. */
export function rke1Policy(policy: Policy): Policy {
  return normalizePolicy(policy);
}
