/**
 * fast-check arbitraries of YAML texts for the reader property tests: scalars of every form go-yaml's
 * resolve() reads, flow and block collections, anchors and aliases, `<<` merges, and policy-shaped
 * documents. Documents whose decoding go-yaml leaves to chance are left out (two keys of different Go types
 * that become the same JSON key, or two keys JSON cannot have: Go's map order picks the winner).
 */
import fc from 'fast-check';
import {
  goScalar, GoScalar, isImplicit, jsonKey, keyIdentity
} from '@pkg/policy/yaml-scalar';

/** A generated node; `anchor` marks nodes that get an anchor, `pick` chooses an alias's anchor. */
export type YNode =
  | { k: 'scalar', text: string, plain?: string, str?: string, anchor?: boolean }
  | { k: 'alias', pick: number }
  | { k: 'seq', items: YNode[], flow: boolean, anchor?: boolean }
  | { k: 'map', pairs: YPair[], flow: boolean, anchor?: boolean };

export type YPair = { key: YNode, value: YNode } | { merge: YNode };

const digitsOf = (alphabet: string, max = 6) => fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: max }).map((d) => d.join(''));

/** Inserts underscores at random places after the first character (resolve() strips them all). */
const underscored = (s: fc.Arbitrary<string>) => fc.tuple(s, fc.array(fc.nat(), { maxLength: 2 })).map(([text, at]) => {
  let out = text;

  for (const i of at) {
    const p = 1 + (i % Math.max(1, out.length));

    out = `${ out.slice(0, p) }_${ out.slice(p) }`;
  }

  return out;
});

const sign = fc.constantFrom('', '', '+', '-');

const ints = fc.oneof(
  fc.tuple(sign, digitsOf('0123456789', 8)).map(([s, d]) => s + d),
  fc.tuple(sign, fc.constantFrom('0x', '0X'), digitsOf('0123456789abcdefABCDEF')).map(([s, p, d]) => s + p + d),
  fc.tuple(sign, fc.constantFrom('0o', '0O', '0'), digitsOf('012345678')).map(([s, p, d]) => s + p + d),
  fc.tuple(sign, fc.constantFrom('0b', '0B'), digitsOf('012', 10)).map(([s, p, d]) => s + p + d),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
);

const floats = fc.oneof(
  fc.tuple(sign, digitsOf('0123456789', 4), digitsOf('0123456789', 4)).map(([s, a, b]) => `${ s }${ a }.${ b }`),
  fc.tuple(sign, digitsOf('0123456789', 3)).map(([s, b]) => `${ s }.${ b }`),
  fc.tuple(sign, digitsOf('0123456789', 3), fc.constantFrom('e', 'E', 'e+', 'e-', 'E-'), fc.integer({ min: 0, max: 420 })).map(([s, m, e, x]) => `${ s }${ m }${ e }${ x }`),
  fc.tuple(digitsOf('0123456789', 2)).map(([a]) => `${ a }.`),
);

const SPECIALS = [
  '.inf', '.Inf', '.INF', '+.inf', '-.inf', '-.Inf', '.nan', '.NaN', '.NAN', '.iNf', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE',
  'false', 'FALSE', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'tRue', '2001-12-14',
  '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2001-13-14', '1:20', '0x1p3', '0b-1', '-0b-1', '0b+1', '+', '.', '0', '-0', '-0.0',
  '+0', '00', '0_1', '0x', '0b', '0o', '08', '09.5', '1__0', '1_', '_1', '9223372036854775807', '9223372036854775808', '-9223372036854775808',
  '-9223372036854775809', '18446744073709551615', '18446744073709551616', '1e-400', '1e400', '-1e400', '1.7976931348623157e308',
  '1.7976931348623159e308', '4.9e-324', '._5', '.5_5', '.5e_3', '.5e3_0', '1_0.5', 'level', 'Metadata', 'None', 'RequestReceived', 'system:nodes',
];

const words = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9./_-]{0,8}$/);

/** Plain scalars: every resolve() form. */
export const plainText = fc.oneof(
  { weight: 3, arbitrary: words },
  { weight: 3, arbitrary: underscored(ints) },
  { weight: 2, arbitrary: ints },
  { weight: 2, arbitrary: underscored(floats) },
  { weight: 2, arbitrary: floats },
  { weight: 4, arbitrary: fc.constantFrom(...SPECIALS) },
);

const quotedContent = fc.array(fc.constantFrom('a', 'b', '1', ' ', ':', '#', '-', 'é', 'ü', '0x1F', 'yes', '~', '.inf', '\t'), { maxLength: 6 }).map((p) => p.join(''));

