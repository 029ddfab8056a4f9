/**
 * spec.rkeConfig.machineSelectorFiles, read and written together: the item that delivers the policy file is
 * found, removed or updated in place; every other entry, source, item and field stays as it is.
 */
import { getPath, PATHS } from './cluster';
import {
  FileItem, FileSource, KubeObject, ObjectKind, SelectorFiles, SourceSpec
} from './types';

/** The machineSelectorFiles entries of a cluster (empty list when absent). */
export function selectorFiles(cluster: KubeObject): SelectorFiles[] {
  const value = getPath(cluster, PATHS.machineSelectorFiles);

  return Array.isArray(value) ? value as SelectorFiles[] : [];
}

/** Permissions of a newly delivered policy file: readable by root only. An existing item keeps its own. */
export const POLICY_FILE_PERMISSIONS = '0600';

/** The Secret or ConfigMap a file source names. */
export function sourceOf(fs: FileSource | null | undefined): { kind: ObjectKind, spec: SourceSpec } | null {
  if (fs?.secret) {
    return { kind: 'secret', spec: fs.secret };
  }

  return fs?.configMap ? { kind: 'configmap', spec: fs.configMap } : null;
}

/** Removes the item delivering `path` from `name`; drops sources and entries it leaves empty. */
export function removeFileItem(entries: SelectorFiles[], kind: ObjectKind, name: string, path: string): SelectorFiles[] {
  return entries.map((entry): SelectorFiles | null => {
    const fileSources = (entry.fileSources || []).map((fs) => {
      const src = sourceOf(fs);

      if (!src || src.kind !== kind || src.spec.name !== name) {
        return fs;
      }
      const items = (src.spec.items || []).filter((it) => it.path !== path);

      return items.length ? { ...fs, [kind === 'secret' ? 'secret' : 'configMap']: { ...src.spec, items } } : null;
    }).filter((fs): fs is FileSource => fs !== null);

    return fileSources.length ? { ...entry, fileSources } : null;
  }).filter((e): e is SelectorFiles => e !== null);
}

/** What the policy's item must say: the fields the form edits. */
export interface WantedItem {
  kind: ObjectKind;
  name: string;
  key: string;
  path: string;
  /** Undefined: keep the item's own (a new item gets POLICY_FILE_PERMISSIONS). */
  permissions?: string;
  /** The hash to set; null removes it. */
  hash: string | null;
  /** matchLabels of the entry; empty: no selector (every machine). */
  nodeSelector: Record<string, string>;
}

function selectorFor(entry: SelectorFiles | null, labels: Record<string, string>): SelectorFiles['machineLabelSelector'] | undefined {
  const current = entry?.machineLabelSelector;
  const others = current && Object.keys(current).some((k) => k !== 'matchLabels');

  if (!Object.keys(labels).length && !others) {
    return undefined;
  }

  return { ...(current || {}), matchLabels: { ...labels } };
}

/**
 * Adds or updates the item delivering the policy file, found by object and path: an existing item keeps its
 * other fields (permissions, dynamic...), an entry with other files keeps them; when the selector changes and
 * the entry delivers other files too, the item moves to an entry of its own so theirs is not changed.
 */
export function upsertFileItem(entries: SelectorFiles[], wanted: WantedItem): SelectorFiles[] {
  const field = wanted.kind === 'secret' ? 'secret' : 'configMap';
  const itemOf = (existing: FileItem | null): FileItem => {
    const item: FileItem = {
      ...(existing || {}), key: wanted.key, path: wanted.path, permissions: wanted.permissions ?? existing?.permissions ?? POLICY_FILE_PERMISSIONS
    };

    if (wanted.hash === null) {
      delete item.hash;
    } else {
      item.hash = wanted.hash;
    }

    return item;
  };

  for (let e = 0; e < entries.length; e++) {
    const sources = entries[e].fileSources || [];

    for (let s = 0; s < sources.length; s++) {
      const src = sourceOf(sources[s]);
      const items = src?.spec.items || [];
      const i = items.findIndex((it) => it?.path === wanted.path);

      if (!src || src.kind !== wanted.kind || src.spec.name !== wanted.name || i < 0) {
        continue;
      }
      const selector = selectorFor(entries[e], wanted.nodeSelector);
      const shared = sources.length > 1 || items.length > 1;

      if (shared && JSON.stringify(selector) !== JSON.stringify(entries[e].machineLabelSelector)) {
        return appendEntry(removeFileItem(entries, wanted.kind, wanted.name, wanted.path), wanted, itemOf(items[i]));
      }
      const newItems = [...items];

      newItems[i] = itemOf(items[i]);
      const newSources = [...sources];

      newSources[s] = { ...sources[s], [field]: { ...src.spec, items: newItems } };
      const entry: SelectorFiles = { ...entries[e], fileSources: newSources };

      if (selector) {
        entry.machineLabelSelector = selector;
      } else {
        delete entry.machineLabelSelector;
      }
      const out = [...entries];

      out[e] = entry;

      return out;
    }
  }

  return appendEntry(entries, wanted, itemOf(null));
}

/** A new entry of its own for the item (its selector then concerns no other file). */
function appendEntry(entries: SelectorFiles[], wanted: WantedItem, item: FileItem): SelectorFiles[] {
  const entry: SelectorFiles = { fileSources: [{ [wanted.kind === 'secret' ? 'secret' : 'configMap']: { name: wanted.name, items: [item] } }] };
  const selector = selectorFor(null, wanted.nodeSelector);

  if (selector) {
    entry.machineLabelSelector = selector;
  }

  return [...entries, entry];
}
