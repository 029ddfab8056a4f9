/**
 * Policy text -> the plain JSON value kube-apiserver decodes, read as it reads it
 * (k8s.io/apimachinery pkg/runtime/serializer: the recognizer sends text whose first non-space character
 * is `{` to encoding/json, everything else through sigs.k8s.io/yaml YAMLToJSON, i.e. go-yaml v2 and YAML 1.1:
 * `yes`/`on`/`y` are booleans, `0o17`/`0x_1F`/`017` ints, `1e400` a string, timestamps stay strings,
 * `<<` merges; only the first document is read).
 *
 * Three readers that must agree on every value and verdict:
 * - JSON: json-text.ts (encoding/json's grammar and messages, with positions);
 * - fast YAML: js-yaml with go-yaml's scalar resolution, for the common case; it hands anything unusual
 *   (anchors, aliases, tags, merges, several documents, odd keys, deep nesting, NaN/Inf) to the precise one;
 * - precise YAML: the `yaml` package's parser and composer (yaml-compose.ts) and go-yaml's decoder
 *   semantics (yaml-decode.ts): positions, every duplicate key, go-yaml's limits and messages.
 */
import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { isJsonText, yamlTextProblem } from './encoding';
import { goQuote } from './go-format';
import { readJsonText } from './json-text';
import { policyMessage, verbatim } from './messages';
import { Diagnostic } from './types';
import { composeFirstDocument } from './yaml-compose';
import { decodeYaml } from './yaml-decode';
import { goScalar, GoScalar, isImplicit, jsonKey } from './yaml-scalar';

/** Source positions (1-based) by field path (`rules[2].level`), for map keys and list items. */
export type Positions = Record<string, { line: number, column: number }>;

/** What a reader makes of policy text: the value kube-apiserver decodes, or why it does not decode. */
export interface Source {
  /** The first document's value; undefined when it does not decode, null for an empty text. */
  value: unknown;
  /** Positions, filled by the precise readers only. */
  positions: Positions;
  /** Duplicate YAML keys (last one wins) and extra documents. */
  warnings: Diagnostic[];
  /** Duplicate JSON keys: sigs.k8s.io/json reports them only where the policy's types decode them. */
  jsonDuplicates: Diagnostic[];
  /** JSON number literals that are not plain integers (`1.0`), by path: no int64 field takes them. */
  literals: Map<string, string>;
  /** Why the text does not decode at all (syntax, go-yaml's limits, JSON conversion), with its position. */
  syntaxError?: Diagnostic;
  precise: boolean;
  /** True when kube-apiserver reads the text as JSON (its keys keep their order; YAML's are sorted). */
  json: boolean;
}

/** Line and column (1-based) of a UTF-16 offset. */
function lineColumn(text: string, offset: number): { line: number, column: number } {
  let line = 1;
  let start = 0;

  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }

  return { line, column: offset - start + 1 };
}

/** Positions from offsets, with one pass over the text's line starts. */
function positionsOf(text: string, offsets: Map<string, number>): Positions {
  const starts = [0];

  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  const positions: Positions = {};

  for (const [path, offset] of offsets) {
    let lo = 0;
    let hi = starts.length - 1;

    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;

      if (starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    positions[path] = { line: lo + 1, column: offset - starts[lo] + 1 };
  }

  return positions;
}

const empty = (json: boolean, precise: boolean): Source => ({
  value: undefined, positions: {}, warnings: [], jsonDuplicates: [], literals: new Map(), precise, json
});

/** JSON text, as encoding/json reads it. */
function readJson(text: string): Source {
  const out = empty(true, true);
  const read = readJsonText(text);

  if (read.error) {
    out.syntaxError = {
      path: '', ...verbatim(`failed decoding: couldn't get version/kind; json parse error: ${ read.error.message }`), ...lineColumn(text, read.error.offset)
    };

    return out;
  }
  out.value = read.value;
  out.literals = read.literals;
  out.positions = positionsOf(text, read.offsets);
  out.jsonDuplicates = read.duplicates.map((d) => ({
    path: d.path, ...policyMessage('policy.duplicateField', { kube: `duplicate field ${ goQuote(d.path) }` }), ...lineColumn(text, d.offset)
  }));

  return out;
}

/** A plain scalar whose JSON key differs from what js-yaml would make of it: the precise reader decides. */
class Unusual {
  constructor(public value: unknown, private key: string) {}

  get [Symbol.toStringTag]() {
    return 'Unusual';
  }

  toString() {
    return this.key;
  }
}

/** Marks a key the fast reader cannot turn into a JSON key as go-yaml does (no YAML text has a NUL). */
const HAND_OFF_KEY = '\u0000';

/** How many Unusual scalars the current fast read made (none: no pass over the value is needed). */
let unusualMade = 0;
let lastText: string | undefined;
let lastValue: GoScalar | undefined;

/** go-yaml's resolution of a plain scalar, cached for the few resolvers js-yaml asks in turn. */
function resolvePlain(text: string): GoScalar {
  if (text !== lastText) {
    lastText = text;
    lastValue = goScalar(undefined, text, isImplicit(undefined, true)) as GoScalar;
  }

  return lastValue as GoScalar;
}

/** A js-yaml implicit type for plain scalars that go-yaml resolves to `t`. */
function goType(tag: string, t: GoScalar['t'][]): Type {
  return new Type(`tag:yaml.org,2002:${ tag }`, {
    kind:      'scalar',
    resolve:   (data: string | null) => data !== null && t.includes(resolvePlain(data).t),
    construct: (data: string) => {
      const s = resolvePlain(data);
      const key = jsonKey(s);

      const value = s.t === 'null' ? null : (s as { v: unknown }).v;

      if (s.t === 'null' || typeof key !== 'string' || (typeof value === 'number' && (!Number.isFinite(value) || String(value) !== key))) {
        unusualMade++;

        return new Unusual(value, typeof key === 'string' && s.t !== 'null' ? key : HAND_OFF_KEY);
      }

      return value;
    },
  });
}

const FAST_SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [goType('null', ['null']), goType('bool', ['bool']), goType('int', ['int', 'uint']), goType('float', ['float'])] });

