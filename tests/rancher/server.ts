/**
 * A small Rancher HTTP + WebSocket API stand-in for the dashboard's Cluster Management pages and the RKE2/K3s
 * create/edit pages (tests/fixtures/rancher-data/startup-contract.md lists every request), plus a /__sim/ API for
 * tests. Plain HTTP on 127.0.0.1: the dashboard dev server (https://localhost:8005) proxies /v1, /v3, /v1-*,
 * /rancherversion... to API=http://127.0.0.1:<port> (shell/vue-config-helper.js; `secure` is off in dev).
 *
 * The /__sim/ API exists only when asked for (`simApi`), and then answers only requests that carry the random
 * token made at start in the X-Sim-Token header and no foreign Origin: a web page cannot set that header on a
 * cross-origin request without a CORS preflight, which the stand-in never grants. No route answers a password.
 *
 * /__sim/: POST reset (the default seed; with `{"fleet": N, "secrets": M, "sharedBy": K}` also a generated fleet, fleet-seed.ts),
 * GET requests, GET objects/<type>[/<id>], POST bump/<type>/<id>, GET clusters/<name>/node-plan, and POST/GET/DELETE
 * faults (a write answered with 403, 409, 500, 503 or a dropped connection, see Fault).
 *
 * Start: `yarn stand-in` (tests/rancher/main.ts) or createStandIn({ port: 0 }) in a test.
 */
import http, { IncomingMessage, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { randomBytes, timingSafeEqual } from 'crypto';
import yaml from 'js-yaml';
import { WebSocket, WebSocketServer } from 'ws';
import { loadData, Obj } from './data';
import { schemaDefinition } from './definitions';
import { seedFleet } from './fleet-seed';
import { ClusterPlan, planProvisioningCluster, planRke1Cluster, runtimeOf } from './planner';
import { K3S_VERSION, mgmtCluster, RKE2_VERSION, seed } from './seed';
import { ApiError, fromSteve, groupResource, objectId, randomSuffix, Store } from './store';
import { allowed, NORMAN_TYPES, normanSchema, schemaFor, TYPES, typeById, TypeDef, User, USERS } from './types';
import { UIPluginPackage, uiPluginRequest } from './uiplugins';

export interface StandInOptions {
  port?: number;
  host?: string;
  /** log each request to stderr */
  verbose?: boolean;
  /** serve the /__sim/ test API (off: every /__sim path is 404); its requests must send `simToken` in X-Sim-Token */
  simApi?: boolean;
  /** built UI extensions served as installed from a catalog: listed by /v1/uiplugins, their files under it */
  uiPlugins?: UIPluginPackage[];
}

export interface LoggedRequest {
  time: string;
  method: string;
  path: string;
  user: string | null;
  status: number;
  type?: string;
  id?: string;
  body?: unknown;
}

export interface StandIn {
  url: string;
  port: number;
  store: Store;
  requests: LoggedRequest[];
  /** a session token for a user (what login would return), for tests */
  tokenFor(username: string): string;
  /** the value /__sim/ requests must send in the X-Sim-Token header; null when the test API is off */
  simToken: string | null;
  reset(): void;
  close(): Promise<void>;
}

const PUBLIC_SETTINGS = /^(ui-.*|first-login|server-version|rke2-default-version|k3s-default-version)$/;

/** The request header that carries the /__sim/ token. */
export const SIM_TOKEN_HEADER = 'X-Sim-Token';

class HttpError extends ApiError {}

/** A response with a status other than 200. */
class Reply {
  constructor(public status: number, public body: unknown) {}
}

/**
 * A write the stand-in answers with a failure instead of doing it (POST /__sim/faults): the next `times` requests
 * with this method on this steve type and id (namespace/name; for a POST the new object's) get `status` with kube's
 * message for it, or, with status 0, a connection closed without an answer (a network error).
 */
export interface Fault {
  method: 'POST' | 'PUT' | 'DELETE';
  type: string;
  id: string;
  status: 0 | 403 | 409 | 500 | 503;
  times: number;
}

/** Thrown to close the connection without an answer. */
class DropConnection extends Error {}

function notFound(message = 'not found'): ApiError {
  return new HttpError(404, 'NotFound', message);
}

function forbidden(user: User, verb: string, t: TypeDef, ns?: string, name?: string): ApiError {
  const subject = name ? `${ groupResource(t) } "${ name }"` : groupResource(t);
  const scope = ns ? ` in the namespace "${ ns }"` : ' at the cluster scope';

  return new HttpError(403, 'Forbidden', `${ subject } is forbidden: User "${ user.id }" cannot ${ verb } resource "${ t.resource }" in API group "${ t.group }"${ scope }`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;

    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 8 * 1024 * 1024) {
        reject(new HttpError(413, 'RequestEntityTooLarge', 'request body too large'));
        req.destroy();

        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string, contentType: string | undefined): Obj {
  let parsed: unknown;

  try {
    parsed = /yaml/i.test(contentType || '') ? yaml.load(text) : JSON.parse(text);
  } catch (e) {
    throw new HttpError(422, 'InvalidBodyContent', `Failed to parse body: ${ (e as Error).message.split('\n')[0] }`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(422, 'InvalidBodyContent', 'Failed to parse body: the body must be a JSON object');
  }

  return parsed as Obj;
}

/** The value of the cookie `name`; undefined when absent or not valid percent-encoding (no session then). */
function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie || '').split(';')) {
    const i = part.indexOf('=');

    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }

  return undefined;
}

