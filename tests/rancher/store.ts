/**
 * The stand-in's object store: kube-native objects (apiVersion, kind, metadata, spec/status or data) per steve type,
 * with one resourceVersion counter for all writes (as etcd has), conflict detection on stale resourceVersions, and the
 * conversion to and from steve's JSON shape (id, type, links, metadata.state/fields/relationships, `_type` for a
 * Secret's type) as rancher/steve pkg/resources/common/formatter.go and rancher/apiserver write it.
 */
import { randomUUID } from 'crypto';
import { Obj } from './data';
import { allowed, TypeDef, User } from './types';

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }

  body(): Obj {
    return {
      type: 'error', links: {}, code: this.code, message: this.message, status: this.status
    };
  }
}

/** kube's `<resource>.<group>` as used in its error messages (`secrets`, `clusters.provisioning.cattle.io`). */
export function groupResource(t: TypeDef): string {
  return t.group ? `${ t.resource }.${ t.group }` : t.resource;
}

export function objectId(obj: Obj): string {
  const md = obj.metadata || {};

  return md.namespace ? `${ md.namespace }/${ md.name }` : md.name;
}

// kube's names.SimpleNameGenerator alphabet (k8s.io/apiserver pkg/storage/names)
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5): string {
  let out = '';

  for (let i = 0; i < n; i++) {
    out += NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)];
  }

  return out;
}

export type ChangeName = 'resource.create' | 'resource.change' | 'resource.remove';
export type Listener = (name: ChangeName, t: TypeDef, obj: Obj) => void;

const STEVE_ONLY_TOP = ['id', 'type', 'links', 'actions', '_type'];
const STEVE_ONLY_META = ['state', 'fields', 'relationships'];

function clone<T>(x: T): T {
  return x === undefined ? x : JSON.parse(JSON.stringify(x));
}

/** Steve JSON (as the dashboard sends it) -> kube object. */
export function fromSteve(t: TypeDef, body: Obj): Obj {
  const obj: Obj = clone(body);

  for (const k of STEVE_ONLY_TOP) {
    delete obj[k];
  }
  if (t.id === 'secret') {
    // steve renames a Secret's `type` to `_type`; kube-native YAML keeps `type`
    const kubeType = body._type !== undefined ? body._type : (body.type !== 'secret' ? body.type : undefined);

    if (kubeType !== undefined) {
      obj.type = kubeType;
    }
  }
  obj.metadata = obj.metadata || {};
  for (const k of STEVE_ONLY_META) {
    delete obj.metadata[k];
  }
  obj.apiVersion = obj.apiVersion || (t.group ? `${ t.group }/${ t.version }` : t.version);
  obj.kind = obj.kind || t.kind;

  return obj;
}

function age(ts: string | undefined): string {
  if (!ts) {
    return '';
  }
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(ts)) / 1000));

  if (s < 120) {
    return `${ s }s`;
  }
  if (s < 600) {
    return `${ Math.floor(s / 60) }m${ s % 60 }s`;
  }
  if (s < 3 * 3600) {
    return `${ Math.floor(s / 60) }m`;
  }
  if (s < 48 * 3600) {
    return `${ Math.floor(s / 3600) }h`;
  }

  return `${ Math.floor(s / 86400) }d`;
}

export class Store {
  private rv = 1000;
  private objects = new Map<string, Map<string, Obj>>();
  private listeners: Listener[] = [];

  onChange(l: Listener): () => void {
    this.listeners.push(l);

    return () => {
      this.listeners = this.listeners.filter((x) => x !== l);
    };
  }

  private emit(name: ChangeName, t: TypeDef, obj: Obj) {
    for (const l of this.listeners) {
      try {
        l(name, t, obj);
      } catch { /* a broken socket must not break a write */ }
    }
  }

  clear(): void {
    this.objects.clear();
  }

  revision(): string {
    return String(this.rv);
  }

  private bucket(t: TypeDef): Map<string, Obj> {
    let b = this.objects.get(t.id);

    if (!b) {
      b = new Map();
      this.objects.set(t.id, b);
    }

    return b;
  }

