/**
 * The tabs' plumbing to the page they sit in: the shell gives a tab component only its props, so the page's save
 * hooks (shell/mixins/child-hook.js registerBeforeHook/registerAfterHook) and the Tab that holds it are found by
 * walking up the component tree. Call from setup or a lifecycle hook (it reads the current instance).
 */
import { ComponentInternalInstance, getCurrentInstance } from 'vue';
import { OPEN_TAB_QUERY } from '../fleet/rows';

/** A hook the page calls on Save (with the model, 'show-preview-yaml' for its YAML preview, or nothing). */
export type PageHook = (arg?: unknown) => Promise<void>;

interface HookPage { registerBeforeHook: (fn: PageHook, name: string) => void, registerAfterHook?: (fn: PageHook, name: string) => void }

/** The nearest ancestor whose proxy passes the test, with its instance. */
function findAncestor<T>(test: (proxy: Record<string, unknown>, instance: ComponentInternalInstance) => boolean): T | null {
  let instance = getCurrentInstance()?.parent;

  while (instance) {
    const proxy = instance.proxy as unknown as Record<string, unknown> | null;

    if (proxy && test(proxy, instance)) {
      return proxy as unknown as T;
    }
    instance = instance.parent;
  }

  return null;
}

/**
 * Registers the save hooks with the page under fixed names (a re-mounted tab replaces its hooks instead of adding
 * more). False when no ancestor offers registerBeforeHook: the tab then cannot write Secrets/ConfigMaps on Save.
 */
export function registerPageHooks(names: { before: string, after: string }, before: PageHook, after: PageHook): boolean {
  const page = findAncestor<HookPage>((proxy) => typeof proxy.registerBeforeHook === 'function');

  if (!page) {
    return false;
  }
  page.registerBeforeHook(before, names.before);
  page.registerAfterHook?.(after, names.after);

  return true;
}

/** Removes the tab header of the Tab that holds this component (the nearest ancestor Tab with removeTab). */
export function removeOwnTab(): void {
  const tab = findAncestor<{ removeTab:(tab: unknown) => void }>((proxy, instance) => typeof proxy.removeTab === 'function' && (instance.type as { name?: string }).name === 'Tab');

  tab?.removeTab(tab);
}

/**
 * Selects the Tab that holds this component when the page was opened with `?open-tab=<its name>` (a link from the
 * Audit Log page of Cluster Management): the page selects its first tab before this one has registered.
 */
export function selectOwnTabWhenLinked(query: Record<string, unknown> | undefined): void {
  const tab = findAncestor<{ name: string, select:(name: string) => void }>((proxy, instance) => typeof proxy.select === 'function' && (instance.type as { name?: string }).name === 'Tab');

  if (tab && query?.[OPEN_TAB_QUERY] === tab.name) {
    tab.select(tab.name);
  }
}