/** The request's URL and its decoded path segments; a 400 for a target that is not a URL or bad percent-encoding. */
function requestTarget(raw: string): { url: URL, parts: string[] } {
  let url: URL;

  try {
    // origin-form ("/v1/x?y") is read as a path even when it starts with "//"
    url = raw.startsWith('/') ? new URL(`http://stand-in${ raw }`) : new URL(raw);
  } catch {
    throw new HttpError(400, 'BadRequest', 'malformed request target');
  }
  const parts = url.pathname.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new HttpError(400, 'BadRequest', `malformed percent-encoding in the path segment "${ part.slice(0, 100) }"`);
    }
  });

  return { url, parts };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);

  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);

  res.writeHead(status, { 'Content-Type': typeof payload === 'string' ? 'text/plain' : 'application/json', 'Cache-Control': 'no-cache, no-store, must-revalidate' });
  res.end(text);
}

export async function createStandIn(options: StandInOptions = {}): Promise<StandIn> {
  loadData();
  const store = new Store();
  const requests: LoggedRequest[] = [];
  const sessions = new Map<string, User>();
  const prefs = new Map<string, Obj>();
  const sockets = new Set<{ ws: WebSocket, user: User, base: string, types: Set<string> }>();
  const simToken = options.simApi ? randomBytes(32).toString('hex') : null;
  const faults: Fault[] = [];
  /** the origins of the stand-in's own pages (set once listening): the only Origin values /__sim/ accepts */
  const ownOrigins = new Set<string>();

  seed(store);

  const tokenFor = (username: string): string => {
    const user = USERS.find((u) => u.username === username);

    if (!user) {
      throw new Error(`no user ${ username }`);
    }
    const token = `token-${ randomSuffix(5) }:${ randomBytes(24).toString('hex') }`;

    sessions.set(token, user);

    return token;
  };

  const userOf = (req: IncomingMessage): User | undefined => {
    const auth = req.headers.authorization || '';
    const bearer = auth.startsWith('Bearer ') ? auth.slice(7) : '';

    return sessions.get(bearer || cookie(req, 'R_SESS') || '');
  };

  const baseOf = (req: IncomingMessage): string => {
    const host = (req.headers['x-api-host'] as string) || req.headers.host || '127.0.0.1';
    const proto = (req.headers['x-forwarded-proto'] as string) || 'http';

    return `${ proto }://${ host }`;
  };

  store.onChange((name, t, obj) => {
    for (const s of sockets) {
      if (s.types.has(t.id) && s.ws.readyState === WebSocket.OPEN) {
        s.ws.send(JSON.stringify({
          name, resourceType: t.id, data: store.toSteve(t, obj, s.user, s.base)
        }));
      }
    }
  });

  const collection = (t: TypeDef | string, data: Obj[], base: string, user?: User, self?: string): Obj => {
    const id = typeof t === 'string' ? t : t.id;
    const out: Obj = {
      type: 'collection', links: { self: self || `${ base }/v1/${ typeof t === 'string' ? t : t.pluralName }` }, actions: {}, resourceType: id, revision: store.revision(), count: data.length, data
    };

    if (user && typeof t !== 'string' && t.writable && allowed(user, t, 'create')) {
      out.createTypes = { [id]: `${ base }/v1/${ t.pluralName }` };
    }

    return out;
  };

  /** Rancher creates a management cluster for each new provisioning cluster (the create page waits for it). */
  const afterProvisioningCreate = (created: Obj): Obj => {
    if (created.status?.clusterName) {
      return created;
    }
    const version = created.spec?.kubernetesVersion || RKE2_VERSION;
    const provider = created.spec?.rkeConfig ? runtimeOf(version) : 'imported';
    let id = '';

    do {
      id = `c-m-${ randomSuffix(8) }`;
    } while (store.get(typeById('management.cattle.io.cluster') as TypeDef, id));
    store.create(typeById('management.cattle.io.cluster') as TypeDef, mgmtCluster(id, created.metadata.name, provider, version || K3S_VERSION));

    return store.mutate(typeById('provisioning.cattle.io.cluster') as TypeDef, objectId(created), (o) => {
      o.status = {
        ...(o.status || {}), clusterName: id, fleetWorkspaceName: o.metadata.namespace, clientSecretName: `${ o.metadata.name }-kubeconfig`, ready: true, observedGeneration: o.metadata.generation
      };
    });
  };

  const nodePlan = (name: string): ClusterPlan => {
    const prov = typeById('provisioning.cattle.io.cluster') as TypeDef;
    const mgmt = typeById('management.cattle.io.cluster') as TypeDef;
    const secret = typeById('secret') as TypeDef;
    const cm = typeById('configmap') as TypeDef;
    const cluster = store.get(prov, `fleet-default/${ name }`) || store.list(prov).find((c) => c.metadata.name === name);
    const mgmtObj = store.get(mgmt, cluster?.status?.clusterName || name);

    if (cluster?.spec?.rkeConfig) {
      return planProvisioningCluster(cluster, { secret: (ns, n) => store.get(secret, `${ ns }/${ n }`), configMap: (ns, n) => store.get(cm, `${ ns }/${ n }`) });
    }
    if (mgmtObj?.spec?.rancherKubernetesEngineConfig) {
      return planRke1Cluster(mgmtObj);
    }
    throw notFound(cluster || mgmtObj ? `cluster "${ name }" is neither an RKE2/K3s (spec.rkeConfig) nor an RKE1 cluster` : `clusters.provisioning.cattle.io "${ name }" not found`);
  };

  // ---------------------------------------------------------------- /__sim
  /** Throws unless the request may use /__sim/: 404 when the API is off, 403 cross-origin, 401 without the token. */
  const simGuard = (req: IncomingMessage, path: string): void => {
    if (!simToken) {
      throw notFound(`no route ${ req.method } ${ path }`);
    }
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];

    if ((origin !== undefined && !ownOrigins.has(origin)) || site === 'cross-site' || site === 'same-site') {
      throw new HttpError(403, 'Forbidden', 'cross-origin requests to /__sim are refused');
    }
    const given = req.headers[SIM_TOKEN_HEADER.toLowerCase()];

    if (typeof given !== 'string' || !sameToken(given, simToken)) {
      throw new HttpError(401, 'Unauthorized', `/__sim needs the stand-in's test token in the ${ SIM_TOKEN_HEADER } header`);
    }
  };

  const sim = async(req: IncomingMessage, parts: string[], res: ServerResponse, body: () => Promise<string>): Promise<unknown> => {
    const [what, ...rest] = parts;

    if (req.method === 'POST' && what === 'reset') {
      const text = await body();
      const options = text.trim() ? parseBody(text, req.headers['content-type']) : {};
      const fleet = options.fleet ?? 0;

      const whole = (v: unknown, min: number) => v === undefined || (Number.isInteger(v) && (v as number) >= min);

      if (!Number.isInteger(fleet) || fleet < 0 || fleet > 5000 || !whole(options.secrets, 0) || !whole(options.sharedBy, 1)) {
        throw new HttpError(422, 'Invalid', 'reset takes {"fleet": 0..5000, "secrets": a whole number, "sharedBy": 1 or more}');
      }
      seed(store);
      const added = fleet ? seedFleet(store, fleet, { secrets: options.secrets, sharedBy: options.sharedBy }) : null;

      requests.length = 0;
      prefs.clear();
      faults.length = 0;

      return {
        reset: true, revision: store.revision(), ...(added ? { fleet: { clusters: fleet, secrets: added.secrets.length, configMaps: added.configMaps.length } } : {})
      };
    }
    if (what === 'faults' && rest.length === 0 && req.method === 'POST') {
      const f = parseBody(await body(), req.headers['content-type']) as Partial<Fault>;

      if (!['POST', 'PUT', 'DELETE'].includes(f.method as string) || !typeById(f.type || '') || typeof f.id !== 'string' || ![0, 403, 409, 500, 503].includes(f.status as number)) {
        throw new HttpError(422, 'Invalid', 'a fault is {"method": "POST"|"PUT"|"DELETE", "type": <steve type>, "id": "<namespace>/<name>", "status": 0|403|409|500|503, "times": n}');
      }
      faults.push({
        method: f.method as Fault['method'], type: f.type as string, id: f.id, status: f.status as Fault['status'], times: Number.isInteger(f.times) && (f.times as number) > 0 ? f.times as number : 1
      });

      return faults;
    }
    if (what === 'faults' && rest.length === 0 && req.method === 'GET') {
      return faults;
    }
    if (what === 'faults' && rest.length === 0 && req.method === 'DELETE') {
      faults.length = 0;

      return faults;
    }
    if (req.method === 'GET' && what === 'requests') {
      return requests;
    }
    if (req.method === 'GET' && what === 'objects' && rest.length >= 1) {
      const t = typeById(rest[0]);

      if (!t) {
        throw notFound(`schema "${ rest[0] }" not found`);
      }
      if (rest.length === 1) {
        return store.list(t);
      }

      return store.mustGet(t, rest.slice(1).join('/'));
    }
    if (req.method === 'POST' && what === 'bump' && rest.length >= 2) {
      const t = typeById(rest[0]);

      if (!t) {
        throw notFound(`schema "${ rest[0] }" not found`);
      }
      const text = await body();
      const patch = text.trim() ? parseBody(text, req.headers['content-type']) : {};

      return store.mutate(t, rest.slice(1).join('/'), (o) => {
        const md = patch.metadata || {};

        o.metadata.annotations = { ...(o.metadata.annotations || {}), ...(md.annotations || {}), 'sim.cattle.io/bumped': new Date().toISOString() };
        if (patch.spec) {
          o.spec = { ...(o.spec || {}), ...patch.spec };
        }
        if (patch.data) {
          o.data = { ...(o.data || {}), ...patch.data };
        }
      });
    }
    if (req.method === 'GET' && what === 'clusters' && rest.length === 2 && rest[1] === 'node-plan') {
      return nodePlan(rest[0]);
    }
    throw notFound(`no /__sim route ${ req.method } /${ parts.join('/') }`);
  };

  /** Answers a write a fault was set for (POST /__sim/faults) as that fault says, once per `times`. */
  const failIfFaulted = (user: User, method: string, t: TypeDef, ns: string | undefined, name: string | undefined): void => {
    const id = ns ? `${ ns }/${ name }` : name;
    const at = faults.findIndex((f) => f.method === method && f.type === t.id && f.id === id);

    if (at < 0) {
      return;
    }
    const fault = faults[at];

    if (--fault.times <= 0) {
      faults.splice(at, 1);
    }
    if (fault.status === 0) {
      throw new DropConnection(`${ method } ${ t.id } ${ id }`);
    }
    if (fault.status === 403) {
      throw forbidden(user, method === 'POST' ? 'create' : method === 'PUT' ? 'update' : 'delete', t, ns, name);
    }
    if (fault.status === 409) {
      throw new HttpError(409, 'Conflict', `Operation cannot be fulfilled on ${ groupResource(t) } "${ name }": the object has been modified; please apply your changes to the latest version and try again`);
    }
    throw new HttpError(fault.status, fault.status === 503 ? 'ServiceUnavailable' : 'InternalError', fault.status === 503 ? 'the server is currently unable to handle the request' : `Internal error occurred: ${ method } ${ groupResource(t) } "${ name }"`);
  };

  // ---------------------------------------------------------------- steve /v1
  const steve = async(req: IncomingMessage, url: URL, parts: string[], user: User, base: string, body: () => Promise<string>, log: LoggedRequest): Promise<unknown> => {
    const method = req.method || 'GET';
    const [typeName, ...rest] = parts;

    if (typeName === 'schemas') {
      const visible = TYPES.map((t) => schemaFor(t, user, base));

      if (rest.length === 0) {
        return collection('schema', visible, base);
      }
      const s = visible.find((x) => x.id === rest[0]);

      if (!s || rest.length > 1) {
        throw notFound(`schema "${ rest.join('/') }" not found`);
      }

      return s;
    }
    if (typeName === 'schemaDefinitions') {
      const t = typeById(rest[0] || '');

      if (!t || rest.length !== 1) {
        throw notFound(`schema definition "${ rest.join('/') }" not found`);
      }

      return schemaDefinition(t, base);
    }
    if (typeName === 'counts' || typeName === 'count') {
      const counts: Obj = {};

      for (const t of TYPES.filter((x) => x.writable || ['management.cattle.io.feature', 'management.cattle.io.fleetworkspace', 'management.cattle.io.user', 'management.cattle.io.nodedriver'].includes(x.id))) {
        const list = store.list(t);
        const namespaces: Obj = {};

        for (const o of list) {
          if (o.metadata.namespace) {
            namespaces[o.metadata.namespace] = { count: (namespaces[o.metadata.namespace]?.count || 0) + 1 };
          }
        }
        counts[t.id] = { summary: { count: list.length }, ...(t.namespaced ? { namespaces } : {}) };
      }

      return collection('count', [{
        id: 'count', type: 'count', links: { self: `${ base }/v1/counts/count` }, counts
      }], base, undefined, `${ base }/v1/counts`);
    }
    if (typeName === 'userpreferences' || typeName === 'userpreference') {
      const pref = () => ({
        id: user.id, type: 'userpreference', links: { self: `${ base }/v1/userpreferences/${ user.id }`, update: `${ base }/v1/userpreferences/${ user.id }` }, data: prefs.get(user.id) || {}
      });

      if (method === 'GET' && rest.length === 0) {
        return collection('userpreference', [pref()], base, undefined, `${ base }/v1/userpreferences`);
      }
      if (method === 'GET' && rest.length === 1) {
        return pref();
      }
      if (method === 'PUT' && rest.length === 1) {
        const b = parseBody(await body(), req.headers['content-type']);

        prefs.set(user.id, { ...(b.data || {}) });

        return pref();
      }
      throw new HttpError(405, 'MethodNotAllowed', `${ method } not allowed on userpreferences`);
    }
    if ((typeName === 'ext.cattle.io.selfuser' || typeName === 'ext.cattle.io.selfusers') && method === 'POST') {
      return {
        apiVersion: 'ext.cattle.io/v1', kind: 'SelfUser', type: 'ext.cattle.io.selfuser', metadata: {}, status: { userID: user.id }
      };
    }

    const t = typeById(typeName);

    if (!t || t.id === 'count' || t.id === 'ext.cattle.io.selfuser') {
      throw notFound(`schema "${ typeName }" not found`);
    }
    log.type = t.id;
    // /v1/<type>, /v1/<type>/<name> (cluster scoped or namespaced list), /v1/<type>/<ns>/<name>
    if (rest.length > (t.namespaced ? 2 : 1)) {
      throw notFound(`no route /v1/${ parts.join('/') }`);
    }
    let ns: string | undefined;
    let name: string | undefined;

    if (t.namespaced) {
      [ns, name] = rest;
    } else {
      [name] = rest;
    }
    if (url.searchParams.has('link') || url.searchParams.has('action')) {
      throw notFound(`${ url.searchParams.has('link') ? 'link' : 'action' } "${ url.searchParams.get('link') || url.searchParams.get('action') }" not found on ${ t.id }`);
    }
    const id = name ? (ns ? `${ ns }/${ name }` : name) : undefined;

    log.id = id;

    if (method === 'GET') {
      if (!allowed(user, t, id ? 'get' : 'list', ns)) {
        throw forbidden(user, id ? 'get' : 'list', t, ns, name);
      }
      if (id) {
        return store.toSteve(t, store.mustGet(t, id), user, base);
      }
      let list = store.list(t, ns);
      const sel = url.searchParams.get('labelSelector');

      if (sel) {
        const pairs = sel.split(',').map((p) => p.split('='));

        list = list.filter((o) => pairs.every(([k, v]) => (o.metadata.labels || {})[k] === v));
      }

      return collection(t, list.map((o) => store.toSteve(t, o, user, base)), base, user);
    }
    if (!t.writable) {
      throw new HttpError(405, 'MethodNotAllowed', `${ method } is not allowed on ${ t.id }`);
    }
    if (method === 'POST' && !name) {
      const input = fromSteve(t, parseBody(await body(), req.headers['content-type']));
      const targetNs = t.namespaced ? (input.metadata?.namespace || ns) : undefined;

      log.body = input;
      failIfFaulted(user, method, t, targetNs, input.metadata?.name);
      if (!allowed(user, t, 'create', targetNs)) {
        throw forbidden(user, 'create', t, targetNs);
      }
      let created = store.create(t, input, ns);

      if (t.id === 'provisioning.cattle.io.cluster') {
        created = afterProvisioningCreate(created);
      }
      log.id = objectId(created);

      return new Reply(201, store.toSteve(t, created, user, base));
    }
    if (method === 'PUT' && id) {
      const input = fromSteve(t, parseBody(await body(), req.headers['content-type']));

      log.body = input;
      failIfFaulted(user, method, t, ns, name);
      if (!allowed(user, t, 'update', ns)) {
        throw forbidden(user, 'update', t, ns, name);
      }

      return store.toSteve(t, store.update(t, id, input), user, base);
    }
    if (method === 'DELETE' && id) {
      failIfFaulted(user, method, t, ns, name);
      if (!allowed(user, t, 'delete', ns)) {
        throw forbidden(user, 'delete', t, ns, name);
      }
      const removed = store.remove(t, id);

      if (t.id === 'provisioning.cattle.io.cluster' && removed.status?.clusterName) {
        const mgmt = typeById('management.cattle.io.cluster') as TypeDef;

        if (store.get(mgmt, removed.status.clusterName)) {
          store.remove(mgmt, removed.status.clusterName);
        }
      }

      return store.toSteve(t, removed, user, base);
    }
    throw new HttpError(405, 'MethodNotAllowed', `${ method } is not allowed on /v1/${ parts.join('/') }`);
  };

  // ---------------------------------------------------------------- norman /v3
  const norman = (req: IncomingMessage, url: URL, parts: string[], user: User, base: string): unknown => {
    const [what, ...rest] = parts;
    const coll = (resourceType: string, data: Obj[]) => ({
      type: 'collection', resourceType, links: { self: `${ base }/v3/${ what }` }, actions: {}, pagination: { limit: 1000, total: data.length }, sort: { order: 'asc', reverse: `${ base }/v3/${ what }?order=desc` }, filters: {}, createTypes: {}, data
    });

    if (what === 'schemas') {
      const all = NORMAN_TYPES.map((s) => normanSchema(s, base));

      return rest.length ? (all.find((s) => s.id === rest[0]) || (() => {
        throw notFound(`schema "${ rest[0] }" not found`);
      })()) : coll('schema', all);
    }
    if (what === 'principals') {
      return coll('principal', [principal(user, base, true)]);
    }
    if (what === 'users') {
      return coll('user', [{
        id: user.id, type: 'user', username: user.username, name: user.displayName, principalIds: [`local://${ user.id }`], me: true, links: { self: `${ base }/v3/users/${ user.id }` }
      }]);
    }
    if (what === 'settings') {
      const setting = typeById('management.cattle.io.setting') as TypeDef;
      const toNorman = (o: Obj) => ({
        id: o.metadata.name, type: 'setting', name: o.metadata.name, value: o.value, default: o.default, customized: o.customized, source: o.source, links: { self: `${ base }/v3/settings/${ o.metadata.name }` }
      });

      return rest.length ? toNorman(store.mustGet(setting, rest[0])) : coll('setting', store.list(setting).map(toNorman));
    }
    if (what === 'tokens' && req.method === 'POST' && url.searchParams.get('action') === 'logout') {
      return { logout: true };
    }
    if (['cloudcredentials', 'clusterroletemplatebindings', 'authconfigs', 'clusters', 'tokens'].includes(what) && req.method === 'GET') {
      return coll(what.replace(/s$/, ''), []);
    }
    throw notFound(`no route /v3/${ parts.join('/') }`);
  };

  const principal = (user: User, base: string, me: boolean): Obj => ({
    id: `local://${ user.id }`, type: 'principal', links: { self: `${ base }/v3/principals/local:%2F%2F${ user.id }` }, loginName: user.username, me, memberOf: false, name: user.displayName, principalType: 'user', provider: 'local'
  });

  // ---------------------------------------------------------------- public endpoints
  const login = async(req: IncomingMessage, res: ServerResponse, body: () => Promise<string>, log: LoggedRequest): Promise<unknown> => {
    const b = parseBody(await body(), req.headers['content-type']);
    const user = USERS.find((u) => u.username === b.username && u.password === b.password);

    log.body = { username: b.username, type: b.type, responseType: b.responseType };
    if (!user) {
      throw new HttpError(401, 'Unauthorized', 'authentication failed');
    }
    const token = tokenFor(user.username);
    const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';

    log.user = user.username;
    if (b.responseType === 'cookie') {
      res.setHeader('Set-Cookie', [`R_SESS=${ token }; Path=/; HttpOnly; SameSite=Lax${ secure }`]);

      return new Reply(200, {});
    }

    return {
      type: 'token', token, userId: user.id, authProvider: 'local', ttl: 57600000
    };
  };

  const kdm = (parts: string[]): unknown => {
    const data = loadData();
    const [kind, what, id] = parts;
    const lists: Record<string, Obj> = {
      'v1-rke2-release/releases': data.rke2Releases, 'v1-k3s-release/releases': data.k3sReleases, 'v1-rke2-release/channels': data.rke2Channels, 'v1-k3s-release/channels': data.k3sChannels
    };
    const list = lists[`${ kind }/${ what }`];

    if (!list) {
      throw notFound(`no route /${ parts.join('/') }`);
    }
    if (!id) {
      return list;
    }

    return (list.data as Obj[]).find((r) => r.id === id) || (() => {
      throw notFound(`${ what.replace(/s$/, '') } "${ id }" not found`);
    })();
  };

  // ---------------------------------------------------------------- dispatcher
  const handle = async(req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method || 'GET';
    let target: { url: URL, parts: string[] };

    try {
      target = requestTarget(req.url || '/');
    } catch (e) {
      const err = e as ApiError;

      if (method !== 'GET' && method !== 'HEAD') {
        await readBody(req).catch(() => '');
      }
      send(res, err.status, err.body());

      return;
    }
    const { url, parts } = target;
    const base = baseOf(req);
    const user = userOf(req);
    const log: LoggedRequest = {
      time: new Date().toISOString(), method, path: url.pathname + url.search, user: user?.username || null, status: 0
    };
    let bodyText: Promise<string> | undefined;
    const body = () => {
      bodyText = bodyText || readBody(req);

      return bodyText;
    };
    let status = 200;
    let payload: unknown;

    try {
      let result: unknown;
      const [root] = parts;

      if (root === '__sim') {
        simGuard(req, url.pathname);
        result = await sim(req, parts.slice(1), res, body);
      } else if (root === 'rancherversion' && method === 'GET') {
        // chosen to match @rancher/shell 3.0.13's rancherVersion ("2.15")
        result = {
          Version: 'v2.15.0', GitCommit: 'stand-in', RancherPrime: 'false'
        };
      } else if (root === 'version' && method === 'GET') {
        result = {
          gitVersion: K3S_VERSION, major: '1', minor: K3S_VERSION.split('.')[1], platform: 'linux/amd64'
        };
      } else if (root === 'healthz' || root === 'ping') {
        result = 'pong';
      } else if (/^v1-(rke2|k3s)-release$/.test(root || '') && method === 'GET') {
        result = kdm(parts);
      } else if ((root === 'v1-public' && parts[1] === 'login' && method === 'POST') || (root === 'v3-public' && parts[1] === 'localProviders' && parts[2] === 'local' && url.searchParams.get('action') === 'login' && method === 'POST')) {
        result = await login(req, res, body, log);
      } else if ((root === 'v1-public' && parts[1] === 'authproviders') || (root === 'v3-public' && parts[1] === 'authProviders')) {
        const providers = `${ base }/${ root }/${ parts[1] }`;

        result = {
          type:         'collection', resourceType: 'authProvider', links:        { self: providers }, data:         [{
            id: 'local', type: 'localProvider', links: { self: `${ providers }/local` }, actions: { login: `${ base }/v3-public/localProviders/local?action=login` }
          }]
        };
      } else if (root === 'v1-public' && parts[1] === 'logout') {
        res.setHeader('Set-Cookie', ['R_SESS=; Path=/; Max-Age=0']);
        result = {};
      } else if (root === 'v1' && parts[1] === 'uiplugins') {
        // Rancher's own handler, outside steve: an anonymous caller gets the anonymous index (uiplugins.ts)
        const reply = uiPluginRequest(options.uiPlugins || [], parts.slice(2), !!user);

        if ('json' in reply) {
          result = new Reply(reply.status, reply.json);
        } else {
          res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.body) });
          res.end(method === 'HEAD' ? undefined : reply.body);
          result = new Reply(reply.status, null);
        }
      } else if (root === 'v1' || root === 'v3') {
        if (!user) {
          res.setHeader('X-Api-Cattle-Auth', 'false');
          const setting = typeById('management.cattle.io.setting') as TypeDef;

          // settings readable before login (the app reads them on its first route, startup-contract.md #4, #5)
          if (method === 'GET' && root === 'v1' && parts[1] === 'management.cattle.io.settings') {
            const admin = USERS[0];
            const visible = store.list(setting).filter((o) => PUBLIC_SETTINGS.test(o.metadata.name));

            if (parts[2]) {
              const one = visible.find((o) => o.metadata.name === parts[2]);

              if (!one) {
                throw new HttpError(401, 'Unauthorized', 'must authenticate');
              }
              result = store.toSteve(setting, one, admin, base);
            } else {
              result = collection(setting, visible.map((o) => store.toSteve(setting, o, admin, base)), base);
            }
          } else if (method === 'GET' && root === 'v3' && parts[1] === 'settings' && parts[2] && PUBLIC_SETTINGS.test(parts[2])) {
            const o = store.mustGet(setting, parts[2]);

            result = {
              id: o.metadata.name, type: 'setting', name: o.metadata.name, value: o.value, default: o.default
            };
          } else {
            throw new HttpError(401, 'Unauthorized', 'must authenticate');
          }
        } else {
          res.setHeader('X-Api-Cattle-Auth', 'true');
          result = root === 'v1' ? await steve(req, url, parts.slice(1), user, base, body, log) : norman(req, url, parts.slice(1), user, base);
        }
      } else {
        throw notFound(`no route ${ method } ${ url.pathname }`);
      }
      if (result instanceof Reply) {
        status = result.status;
        payload = result.body;
      } else {
        payload = result;
      }
    } catch (e) {
      if (e instanceof DropConnection) {
        log.status = 0;
        requests.push(log);
        req.socket.destroy();

        return;
      }
      const err = e instanceof ApiError ? e : new HttpError(500, 'ServerError', (e as Error).message || String(e));

      status = err.status;
      payload = err.body();
    }
    log.status = status;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && parts[0] !== '__sim') {
      requests.push(log);
    }
    if (options.verbose) {
      process.stderr.write(`${ status } ${ method } ${ url.pathname }${ url.search }\n`);
    }
    // drain an unread body so the socket can be reused
    if (!bodyText && method !== 'GET' && method !== 'HEAD') {
      await body().catch(() => '');
    }
    if (!res.headersSent) {
      send(res, status, payload);
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({
          type: 'error', status: 500, code: 'ServerError', message: String(e)
        }));
      }
    });
  });

  const wss = new WebSocketServer({ noServer: true });

  server.on('upgrade', (req, socket, head) => {
    const path = (req.url || '').split('?')[0];
    const user = userOf(req);

    if (!user || !['/v1/subscribe', '/v3/subscribe'].includes(path)) {
      socket.write(`HTTP/1.1 ${ user ? '404 Not Found' : '401 Unauthorized' }\r\nConnection: close\r\n\r\n`);
      socket.destroy();

      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const sub = {
        ws, user, base: baseOf(req), types: new Set<string>()
      };

      ws.on('error', () => sockets.delete(sub));
      ws.on('close', () => sockets.delete(sub));
      if (path !== '/v1/subscribe') {
        return; // /v3/subscribe: open and silent (tolerated, startup-contract.md §9)
      }
      sockets.add(sub);
      ws.on('message', (raw) => {
        let msg: Obj;

        try {
          msg = JSON.parse(raw.toString());
        } catch {
          return;
        }
        const t = typeById(msg.resourceType || '');

        if (!t) {
          return;
        }
        if (msg.stop) {
          sub.types.delete(t.id);
          ws.send(JSON.stringify({ name: 'resource.stop', resourceType: t.id }));

          return;
        }
        sub.types.add(t.id);
        ws.send(JSON.stringify({ name: 'resource.start', resourceType: t.id }));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';

  ownOrigins.add(`http://${ host.includes(':') ? `[${ host }]` : host }:${ port }`);
  if (['127.0.0.1', 'localhost', '::1'].includes(host)) {
    ['127.0.0.1', 'localhost', '[::1]'].forEach((h) => ownOrigins.add(`http://${ h }:${ port }`));
  }

  return {
    url:   `http://${ options.host ?? '127.0.0.1' }:${ port }`,
    port,
    store,
    requests,
    tokenFor,
    simToken,
    reset: () => {
      seed(store);
      requests.length = 0;
      faults.length = 0;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) {
        s.ws.terminate();
      }
      wss.close();
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