  list(t: TypeDef, namespace?: string): Obj[] {
    return [...this.bucket(t).values()]
      .filter((o) => !namespace || o.metadata.namespace === namespace)
      .sort((a, b) => objectId(a).localeCompare(objectId(b)))
      .map(clone);
  }

  get(t: TypeDef, id: string): Obj | undefined {
    return clone(this.bucket(t).get(id));
  }

  mustGet(t: TypeDef, id: string): Obj {
    const obj = this.get(t, id);

    if (!obj) {
      throw new ApiError(404, 'NotFound', `${ groupResource(t) } "${ id.split('/').pop() }" not found`);
    }

    return obj;
  }

  private nextRv(): string {
    this.rv += 1;

    return String(this.rv);
  }

  /** Insert as-is (seed data); assigns uid/resourceVersion/creationTimestamp when missing. */
  put(t: TypeDef, obj: Obj): Obj {
    const o = clone(obj);

    o.metadata = o.metadata || {};
    o.metadata.uid = o.metadata.uid || randomUUID();
    o.metadata.creationTimestamp = o.metadata.creationTimestamp || new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    o.metadata.resourceVersion = this.nextRv();
    o.apiVersion = o.apiVersion || (t.group ? `${ t.group }/${ t.version }` : t.version);
    o.kind = o.kind || t.kind;
    this.bucket(t).set(objectId(o), o);

    return clone(o);
  }

  create(t: TypeDef, input: Obj, urlNamespace?: string): Obj {
    const obj = clone(input);
    const md = obj.metadata = obj.metadata || {};

    if (t.namespaced) {
      if (urlNamespace && md.namespace && md.namespace !== urlNamespace) {
        throw new ApiError(400, 'BadRequest', `the namespace of the provided object does not match the namespace sent on the request`);
      }
      md.namespace = md.namespace || urlNamespace;
      if (!md.namespace) {
        throw new ApiError(422, 'Invalid', `${ t.kind } "${ md.name || '' }" is invalid: metadata.namespace: Required value`);
      }
      if (!this.objects.get('namespace')?.has(md.namespace)) {
        throw new ApiError(404, 'NotFound', `namespaces "${ md.namespace }" not found`);
      }
    } else {
      delete md.namespace;
    }
    if (!md.name) {
      if (!md.generateName) {
        throw new ApiError(422, 'Invalid', `${ t.kind } "" is invalid: metadata.name: Required value: name or generateName is required`);
      }
      do {
        md.name = `${ md.generateName }${ randomSuffix() }`;
      } while (this.bucket(t).has(objectId(obj)));
    }
    if (this.bucket(t).has(objectId(obj))) {
      throw new ApiError(409, 'AlreadyExists', `${ groupResource(t) } "${ md.name }" already exists`);
    }
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp']) {
      delete md[k];
    }
    md.generation = 1;
    const stored = this.put(t, obj);

    this.emit('resource.create', t, stored);

