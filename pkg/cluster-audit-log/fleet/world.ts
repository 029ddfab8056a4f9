/**
 * A world from a Kubernetes List, as `kubectl get clusters.provisioning.cattle.io,secrets,configmaps -n
 * fleet-default -o yaml` prints it (management clusters may be listed too): read as kube-apiserver reads YAML and
 * JSON (policy/source.ts: go-yaml v2's scalars, depth and alias limits; encoding/json), then sorted into clusters
 * (provisioning.cattle.io and management.cattle.io Clusters) and objects (Secrets, ConfigMaps). Other kinds
 * are counted and left out. What the API server guarantees of these objects (a name, string maps, Secret data
 * in base64, machineSelectorFiles' structure as the CRD defines it, RKE1's policy as Rancher's types decode it)
 * is checked here, so the model never meets an object the API could not have returned.
 */
import { PATHS, getPath, pathText } from '../delivery/cluster';
import { readSource } from '../policy/source';
import type { FleetWorld } from './types';
import type { KubeObject } from '../delivery/types';

/** The world, or why the text is not one. */
export type WorldRead = { ok: true, world: FleetWorld, ignored: number } | { ok: false, error: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Base64 as encoding/json writes []byte (standard alphabet, padded). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const CLUSTER_GROUPS = ['provisioning.cattle.io', 'management.cattle.io'];

class Refusal extends Error {}

function groupOf(apiVersion: unknown): string {
  const text = typeof apiVersion === 'string' ? apiVersion : '';

  return text.includes('/') ? text.slice(0, text.indexOf('/')) : '';
}

function stringMap(value: unknown, where: string): void {
  if (value === undefined || value === null) {
    return;
  }
  if (!isObject(value)) {
    throw new Refusal(`${ where }: not a map of strings`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new Refusal(`${ where }.${ k }: not a string`);
    }
  }
}

function listOfObjects(value: unknown, where: string): Json[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => !isObject(v))) {
    throw new Refusal(`${ where }: not a list of objects`);
  }

  return value as Json[];
}

/** machineSelectorFiles as the provisioning Cluster CRD defines it: entries, fileSources, items are objects. */
function checkSelectorFiles(cluster: Json, where: string): void {
  const at = `${ where }: ${ pathText(PATHS.machineSelectorFiles) }`;

  listOfObjects(getPath(cluster, PATHS.machineSelectorFiles), at).forEach((entry, e) => {
    listOfObjects(entry.fileSources, `${ at }[${ e }].fileSources`).forEach((source, s) => {
      for (const field of ['secret', 'configMap']) {
        const spec = source[field];
        const here = `${ at }[${ e }].fileSources[${ s }].${ field }`;

        if (spec === undefined || spec === null) {
          continue;
        }
        if (!isObject(spec)) {
          throw new Refusal(`${ here }: not an object`);
        }
        listOfObjects(spec.items, `${ here }.items`);
      }
    });
  });
}

/** RKE1's policy as Rancher decodes it into audit/v1 types: rules and their resources are objects. */
function checkRke1Policy(cluster: Json, where: string): void {
  const at = `${ where }: ${ pathText(PATHS.rke1AuditLog) }.configuration.policy`;
  const policy = getPath(cluster, [...PATHS.rke1AuditLog, 'configuration', 'policy']);

  if (policy === undefined || policy === null) {
    return;
  }
  if (!isObject(policy)) {
    throw new Refusal(`${ at }: not an object`);
  }
  listOfObjects(policy.rules, `${ at }.rules`).forEach((rule, r) => listOfObjects(rule.resources, `${ at }.rules[${ r }].resources`));
}

/** Checks one item and says where it goes. */
function sortItem(item: unknown, where: string): 'cluster' | 'object' | null {
  if (!isObject(item)) {
    throw new Refusal(`${ where }: not an object`);
  }
  const group = groupOf(item.apiVersion);
  const kind = item.kind;
  const sort = kind === 'Cluster' && CLUSTER_GROUPS.includes(group) ? 'cluster' : (kind === 'Secret' || kind === 'ConfigMap') && group === '' ? 'object' : null;

  if (!sort) {
    return null;
  }
  const meta = item.metadata;

  if (!isObject(meta) || typeof meta.name !== 'string' || meta.name === '') {
    throw new Refusal(`${ where }: a ${ kind } without metadata.name`);
  }
  const here = `${ where } (${ kind } ${ meta.name })`;

  if (meta.namespace !== undefined && typeof meta.namespace !== 'string') {
    throw new Refusal(`${ here }: metadata.namespace is not a string`);
  }
  stringMap(meta.annotations, `${ here }: metadata.annotations`);
  stringMap(meta.labels, `${ here }: metadata.labels`);
  if (sort === 'cluster') {
    if (item.spec !== undefined && item.spec !== null && !isObject(item.spec)) {
      throw new Refusal(`${ here }: spec is not an object`);
    }
    if (isObject(item.spec) && item.spec.kubernetesVersion !== undefined && typeof item.spec.kubernetesVersion !== 'string') {
      throw new Refusal(`${ here }: spec.kubernetesVersion is not a string`);
    }
    checkSelectorFiles(item, here);
    checkRke1Policy(item, here);

    return sort;
  }
  stringMap(item.data, `${ here }: data`);
  stringMap(item.binaryData, `${ here }: binaryData`);
  if (kind === 'Secret') {
    for (const [key, value] of Object.entries((item.data || {}) as Record<string, string>)) {
      if (!BASE64.test(value)) {
        throw new Refusal(`${ here }: data.${ key } is not base64`);
      }
    }
  }

  return sort;
}

/** Sorts the items of a List (a parsed value) into a world. */
export function worldFromList(value: unknown): WorldRead {
  if (!isObject(value) || !Array.isArray(value.items)) {
    return { ok: false, error: 'not a Kubernetes List: want an object with "items", as kubectl get ... -o yaml prints it' };
  }
  const world: FleetWorld = { clusters: [], objects: [] };
  let ignored = 0;

  try {
    value.items.forEach((item: unknown, i: number) => {
      const sort = sortItem(item, `items[${ i }]`);

      if (sort === 'cluster') {
        world.clusters.push(item as KubeObject);
      } else if (sort === 'object') {
        world.objects.push(item as KubeObject);
      } else {
        ignored++;
      }
    });
  } catch (e) {
    if (e instanceof Refusal) {
      return { ok: false, error: e.message };
    }
    throw e;
  }

  return {
    ok: true, world, ignored
  };
}

/** Reads a List from YAML or JSON text, as kube-apiserver reads either. */
export function readWorld(text: string): WorldRead {
  const source = readSource(text);

  if (source.syntaxError) {
    const { message, line, column } = source.syntaxError;

    const text = message.replace(/^failed decoding: /, '');

    return { ok: false, error: `not YAML or JSON: ${ text }${ line && !/\bline \d/.test(text) ? ` (line ${ line }, column ${ column })` : '' }` };
  }

  return worldFromList(source.value);
}
