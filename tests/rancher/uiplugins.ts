/**
 * The stand-in's installed UI extensions, served as Rancher serves an extension installed from a catalog
 * (rancher/rancher pkg/api/steve/catalog/plugin.go, pkg/controllers/dashboard/plugin/index.go and fscache.go):
 *
 * - `GET /v1/uiplugins`: the index, `{"entries": {<name>: <UIPlugin spec.plugin> + CacheState + Ready}}`; an
 *   anonymous caller gets the anonymous index (only the `noAuth` entries; none: `{}`).
 * - `/v1/uiplugins/<name>/<version>/<rest>`: a file of a cached extension (`plugin/<file>`, the layout the
 *   extension's image serves and Rancher's cache keeps), with Go's http.FileServer content types; a name,
 *   version or caller the index does not allow gets `plugin [name: N version: V] does not exist in index`, 404.
 *
 * The UIPlugin resource is the one the extension's Helm chart writes (@rancher/shell scripts/extension/helm:
 * scripts/patch puts package.json's `rancher.annotations` into `spec.plugin.metadata`, `rancher.noAuth` into
 * `noAuth`; helmpatch sets the endpoints to the extension image's service). The stand-in serves the files from
 * the folder `yarn build-pkg` wrote, as Rancher serves them from its cache once the extension is cached.
 */
import { existsSync, readFileSync, statSync } from 'fs';
import { extname, join, relative, resolve, sep } from 'path';
import type { Obj } from './data';

/** A built UI extension the stand-in serves as installed. */
export interface UIPluginPackage {
  /** The extension's package.json as written (pkg/<name>/package.json): name, version, the `rancher` block. */
  packageJson: Obj;
  /** The folder `yarn build-pkg <name>` writes (dist-pkg/<name>-<version>): the files served under plugin/. */
  dir: string;
  /** The `name` of the repository's own package.json: the publish script names the extension's image after it. */
  repository: string;
}

/** An entry of Rancher's UI plugin index: the UIPlugin's spec.plugin (catalog.cattle.io/v1 UIPluginEntry) and its status. */
export interface UIPluginIndexEntry {
  name: string;
  version: string;
  endpoint: string;
  compressedEndpoint: string;
  noCache?: boolean;
  noAuth?: boolean;
  metadata?: Record<string, string>;
  CacheState: string;
  Ready: boolean;
}

/** What a /v1/uiplugins request gets: a JSON body, or a file's bytes with their content type. */
export type UIPluginReply = { status: number, json: unknown } | { status: number, contentType: string, body: Buffer | string };

/** Go's mime.TypeByExtension for the files build-pkg writes; anything else is sniffed by Go (text/plain here). */
const CONTENT_TYPES: Record<string, string> = {
  '.js':   'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.css':  'text/css; charset=utf-8',
  '.svg':  'image/svg+xml',
  '.png':  'image/png',
};

/** The UIPlugin's spec.plugin as the extension chart writes it, with the status a cached extension has. */
export function uiPluginEntry(pkg: UIPluginPackage): UIPluginIndexEntry {
  const { name, version } = pkg.packageJson;
  const rancher = typeof pkg.packageJson.rancher === 'object' && pkg.packageJson.rancher ? pkg.packageJson.rancher : {};
  const annotations: Record<string, unknown> = rancher.annotations || {};
  const endpoint = `http://ui-extension-${ pkg.repository }-svc.cattle-ui-plugin-system:8080/plugin/${ name }-${ version }`;

  // in Go's field order; omitempty leaves out false and empty values
  return {
    name,
    version,
    endpoint,
    compressedEndpoint: `${ endpoint }.tgz`,
    ...(rancher.noAuth === true ? { noAuth: true } : {}),
    ...(Object.keys(annotations).length ? { metadata: Object.fromEntries(Object.entries(annotations).map(([key, value]) => [key, String(value)])) } : {}),
    CacheState:         'cached',
    Ready:              true,
  };
}

/** The extension `name` of this repository as built: pkg/<name>/package.json and dist-pkg/<name>-<version>/. */
export function uiPluginFromRepository(root: string, name: string): UIPluginPackage {
  const packageJson = JSON.parse(readFileSync(join(root, 'pkg', name, 'package.json'), 'utf8'));
  const dir = join(root, 'dist-pkg', `${ packageJson.name }-${ packageJson.version }`);

  if (!existsSync(join(dir, `${ packageJson.name }-${ packageJson.version }.umd.min.js`))) {
    throw new Error(`${ dir } holds no built package: run \`yarn build-pkg ${ name }\` first`);
  }

  return { packageJson, dir, repository: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name };
}

/** The index as `GET /v1/uiplugins` answers it: every entry for a logged-in caller, the `noAuth` ones otherwise. */
export function uiPluginIndex(pkgs: UIPluginPackage[], authenticated: boolean): { entries?: Record<string, UIPluginIndexEntry> } {
  const entries = pkgs.map(uiPluginEntry).filter((e) => authenticated || e.noAuth);

  return entries.length ? { entries: Object.fromEntries(entries.map((e) => [e.name, e])) } : {};
}

/**
 * Answers `/v1/uiplugins` and `/v1/uiplugins/<name>/<version>/<rest>` (`parts`: the path's segments after
 * `uiplugins`, decoded).
 */
export function uiPluginRequest(pkgs: UIPluginPackage[], parts: string[], authenticated: boolean): UIPluginReply {
  if (!parts.length) {
    return { status: 200, json: uiPluginIndex(pkgs, authenticated) };
  }
  const [name, version, ...rest] = parts;
  const pkg = pkgs.find((p) => p.packageJson.name === name);
  const entry = pkg && uiPluginEntry(pkg);

  if (!pkg || !entry || entry.version !== version || (!authenticated && !entry.noAuth)) {
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: `plugin [name: ${ name } version: ${ version }] does not exist in index\n` };
  }
  const notFound: UIPluginReply = { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };

  // the cache holds what the image serves under plugin/; a path may not leave it
  if (rest[0] !== 'plugin' || rest.length < 2 || rest.some((p) => p === '' || p === '.' || p === '..' || p.includes('/') || p.includes('\\') || p.includes('\0'))) {
    return notFound;
  }
  const file = resolve(pkg.dir, ...rest.slice(1));
  const inside = relative(resolve(pkg.dir), file);

  if (inside.startsWith('..') || inside.split(sep).includes('..') || !existsSync(file) || !statSync(file).isFile()) {
    return notFound;
  }

  return { status: 200, contentType: CONTENT_TYPES[extname(file)] || 'text/plain; charset=utf-8', body: readFileSync(file) };
}
