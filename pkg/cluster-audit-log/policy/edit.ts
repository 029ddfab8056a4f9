/**
 * A form edit written into the policy text: only the difference between the policy the text decodes to and
 * the form's new policy is applied, so comments, key order, quoting, flow/block style and the fields
 * kube-apiserver drops stay as the user wrote them.
 *
 * 1. The two policies (normalized) are compared into a tree of changes: a new value, keys set and removed,
 *    a list rebuilt from its old items (matched by deep equality, so a moved, duplicated or deleted rule keeps
 *    its text) and new ones.
 * 2. Splicing: each change replaces only its node's source range in the text, or inserts or removes whole
 *    lines; every other byte stays. New nodes are written as policyToYaml writes them (flow lists of names).
 * 3. Where splicing cannot express a change safely (tags, explicit keys, `- -` items), the yaml Document is
 *    edited and printed again: comments stay, the layout of untouched lines may not.
 * 4. Text that is not one clean document without anchors, aliases or merge keys, and any result that does not
 *    read back (readPolicy) as exactly the new policy, gets policyToYaml: the result never decodes to anything
 *    but the new policy.
 */
import {
  CST, Document, isMap, isScalar, isSeq, LineCounter, Node, Pair, parseAllDocuments, parseDocument, Scalar, visit, YAMLMap, YAMLSeq
} from 'yaml';
import { isJsonText } from './encoding';
import { LoadResult, readPolicy } from './read';
import { Policy, PolicyRule } from './types';
import { normalizePolicy, normalizeRule, policyToYaml } from './write';

type Obj = Record<string, unknown>;

/** What changes at one node: a new value, keys of a mapping, or the items of a list. */
type Change =
  | { t: 'value', after: unknown }
  | { t: 'map', after: Obj, set: [string, Change][], remove: string[] }
  | { t: 'list', after: unknown[], beforeLength: number, items: ListItem[] };

/**
 * An item of a changed list: an old item (by its index), maybe changed, or a new value. A copy is an old item
 * used twice (a duplicate): its text is copied without the comments above it.
 */
type ListItem = { from: number, change?: Change, copy?: boolean } | { from?: undefined, value: unknown };

/** A replacement of the text between two offsets. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Where a node sits, which decides how it is replaced as a whole: inside a flow collection, as an item of a
 * block sequence, as the value of a block mapping's pair (at the mapping's column), or as the document.
 */
type Slot = 'flow' | 'item' | 'root' | { pair: Pair, column: number };

/** A change the splicer does not write (the Document is edited instead). */
class CannotSplice extends Error {}

/** The options of the precise reader (source.ts, yaml-compose.ts): YAML 1.1, every scalar a string, no merge. */
const PARSE_OPTIONS = {
  version: '1.1', schema: 'failsafe', merge: false, uniqueKeys: false, keepSourceTokens: true, prettyErrors: false, strict: true
} as const;

/** go-yaml v2 reads these plain scalars as booleans or null (resolve.go), in any case here to be safe. */
const YAML11_KEYWORD = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
/** Plain scalars that are strings in YAML 1.1 in any context (a letter, `_` or `/` first; no indicators). */
const SAFE_PLAIN = /^[A-Za-z_/][\w./:@*-]*$/;
/** Characters a quoted scalar must escape beyond JSON's: C1 controls, DEL, YAML 1.1 line breaks, the BOM. */
const YAML_ESCAPE = /[\u007F-\u009F\u2028\u2029\uFEFF]/g;

/** True for a string a single-quoted scalar holds on one line: no control characters, no line breaks. */
function singleLine(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);

    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c === 0x2028 || c === 0x2029 || c === 0xFEFF) {
      return false;
    }
  }

  return true;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLeaf = (v: unknown) => !isObj(v) && !Array.isArray(v);
/** The keys of an object that have a value. */
const keysOf = (o: Obj) => Object.keys(o).filter((k) => o[k] !== undefined);

/**
 * The normalized copies of the rules edited last, by rule object, and the canonical texts of those copies. A form
 * edit replaces one rule and keeps the others' objects, so only that rule is normalized and compared again. The
 * policies given to editPolicyText are never changed in place (the draft replaces a policy whole), and the copies
 * never leave this module.
 */
const normalized = new WeakMap<PolicyRule, PolicyRule>();
const canonical = new WeakMap<PolicyRule, string>();

/** normalizeRule, remembered by rule object. */
function normalizedRule(rule: PolicyRule): PolicyRule {
  let out = normalized.get(rule);

  if (!out) {
    out = normalizeRule(rule);
    normalized.set(rule, out);
    normalized.set(out, out);
  }

  return out;
}

/** normalizePolicy with normalizedRule: unchanged rules keep their normalized objects from edit to edit. */
function normalizeOf(policy: Policy): Policy {
  return normalizePolicy(policy, normalizedRule);
}

