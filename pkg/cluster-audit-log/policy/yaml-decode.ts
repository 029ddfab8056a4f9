/**
 * The first document's node tree -> the JSON value kube-apiserver gets from sigs.k8s.io/yaml YAMLToJSON:
 * go-yaml v2 decodes into interface{} (gopkg.in/yaml.v2 decode.go), sigs.k8s.io/yaml turns map keys into
 * strings (yaml.go convertToJSONableObject), then encoding/json marshals it and the apiserver's meta
 * factory reads it back (encoding/json scanner.go maxNestingDepth).
 *
 * go-yaml's decode.go semantics kept here:
 * - aliases resolve to the anchor defined last before them (parser.alias: "unknown anchor '%s' referenced");
 *   an alias inside its own anchor fails ("anchor '%s' value contains itself");
 * - the alias-expansion limit (decoder.unmarshal with allowedAliasRatio: "document contains excessive
 *   aliasing") is computed on the node graph before anything is expanded: every node counts as one
 *   decode, an alias counts as the decode count of what it expands to (memoised per node), in go-yaml's
 *   decode order; within one expansion the ratio only grows, so checking at its end is exact;
 * - `<<` merges at its position (later keys override earlier ones, whichever side they are on), a
 *   sequence of maps merges from the last to the first; non-maps fail ("map merge requires map or sequence
 *   of maps as the value");
 * - map keys are typed (`1`, `01` and `0x1` are one key; `1` and `"1"` are two); a key set twice is a
 *   duplicate (decoder.setMapIndex: strict decoding fails, lenient decoding keeps the last value);
 * - collection keys fail ("invalid map key: %#v"); null and uint64 keys fail in sigs.k8s.io/yaml
 *   ("Unsupported map key of type: ...");
 * - NaN and ±Inf fail in encoding/json ("json: unsupported value: +Inf"), more than 10,000 nested
 *   collections in the JSON fail in the meta factory ("exceeded max depth").
 *
 * Everything is iterative (a trampoline of generators), so depth never overflows the stack.
 */
import {
  Alias, isAlias, isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap
} from 'yaml';
import { goUtf8String } from './encoding';
import { setOwn } from './own';
import { ComposedYaml } from './yaml-compose';
import { goFormatFloatG, goQuote, goSharpV } from './go-format';
import {
  GoScalar, goScalar, isImplicit, isMergeKey, jsonKey, keyIdentity, YamlDecodeError
} from './yaml-scalar';
import { MAX_JSON_DEPTH } from './json-text';

/** A key set twice in one map. */
export interface YamlDuplicate {
  /** Field path of the key (`rules[0].level`), or of its nearest ancestor with a path. */
  path: string;
  /** The key as %#v prints it in go-yaml's "key %#v already set in map". */
  goKey: string;
  offset?: number;
}

/** The JSON value of the first document, with positions and duplicate keys, or kube-apiserver's error. */
export interface DecodedYaml {
  value: unknown;
  /** Offsets of map keys and list items by field path, down to the path depth limit. */
  offsets: Map<string, number>;
  duplicates: YamlDuplicate[];
  /** The failure as kube-apiserver prints it after "failed decoding: ", with the offset it points at. */
  error?: { message: string, offset?: number };
}

/** Field paths are built this deep (a policy's fields are at most a few levels down). */
const PATH_DEPTH = 32;

/** decode.go alias_ratio_range_low / alias_ratio_range_high. */
const RATIO_LOW = 400000;
const RATIO_HIGH = 4000000;

/** decode.go allowedAliasRatio. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= RATIO_LOW) {
    return 0.99;
  }
  if (decodeCount >= RATIO_HIGH) {
    return 0.10;
  }

  return 0.99 - 0.89 * ((decodeCount - RATIO_LOW) / (RATIO_HIGH - RATIO_LOW));
}

type Gen<T> = Generator<Gen<unknown>, T, unknown>;

/** Runs a generator whose `yield g` means "call g and give me its result", without growing the stack. */
function drive<T>(root: Gen<T>): T {
  const stack: Gen<unknown>[] = [root];
  let input: unknown;

  for (;;) {
    const top = stack[stack.length - 1];
    const step = top.next(input);

    if (step.done) {
      stack.pop();
      if (!stack.length) {
        return step.value as T;
      }
      input = step.value;
    } else {
      stack.push(step.value);
      input = undefined;
    }
  }
}

/** A map as go-yaml holds it: typed keys, in the order first set. */
class GoMap {
  entries = new Map<string, { key: GoScalar, value: unknown }>();
}

