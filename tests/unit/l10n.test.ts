/**
 * l10n: zh-hans has exactly en-us's keys, every value is a non-empty string with the same ICU arguments,
 * and every clusterAuditLog key the extension's code asks for exists in en-us.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { LEVELS, POLICY_MESSAGES, PRESETS } from '@pkg/policy';
import { FLEET_MESSAGES } from '@pkg/fleet';
import {
  CIS_LOG_MINIMUMS, DELIVERY_MESSAGES, Method, ObjectChange
} from '@pkg/delivery';

const ROOT = join(__dirname, '../..');
const PKG = join(ROOT, 'pkg/cluster-audit-log');

type Tree = { [key: string]: unknown };

function load(locale: string): Tree {
  return parse(readFileSync(join(ROOT, 'l10n', `${ locale }.yaml`), 'utf8')) as Tree;
}

/** Every leaf of a translation tree, by its dotted key. */
function leaves(tree: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();

  if (tree !== null && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [key, value] of Object.entries(tree as Tree)) {
      for (const [k, v] of leaves(value, prefix ? `${ prefix }.${ key }` : key)) {
        out.set(k, v);
      }
    }
  } else {
    out.set(prefix, tree);
  }

  return out;
}

/**
 * The top-level ICU argument names of a message: `{name}` and `{name, plural, ...}` give `name`; the text
 * inside a plural/select branch (`{1 rule}`) is not an argument. `'{'` quotes a brace, as in ICU.
 */
function icuArguments(message: string): string[] {
  const names: string[] = [];
  let depth = 0;

  for (let i = 0; i < message.length; i++) {
    const c = message[i];

    if (c === '\'' && (message[i + 1] === '{' || message[i + 1] === '}')) {
      const end = message.indexOf('\'', i + 1);

      i = end < 0 ? message.length : end;
    } else if (c === '{') {
      if (depth === 0) {
        names.push(message.slice(i + 1).split(/[,}]/)[0].trim());
      }
      depth++;
    } else if (c === '}') {
      depth--;
    }
  }

  return names;
}

/** The .vue and .ts files of the extension (not its build caches). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);

    if (statSync(path).isDirectory()) {
      return name === 'node_modules' || name.startsWith('.') ? [] : sourceFiles(path);
    }

    return /\.(vue|ts)$/.test(name) ? [path] : [];
  });
}

const METHODS: Method[] = ['inline', 'secret', 'configmap', 'rke1'];
const ACTIONS: ObjectChange['action'][] = ['create', 'update', 'delete'];

/**
 * Keys built in template literals, by the literal with each `${ ... }` written as `*`, and the values each
 * `*` takes. A new template-literal key fails the test until it is listed here.
 */
const EXPANSIONS: Record<string, string[][]> = {
  'clusterAuditLog.method.*':              [METHODS],
  'clusterAuditLog.form.levelHelp.*':      [[...LEVELS]],
  'clusterAuditLog.form.scope*':           [['Resources', 'NonResource', 'All']],
  'clusterAuditLog.test.*':                [['apiGroup', 'resource', 'subresource', 'namespace', 'name']],
  'clusterAuditLog.preset.*.label':        [PRESETS.map((p) => p.id)],
  'clusterAuditLog.preset.*.description':  [PRESETS.map((p) => p.id)],
  'clusterAuditLog.preset.volume.*':       [PRESETS.map((p) => p.volume)],
  'clusterAuditLog.log.*':                 [Object.keys(CIS_LOG_MINIMUMS)],
  'clusterAuditLog.review.objectAction.*': [ACTIONS],
  'clusterAuditLog.msg.*':                 [Object.keys({ ...POLICY_MESSAGES, ...DELIVERY_MESSAGES, ...FLEET_MESSAGES })],
  'clusterAuditLog.msg.fleet.*':           [Object.keys(FLEET_MESSAGES).map((code) => code.slice('fleet.'.length))],
};

function expand(pattern: string, values: string[][]): string[] {
  return pattern.split('*').slice(1).reduce(
    (keys, part, i) => keys.flatMap((k) => values[i].map((v) => `${ k }${ v }${ part }`)),
    [pattern.split('*')[0]],
  );
}

/** The clusterAuditLog keys the code uses: quoted literals (t('...'), labelKey: '...') and expanded template literals. */
function usedKeys(): { keys: Set<string>, unknownTemplates: string[] } {
  const keys = new Set<string>();
  const unknownTemplates: string[] = [];

  for (const file of sourceFiles(PKG)) {
    const text = readFileSync(file, 'utf8');

    for (const m of text.matchAll(/(['"])(clusterAuditLog\.[\w.-]+)\1/g)) {
      keys.add(m[2]);
    }
    for (const m of text.matchAll(/`(clusterAuditLog\.[^`]*\$\{[^`]*)`/g)) {
      const pattern = m[1].replace(/\$\{[^}]*\}/g, '*');

      if (EXPANSIONS[pattern]) {
        expand(pattern, EXPANSIONS[pattern]).forEach((k) => keys.add(k));
      } else {
        unknownTemplates.push(`${ file.slice(ROOT.length + 1) }: ${ m[1] }`);
      }
    }
  }

  return { keys, unknownTemplates };
}

const en = leaves(load('en-us'));
const zh = leaves(load('zh-hans'));

describe('l10n', () => {
  it('zh-hans has exactly the leaf keys of en-us', () => {
    expect([...zh.keys()].sort()).toStrictEqual([...en.keys()].sort());
  });

  it.each(['en-us', 'zh-hans'])('every %s leaf is a non-empty string', (locale) => {
    const bad = [...(locale === 'en-us' ? en : zh)].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);

    expect(bad).toStrictEqual([]);
  });

  it('each zh-hans message has the top-level ICU arguments of its en-us message', () => {
    const differ = [...en].filter(([k]) => zh.has(k)).map(([k, v]) => ({
      key: k, en: [...new Set(icuArguments(String(v)))].sort(), zh: [...new Set(icuArguments(String(zh.get(k))))].sort()
    })).filter((d) => JSON.stringify(d.en) !== JSON.stringify(d.zh));

    expect(differ).toStrictEqual([]);
  });

  it.each([
    ['Distribution: {distro}', ['distro']],
    ['{count, plural, =1 {1 rule} other {# rules}}', ['count']],
    ['Create {kind} {namespace}/{name}', ['kind', 'namespace', 'name']],
    ['no arguments', []],
  ])('icuArguments(%j)', (message, names) => {
    expect(icuArguments(message)).toStrictEqual(names);
  });

  it('every clusterAuditLog key used in pkg/cluster-audit-log exists in en-us', () => {
    const { keys, unknownTemplates } = usedKeys();

    expect(keys.size).toBeGreaterThan(50);
    expect(unknownTemplates).toStrictEqual([]);
    expect([...keys].filter((k) => !en.has(k)).sort()).toStrictEqual([]);
  });
});