/** A text for deep equality: keys sorted, absent (undefined) keys left out (remembered for normalized rules). */
function canon(v: unknown): string {
  const rule = v as unknown as PolicyRule;
  const copy = isObj(v) && normalized.get(rule) === rule;
  const known = copy ? canonical.get(rule) : undefined;

  if (known !== undefined) {
    return known;
  }
  if (Array.isArray(v)) {
    return `[${ v.map(canon).join(',') }]`;
  }
  if (isObj(v)) {
    const text = `{${ keysOf(v).sort().map((k) => `${ JSON.stringify(k) }:${ canon(v[k]) }`).join(',') }}`;

    if (copy) {
      canonical.set(rule, text);
    }

    return text;
  }

  return v === undefined ? 'null' : JSON.stringify(v);
}

/** Longest common subsequence of two key lists, as index pairs in increasing order. */
function commonItems(a: string[], b: string[]): [number, number][] {
  const table: number[][] = a.map(() => new Array(b.length + 1).fill(0));

  table.push(new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out: [number, number][] = [];

  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) {
      i++;
    } else {
      j++;
    }
  }

  return out;
}

/** Above this many cells the middle of two lists is not aligned (items are still matched by equality). */
const MAX_ALIGN_CELLS = 1_000_000;

/**
 * The items of a changed list: kept in order (common prefix, suffix and subsequence), moved (an equal old item
 * not kept elsewhere), edited (an old item in the same gap, by position), copied (an equal old item used
 * already: a duplicate), or new.
 */
function listChange(before: unknown[], after: unknown[]): Change {
  const bk = before.map(canon);
  const ak = after.map(canon);
  const from: (number | undefined)[] = new Array(after.length).fill(undefined);
  const used = new Set<number>();
  const anchors: [number, number][] = [];
  let head = 0;
  let tail = 0;

  while (head < bk.length && head < ak.length && bk[head] === ak[head]) {
    anchors.push([head, head]);
    head++;
  }
  while (tail < bk.length - head && tail < ak.length - head && bk[bk.length - 1 - tail] === ak[ak.length - 1 - tail]) {
    tail++;
  }
  const midB = bk.slice(head, bk.length - tail);
  const midA = ak.slice(head, ak.length - tail);

  if (midB.length * midA.length <= MAX_ALIGN_CELLS) {
    for (const [b, a] of commonItems(midB, midA)) {
      anchors.push([head + b, head + a]);
    }
  }
  for (let k = tail; k > 0; k--) {
    anchors.push([bk.length - k, ak.length - k]);
  }
  for (const [b, a] of anchors) {
    from[a] = b;
    used.add(b);
  }
  const unused = new Map<string, number[]>();

  bk.forEach((key, b) => {
    if (!used.has(b)) {
      unused.set(key, [...(unused.get(key) || []), b]);
    }
  });
  ak.forEach((key, a) => {
    const b = from[a] === undefined ? unused.get(key)?.shift() : undefined;

    if (b !== undefined) {
      from[a] = b;
      used.add(b);
    }
  });
  const changes = new Map<number, Change | undefined>();
  const gaps = [[-1, -1], ...anchors, [bk.length, ak.length]];

  for (let g = 1; g < gaps.length; g++) {
    const olds: number[] = [];

    for (let b = gaps[g - 1][0] + 1; b < gaps[g][0]; b++) {
      if (!used.has(b)) {
        olds.push(b);
      }
    }
    for (let a = gaps[g - 1][1] + 1; a < gaps[g][1] && olds.length; a++) {
      if (from[a] === undefined) {
        const b = olds.shift() as number;

        from[a] = b;
        used.add(b);
        changes.set(a, changeOf(before[b], after[a]));
      }
    }
  }

  return {
    t:            'list',
    after,
    beforeLength: before.length,
    items:        after.map((value, a) => {
      const b = from[a] ?? bk.indexOf(ak[a]);

      return b < 0 ? { value } : {
        from: b, change: changes.get(a), copy: from[a] === undefined
      };
    })
  };
}

/** Deep equality of plain values; absent (undefined) keys do not count. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    return keysOf(a).length === keysOf(b).length && keysOf(a).every((k) => same(a[k], b[k]));
  }

  return a === b || (a === undefined && b === null) || (a === null && b === undefined);
}

/** The change from one plain value to another; undefined when they are equal. */
function changeOf(before: unknown, after: unknown): Change | undefined {
  if (same(before, after)) {
    return undefined;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return listChange(before, after);
  }
  if (!isObj(before) || !isObj(after)) {
    return { t: 'value', after };
  }
  const set: [string, Change][] = [];

  for (const key of Object.keys(after)) {
    const change = before[key] === undefined ? { t: 'value' as const, after: after[key] } : changeOf(before[key], after[key]);

    if (change && after[key] !== undefined) {
      set.push([key, change]);
    }
  }

  return {
    t: 'map', after, set, remove: Object.keys(before).filter((k) => before[k] !== undefined && after[k] === undefined)
  };
}