    return stored;
  }

  update(t: TypeDef, id: string, input: Obj): Obj {
    const current = this.mustGet(t, id);
    const obj = clone(input);
    const md = obj.metadata = obj.metadata || {};
    const name = id.split('/').pop();

    if (md.name && md.name !== name) {
      throw new ApiError(400, 'BadRequest', `the name of the object (${ md.name }) does not match the name on the URL (${ name })`);
    }
    if (md.resourceVersion && md.resourceVersion !== current.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${ groupResource(t) } "${ name }": the object has been modified; please apply your changes to the latest version and try again`);
    }
    md.name = current.metadata.name;
    if (current.metadata.namespace) {
      md.namespace = current.metadata.namespace;
    }
    md.uid = current.metadata.uid;
    md.creationTimestamp = current.metadata.creationTimestamp;
    md.generation = current.metadata.generation || 1;
    if (JSON.stringify(obj.spec) !== JSON.stringify(current.spec)) {
      md.generation += 1;
    }
    // CRDs with a status subresource (both cluster types) ignore status on the main resource
    if (t.id === 'provisioning.cattle.io.cluster' || t.id === 'management.cattle.io.cluster') {
      if (current.status === undefined) {
        delete obj.status;
      } else {
        obj.status = current.status;
      }
    }
    obj.apiVersion = obj.apiVersion || current.apiVersion;
    obj.kind = obj.kind || current.kind;
    md.resourceVersion = this.nextRv();
    this.bucket(t).set(id, obj);
    this.emit('resource.change', t, obj);

    return clone(obj);
  }

  /** Server-side change (a controller writing status, or a simulated concurrent edit). */
  mutate(t: TypeDef, id: string, fn: (obj: Obj) => void): Obj {
    const obj = this.mustGet(t, id);

    fn(obj);
    obj.metadata.resourceVersion = this.nextRv();
    this.bucket(t).set(id, obj);
    this.emit('resource.change', t, obj);

    return clone(obj);
  }

  remove(t: TypeDef, id: string): Obj {
    const obj = this.mustGet(t, id);

    this.bucket(t).delete(id);
    obj.metadata.resourceVersion = this.nextRv();
    this.emit('resource.remove', t, obj);

    return obj;
  }

  /** All objects of a type whose metadata.fields/links steve would show. */
  toSteve(t: TypeDef, obj: Obj, user: User, base: string): Obj {
    const o = clone(obj);
    const md = o.metadata;
    const id = objectId(o);
    const path = `${ base }/v1/${ t.pluralName }/${ id }`;
    const links: Obj = { self: path };

    if (t.writable && allowed(user, t, 'update', md.namespace)) {
      links.update = path;
    }
    if (t.writable && allowed(user, t, 'delete', md.namespace)) {
      links.remove = path;
    }
    const apiBase = t.group ? `${ base }/apis/${ t.group }/${ t.version }` : `${ base }/api/v1`;

    links.view = md.namespace ? `${ apiBase }/namespaces/${ md.namespace }/${ t.resource }/${ md.name }` : `${ apiBase }/${ t.resource }/${ md.name }`;

    const out: Obj = {
      id, type: t.id, links
    };

    if (t.id === 'secret') {
      out._type = o.type;
      delete o.type;
    }
    Object.assign(out, o);
    md.state = md.state || this.state(t, o);
    md.fields = this.fields(t, o);
    md.relationships = this.relationships(t, o);

    return out;
  }

  private state(t: TypeDef, o: Obj): Obj {
    if (t.id === 'provisioning.cattle.io.cluster' || t.id === 'management.cattle.io.cluster') {
      const ready = t.id === 'provisioning.cattle.io.cluster' ? o.status?.ready : (o.status?.conditions || []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');

      return ready ? {
        error: false, message: 'Resource is Ready', name: 'active', transitioning: false
      } : {
        error: false, message: '', name: 'provisioning', transitioning: true
      };
    }

    return {
      error: false, message: t.id === 'secret' || t.id === 'configmap' ? 'Resource is always ready' : '', name: 'active', transitioning: false
    };
  }

  private fields(t: TypeDef, o: Obj): unknown[] {
    const created = age(o.metadata.creationTimestamp);

    if (t.id === 'provisioning.cattle.io.cluster') {
      return [o.metadata.name, o.spec?.kubernetesVersion || '', o.status?.clusterName || '', created, o.status?.clientSecretName || '', o.status?.ready === undefined ? '' : String(o.status.ready)];
    }
    if (t.id === 'secret') {
      return [o.metadata.name, o.type || '', Object.keys(o.data || {}).length, created];
    }

    return [o.metadata.name, created];
  }

  private relationships(t: TypeDef, o: Obj): Obj[] {
    if (t.id === 'management.cattle.io.cluster') {
      const prov = [...(this.objects.get('provisioning.cattle.io.cluster')?.values() || [])].find((p) => p.status?.clusterName === o.metadata.name);

      return prov ? [{
        fromId: objectId(prov), fromType: 'provisioning.cattle.io.cluster', rel: 'applies', state: 'active', message: 'Resource is Ready'
      }] : [];
    }
    if (t.id === 'provisioning.cattle.io.cluster' && o.status?.clusterName) {
      return [{
        toId: o.status.clusterName, toType: 'management.cattle.io.cluster', rel: 'applies', state: 'active', message: 'Resource is Ready'
      }];
    }

    return [];
  }
}
