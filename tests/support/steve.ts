/**
 * A real vuex store for component tests: the `i18n` module from tests/support/store.ts plus a `management`
 * module with the steve actions and getters the tabs and the fleet page use (schemaFor, find, findAll, create,
 * request), backed by in-memory objects whose save()/remove() (and lists) can be made to fail with a given HTTP
 * status, and the getters the shell's SortableTable reads.
 */
import { createStore, Store } from 'vuex';
import { i18nModule } from './store';
import type { KubeObject } from '../../pkg/cluster-audit-log/delivery';

export interface FakeSteve {
  store: Store<unknown>;
  /** Objects by `type/namespace/name`. */
  objects: Map<string, KubeObject>;
  /** Writes as `METHOD type/ns/name`. */
  writes: string[];
  /** Make the next write of a type fail with this status. */
  failNext: (type: string, status: number, message?: string) => void;
}

interface Options {
  /** Types the user may create and update (schema collectionMethods POST, resourceMethods PUT). */
  writable?: string[];
  objects?: KubeObject[];
}

function key(type: string, ns: string, name: string): string {
  return `${ type }/${ ns }/${ name }`;
}

/** Builds the store. Secrets and ConfigMaps are steve types `secret` and `configmap`. */
export function fakeSteve(options: Options = {}): FakeSteve {
  const writable = options.writable ?? ['secret', 'configmap', 'provisioning.cattle.io.cluster'];
  const objects = new Map<string, KubeObject>();
  const writes: string[] = [];
  const failures = new Map<string, { status: number, message: string }>();

  for (const o of options.objects || []) {
    objects.set(key(o.type as string, o.metadata.namespace || '', o.metadata.name), JSON.parse(JSON.stringify(o)));
  }

  function fail(type: string): void {
    const f = failures.get(type);

    if (f) {
      failures.delete(type);
      throw Object.assign(new Error(f.message), { _status: f.status, message: f.message });
    }
  }

  function model(type: string, data: KubeObject): KubeObject & { save(): Promise<unknown>, remove(): Promise<unknown> } {
    const m = JSON.parse(JSON.stringify(data)) as KubeObject;

    return Object.assign(m, {
      type,
      async save() {
        fail(type);
        const k = key(type, m.metadata.namespace || '', m.metadata.name);
        const exists = objects.has(k);

        writes.push(`${ exists ? 'PUT' : 'POST' } ${ k }`);
        const stored = JSON.parse(JSON.stringify({ ...m, type })) as KubeObject;

        stored.metadata.resourceVersion = String(Number(stored.metadata.resourceVersion || 0) + 1);
        if (m._type) {
          stored.type = type;
          stored._type = m._type;
        }
        objects.set(k, stored);

        return this;
      },
      async remove() {
        fail(type);
        const k = key(type, m.metadata.namespace || '', m.metadata.name);

        writes.push(`DELETE ${ k }`);
        objects.delete(k);
      },
    });
  }

  const store = createStore({
    modules: {
      i18n:  i18nModule(),
      // user preferences shell components read (YamlEditor's diff mode, CodeMirror's key map and theme)
      prefs: {
        namespaced: true,
        getters:    { get: () => (name: string) => ({ diff: 'unified', keymap: 'sublime', theme: 'light', 'per-page': '100' } as Record<string, string>)[name] },
        actions:    { set: () => undefined },
      },
      // what the shell's SortableTable reads besides i18n and prefs (the fleet page's tables)
      'action-menu':    { namespaced: true, getters: { elem: () => null, showing: () => false } },
      'resource-fetch': { namespaced: true, getters: { isTooManyItemsToAutoUpdate: () => false, manualRefreshIsLoading: () => false } },
      management:       {
        namespaced: true,
        getters:    {
          // settings and other cached objects shell components look up (none here)
          byId:      () => () => undefined,
          schemaFor: () => (type: string) => ({
            id: type, collectionMethods: writable.includes(type) ? ['GET', 'POST'] : ['GET'], resourceMethods: writable.includes(type) ? ['GET', 'PUT', 'DELETE'] : ['GET'],
          }),
        },
        actions: {
          find(_ctx: unknown, { type, id }: { type: string, id: string }) {
            const [ns, name] = id.split('/');
            const found = objects.get(key(type, ns, name));

            if (!found) {
              return Promise.reject(Object.assign(new Error('not found'), { _status: 404 }));
            }

            return Promise.resolve(model(type, found));
          },
          findAll(_ctx: unknown, { type }: { type: string }) {
            return Promise.resolve([...objects.values()].filter((o) => o.type === type).map((o) => model(type, o)));
          },
          create(_ctx: unknown, data: KubeObject) {
            return Promise.resolve(model(data.type as string, data));
          },
          /** GET /v1/<type>s[/<namespace>]: a steve collection of plain objects (the fleet page lists through it). */
          request(_ctx: unknown, { url }: { url: string }) {
            const [, type, ns] = /^\/v1\/([^/?]+?)s(?:\/([^/?]+))?(?:\?|$)/.exec(url) || [];
            const failure = type ? failures.get(type) : undefined;

            if (failure) {
              failures.delete(type);

              return Promise.reject(Object.assign(new Error(failure.message), { _status: failure.status, message: failure.message }));
            }

            return Promise.resolve({ data: [...objects.values()].filter((o) => o.type === type && (!ns || o.metadata.namespace === ns)).map((o) => JSON.parse(JSON.stringify(o))) });
          },
        },
      },
    },
  });

  return {
    store,
    objects,
    writes,
    failNext: (type, status, message = `${ status } error`) => failures.set(type, { status, message }),
  };
}