/** A pair's key as a string, for scalar keys. */
function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** The index of the pair (the last one: duplicates are ignored by the decoder but the last) for `key`. */
function lastPair(pairs: Pair[], key: string): number {
  for (let i = pairs.length - 1; i >= 0; i--) {
    if (keyOf(pairs[i]) === key) {
      return i;
    }
  }

  return -1;
}

/** The index of the kept pair after which a new `key` goes: the last one of the keys before it in `after`. */
function anchorOf(pairs: Pair[], kept: (i: number) => boolean, after: Obj, key: string): number {
  const keys = Object.keys(after);
  const earlier = new Set(keys.slice(0, keys.indexOf(key)));
  let anchor = -1;

  pairs.forEach((pair, i) => {
    if (kept(i) && earlier.has(keyOf(pair) as string)) {
      anchor = i;
    }
  });

  return anchor;
}

/** Applies non-overlapping edits to text[from, to). */
function applyEdits(text: string, edits: Edit[], from: number, to: number): string {
  const sorted = [...edits].sort((x, y) => x.start - y.start || (x.end - x.start) - (y.end - y.start));
  let out = '';
  let at = from;

  for (const e of sorted) {
    if (e.start < at || e.end > to) {
      throw new CannotSplice('overlapping edits');
    }
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }

  return out + text.slice(at, to);
}

/** Writes changes into the text by replacing only the source ranges of the nodes they touch. */
class Splicer {
  private readonly eol: string;

  constructor(private readonly text: string, private readonly lines: LineCounter, private readonly json: boolean, private readonly seqIndent: boolean) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** The edited text of the document whose root is `root`. */
  splice(root: Node | null, change: Change): string {
    const edits = this.changeEdits(root, change, 'root');

    if (!edits) {
      throw new CannotSplice('the document is replaced');
    }

    return applyEdits(this.text, edits, 0, this.text.length);
  }

  // Lines (0-based) and columns.
  private lineOf(offset: number): number {
    return this.lines.linePos(offset).line - 1;
  }

  private columnOf(offset: number): number {
    return this.lines.linePos(offset).col - 1;
  }

  private lineStart(line: number): number {
    return line < this.lines.lineStarts.length ? this.lines.lineStarts[line] : this.text.length;
  }

  /** The offset after the line's break (the next line's start). */
  private lineAfter(line: number): number {
    return this.lineStart(line + 1);
  }

  /** The offset of the line's break (or of the end of the text). */
  private lineEnd(line: number): number {
    const end = this.lineAfter(line);
    const text = this.text.slice(this.lineStart(line), end);

    return end - (/\r?\n$/.exec(text)?.[0].length || 0);
  }