/** A path that is only spelled out when needed. */
interface Where {
  path?: string;
  depth: number;
}

/** scalarNow's answer for a node that is not a scalar. */
const NOT_SCALAR = Symbol('not a scalar');

const EMPTY = new Scalar('');

EMPTY.type = 'PLAIN';

class Decoder {
  offsets = new Map<string, number>();
  duplicates: YamlDuplicate[] = [];
  private targets = new Map<Alias, Node>();
  private anchored = new Set<Node>();
  private memo = new Map<Node, unknown>();
  private memoMaps = new Map<Node, GoMap>();
  private open = new Set<Node>();
  private sizes = new Map<Node, number>();
  private decodes = 0;
  private aliasDecodes = 0;
  private quiet = 0;
  private convertError?: string;
  hasAliases = false;
  nonFinite = false;

  constructor(private pieces: Map<Node, Node>) {}

  private actual(n: unknown): Node {
    if (n === null || n === undefined) {
      return EMPTY;
    }

    return this.pieces.get(n as Node) ?? (n as Node);
  }

  /** parser.alias in text order: each alias's anchor, or go-yaml's error for an unknown one. */
  resolveAnchors(root: Node | null): { message: string, offset?: number } | undefined {
    const anchors = new Map<string, Node>();
    const stack: unknown[] = [root];

    while (stack.length) {
      const raw = stack.pop();

      if (raw === null || raw === undefined) {
        continue;
      }
      if (isAlias(raw)) {
        const target = anchors.get(raw.source);

        if (!target) {
          return { message: `yaml: unknown anchor '${ raw.source }' referenced`, offset: raw.range?.[0] };
        }
        this.targets.set(raw, target);
        this.anchored.add(target);
        this.hasAliases = true;
        continue;
      }
      const node = this.actual(raw);
      const anchor = (raw as Node).anchor;

      if (anchor) {
        anchors.set(anchor, node);
      }
      if (isMap(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          stack.push(node.items[i].value, node.items[i].key);
        }
      } else if (isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          stack.push(node.items[i]);
        }
      }
    }

