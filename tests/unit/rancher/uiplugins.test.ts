/**
 * The stand-in's /v1/uiplugins routes (tests/rancher/uiplugins.ts): the index and the files of an installed UI
 * extension, shaped as rancher/rancher's plugin handler answers them, for a built package laid out as
 * `yarn build-pkg` writes it (made here in a temporary folder). The index entry made from this extension's own
 * package.json must be one the shell's extension loader (shouldNotLoadPlugin) loads on Rancher 2.10 to 2.15.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createStandIn, StandIn } from '../../rancher/server';
import {
  UIPluginIndexEntry, uiPluginEntry, uiPluginFromRepository, UIPluginPackage
} from '../../rancher/uiplugins';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = join(__dirname, '..', '..', '..');
const PACKAGE_JSON = JSON.parse(readFileSync(join(ROOT, 'pkg/cluster-audit-log/package.json'), 'utf8'));
const ID = `${ PACKAGE_JSON.name }-${ PACKAGE_JSON.version }`;
const UMD = `(function(){window["${ ID }"]={default:function(){}}})();\n`;
const PLUGIN = `/v1/uiplugins/${ PACKAGE_JSON.name }/${ PACKAGE_JSON.version }/plugin`;

let dir: string;
let si: StandIn;
let token: string;

/** A package folder as build-pkg writes it: the UMD, a lazy chunk, a source map, the rewritten package.json. */
function builtPackage(parent: string, packageJson: Json): string {
  const out = join(parent, 'dist-pkg', `${ packageJson.name }-${ packageJson.version }`);

  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${ packageJson.name }-${ packageJson.version }.umd.min.js`), UMD);
  writeFileSync(join(out, `${ packageJson.name }-${ packageJson.version }.umd.min.audit-log-tab.js`), '"chunk";\n');
  writeFileSync(join(out, `${ packageJson.name }-${ packageJson.version }.umd.min.js.map`), '{"version":3}');
  writeFileSync(join(out, 'package.json'), JSON.stringify({ ...packageJson, rancher: true, main: `${ packageJson.name }-${ packageJson.version }.umd.min.js` }));

  return out;
}

const publicPackage: Json = {
  name: 'public-ext', version: '1.2.3', rancher: { noAuth: true, annotations: { 'catalog.cattle.io/ui-extensions-version': '>= 3.0.0' } }
};

beforeAll(async() => {
  dir = mkdtempSync(join(tmpdir(), 'uiplugins-'));
  const packages: UIPluginPackage[] = [
    { packageJson: PACKAGE_JSON, dir: builtPackage(dir, PACKAGE_JSON), repository: 'cluster-audit-log-app' },
    { packageJson: publicPackage, dir: builtPackage(dir, publicPackage), repository: 'public-app' },
  ];

  writeFileSync(join(dir, 'dist-pkg', 'secret.txt'), 'outside the package');
  si = await createStandIn({ port: 0, uiPlugins: packages });
  token = si.tokenFor('admin');
});

afterAll(async() => {
  await si?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string, auth = true): Promise<{ status: number, type: string | null, text: string }> {
  const res = await fetch(`${ si.url }${ path }`, { headers: auth ? { Authorization: `Bearer ${ token }` } : {} });

  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('GET /v1/uiplugins', () => {
  it('lists each installed extension as its UIPlugin resource (spec.plugin) with the cache status, metadata = package.json rancher.annotations', async() => {
    const res = await get('/v1/uiplugins');

    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      entries: {
        [PACKAGE_JSON.name]: {
          name:               PACKAGE_JSON.name,
          version:            PACKAGE_JSON.version,
          endpoint:           `http://ui-extension-cluster-audit-log-app-svc.cattle-ui-plugin-system:8080/plugin/${ ID }`,
          compressedEndpoint: `http://ui-extension-cluster-audit-log-app-svc.cattle-ui-plugin-system:8080/plugin/${ ID }.tgz`,
          metadata:           PACKAGE_JSON.rancher.annotations,
          CacheState:         'cached',
          Ready:              true,
        },
        'public-ext': expect.objectContaining({ name: 'public-ext', noAuth: true }),
      }
    });
    // Go's omitempty: no noCache, no noAuth: false
    expect(Object.keys(JSON.parse(res.text).entries[PACKAGE_JSON.name])).toEqual(['name', 'version', 'endpoint', 'compressedEndpoint', 'metadata', 'CacheState', 'Ready']);
  });

  it('an anonymous caller gets the anonymous index: only the noAuth extensions; none installed -> {}', async() => {
    expect(JSON.parse((await get('/v1/uiplugins', false)).text)).toEqual({ entries: { 'public-ext': expect.objectContaining({ noAuth: true }) } });
    const bare = await createStandIn({ port: 0 });

    try {
      const res = await fetch(`${ bare.url }/v1/uiplugins`);

      expect([res.status, await res.json()]).toEqual([200, {}]);
    } finally {
      await bare.close();
    }
  });
});