  private isCommentOrBlank(line: number): boolean {
    return /^[ \t]*(?:#.*)?\r?$/.test(this.text.slice(this.lineStart(line), this.lineEnd(line)));
  }

  /** True when only spaces precede `offset` on its line. */
  private startsLine(offset: number): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.lineStart(this.lineOf(offset)), offset));
  }

  /** The end of a node's last character of content (its trailing comment and line break not included). */
  private contentEnd(node: unknown, fallback: number): number {
    if (isMap(node) && !node.flow) {
      return node.items.reduce((end, pair) => Math.max(end, this.pairEnd(pair)), fallback);
    }
    if (isSeq(node) && !node.flow) {
      const dashes = this.dashes(node);

      return node.items.reduce((end: number, item, i) => Math.max(end, this.contentEnd(item, dashes[i] + 1)), fallback);
    }
    const range = (node as Node | null)?.range;

    if (!range) {
      return fallback;
    }
    let end = range[1];

    while (end > range[0] && /\s/.test(this.text[end - 1])) {
      end--;
    }

    return Math.max(end, fallback);
  }

  private pairEnd(pair: Pair): number {
    return this.contentEnd(pair.value, this.colonEnd(pair));
  }

  /** The offset after a block pair's `:`. */
  private colonEnd(pair: Pair): number {
    const item = pair.srcToken;
    const colon = item?.sep?.find((t) => t.type === 'map-value-ind');

    if (!item || item.start.some((t) => t.type === 'explicit-key-ind') || !colon) {
      throw new CannotSplice('an explicit key or a key without a value');
    }

    return colon.offset + 1;
  }

  /** The offsets of a block sequence's `-` indicators, each first on its line. */
  private dashes(seq: YAMLSeq): number[] {
    const token = seq.srcToken as CST.BlockSequence | undefined;
    // A comment after the last item, at the items' indentation, is a CST item without an indicator.
    const dashes = token?.type === 'block-seq' ? token.items.map((it) => it.start.find((t) => t.type === 'seq-item-ind')?.offset).filter((d) => d !== undefined) : [];

    if (dashes.length !== seq.items.length || dashes.some((d) => !this.startsLine(d as number))) {
      throw new CannotSplice('a sequence item that does not start its line');
    }

    return dashes as number[];
  }

  // Rendering, in policyToYaml's style.
  private scalar(value: unknown, style?: Scalar.Type, flow = false): string {
    if (this.json) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new CannotSplice('not a JSON number');
      }

      return JSON.stringify(value ?? null);
    }
    if (value === null || value === undefined) {
      return 'null';
    }
    if (typeof value === 'boolean' || typeof value === 'number') {
      if (!Number.isFinite(Number(value))) {
        throw new CannotSplice('not a finite number');
      }

      return String(value);
    }
    const s = String(value);

    if (style === Scalar.QUOTE_SINGLE && singleLine(s)) {
      return `'${ s.replace(/'/g, "''") }'`;
    }
    if (style !== Scalar.QUOTE_DOUBLE && style !== Scalar.QUOTE_SINGLE && SAFE_PLAIN.test(s) && !s.endsWith(':') && !YAML11_KEYWORD.test(s) && !(flow && s.includes(':'))) {
      return s;
    }

    return JSON.stringify(s).replace(YAML_ESCAPE, (c) => `\\u${ c.charCodeAt(0).toString(16).padStart(4, '0') }`);
  }

  /** A value in flow style (JSON for JSON text). */
  private flow(value: unknown, style?: Scalar.Type): string {
    if (Array.isArray(value)) {
      return `[${ value.map((v) => this.flow(v)).join(', ') }]`;
    }
    if (isObj(value)) {
      return `{${ keysOf(value).map((k) => `${ this.scalar(k, undefined, true) }: ${ this.flow(value[k]) }`).join(', ') }}`;
    }

    return this.scalar(value, style, true);
  }

  /** The one-line form of a value in block context, when it has one: scalars, lists of scalars, `{}`. */
  private inline(value: unknown, style?: Scalar.Type): string | undefined {
    if (isLeaf(value)) {
      return this.scalar(value, style);
    }
    if (this.json || (Array.isArray(value) ? value.every(isLeaf) : !keysOf(value as Obj).length)) {
      return this.flow(value);
    }

    return undefined;
  }

  /** The lines of `key: value` at a column. */
  private pairLines(key: string, value: unknown, column: number): string[] {
    const head = `${ ' '.repeat(column) }${ this.scalar(key) }:`;
    const inline = this.inline(value);

    if (inline !== undefined) {
      return [`${ head } ${ inline }`];
    }

    return [head, ...this.blockLines(value, column)];
  }

  /** The lines of a block value under a key at `column`. */
  private blockLines(value: unknown, column: number): string[] {
    if (Array.isArray(value)) {
      return value.flatMap((v) => this.itemLines(v, this.seqIndent ? column + 2 : column));
    }

    return keysOf(value as Obj).flatMap((k) => this.pairLines(k, (value as Obj)[k], column + 2));
  }

  /** The lines of `- value` with the dash at `dash` and the content at `content`. */
  private itemLines(value: unknown, dash: number, content = dash + 2): string[] {
    const inline = this.inline(value);

    if (inline !== undefined) {
      return [`${ ' '.repeat(dash) }- ${ inline }`];
    }
    const lines = Array.isArray(value) ? value.flatMap((v) => this.itemLines(v, content)) : keysOf(value as Obj).flatMap((k) => this.pairLines(k, (value as Obj)[k], content));

    lines[0] = `${ ' '.repeat(dash) }-${ ' '.repeat(content - dash - 1) }${ lines[0].slice(content) }`;

    return lines;
  }

  // Changes.
  /** The edits for a change at `node`; null when an item of a block sequence must be written anew. */
  private changeEdits(node: unknown, change: Change, slot: Slot): Edit[] | null {
    const plainNode = !(node as Node | null)?.tag && !(node as Node | null)?.anchor;

    if (change.t === 'map' && isMap(node) && plainNode) {
      return node.flow ? this.flowMapEdits(node, change, slot) : this.blockMapEdits(node, change, slot);
    }
    if (change.t === 'list' && isSeq(node) && plainNode && node.items.length === change.beforeLength) {
      return node.flow ? this.flowSeqEdits(node, change, slot) : this.blockSeqEdits(node, change, slot);
    }

    return this.replaceEdits(node as Node | null, change.after, slot);
  }

  /** The edits that put `after` in place of `node`. */
  private replaceEdits(node: Node | null, after: unknown, slot: Slot): Edit[] | null {
    if (node?.tag || node?.anchor) {
      throw new CannotSplice('a node with a tag');
    }
    const style = isScalar(node) ? node.type : undefined;
    const range = node?.range;
    const filled = !!range && range[1] > range[0];

    if (slot === 'flow') {
      if (!filled) {
        throw new CannotSplice('an empty node in a flow collection');
      }

      return [{
        start: range[0], end: this.contentEnd(node, range[0]), text: this.flow(after, style)
      }];
    }
    const inline = this.inline(after, style);

    if (filled && inline !== undefined && (isScalar(node) || (node as YAMLMap | YAMLSeq).flow)) {
      return [{
        start: range[0], end: this.contentEnd(node, range[0]), text: inline
      }];
    }
    if (slot === 'item' || slot === 'root') {
      return null;
    }
    const start = this.colonEnd(slot.pair);
    const lineEnd = this.lineEnd(this.lineOf(start));

    if (!filled) {
      const rest = /^[ \t]*/.exec(this.text.slice(start, lineEnd))?.[0] as string;
      const comment = start + rest.length < lineEnd;

      if (inline !== undefined) {
        return [{
          start, end: start + rest.length, text: ` ${ inline }${ comment ? ' ' : '' }`
        }];
      }
      if (comment) {
        throw new CannotSplice('a block value before a comment');
      }

      return [{
        start, end: start + rest.length, text: [''].concat(this.blockLines(after, slot.column)).join(this.eol)
      }];
    }
    const end = this.contentEnd(node, start);
    const comment = this.text.slice(end, lineEnd).trim();

    if (inline === undefined && comment && this.lineOf(end) === this.lineOf(start)) {
      // `key: [] # comment` -> the comment stays on the key's line, above the new block.
      return [{
        start, end: lineEnd, text: [` ${ comment }`].concat(this.blockLines(after, slot.column)).join(this.eol)
      }];
    }

    return [{
      start, end, text: inline !== undefined ? ` ${ inline }` : [''].concat(this.blockLines(after, slot.column)).join(this.eol)
    }];
  }

  /** Rebuilds a flow collection's items from `pieces`, reusing its separators in order. */
  private flowItems(spans: [number, number][], pieces: string[]): Edit[] {
    const seps = spans.slice(1).map((span, i) => this.text.slice(spans[i][1], span[0]));
    const sep = (i: number) => seps[Math.min(i, seps.length - 1)] ?? ', ';

    return [{
      start: spans[0][0], end: spans[spans.length - 1][1], text: pieces.map((p, i) => (i ? sep(i - 1) + p : p)).join('')
    }];
  }

  private flowSeqEdits(node: YAMLSeq, change: Extract<Change, { t: 'list' }>, slot: Slot): Edit[] | null {
    if (!node.items.length || !change.items.length) {
      return this.replaceEdits(node, change.after, slot);
    }
    const spans = node.items.map((item) => {
      const range = (item as Node).range as [number, number, number];

      return [range[0], this.contentEnd(item, range[0])] as [number, number];
    });
    const pieces = change.items.map((it) => {
      if (it.from === undefined) {
        return this.flow(it.value);
      }
      const [start, end] = spans[it.from];

      return applyEdits(this.text, it.change ? this.changeEdits(node.items[it.from], it.change, 'flow') as Edit[] : [], start, end);
    });

    return this.flowItems(spans, pieces);
  }

  private flowMapEdits(node: YAMLMap, change: Extract<Change, { t: 'map' }>, slot: Slot): Edit[] | null {
    const pairs = node.items as Pair[];
    const removed = (i: number) => change.remove.includes(keyOf(pairs[i]) as string);
    const spans = pairs.map((pair) => {
      const start = (pair.key as Node | null)?.range?.[0];

      if (start === undefined || !pair.value) {
        throw new CannotSplice('a flow pair without a key or a value');
      }

      return [start, this.contentEnd(pair.value, start)] as [number, number];
    });
    const pieces: string[][] = pairs.map((pair, i) => (removed(i) ? [] : [this.text.slice(...spans[i])]));
    const front: string[] = [];

    for (const [key, c] of change.set) {
      const i = lastPair(pairs, key);

      if (i >= 0) {
        pieces[i][0] = applyEdits(this.text, this.changeEdits(pairs[i].value, c, 'flow') as Edit[], ...spans[i]);
        continue;
      }
      const anchor = anchorOf(pairs, (j) => !removed(j), change.after, key);

      (anchor < 0 ? front : pieces[anchor]).push(`${ this.scalar(key, undefined, true) }: ${ this.flow(change.after[key]) }`);
    }
    const all = [...front, ...pieces.flat()];

    if (!pairs.length || !all.length) {
      return this.replaceEdits(node, change.after, slot);
    }

    return this.flowItems(spans, all);
  }

  private blockMapEdits(node: YAMLMap, change: Extract<Change, { t: 'map' }>, slot: Slot): Edit[] | null {
    const pairs = node.items as Pair[];

    if (pairs.some((pair) => !(pair.key as Node | null)?.range)) {
      throw new CannotSplice('a pair without a key');
    }
    const keyStart = (i: number) => ((pairs[i].key as Node).range as [number, number, number])[0];
    const removed = (i: number) => change.remove.includes(keyOf(pairs[i]) as string);
    const kept = pairs.map((_, i) => i).filter((i) => !removed(i));
    const column = this.columnOf(keyStart(0));
    const edits: Edit[] = [];
    const added = change.set.filter(([key]) => lastPair(pairs, key) < 0);

    if (!kept.length) {
      if (added.length) {
        throw new CannotSplice('every key replaced');
      }

      return this.replaceEdits(node, change.after, slot);
    }
    for (const [key, c] of change.set) {
      const i = lastPair(pairs, key);

      if (i >= 0) {
        const e = this.changeEdits(pairs[i].value, c, { pair: pairs[i], column });

        if (!e) {
          throw new CannotSplice('a value that is not replaced');
        }
        edits.push(...e);
      }
    }
    // Removed pairs: their own lines (the comments above them stay); the first pair of a `- ` item up to the next kept key.
    for (let i = 0; i < pairs.length; i++) {
      if (!removed(i)) {
        continue;
      }
      if (this.startsLine(keyStart(i))) {
        edits.push({
          start: this.lineStart(this.lineOf(keyStart(i))), end: this.lineAfter(this.lineOf(this.pairEnd(pairs[i]) - 1)), text: ''
        });
        continue;
      }
      const next = kept.find((j) => j > i) as number;

      if (i !== 0 || next === undefined || !this.startsLine(keyStart(next)) || this.lineOf(this.pairEnd(pairs[next - 1]) - 1) + 1 !== this.lineOf(keyStart(next))) {
        throw new CannotSplice('a key that does not start its line');
      }
      edits.push({
        start: keyStart(0), end: keyStart(next), text: ''
      });
      i = next - 1;
    }
    // New pairs: after the last kept key that comes before them, or before the first kept key.
    for (const [key] of added) {
      const anchor = anchorOf(pairs, (j) => !removed(j), change.after, key);
      const lines = this.pairLines(key, change.after[key], column);

      if (anchor < 0) {
        edits.push({
          start: keyStart(kept[0]), end: keyStart(kept[0]), text: `${ lines.join(this.eol).slice(column) }${ this.eol }${ ' '.repeat(column) }`
        });
        continue;
      }
      const at = this.lineAfter(this.lineOf(this.pairEnd(pairs[anchor]) - 1));
      const broken = at === 0 || this.text[at - 1] === '\n';

      edits.push({
        start: at, end: at, text: broken ? `${ lines.join(this.eol) }${ this.eol }` : `${ this.eol }${ lines.join(this.eol) }`
      });
    }

    return edits;
  }

  /**
   * The edits of a block sequence whose items all stay in place (none new, moved, copied or removed) and whose
   * changed items are each edited within their own text, which still ends its line: the edits of those items
   * alone, the same text blockSeqEdits would rebuild, without going through the items that did not change (a form
   * edit of one rule among hundreds). Null when the list changes otherwise.
   */
  private inPlaceEdits(node: YAMLSeq, change: Extract<Change, { t: 'list' }>, start: (i: number) => number, end: (i: number) => number): Edit[] | null {
    if (change.items.length !== node.items.length || change.items.some((it, i) => it.from !== i || it.copy)) {
      return null;
    }
    const edits: Edit[] = [];

    for (let i = 0; i < change.items.length; i++) {
      const item = change.items[i] as { change?: Change };

      if (!item.change) {
        continue;
      }
      const own = this.changeEdits(node.items[i], item.change, 'item');

      if (!own) {
        return null;
      }
      const from = start(i);
      const to = end(i);
      const text = applyEdits(this.text, own, from, to);

      if (!text.endsWith('\n')) {
        return null;
      }
      edits.push({
        start: from, end: to, text
      });
    }

    return edits;
  }

  /**
   * A block sequence, rebuilt from the text of its items: an item's text runs from the line after the
   * previous item's content (so the comments above it move with it) to the end of its own content's line.
   */
  private blockSeqEdits(node: YAMLSeq, change: Extract<Change, { t: 'list' }>, slot: Slot): Edit[] | null {
    if (!change.items.length) {
      return this.replaceEdits(node, change.after, slot);
    }
    const dashes = this.dashes(node);
    const lastLines: number[] = [];
    const lastLine = (i: number) => {
      lastLines[i] ??= this.lineOf(this.contentEnd(node.items[i], dashes[i] + 1) - 1);

      return lastLines[i];
    };
    let first = this.lineOf(dashes[0]);

    while (first > 0 && this.isCommentOrBlank(first - 1)) {
      first--;
    }
    const itemStart = (i: number) => (i ? this.lineAfter(lastLine(i - 1)) : this.lineStart(first));
    const itemEnd = (i: number) => this.lineAfter(lastLine(i));
    const inPlace = this.inPlaceEdits(node, change, itemStart, itemEnd);

    if (inPlace) {
      return inPlace;
    }
    const starts = node.items.map((_, i) => itemStart(i));
    const ends = node.items.map((_, i) => itemEnd(i));
    const dash = this.columnOf(dashes[0]);
    const value = node.items[0] as Node | null;
    const content = value?.range && this.lineOf(value.range[0]) === this.lineOf(dashes[0]) ? this.columnOf(value.range[0]) : dash + 2;
    const fresh = (v: unknown) => this.itemLines(v, dash, content).join(this.eol) + this.eol;
    const pieces = change.items.map((it) => {
      if (it.from === undefined) {
        return fresh(it.value);
      }
      const edits = it.change ? this.changeEdits(node.items[it.from], it.change, 'item') : [];

      if (!edits) {
        return this.text.slice(starts[it.from], this.lineStart(this.lineOf(dashes[it.from]))) + fresh((it.change as Change).after);
      }

      return applyEdits(this.text, edits, it.copy ? this.lineStart(this.lineOf(dashes[it.from])) : starts[it.from], ends[it.from]);
    });
    const end = ends[ends.length - 1];
    let text = pieces.map((p) => (p.endsWith('\n') ? p : p + this.eol)).join('');

    if (this.text[end - 1] !== '\n') {
      text = text.slice(0, -this.eol.length);
    }

    return [{
      start: starts[0], end, text
    }];
  }
}

