/**
 * The packaged extension as users get it (packaged mode only): what `yarn build-pkg` wrote, read as text and
 * through its source maps. The UMD takes vue and js-yaml from the host (the globals Rancher's dashboard sets),
 * bundles no copy of them, and no part of it reaches for the asset resolvers only Rancher 2.15 exposes; the
 * scenarios marked for the packaged mode then run it in the dashboard (audit-log.e2e.ts, mode.ts).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { launch, login } from './browser';
import { packageDir } from './builds';
import { packagedState } from './mode';
import { DASHBOARD, EXTENSION, EXTENSION_ID } from './servers';

// built by the global setup (servers.ts)
const dir = packageDir(EXTENSION);
const files = readdirSync(dir);
const scripts = files.filter((f) => f.endsWith('.js'));
const text = (f: string) => readFileSync(join(dir, f), 'utf8');
/** Every module the build put into a file, from the file's source map (paths under node_modules, as webpack names them). */
const sources = (f: string): string[] => JSON.parse(text(`${ f }.map`)).sources;

test('packaged: the UMD registers itself as window["<name>-<version>"] and takes vue, js-yaml and jszip from the host\'s globals', () => {
  // the UMD wrapper; its browser branch: root[id] = factory(root.Vue, root.__jsyaml, root.__jszip)
  const umd = text(`${ EXTENSION_ID }.umd.min.js`).slice(0, 600);

  expect(umd).toMatch(new RegExp(`(\\w)\\["${ EXTENSION_ID.replace(/\./g, '\\.') }"\\]=\\w\\(\\1\\["Vue"\\],\\1\\["__jsyaml"\\],\\1\\["__jszip"\\]\\)`));
  expect(JSON.parse(text('package.json'))).toMatchObject({ name: EXTENSION, main: `${ EXTENSION_ID }.umd.min.js` });
});

test('packaged: no file bundles vue, vue-router or js-yaml, nor any @rancher/shell asset resolver', () => {
  const bundled = scripts.flatMap((f) => sources(f).map((s) => `${ f }: ${ s }`));

  expect(bundled.length).toBeGreaterThan(100);
  expect(bundled.filter((s) => /node_modules\/(vue|@vue\/runtime-[a-z]+|@vue\/reactivity|vue-router|js-yaml)\//.test(s))).toEqual([]);
  expect(bundled.filter((s) => /require-asset/.test(s))).toEqual([]);
});

test('packaged: no file names the 2.15-only asset resolvers (window.__shell_requireAsset, __shell_requireJson)', () => {
  expect(scripts.length).toBeGreaterThan(3);
  expect(scripts.filter((f) => /__shell_require(Asset|Json)/.test(text(f)))).toEqual([]);
});

test('packaged: the lazy chunks sit next to the UMD: the tabs and both translations', () => {
  expect(scripts).toEqual(expect.arrayContaining([
    `${ EXTENSION_ID }.umd.min.audit-log-tab.js`, `${ EXTENSION_ID }.umd.min.audit-log-rke1-tab.js`, `${ EXTENSION_ID }.umd.min.l10n-en-us.js`, `${ EXTENSION_ID }.umd.min.l10n-zh-hans.js`,
  ]));
});

test('packaged: a page looks like Rancher 2.10 to 2.14\'s to the extension, and the recorder catches an asset resolver call', async() => {
  const browser = await launch();

  try {
    const { page } = await login(browser, 'admin');

    await page.goto(`${ DASHBOARD }/c/_/manager/provisioning.cattle.io.cluster`, { waitUntil: 'domcontentloaded' });
    // the loader adds the script element, then the script runs and sets its global: wait for both
    await page.waitForFunction((id) => !!document.getElementById(id) && typeof (window as unknown as Record<string, { default?: unknown } | undefined>)[id]?.default === 'function', EXTENSION_ID, { timeout: 120000 });
    expect(await packagedState(page)).toEqual({ url: '/c/_/manager/provisioning.cattle.io.cluster', loadedByLoader: true, assetCalls: [] });
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __vueRouter?: unknown, __shell_requireAsset: (path: string) => string };
      let threw = false;

      try {
        w.__shell_requireAsset('~shell/assets/images/providers/aws.svg');
      } catch {
        threw = true;
      }

      return { threw, vueRouter: typeof w.__vueRouter };
    });

    expect(seen).toEqual({ threw: true, vueRouter: 'undefined' });
    expect((await packagedState(page)).assetCalls).toEqual(['__shell_requireAsset(~shell/assets/images/providers/aws.svg)']);
  } finally {
    await browser.close();
  }
});