    return undefined;
  }

  /** One decode (decoder.unmarshal) and, for an alias, the decodes of its expansion; then the ratio check. */
  private count(raw: unknown): void {
    const check = () => {
      if (this.aliasDecodes > 100 && this.decodes > 1000 && this.aliasDecodes / this.decodes > allowedAliasRatio(this.decodes)) {
        throw new YamlDecodeError('document contains excessive aliasing');
      }
    };

    if (!this.quiet) {
      this.decodes++;
      check();
    }
    if (isAlias(raw)) {
      const target = this.targets.get(raw) as Node;

      if (this.open.has(target)) {
        throw new YamlDecodeError(`anchor '${ raw.source }' value contains itself`);
      }
      if (!this.quiet) {
        const size = this.size(target);

        this.decodes += size;
        this.aliasDecodes += size;
        check();
      }
    }
  }

  /** How many decodes decoding `node` makes (memoised; iterative post-order over the node graph). */
  private size(start: Node): number {
    const CAP = 1e15;
    const stack: { node: Node, expanded: boolean }[] = [{ node: start, expanded: false }];

    while (stack.length) {
      const top = stack[stack.length - 1];
      const node = top.node;

      if (this.sizes.has(node) && !top.expanded) {
        stack.pop();
        continue;
      }
      const parts = this.sizeParts(node);

      if (!top.expanded) {
        top.expanded = true;
        this.sizes.set(node, Infinity);
        for (const p of parts) {
          if (!this.sizes.has(p)) {
            stack.push({ node: p, expanded: false });
          }
        }
        continue;
      }
      stack.pop();
      let total = 1;

      for (const p of parts) {
        total += this.sizes.get(p) as number;
      }
      this.sizes.set(node, Math.min(total, CAP));
    }

    return this.sizes.get(start) as number;
  }

  /** The nodes whose decodes make up one decode of `node`. */
  private sizeParts(node: Node): Node[] {
    if (isAlias(node)) {
      return [this.targets.get(node) as Node];
    }
    if (isSeq(node)) {
      return node.items.map((n) => this.rawOrActual(n));
    }
    if (isMap(node)) {
      const parts: Node[] = [];

      for (const pair of node.items) {
        if (this.isMerge(pair)) {
          const v = this.actual(pair.value);

          // a merged sequence decodes its items, not itself
          for (const n of isSeq(v) && !isAlias(pair.value) ? v.items : [pair.value]) {
            parts.push(this.rawOrActual(n));
          }
        } else {
          parts.push(this.rawOrActual(pair.key), this.rawOrActual(pair.value));
        }
      }

      return parts;
    }

    return [];
  }

  /** An alias stays itself (it has its own count); a placeholder becomes its piece. */
  private rawOrActual(n: unknown): Node {
    return isAlias(n) ? n : this.actual(n);
  }

  private isMerge(pair: Pair): boolean {
    const key = pair.key;

    if (!isScalar(key) || this.pieces.has(key)) {
      return false;
    }
    const plain = key.type === 'PLAIN' || key.type === undefined;

    return isMergeKey(key.tag, String(key.value ?? ''), isImplicit(key.tag, plain));
  }

  private scalarOf(node: Scalar): GoScalar | { t: 'binary', v: Uint8Array } {
    const plain = node.type === 'PLAIN' || node.type === undefined;

    return goScalar(node.tag, String(node.value ?? ''), isImplicit(node.tag, plain));
  }

  /** Decodes a node to its JSON value. */
  /** A plain scalar's value without a generator (most nodes are scalars); NOT_SCALAR for anything else. */
  private scalarNow(raw: unknown): unknown {
    if (isAlias(raw)) {
      return NOT_SCALAR;
    }
    const node = this.actual(raw);

    if (!isScalar(node)) {
      return NOT_SCALAR;
    }
    this.count(raw);

    return this.remember(node, this.scalarJson(this.scalarOf(node)));
  }

  * value(raw: unknown, where: Where): Gen<unknown> {
    const now = this.scalarNow(raw);

    if (now !== NOT_SCALAR) {
      return now;
    }
    this.count(raw);
    if (isAlias(raw)) {
      return yield this.expand(raw, where);
    }
    const node = this.actual(raw);

    if (isScalar(node)) {
      return this.remember(node, this.scalarJson(this.scalarOf(node)));
    }
    if (isSeq(node)) {
      this.open.add(node);
      const out: unknown[] = [];

      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i];
        const child = this.child(where, i, this.rawOrActual(item));
        const now = this.scalarNow(item);

        out.push(now === NOT_SCALAR ? yield this.value(item, child) : now);
      }
      this.open.delete(node);

      return this.remember(node, out);
    }
    if (isMap(node)) {
      const map = new GoMap();

      yield this.mapping(node, map, where);

      return this.remember(node, this.toJson(map), map);
    }

    return null;
  }

  private remember(node: Node, value: unknown, map?: GoMap): unknown {
    if (this.anchored.has(node)) {
      this.memo.set(node, value);
      if (map) {
        this.memoMaps.set(node, map);
      }
    }

    return value;
  }

  /** An alias's value: what its anchor decoded to (decoded now, uncounted, if that has not happened yet). */
  * expand(alias: Alias, where: Where): Gen<unknown> {
    const target = this.targets.get(alias) as Node;

    if (this.memo.has(target)) {
      return this.memo.get(target);
    }
    this.quiet++;
    const value = yield this.value(target, where);

    this.quiet--;

    return value;
  }

  private child(where: Where, seg: string | number, node: Node): Where {
    const depth = where.depth + 1;

    if (where.path === undefined || depth > PATH_DEPTH) {
      return { depth };
    }
    const path = typeof seg === 'number' ? `${ where.path }[${ seg }]` : (where.path ? `${ where.path }.${ seg }` : seg);
    const offset = node.range?.[0];

    if (offset !== undefined && node !== EMPTY && !this.quiet) {
      this.offsets.set(path, offset);
    }

    return { path, depth };
  }

  /** decoder.mapping into `out` (also used for merges). */
  * mapping(node: YAMLMap, out: GoMap, where: Where): Gen<void> {
    this.open.add(node);
    for (const pair of node.items) {
      if (this.isMerge(pair)) {
        yield this.merge(pair.value, out, where);
        continue;
      }
      const key = (this.scalarKey(pair.key) ?? (yield this.key(pair.key))) as GoScalar;
      const keyNode = this.rawOrActual(pair.key);
      const jk = jsonKey(key);
      const child = this.child(where, typeof jk === 'string' ? jk : goSharpV(null), keyNode);
      const now = this.scalarNow(pair.value);
      const value = now === NOT_SCALAR ? yield this.value(pair.value, child) : now;

      this.set(out, key, value, child, where, keyNode.range?.[0]);
    }
    this.open.delete(node);
  }

  /** decoder.setMapIndex: a key set again is a duplicate; the last value stays. */
  private set(out: GoMap, key: GoScalar, value: unknown, child: Where, where: Where, offset?: number): void {
    const id = keyIdentity(key);

    if (out.entries.has(id) && !this.quiet) {
      this.duplicates.push({
        path: child.path ?? where.path ?? '', goKey: goKeyText(key), offset
      });
      out.entries.delete(id);
    }
    out.entries.set(id, { key, value });
  }

  /** A scalar key's Go value without a generator; undefined for anything else. */
  private scalarKey(raw: unknown): GoScalar | undefined {
    const node = isAlias(raw) ? undefined : this.actual(raw);

    if (!isScalar(node)) {
      return undefined;
    }
    this.count(raw);
    const s = this.scalarOf(node);

    return s.t === 'binary' ? { t: 'str', v: goUtf8String(s.v) } : s;
  }

  /** A key's Go value; collections cannot be keys. */
  * key(raw: unknown): Gen<GoScalar> {
    const node = isAlias(raw) ? this.targets.get(raw) as Node : this.actual(raw);

    if (isScalar(node)) {
      this.count(raw);
      const s = this.scalarOf(node);

      return s.t === 'binary' ? { t: 'str', v: goUtf8String(s.v) } : s;
    }
    const value = yield this.value(raw, { depth: PATH_DEPTH + 1 });

    throw new YamlDecodeError(`invalid map key: ${ goSharpV(value) }`);
  }

  /** decoder.merge. */
  * merge(raw: unknown, out: GoMap, where: Where): Gen<void> {
    const wantMap = () => new YamlDecodeError('map merge requires map or sequence of maps as the value');
    const node = this.actual(raw);

    if (isAlias(raw)) {
      if (!isMap(this.targets.get(raw))) {
        throw wantMap();
      }
      yield this.mergeOne(raw, out, where);
    } else if (isMap(node)) {
      yield this.mergeOne(raw, out, where);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];

        if (isAlias(item) ? !isMap(this.targets.get(item)) : !isMap(this.actual(item))) {
          throw wantMap();
        }
        yield this.mergeOne(item, out, where);
      }
    } else {
      throw wantMap();
    }
  }

  /** Decodes one map (or alias of one) into `out`. */
  * mergeOne(raw: unknown, out: GoMap, where: Where): Gen<void> {
    let source: GoMap;

    if (isAlias(raw)) {
      this.count(raw);
      const target = this.targets.get(raw) as YAMLMap;

      if (!this.memo.has(target)) {
        this.quiet++;
        yield this.value(target, where);
        this.quiet--;
      }
      source = this.memoMaps.get(target) as GoMap;
    } else {
      this.count(raw);
      source = new GoMap();
      yield this.mapping(this.actual(raw) as YAMLMap, source, where);
      this.remember(this.actual(raw), this.toJson(source), source);
    }
    for (const { key, value } of source.entries.values()) {
      const jk = jsonKey(key);

      this.set(out, key, value, this.child(where, typeof jk === 'string' ? jk : '', EMPTY), where);
    }
  }

  private scalarJson(s: GoScalar | { t: 'binary', v: Uint8Array }): unknown {
    switch (s.t) {
    case 'null': return null;
    case 'binary': return goUtf8String(s.v);
    case 'float':
      if (!Number.isFinite(s.v)) {
        this.nonFinite = true;
      }

      return s.v;
    default: return s.v;
    }
  }

  /** convertToJSONableObject for one map: string keys; null and uint64 keys are an error (reported after decoding). */
  private toJson(map: GoMap): Record<string, unknown> {
    const obj: Record<string, unknown> = {};

    for (const { key, value } of map.entries.values()) {
      const jk = jsonKey(key);

      if (typeof jk === 'string') {
        setOwn(obj, jk, value);
      } else if (!this.convertError) {
        this.convertError = `Unsupported map key of type: ${ jk.unsupported }, value: ${ goSharpV(value) }`;
      }
    }

    return obj;
  }

  /** The decode as a whole: go-yaml's decode, then sigs.k8s.io/yaml's conversion, then encoding/json. */
  * document(root: Node | null): Gen<unknown> {
    // the document node itself is one decode
    this.decodes++;
    const value = yield this.value(root, { path: '', depth: 0 });

    if (this.convertError) {
      throw new ConversionError(this.convertError);
    }

    return value;
  }
}