/** True when block sequences under a key are indented (policyToYaml's style, and the default). */
function indentsSequences(doc: Document, lines: LineCounter): boolean {
  let indent = true;

  visit(doc, {
    Pair(_, pair) {
      const seq = pair.value;
      const key = (pair.key as Node | null)?.range?.[0];
      const item = isSeq(seq) && !seq.flow ? (seq.srcToken as CST.BlockSequence | undefined)?.items[0]?.start.find((t) => t.type === 'seq-item-ind') : undefined;

      if (item && key !== undefined) {
        indent = lines.linePos(item.offset).col > lines.linePos(key).col;

        return visit.BREAK;
      }
    }
  });

  return indent;
}

/** One clean document without anchors, aliases or merge keys, with its line starts; undefined otherwise. */
function editableDocument(text: string): { doc: Document.Parsed, lines: LineCounter } | undefined {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines });

  if (!Array.isArray(docs) || docs.length !== 1 || docs[0].errors.length) {
    return undefined;
  }
  let plain = true;

  visit(docs[0], {
    Alias() {
      plain = false;

      return visit.BREAK;
    },
    Node(_, node) {
      if (node.anchor) {
        plain = false;

        return visit.BREAK;
      }
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        plain = false;

        return visit.BREAK;
      }
    },
  });

  return plain ? { doc: docs[0], lines } : undefined;
}

