/**
 * The method switch's facts for one cluster: which methods the user can choose (and why not), where each one
 * writes the policy, and what the settings become when the distribution changes on the create page.
 */
import { clusterRef } from './cluster';
import { DISTROS, inlinePolicyPath } from './distro';
import { formatSelector } from './selector';
import {
  AuditSettings, Distro, KubeObject, Method, ObjectKind
} from './types';

/** Why a method cannot be chosen: no save hook on the page, or no right to write that kind of object. */
export type MethodBlock = { code: 'noHook' } | { code: 'notAllowed', kind: ObjectKind, namespace: string };

/** The blocked methods: Secret and ConfigMap need the page's save hook and the right to create and update them. */
export function methodBlocks(namespace: string, hasHook: boolean, canWrite: Record<ObjectKind, boolean>): Partial<Record<Method, MethodBlock>> {
  const out: Partial<Record<Method, MethodBlock>> = {};

  for (const kind of ['secret', 'configmap'] as const) {
    if (!hasHook) {
      out[kind] = { code: 'noHook' };
    } else if (!canWrite[kind]) {
      out[kind] = {
        code: 'notAllowed', kind, namespace
      };
    }
  }

  return out;
}

/** Where each method puts the policy on this cluster's nodes (the method switch explains each choice with it). */
export interface MethodTargets {
  inline: { path: string };
  secret: { name: string, namespace: string, path: string, selector: string | null };
  configmap: { name: string, namespace: string, path: string, selector: string | null };
}

/** The targets of each method for these settings; `selector` null means every node. */
export function methodTargets(cluster: KubeObject, settings: AuditSettings): MethodTargets {
  const { namespace } = clusterRef(cluster);
  const { file } = settings;
  const object = {
    name: file.name, namespace, path: file.path, selector: Object.keys(file.nodeSelector).length ? formatSelector(file.nodeSelector) : null
  };

  return {
    inline: { path: inlinePolicyPath(cluster) }, secret: object, configmap: object
  };
}

/**
 * The settings after the distribution changed from `from` to `to` (the create page's version select): a policy path
 * still at the old distro's default follows to the new one's; a method the new distro lacks gives way to its first
 * method that is not blocked. Returns the same object when nothing changes.
 */
export function settingsForDistro(settings: AuditSettings, from: Distro, to: Distro, blocked: Partial<Record<Method, unknown>>): AuditSettings {
  if (from === to) {
    return settings;
  }
  const out = { ...settings };

  if (settings.file.path === DISTROS[from].policyFile) {
    out.file = { ...settings.file, path: DISTROS[to].policyFile };
  }
  if (!DISTROS[to].methods.includes(settings.method)) {
    out.method = DISTROS[to].methods.find((m) => !blocked[m]) || DISTROS[to].methods[0];
  }

  return out.file === settings.file && out.method === settings.method ? settings : out;
}
