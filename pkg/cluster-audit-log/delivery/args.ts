/**
 * `kube-apiserver-arg` in machineGlobalConfig: a list of `name=value` strings (or one string, or absent).
 * Only the audit args this extension owns are replaced; every other arg keeps its place.
 */
import { WEBHOOK_ARGS, WebhookArg } from './webhook-flags';

/** The policy and log backend args. */
const POLICY_LOG_ARGS = ['audit-policy-file', 'audit-log-path', 'audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize', 'audit-log-format'] as const;

export type OwnedArg = typeof POLICY_LOG_ARGS[number] | WebhookArg;

/**
 * The kube-apiserver args this extension writes and reads: the policy, the log backend and the webhook backend
 * (webhook-flags.ts). Other audit-* args (audit-webhook-version, the log's batch and truncate flags...) are left alone.
 */
export const OWNED_ARGS: readonly OwnedArg[] = [...POLICY_LOG_ARGS, ...WEBHOOK_ARGS];

/** Normalises the stored value to a list (Rancher accepts a single string too). */
export function argList(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map((v) => String(v));
  }
  if (typeof value === 'string' && value !== '') {
    return [value];
  }

  return [];
}

/** Splits `--name=value` / `name=value` into its name and value (value null when there is no `=`). */
export function splitArg(arg: string): { name: string, value: string | null } {
  const bare = arg.replace(/^--?/, '');
  const eq = bare.indexOf('=');

  return eq < 0 ? { name: bare, value: null } : { name: bare.slice(0, eq), value: bare.slice(eq + 1) };
}

/** Is this one of the args this extension manages? */
export function isOwnedArg(arg: string): boolean {
  return (OWNED_ARGS as readonly string[]).includes(splitArg(arg).name);
}

/** The owned args found in a list, by name (the last one wins, as kube-apiserver's flag parsing does). */
export function ownedArgs(list: string[]): Partial<Record<OwnedArg, { value: string | null, index: number }>> {
  const out: Partial<Record<OwnedArg, { value: string | null, index: number }>> = {};

  list.forEach((arg, index) => {
    const { name, value } = splitArg(arg);

    if ((OWNED_ARGS as readonly string[]).includes(name)) {
      out[name as OwnedArg] = { value, index };
    }
  });

  return out;
}

/**
 * Replaces the owned args: those in `wanted` take the place of the first owned arg (or go last), in
 * OWNED_ARGS order; other args keep their order; nothing is duplicated. Returns the new list.
 */
export function mergeArgs(existing: string[], wanted: Partial<Record<OwnedArg, string>>): string[] {
  const firstOwned = existing.findIndex(isOwnedArg);
  const kept = existing.filter((a) => !isOwnedArg(a));
  const insertAt = firstOwned < 0 ? kept.length : existing.slice(0, firstOwned).filter((a) => !isOwnedArg(a)).length;
  const added = OWNED_ARGS.filter((name) => wanted[name] !== undefined).map((name) => `${ name }=${ wanted[name] }`);

  return [...kept.slice(0, insertAt), ...added, ...kept.slice(insertAt)];
}

/**
 * Rewrites only the owned args whose wanted value differs from what the cluster's args say now (`current`, as
 * readSettings reads them): an arg that does not change keeps its place and its text, even as hand-typed
 * (duplicates, a leading "--", a value this tab cannot read). A changed arg takes the place of its last
 * occurrence (the one kube-apiserver uses); a new one goes after the last owned arg, or last.
 */
export function updateArgs(existing: string[], current: Partial<Record<OwnedArg, string>>, wanted: Partial<Record<OwnedArg, string>>): string[] {
  let out = [...existing];

  for (const name of OWNED_ARGS) {
    if (current[name] === wanted[name]) {
      continue;
    }
    const at = out.map((a, i) => (splitArg(a).name === name ? i : -1)).filter((i) => i >= 0);
    const value = wanted[name];

    if (value === undefined) {
      out = out.filter((_, i) => !at.includes(i));
      continue;
    }
    const text = `${ name }=${ value }`;

    if (at.length) {
      const last = at[at.length - 1];

      out = out.map((a, i) => (i === last ? text : a)).filter((_, i) => i === last || !at.includes(i));
    } else {
      const lastOwned = out.map((a, i) => (isOwnedArg(a) ? i : -1)).filter((i) => i >= 0).pop();

      out.splice(lastOwned === undefined ? out.length : lastOwned + 1, 0, text);
    }
  }

  return out;
}