/** What a text was read as, for the texts read last: a text edited again (or prepared) is not read twice. */
interface Read {
  /** readPolicy's result */
  load?: LoadResult;
  /** editableDocument's result, null when the text is not one clean document (or too deep to parse) */
  editable?: { doc: Document.Parsed, lines: LineCounter } | null;
}

/** The reads of the last few texts, the oldest first (results are only read, never changed). */
const reads = new Map<string, Read>();

function readOf(text: string): Read {
  let read = reads.get(text);

  if (!read) {
    read = {};
    reads.set(text, read);
    if (reads.size > 3) {
      reads.delete(reads.keys().next().value as string);
    }
  }

  return read;
}

/**
 * readPolicy(text) as form edits read it: remembered for the last few texts, so the text an edit writes is read
 * once by the edit's own check, the draft (useAuditDraft) and the next edit. The result must not be changed.
 */
export function readForEdit(text: string): LoadResult {
  const read = readOf(text);

  read.load = read.load || readPolicy(text);

  return read.load;
}

/** editableDocument(text), parsed once per text (a RangeError of the parser counts as not editable). */
function editableRead(text: string): { doc: Document.Parsed, lines: LineCounter } | null {
  const read = readOf(text);

  if (read.editable === undefined) {
    try {
      read.editable = editableDocument(text) || null;
    } catch (e) {
      if (!(e instanceof RangeError)) {
        throw e;
      }
      read.editable = null;
    }
  }

  return read.editable;
}

