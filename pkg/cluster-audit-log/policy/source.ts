/**
 * YAML text -> plain JSON-like value, read as sigs.k8s.io/yaml (go-yaml v2, YAML 1.1) reads it:
 * `yes`/`on`/`y` are booleans, timestamps stay strings, `<<` merges.
 *
 * Two readers that must agree on every value: a fast one (js-yaml with a YAML 1.1 schema) for the common
 * case, and a precise one (the `yaml` package) that also gives source positions, every duplicate key and
 * syntax errors with line and column. `readSource` uses the precise one whenever the fast one objects or
 * positions are asked for.
 */
import { CORE_SCHEMA, load, Type } from 'js-yaml';
import {
  Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments, Scalar
} from 'yaml';
import { Diagnostic } from './types';

/** Source positions (1-based) by field path (`rules[2].level`), for map keys and list items. */
export type Positions = Record<string, { line: number, column: number }>;

export interface Source {
  /** The first document's value; undefined for an empty text. */
  value: unknown;
  /** Positions, filled by the precise reader only. */
  positions: Positions;
  /** Duplicate keys (last one wins) and extra documents. */
  warnings: Diagnostic[];
  /** A YAML syntax error, with its position: the text does not decode at all. */
  syntaxError?: Diagnostic;
  precise: boolean;
}

const YAML11_TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const YAML11_FALSE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;

const yaml11Bool = new Type('tag:yaml.org,2002:bool', {
  kind:      'scalar',
  resolve:   (data: string | null) => data !== null && (YAML11_TRUE.test(data) || YAML11_FALSE.test(data)),
  construct: (data: string) => YAML11_TRUE.test(data),
  predicate: (v: unknown) => typeof v === 'boolean',
  represent: (v: object) => String(v),
});

/** `<<` merge keys, as YAML 1.1 and go-yaml have them (js-yaml merges keys carrying this tag). */
const yamlMerge = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: string | null) => data === '<<' || data === null });

const FAST_SCHEMA = CORE_SCHEMA.extend({ implicit: [yaml11Bool, yamlMerge] });

/** The fast reader: undefined when it cannot be sure (then the precise reader decides). */
function readFast(text: string): { value: unknown } | undefined {
  try {
    return { value: load(text, { schema: FAST_SCHEMA, json: false }) };
  } catch {
    return undefined;
  }
}

/** A scalar's value as JSON would carry it (timestamps stay the text they were written as). */
function scalarValue(node: Scalar): unknown {
  if (node.value instanceof Date) {
    return node.source ?? node.value.toISOString();
  }
  if (typeof node.value === 'bigint') {
    return Number(node.value);
  }

  return node.value;
}

function toPlain(raw: unknown, path: string, doc: Document, lines: LineCounter, out: Source): unknown {
  const node = (isAlias(raw) ? raw.resolve(doc) : raw) as Node | null | undefined;
  const at = (n: Node | null | undefined) => {
    const offset = n?.range?.[0];

    if (offset === undefined) {
      return undefined;
    }
    const { line, col } = lines.linePos(offset);

    return { line, column: col };
  };

  if (node === null || node === undefined) {
    return null;
  }
  if (isMap(node)) {
    const obj: Record<string, unknown> = {};

    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const keyValue = isScalar(keyNode) ? keyNode.value : keyNode;

      if (typeof keyValue === 'symbol' || (keyValue === '<<' && (isMap(pair.value) || isAlias(pair.value)))) {
        const merged = [pair.value].flat().flatMap((v) => (isSeq(v) ? v.items : [v]));

        for (const source of merged.reverse()) {
          for (const [k, v] of Object.entries(toPlain(source, path, doc, lines, out) as Record<string, unknown>)) {
            if (!Object.prototype.hasOwnProperty.call(obj, k)) {
              obj[k] = v;
            }
          }
        }
        continue;
      }
      const key = String(keyValue);
      const keyPath = path ? `${ path }.${ key }` : key;
      const pos = at(keyNode);

      if (pos) {
        out.positions[keyPath] = pos;
      }
      if (Object.prototype.hasOwnProperty.call(obj, key)) {
        out.warnings.push({
          path: keyPath, message: `duplicate field "${ keyPath }": key "${ key }" already set in map; kube-apiserver keeps the last value`, ...pos
        });
      }
      obj[key] = toPlain(pair.value, keyPath, doc, lines, out);
    }

    return obj;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => {
      const pos = at(item as Node);

      if (pos) {
        out.positions[`${ path }[${ i }]`] = pos;
      }

      return toPlain(item, `${ path }[${ i }]`, doc, lines, out);
    });
  }

  return scalarValue(node as Scalar);
}

/** The precise reader: positions, duplicates, syntax errors with line and column. */
function readPrecise(text: string): Source {
  const lines = new LineCounter();
  const out: Source = {
    value: undefined, positions: {}, warnings: [], precise: true
  };
  const docs = parseAllDocuments(text, {
    version: '1.1', uniqueKeys: false, lineCounter: lines, merge: true, customTags: (tags) => tags.filter((t) => typeof t === 'string' || (t as { format?: string }).format !== 'TIME')
  });
  const list = Array.isArray(docs) ? docs : [];

  for (const doc of list) {
    const problem = doc.errors[0];

    if (problem) {
      const [line, column] = problem.linePos?.[0] ? [problem.linePos[0].line, problem.linePos[0].col] : [undefined, undefined];
      const where = line ? `line ${ line }, column ${ column }: ` : '';

      out.syntaxError = {
        path: '', message: `failed decoding: error converting YAML to JSON: yaml: ${ where }${ problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '') }`, line, column
      };

      return out;
    }
  }
  const withContent = list.filter((d) => d.contents !== null);
  const doc = withContent[0];

  if (withContent.length > 1) {
    out.warnings.push({ path: '', message: 'the file holds more than one YAML document: kube-apiserver reads only the first' });
  }
  if (doc) {
    out.value = toPlain(doc.contents, '', doc, lines, out);
    const first = doc.contents?.range?.[0];

    if (first !== undefined) {
      const { line, col } = lines.linePos(first);

      out.positions[''] = { line, column: col };
    }
  }

  return out;
}

/**
 * Reads YAML or JSON text into a plain value. `precise` forces the reader that records positions;
 * otherwise the fast reader is used when it accepts the text without doubt.
 */
export function readSource(text: string, precise = false): Source {
  if (!precise) {
    const fast = readFast(text);

    if (fast) {
      return {
        value: fast.value ?? undefined, positions: {}, warnings: [], precise: false
      };
    }
  }

  return readPrecise(text);
}