/** A double-quoted YAML scalar, with some of YAML's escapes. */
function doubleQuoted(s: string): string {
  return `"${ s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\t/g, '\\t').replace(/é/g, '\\xe9')
    .replace(/ü/g, '\\u00fc') }"`;
}

/** Scalars as written: plain, single-quoted or double-quoted (with escapes). */
export const scalar: fc.Arbitrary<YNode> = fc.oneof(
  { weight: 6, arbitrary: plainText.map((text): YNode => ({ k: 'scalar', text, plain: text })) },
  { weight: 1, arbitrary: quotedContent.map((s): YNode => ({ k: 'scalar', text: `'${ s.replace(/'/g, "''") }'`, str: s })) },
  { weight: 1, arbitrary: quotedContent.map((s): YNode => ({ k: 'scalar', text: doubleQuoted(s), str: s })) },
);

const keyScalar: fc.Arbitrary<YNode> = fc.oneof(
  { weight: 3, arbitrary: words.map((text): YNode => ({ k: 'scalar', text, plain: text })) },
  { weight: 2, arbitrary: scalar },
);

const anchored = <T extends YNode>(a: fc.Arbitrary<T>) => fc.tuple(a, fc.integer({ min: 0, max: 9 })).map(([n, r]) => ({ ...n, anchor: r < 2 }));

/** Any node, at most `depth` collections deep. */
export function node(depth: number): fc.Arbitrary<YNode> {
  const leaf = fc.oneof(
    { weight: 8, arbitrary: anchored(scalar) },
    { weight: 2, arbitrary: fc.nat().map((pick): YNode => ({ k: 'alias', pick })) },
  );

  if (depth <= 0) {
    return leaf;
  }
  const child = node(depth - 1);
  const pair: fc.Arbitrary<YPair> = fc.oneof(
    { weight: 8, arbitrary: fc.record({ key: keyScalar, value: child }) },
    { weight: 1, arbitrary: fc.oneof(fc.nat().map((pick): YNode => ({ k: 'alias', pick })), fc.array(fc.nat().map((pick): YNode => ({ k: 'alias', pick })), { minLength: 1, maxLength: 3 }).map((items): YNode => ({ k: 'seq', items, flow: true }))).map((merge) => ({ merge })) },
  );

  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 2, arbitrary: anchored(fc.record({ k: fc.constant('seq' as const), items: fc.array(child, { maxLength: 4 }), flow: fc.boolean() })) },
    { weight: 2, arbitrary: anchored(fc.record({ k: fc.constant('map' as const), pairs: fc.array(pair, { maxLength: 4 }), flow: fc.boolean() })) },
  );
}

const RULE_KEYS = ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields', 'Level', 'verb', '__proto__', 'constructor'];
const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'];

const word = (text: string): YNode => ({ k: 'scalar', text, plain: text });