/**
 * Reads `text` the way the next editPolicyText of it will, ahead of time (the draft calls this when the page is
 * idle after an edit): that edit then does not parse, normalize or compare it again. Results never change, only
 * when the work is done.
 */
export function prepareEdit(text: string): void {
  const policy = readForEdit(text).policy;

  if (policy) {
    editableRead(text);
    // the draft's policy after typed YAML is this read: its rules are then normalized and compared from memory
    normalizeOf(policy).rules.forEach(canon);
  }
}

/** A new node for the Document, lists of names in flow style as policyToYaml writes them. */
function newNode(doc: Document, value: unknown): Node {
  const node = doc.createNode(value, { aliasDuplicateObjects: false }) as Node;

  visit(node, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) {
        seq.flow = true;
      }
    }
  });

  return node;
}

/** Applies a change to a node of the Document (parsed with the YAML 1.1 schema, so strings are quoted as needed). */
function rewriteNode(doc: Document, node: unknown, change: Change): unknown {
  if (change.t === 'map' && isMap(node)) {
    node.items = node.items.filter((pair) => !change.remove.includes(keyOf(pair as Pair) as string));
    for (const [key, c] of change.set) {
      const pairs = node.items as Pair[];
      const i = lastPair(pairs, key);

      if (i >= 0) {
        pairs[i].value = rewriteNode(doc, pairs[i].value, c);
      } else {
        pairs.splice(anchorOf(pairs, () => true, change.after, key) + 1, 0, doc.createPair(key, newNode(doc, c.after)));
      }
    }

    return node;
  }
  if (change.t === 'list' && isSeq(node) && node.items.length === change.beforeLength) {
    const old = node.items as Node[];
    const used = new Set<number>();

    node.items = change.items.map((it) => {
      if (it.from === undefined) {
        return newNode(doc, it.value);
      }
      const item = used.has(it.from) ? old[it.from].clone() : old[it.from];

      used.add(it.from);

      return it.change ? rewriteNode(doc, item, it.change) : item;
    });

    return node;
  }
  if (isScalar(node) && isLeaf(change.after)) {
    node.value = change.after;
    if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) {
      node.type = Scalar.PLAIN;
    }

    return node;
  }
  const fresh = newNode(doc, change.after);
  const was = node as Node | null;

  fresh.comment = was?.comment;
  fresh.commentBefore = was?.commentBefore;

  return fresh;
}