/** A failure after go-yaml (sigs.k8s.io/yaml, encoding/json): its message has no `yaml: ` prefix. */
class ConversionError extends Error {}

/** The %#v of a typed key, as go-yaml's duplicate-key message prints it. */
function goKeyText(key: GoScalar): string {
  switch (key.t) {
  case 'null': return '<nil>';
  case 'str': return goQuote(key.v);
  case 'uint': return `0x${ BigInt(key.exact).toString(16) }`;
  case 'int': return key.exact;
  case 'float': return goFormatFloatG(key.v, 64);
  default: return String(key.v);
  }
}

/** Go's json.Marshal order: object keys sorted. */
function sortedEntries(value: object): [string, unknown][] {
  return Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * After conversion: encoding/json's "unsupported value" for the first NaN/±Inf in marshal order, then the
 * meta factory's "exceeded max depth" for the first collection more than 10,000 deep in the JSON text.
 */
function jsonFailure(value: unknown, nonFinite: boolean, mayBeDeep: boolean): string | undefined {
  if (!nonFinite && !mayBeDeep) {
    return undefined;
  }
  const depthOf = new Map<object, number>();
  const badOf = new Map<object, boolean>();
  // post-order: depth of every collection and whether it holds a NaN/±Inf
  const stack: { v: object, done: boolean }[] = typeof value === 'object' && value !== null ? [{ v: value, done: false }] : [];

  while (stack.length) {
    const top = stack[stack.length - 1];

    if (depthOf.has(top.v)) {
      stack.pop();
      continue;
    }
    const kids = Object.values(top.v);

    if (!top.done) {
      top.done = true;
      for (const k of kids) {
        if (typeof k === 'object' && k !== null && !depthOf.has(k)) {
          stack.push({ v: k, done: false });
        }
      }
      continue;
    }
    stack.pop();
    let depth = 1;
    let bad = false;

    for (const k of kids) {
      if (typeof k === 'object' && k !== null) {
        depth = Math.max(depth, 1 + (depthOf.get(k) as number));
        bad = bad || (badOf.get(k) as boolean);
      } else if (typeof k === 'number' && !Number.isFinite(k)) {
        bad = true;
      }
    }
    depthOf.set(top.v, depth);
    badOf.set(top.v, bad);
  }
  const describe = (n: number) => (Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf');

  if (typeof value === 'number' && !Number.isFinite(value)) {
    return `json: unsupported value: ${ describe(value) }`;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  // follow the marshal order to the first bad number
  for (let v: object | undefined = value; v && badOf.get(v);) {
    const entries = sortedEntries(v);

    v = undefined;
    for (const [, k] of entries) {
      if (typeof k === 'number' && !Number.isFinite(k)) {
        return `json: unsupported value: ${ describe(k) }`;
      }
      if (typeof k === 'object' && k !== null && badOf.get(k)) {
        v = k;
        break;
      }
    }
  }
  if ((depthOf.get(value) as number) > MAX_JSON_DEPTH) {
    let v = value as object;

    for (let level = 1; level <= MAX_JSON_DEPTH; level++) {
      const need = MAX_JSON_DEPTH + 1 - level;

      v = sortedEntries(v).map(([, k]) => k).find((k) => typeof k === 'object' && k !== null && (depthOf.get(k) as number) >= need) as object;
    }

    return `couldn't get version/kind; json parse error: invalid character '${ Array.isArray(v) ? '[' : '{' }' exceeded max depth`;
  }

  return undefined;
}

/** Decodes the composed first document as kube-apiserver's YAML path does (see the file comment). */
export function decodeYaml(composed: ComposedYaml): DecodedYaml {
  const decoder = new Decoder(composed.pieces);
  const out: DecodedYaml = {
    value: undefined, offsets: decoder.offsets, duplicates: decoder.duplicates
  };
  const unknownAnchor = decoder.resolveAnchors(composed.root);
  const syntax = composed.error;

  if (syntax || unknownAnchor) {
    const first = [syntax, unknownAnchor].filter((e) => e).sort((a, b) => (a?.offset ?? 0) - (b?.offset ?? 0))[0] as { message: string, offset?: number };

    out.error = { message: first === syntax ? `yaml: ${ first.message }` : first.message, offset: first.offset };

    return out;
  }
  try {
    out.value = drive(decoder.document(composed.root));
  } catch (e) {
    if (e instanceof YamlDecodeError) {
      out.error = { message: `yaml: ${ e.message }` };

      return out;
    }
    if (e instanceof ConversionError) {
      out.error = { message: e.message };

      return out;
    }
    throw e;
  }
  const failure = jsonFailure(out.value, decoder.nonFinite, composed.depth > MAX_JSON_DEPTH || (decoder.hasAliases && composed.depth > 1));

  if (failure) {
    out.error = { message: failure };
    out.value = undefined;
  }

  return out;
}