describe('GET /v1/uiplugins/<name>/<version>/plugin/<file>', () => {
  it('serves the built files byte for byte with Go\'s content types', async() => {
    const umd = await get(`${ PLUGIN }/${ ID }.umd.min.js`);

    expect(umd).toEqual({ status: 200, type: 'text/javascript; charset=utf-8', text: UMD });
    expect((await get(`${ PLUGIN }/${ ID }.umd.min.audit-log-tab.js`)).text).toBe('"chunk";\n');
    expect(JSON.parse((await get(`${ PLUGIN }/package.json`)).text)).toMatchObject({ name: PACKAGE_JSON.name, main: `${ ID }.umd.min.js` });
    expect((await get(`${ PLUGIN }/${ ID }.umd.min.js.map`)).type).toBe('text/plain; charset=utf-8');
    expect((await get(`/v1/uiplugins/public-ext/1.2.3/plugin/public-ext-1.2.3.umd.min.js`, false)).status).toBe(200);
  });

  it.each([
    ['another version', `/v1/uiplugins/${ PACKAGE_JSON.name }/9.9.9/plugin/${ ID }.umd.min.js`, true, `plugin [name: ${ PACKAGE_JSON.name } version: 9.9.9] does not exist in index\n`],
    ['an extension not installed', '/v1/uiplugins/nope/0.1.0/plugin/nope-0.1.0.umd.min.js', true, 'plugin [name: nope version: 0.1.0] does not exist in index\n'],
    ['an anonymous caller', `${ PLUGIN }/${ ID }.umd.min.js`, false, `plugin [name: ${ PACKAGE_JSON.name } version: ${ PACKAGE_JSON.version }] does not exist in index\n`],
    ['a file not built', `${ PLUGIN }/nope.js`, true, '404 page not found\n'],
    ['a file outside plugin/', `/v1/uiplugins/${ PACKAGE_JSON.name }/${ PACKAGE_JSON.version }/${ ID }.umd.min.js`, true, '404 page not found\n'],
    ['the folder itself', `${ PLUGIN }`, true, '404 page not found\n'],
    ['a parent folder, encoded', `${ PLUGIN }/..%2Fsecret.txt`, true, '404 page not found\n'],
    ['a parent folder, dotted', `${ PLUGIN }/%2e%2e/secret.txt`, true, '404 page not found\n'],
  ])('%s -> 404 with Rancher\'s message', async(_, path, auth, message) => {
    const res = await get(path, auth);

    expect([res.status, res.text]).toEqual([404, message]);
  });
});

describe('the shell\'s extension loader takes the entry', () => {
  /** @rancher/shell's check before it loads an installed extension (a string: why not), as the dashboard runs it. */
  function shouldNotLoad(entry: UIPluginIndexEntry, rancherVersion: string): string | boolean {
    const shellVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/@rancher/shell/package.json'), 'utf8')).version;
    let check: (e: unknown, versions: Json, loaded: unknown[]) => string | boolean = () => 'not loaded';

    process.env.UI_EXTENSIONS_API_VERSION = shellVersion;
    jest.isolateModules(() => {
      check = require('@shell/config/uiplugins').shouldNotLoadPlugin; // eslint-disable-line @typescript-eslint/no-require-imports
    });

    return check(entry, { rancherVersion, kubeVersion: 'v1.31.4+k3s1' }, []);
  }

  const entry = uiPluginEntry({ packageJson: PACKAGE_JSON, dir: '', repository: 'cluster-audit-log-app' });

  it.each(['v2.10.0', 'v2.11.3', 'v2.12.1', 'v2.14.0', 'v2.15.0'])('Rancher %s: loads it', (version) => {
    expect(shouldNotLoad(entry, version)).toBe(false);
  });

  it('Rancher 2.9: refuses it for the rancher-version annotation; without the ui-extensions-version annotation: refused', () => {
    expect(shouldNotLoad(entry, 'v2.9.3')).toBe('plugins.error.version');
    const { 'catalog.cattle.io/ui-extensions-version': _, ...rest } = entry.metadata as Record<string, string>;

    expect(shouldNotLoad({ ...entry, metadata: rest }, 'v2.15.0')).toBe('plugins.error.apiAnnotationMissing');
  });
});

describe('uiPluginFromRepository', () => {
  it('finds pkg/<name> as built in dist-pkg/<name>-<version>; says what to run when it is not built', () => {
    const repo = mkdtempSync(join(tmpdir(), 'uiplugins-repo-'));

    try {
      mkdirSync(join(repo, 'pkg', 'cluster-audit-log'), { recursive: true });
      writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'some-app' }));
      writeFileSync(join(repo, 'pkg', 'cluster-audit-log', 'package.json'), JSON.stringify(PACKAGE_JSON));
      expect(() => uiPluginFromRepository(repo, 'cluster-audit-log')).toThrow(/holds no built package: run `yarn build-pkg cluster-audit-log` first/);
      builtPackage(repo, PACKAGE_JSON);
      expect(uiPluginFromRepository(repo, 'cluster-audit-log')).toEqual({ packageJson: PACKAGE_JSON, dir: join(repo, 'dist-pkg', ID), repository: 'some-app' });
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