/** The Document edited and printed again: comments kept, untouched lines possibly laid out anew. */
function rewriteText(text: string, change: Change, seqIndent: boolean): string | undefined {
  const doc = parseDocument(text, {
    version: '1.1', merge: false, uniqueKeys: false, prettyErrors: false, strict: true
  });

  if (doc.errors.length) {
    return undefined;
  }
  doc.contents = rewriteNode(doc, doc.contents, change) as typeof doc.contents;

  return doc.toString({
    indentSeq: seqIndent, lineWidth: 0, flowCollectionPadding: false
  });
}

/** The last text editPolicyText wrote and checked, with the policy it reads back as (the `after` it was given). */
let written: { text: string, policy: Policy } | null = null;

/**
 * `text` with only the difference between `before` (the policy the text decodes to, as readPolicy gives it) and
 * `after` (the form's new policy) applied: comments, key order, quoting, layout and dropped fields elsewhere stay.
 * The result always reads back as `after`; when the text cannot be edited that way it is written anew
 * (policyToYaml).
 */
export function editPolicyText(text: string, before: Policy, after: Policy): string {
  const base = normalizeOf(before);
  const wanted = normalizeOf(after);
  const readsAs = (out: string, policy: Policy) => {
    const read = readForEdit(out).policy;

    return !!read && same(normalizeOf(read), policy);
  };
  const readsAsWanted = (out: string) => readsAs(out, wanted);
  const change = changeOf(base, wanted);

  if (!change) {
    return readsAsWanted(text) ? text : policyToYaml(after);
  }
  // The text this function wrote last was read back as the policy it was written for: no need to read it again.
  if (!(written?.text === text && written.policy === before) && !readsAs(text, base)) {
    // The text is not what the form shows (it does not decode, say): there is nothing to keep.
    return policyToYaml(after);
  }
  const attempt = (write: () => string | undefined) => {
    try {
      const out = write();

      if (out !== undefined && readsAsWanted(out)) {
        written = { text: out, policy: after };

        return out;
      }

      return undefined;
    } catch (e) {
      if (e instanceof CannotSplice || e instanceof RangeError) {
        return undefined;
      }
      throw e;
    }
  };

  if (text.trim() && text.split('\n').every((line) => /^\s*(?:#.*)?$/.test(line))) {
    // Comments and no document: the policy goes after them.
    return attempt(() => `${ text }${ text.endsWith('\n') ? '' : '\n' }${ policyToYaml(after) }`) ?? policyToYaml(after);
  }
  const parsed = editableRead(text);

  if (!parsed) {
    return policyToYaml(after);
  }
  const seqIndent = indentsSequences(parsed.doc, parsed.lines);

  return attempt(() => new Splicer(text, parsed.lines, isJsonText(text), seqIndent).splice(parsed.doc.contents as Node | null, change)) ??
    attempt(() => rewriteText(text, change, seqIndent)) ??
    policyToYaml(after);
}
