/**
 * The browser suite's two modes (E2E_MODE, see servers.ts): the same scenario bodies run against the dashboard
 * with the extension built in (`in-tree`) and with the packaged UMD that Rancher's extension loader puts on the
 * page (`packaged`; `production` is the bench's, with a real 2.15 page). In the packaged mode each page looks like Rancher 2.10 to 2.14 to the extension: the host
 * globals only Rancher 2.15 sets are missing (window.__shell_requireAsset and __shell_requireJson, the asset
 * resolvers @rancher/shell's library build delegates to, and window.__vueRouter); a call to either asset
 * resolver is recorded and fails as the library build's stub fails there. After each packaged scenario every page
 * it opened must have the package loaded by the loader and no asset resolver call.
 */
import { BrowserContext, Page } from 'playwright-core';
import { EXTENSION_ID, MODE } from './servers';

/** The contexts opened by the running scenario (packaged mode), checked and closed when it ends. */
const opened: BrowserContext[] = [];

/**
 * Runs in each page before the dashboard's scripts: the 2.15-only globals stay undefined to the page (the
 * dashboard's own assignments are dropped); the asset resolvers answer every call by recording it and throwing
 * the library build stub's own error. (A string: the page gets the source as written.)
 */
const OLDER_HOST = `(() => {
  const calls = [];
  const resolver = (name) => (path) => {
    calls.push(name + '(' + path + ')');
    throw new Error('Asset context not available for: ' + path);
  };
  const globals = { __shell_requireAsset: resolver('__shell_requireAsset'), __shell_requireJson: resolver('__shell_requireJson'), __vueRouter: undefined };

  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(window, name, { get: () => value, set: () => undefined, configurable: false });
  }
  Object.defineProperty(window, '__hostAssetCalls', { value: calls });
})();`;

/** Prepares a new browser context for the mode: in the packaged mode, pages that look like Rancher 2.10 to 2.14's. */
export async function prepareContext(context: BrowserContext): Promise<void> {
  if (MODE !== 'packaged') {
    return;
  }
  await context.addInitScript(OLDER_HOST);
  opened.push(context);
}

/** How the extension got onto a page: by Rancher's loader (its script element and global) and the asset calls it made. */
export interface PackagedState {
  url: string;
  loadedByLoader: boolean;
  assetCalls: string[];
}

/** The extension's state on `page` (packaged mode). */
export async function packagedState(page: Page): Promise<PackagedState> {
  return page.evaluate((id) => {
    const script = document.getElementById(id) as HTMLScriptElement | null;
    const global = (window as unknown as Record<string, { default?: unknown } | undefined>)[id];

    return {
      url:            location.pathname,
      loadedByLoader: !!script && script.dataset.purpose === 'extension' && new URL(script.src).pathname.startsWith('/v1/uiplugins/') && typeof global?.default === 'function',
      assetCalls:     [...((window as unknown as { __hostAssetCalls?: string[] }).__hostAssetCalls || ['no recorder on this page'])],
    };
  }, EXTENSION_ID);
}

/** Every page of the contexts opened since `from`: the package loaded by the loader, no asset call; then closes them. */
async function expectPackagedPages(from: number): Promise<void> {
  const contexts = opened.splice(from);
  const states = (await Promise.all(contexts.flatMap((c) => c.pages()).map(packagedState)));

  await Promise.all(contexts.map((c) => c.close()));
  expect(states.length).toBeGreaterThan(0);
  expect(states).toEqual(states.map((s) => ({ url: s.url, loadedByLoader: true, assetCalls: [] })));
}

/** A scenario body and jest's optional timeout. */
type Scenario = (name: string, fn: () => Promise<void>, timeout?: number) => void;

/**
 * `test` for a scenario file: in the in-tree mode every scenario runs as written. In the packaged mode the
 * scenarios whose names start with one of `packaged` run, named `packaged: <name>`, followed by the check of the
 * pages they opened (the package loaded by Rancher's loader, no host asset resolver called); the others are skipped.
 */
export function modeTest(options: { packaged: string[] }): Scenario {
  if (MODE === 'production') {
    throw new Error('E2E_MODE=production is the mode of `yarn bench`; the browser suite runs in-tree or packaged');
  }

  return (name, fn, timeout) => {
    if (MODE === 'in-tree') {
      test(name, fn, timeout);
    } else if (options.packaged.some((prefix) => name.startsWith(prefix))) {
      test(`packaged: ${ name }`, async() => {
        const from = opened.length;

        await fn();
        await expectPackagedPages(from);
      }, timeout);
    } else {
      test.skip(name, fn);
    }
  };
}