/**
 * Texts the fast reader leaves to the precise one: anchors, tags (a `&` or `!` where one may start), merge keys,
 * byte order marks past the start, YAML 1.1 line breaks (NEL, LS, PS), flow collections or explicit (`?`) or
 * empty keys, a tab in a line's indentation, a `...` line. Several plain patterns: one alternation scans slower.
 */
const MAYBE_SPECIAL = /[&!\u0085\u2028\u2029?\uFEFF\t]|<<|^\.\.\./m;
const SPECIAL = /(?:^|[\s[{,:-])(?:&\S|!)|[\u0085\u2028\u2029]|<<|[\s\S]\uFEFF|\?(?:\s|$)|^ *\t|^\.\.\./m;
const ODD_KEYS = [/[\]}][ \t]*:(?:\s|$)/, /[{,[-][ \t]*:(?:\s|$)/, /(?:^|\n)[ \t]*:(?:[ \t\r\n]|$)/];

const handOff = (text: string) => (MAYBE_SPECIAL.test(text) && SPECIAL.test(text)) || ODD_KEYS.some((re) => re.test(text));

/**
 * The fast reader: undefined when it cannot be sure (then the precise reader decides). After js-yaml, one
 * iterative pass unwraps the scalars marked Unusual; a NaN/±Inf value or a key JSON cannot have hands off.
 */
function readFast(text: string): Source | undefined {
  if (handOff(text)) {
    return undefined;
  }
  let value: unknown;

  unusualMade = 0;
  try {
    value = load(text, { schema: FAST_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  if (!unusualMade) {
    return { ...empty(false, false), value: value ?? null };
  }
  const unwrap = (v: unknown): unknown => (v instanceof Unusual ? v.value : v);
  const root = { v: unwrap(value) };
  const stack: unknown[] = [root.v];

  while (stack.length) {
    const node = stack.pop();

    if (typeof node === 'number' && !Number.isFinite(node)) {
      return undefined;
    }
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        node[i] = unwrap(node[i]);
        stack.push(node[i]);
      }
      continue;
    }
    const obj = node as Record<string, unknown>;

    for (const key of Object.keys(obj)) {
      if (key.includes(HAND_OFF_KEY)) {
        return undefined;
      }
      obj[key] = unwrap(obj[key]);
      stack.push(obj[key]);
    }
  }

  return { ...empty(false, false), value: root.v ?? null };
}

/**
 * The precise reader: positions, duplicates, go-yaml's limits and errors with line and column. `text` is
 * the whole text, read from `start` (past a byte order mark).
 */
function readPrecise(text: string, start: number): Source {
  const out = empty(false, true);
  const composed = composeFirstDocument(text.slice(start));
  const decoded = decodeYaml(composed);
  const at = (offset?: number) => (offset === undefined ? {} : lineColumn(text, offset + start));

  if (composed.moreDocuments) {
    out.warnings.push({ path: '', ...policyMessage('policy.moreDocuments') });
  }
  if (decoded.error) {
    out.syntaxError = {
      path: '', ...verbatim(`failed decoding: ${ decoded.error.message }`), ...at(decoded.error.offset)
    };

    return out;
  }
  out.value = decoded.value;
  out.positions = positionsOf(text, start ? new Map([...decoded.offsets].map(([path, offset]) => [path, offset + start])) : decoded.offsets);
  for (const d of decoded.duplicates) {
    out.warnings.push({
      path: d.path, ...policyMessage('policy.duplicateKey', { kube: `duplicate field ${ goQuote(d.path) }: key ${ d.goKey } already set in map` }), ...at(d.offset)
    });
  }

  return out;
}

/**
 * Reads policy text into a plain value as kube-apiserver does. `precise` forces a reader that records
 * positions; otherwise the fast reader is used when it accepts the text without doubt.
 */
export function readSource(text: string, precise = false): Source {
  if (isJsonText(text)) {
    return readJson(text);
  }
  const problem = yamlTextProblem(text);

  if (problem) {
    return {
      ...empty(false, true),
      syntaxError: {
        path: '', ...verbatim(`failed decoding: ${ problem.message }`), ...lineColumn(text, problem.offset)
      }
    };
  }
  // go-yaml's reader takes a byte order mark as the encoding's, not as text
  const start = text.charCodeAt(0) === 0xFEFF ? 1 : 0;

  if (!precise) {
    const fast = readFast(text.slice(start));

    if (fast) {
      return fast;
    }
  }

  return readPrecise(text, start);
}