/** A policy-shaped document: apiVersion, kind, rules whose fields hold anything. */
export const policyNode: fc.Arbitrary<YNode> = fc.record({
  rules: fc.array(fc.tuple(fc.constantFrom(...LEVELS), fc.array(fc.tuple(fc.constantFrom(...RULE_KEYS), node(2)), { maxLength: 3 }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 3 }),
  extra: fc.array(fc.tuple(fc.constantFrom('metadata', 'omitStages', 'omitManagedFields', 'x-anchors', 'kind'), node(2)), { maxLength: 2 }),
  flow:  fc.boolean(),
}).map(({ rules, extra, flow }): YNode => ({
  k:     'map',
  flow:  false,
  pairs: [
    { key: word('apiVersion'), value: word('audit.k8s.io/v1') },
    { key: word('kind'), value: word('Policy') },
    ...extra.map(([k, v]) => ({ key: word(k), value: v })),
    {
      key:   word('rules'),
      value: {
        k:     'seq',
        flow,
        items: rules.map(([level, fields, anchor, rflow]): YNode => ({
          k: 'map', flow: flow || rflow, anchor, pairs: [{ key: word('level'), value: word(level) }, ...fields.map(([k, v]) => ({ key: word(k), value: v }))]
        })),
      },
    },
  ],
}));

interface Written {
  text: string;
  /** False when go-yaml's result would depend on Go's map order. */
  deterministic: boolean;
}

/** Serialises a node tree as YAML (block where asked, flow inside flow), resolving aliases to earlier anchors. */
export function writeYaml(root: YNode): Written {
  const anchors: { name: string, node: YNode }[] = [];
  const targets = new Map<YNode, YNode>();
  let deterministic = true;
  let unsupportedKeys = 0;

  const anchorOf = (n: YNode) => {
    if (n.k === 'alias' || !n.anchor) {
      return '';
    }
    const name = `a${ anchors.length }`;

    anchors.push({ name, node: n });

    return `&${ name } `;
  };
  const alias = (n: { pick: number }, self: YNode): string => {
    if (!anchors.length) {
      return 'x';
    }
    const a = anchors[n.pick % anchors.length];

    targets.set(self, a.node);

    return `*${ a.name }`;
  };
  const keyOf = (k: YNode): GoScalar | undefined => {
    if (k.k !== 'scalar') {
      return undefined;
    }

    return k.str !== undefined ? { t: 'str', v: k.str } : goScalar(undefined, k.plain ?? '', isImplicit(undefined, true)) as GoScalar;
  };
  // keys of each map, merged ones included, for the determinism check
  const keysOf = (n: YNode, seen = new Set<YNode>()): GoScalar[] => {
    const target = n.k === 'alias' ? targets.get(n) : n;

    if (!target || target.k !== 'map' || seen.has(target)) {
      return [];
    }
    seen.add(target);

    return target.pairs.flatMap((p) => ('merge' in p ? (p.merge.k === 'seq' ? p.merge.items.flatMap((i) => keysOf(i, seen)) : keysOf(p.merge, seen)) : [keyOf(p.key)].filter((k): k is GoScalar => !!k)));
  };
  const checkKeys = (n: YNode) => {
    const byJson = new Map<string, string>();

    for (const key of keysOf(n)) {
      const jk = jsonKey(key);

      if (typeof jk !== 'string') {
        unsupportedKeys++;
        continue;
      }
      const id = keyIdentity(key);

      if (byJson.has(jk) && byJson.get(jk) !== id) {
        deterministic = false;
      }
      byJson.set(jk, id);
    }
  };

  const flowText = (n: YNode): string => {
    if (n.k === 'alias') {
      return alias(n, n);
    }
    const props = anchorOf(n);

    if (n.k === 'scalar') {
      return props + n.text;
    }
    if (n.k === 'seq') {
      return `${ props }[${ n.items.map(flowText).join(', ') }]`;
    }
    const body = n.pairs.map((p) => ('merge' in p ? `<<: ${ flowText(p.merge) }` : `${ flowText(p.key) }: ${ flowText(p.value) }`)).join(', ');

    checkKeys(n);

    return `${ props }{${ body }}`;
  };

  // Block lines at `indent`, or an inline text.
  const block = (n: YNode, indent: number): { inline: string } | { props: string, lines: string[] } => {
    if (n.k === 'alias' || n.k === 'scalar' || n.flow || (n.k === 'seq' ? !n.items.length : !n.pairs.length)) {
      return { inline: flowText(n) };
    }
    const props = anchorOf(n).trim();
    const pad = ' '.repeat(indent);
    const lines: string[] = [];

    if (n.k === 'seq') {
      for (const item of n.items) {
        const v = block(item, indent + 2);

        if ('inline' in v) {
          lines.push(`${ pad }- ${ v.inline }`);
        } else if (!v.props && item.k === 'map') {
          lines.push(`${ pad }- ${ v.lines[0].slice(indent + 2) }`, ...v.lines.slice(1));
        } else {
          lines.push(`${ pad }-${ v.props ? ` ${ v.props }` : '' }`, ...v.lines);
        }
      }

      return { props, lines };
    }
    for (const p of n.pairs) {
      const key = 'merge' in p ? '<<' : flowText(p.key);
      const value = 'merge' in p ? p.merge : p.value;
      const v = block(value, indent + 2);

      if ('inline' in v) {
        lines.push(`${ pad }${ key }: ${ v.inline }`);
      } else {
        lines.push(`${ pad }${ key }:${ v.props ? ` ${ v.props }` : '' }`, ...v.lines);
      }
    }
    checkKeys(n);

    return { props, lines };
  };

  const top = block(root, 0);
  const text = 'inline' in top ? `${ top.inline }\n` : `${ top.lines.join('\n') }\n`;

  return { text, deterministic: deterministic && unsupportedKeys <= 1 };
}

/** YAML documents: any node, or policy-shaped; only those go-yaml decodes the same way every time. */
export const yamlDocument: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: node(4) },
  { weight: 2, arbitrary: policyNode },
).map(writeYaml).filter((w) => w.deterministic).map((w) => w.text);
