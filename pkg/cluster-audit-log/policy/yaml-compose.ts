/**
 * YAML text -> the node tree of its first document, as go-yaml v2's parser builds it before decoding
 * (gopkg.in/yaml.v2 decode.go parser: only the first document is parsed; yaml.go Unmarshal reads no
 * further), with the `yaml` package's Parser (iterative) and Composer (recursive).
 *
 * Depth: go-yaml's scanner refuses more than 10,000 nested flow collections or block indentation
 * levels (scannerc.go max_flow_level, max_indents: "exceeded max depth of 10000"); anything up to that
 * loads. The Composer recurses once per level and would overflow the stack long before, so a deep
 * document is composed in pieces: every collection `SLICE_DEPTH` levels down is cut out of its parent
 * (a placeholder scalar takes its place) and composed on its own; `pieces` maps each placeholder to the
 * composed subtree.
 */
import {
  Composer, CST, Document, Lexer, LineCounter, Node, Parser, Scalar
} from 'yaml';

/** scannerc.go max_flow_level and max_indents. */
export const GO_YAML_MAX_DEPTH = 10000;

/** Levels the Composer may recurse through at once (it overflows the stack near 1,000). */
const SLICE_DEPTH = 120;

/** The first document's node tree, as far as go-yaml parses it, or the error that stops it. */
export interface ComposedYaml {
  /** The first document's root node; null when it is empty (or there is none). */
  root: Node | null;
  /** Placeholder scalar -> the subtree composed apart. */
  pieces: Map<Node, Node>;
  /** The first syntax error of the first document (or go-yaml's depth limit), by offset. */
  error?: { message: string, offset: number };
  /** True when a second document follows (kube-apiserver never reads it). */
  moreDocuments: boolean;
  /** Deepest nesting of collections in the first document. */
  depth: number;
  lines: LineCounter;
}

const COMPOSE_OPTIONS = {
  version: '1.1', schema: 'failsafe', merge: false, uniqueKeys: false, keepSourceTokens: true, prettyErrors: false, strict: true
} as const;

type Slot = { holder: Record<string, unknown>, field: string };

interface Walked {
  token: CST.Token;
  depth: number;
  flow: number;
  indents: number;
  slot?: Slot;
}

/** The children of a collection token, with the slot each lives in. */
function children(token: CST.Token): { child: CST.Token, slot: Slot, mapIndent?: number }[] {
  const out: { child: CST.Token, slot: Slot, mapIndent?: number }[] = [];

  if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
    for (const item of token.items as CST.CollectionItem[]) {
      const holder = item as unknown as Record<string, unknown>;

      if (item.key) {
        out.push({ child: item.key, slot: { holder, field: 'key' } });
      }
      if (item.value) {
        out.push({
          child: item.value, slot: { holder, field: 'value' }, mapIndent: token.type === 'block-map' ? token.indent : undefined
        });
      }
    }
  }

  return out;
}

const isCollection = (t: CST.Token) => t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection';

/** Where a token's source ends (iteratively; a placeholder counts as its own length). */
function tokenEnd(token: CST.Token): number {
  let end = token.offset;
  const stack: unknown[] = [token];

  while (stack.length) {
    const t = stack.pop() as Record<string, unknown> | undefined;

    if (!t || typeof t !== 'object') {
      continue;
    }
    if (typeof t.source === 'string' && typeof t.offset === 'number') {
      end = Math.max(end, t.offset + t.source.length);
    }
    for (const field of ['start', 'key', 'sep', 'value', 'end', 'props']) {
      const v = t[field];

      if (Array.isArray(v)) {
        for (const x of v) {
          stack.push(x);
        }
      } else if (v && typeof v === 'object') {
        stack.push(v);
      }
    }
    if (Array.isArray(t.items)) {
      for (const item of t.items) {
        stack.push(item);
      }
    }
  }

  return end;
}

/**
 * A one-character plain scalar standing in for a collection cut out of its parent. It sits on the
 * collection's last character, so that the parent's ranges (and its checks on them, such as the 1,024
 * characters of an implicit key) stay as they were, and it is followed by what followed the collection
 * (the rest of a flow collection's end; a block collection's final line break).
 */
function placeholder(token: CST.BlockMap | CST.BlockSequence | CST.FlowCollection, text: string): CST.FlowScalar {
  let end: CST.SourceToken[] = [];
  let contentEnd: number;

  if (token.type === 'flow-collection') {
    const [close, ...rest] = token.end;
    const closed = close && (close.source === ']' || close.source === '}');

    end = closed ? rest : token.end;
    contentEnd = closed ? close.offset + 1 : tokenEnd({ ...token, end: [] });
  } else {
    contentEnd = tokenEnd(token);
    if (text[contentEnd - 1] === '\n') {
      contentEnd--;
      end = [{
        type: 'newline', offset: contentEnd, indent: 0, source: '\n'
      }];
    }
  }

  return {
    type: 'scalar', offset: Math.max(token.offset, contentEnd - 1), indent: token.indent, source: '~', end
  };
}

/** Lexer tokens that are not content: before any of these, a `---` starts the first document. */
const NOT_CONTENT = new Set(['space', 'newline', 'comment', 'directive-line', 'doc-mode', 'byte-order-mark', 'flow-error-end', 'scalar']);

/**
 * YAML 1.1 line breaks as `\n`: go-yaml's scanner breaks lines at NEL, LS and PS too (scannerc.go is_break),
 * the `yaml` package only at `\n` and `\r`. NEL reads as `\n` everywhere (read_line); LS and PS stay
 * themselves inside quoted scalars, so those are left alone there. Same length: offsets do not move.
 */
function yaml11Breaks(text: string): string {
  if (!/[\u0085\u2028\u2029]/.test(text)) {
    return text;
  }
  const nel = text.replace(/\u0085/g, '\n');

  if (!/[\u2028\u2029]/.test(nel)) {
    return nel;
  }
  const out: string[] = [];
  let offset = 0;

  for (const source of new Lexer().lex(nel)) {
    const type = CST.tokenType(source);

    if (type === 'doc-mode' || type === 'flow-error-end' || source === CST.SCALAR) {
      continue;
    }
    out.push(type === 'single-quoted-scalar' || type === 'double-quoted-scalar' ? source : source.replace(/[\u2028\u2029]/g, '\n'));
    offset += source.length;
  }

  return offset === nel.length ? out.join('') : nel;
}

/** Whether a piece of a quoted scalar, as the Lexer cuts one across lines, ends the scalar. */
function closesQuote(piece: string, quote: string, opening: boolean): boolean {
  const body = opening ? piece.slice(1) : piece;

  if (!body.endsWith(quote)) {
    return false;
  }
  // `\"` escapes a double quote; `''` is a single quote inside single quotes
  const run = quote === '"' ? /\\*"$/.exec(body)?.[0].length ?? 0 : /'*$/.exec(body)?.[0].length ?? 0;

  return quote === '"' ? run % 2 === 1 : run % 2 === 1;
}

/**
 * What go-yaml's scanner and parser do with tabs and a leading `...` where the `yaml` package differs,
 * found by lexing (only when the text has such a tab or `...`):
 * - a tab starting a line in block context is refused (scannerc.go: tabs may not indent a line; "found a
 *   tab character that violates indentation"), even on an otherwise blank line; in a flow collection it
 *   is mere space, so it is read as one (same length: offsets stay);
 * - `...` before the first document's content is refused (parserc.go yaml_parser_parse_document_start does
 *   not skip it for the first, implicit document: "did not find expected node content").
 * Messages print the line as go-yaml does: 1-based for the scanner's, 0-based for the parser's.
 */
function goYamlTabs(text: string, lines: (offset: number) => number): { text: string, refusal?: { message: string, offset: number } } {
  const docEnd = /^(?:[ \t]*(?:#[^\n]*)?\n)*\.\.\.(?:[ \t\r\n]|$)/.exec(text);

  if (docEnd) {
    const offset = docEnd[0].lastIndexOf('...');
    const line = lines(offset) - 1;

    return { text, refusal: { message: `${ line > 0 ? `line ${ line }: ` : '' }did not find expected node content`, offset } };
  }
  if (!/(?:^|\n)[ ]*\t/.test(text)) {
    return { text };
  }
  const out: string[] = [];
  let offset = 0;
  let level = 0;
  let lineStart = true;
  let quote = '';

  for (const source of new Lexer().lex(text)) {
    const type = CST.tokenType(source);

    if (type === 'doc-mode' || type === 'flow-error-end' || source === CST.SCALAR) {
      continue;
    }
    let piece = source;

    if (quote) {
      // a continuation line's leading white space is folded away: a tab there is a space
      piece = type === 'space' && lineStart ? source.replace(/\t/g, ' ') : source;
      quote = type !== 'newline' && type !== 'space' && closesQuote(source, quote, false) ? '' : quote;
    } else if (type === 'double-quoted-scalar' || type === 'single-quoted-scalar') {
      quote = closesQuote(source, source[0], true) ? '' : source[0];
    } else if (type === 'flow-seq-start' || type === 'flow-map-start') {
      level++;
    } else if (type === 'flow-seq-end' || type === 'flow-map-end') {
      level = Math.max(0, level - 1);
    } else if (type === 'space' && lineStart && source.includes('\t')) {
      if (level === 0) {
        return { text, refusal: { message: `line ${ lines(offset + source.indexOf('\t')) }: found a tab character that violates indentation`, offset: offset + source.indexOf('\t') } };
      }
      piece = source.replace(/\t/g, ' ');
    }
    out.push(piece);
    lineStart = type === 'newline';
    offset += source.length;
  }

  return { text: offset === text.length ? out.join('') : text };
}

/** A `---` or `...` at the start of a line: the text may hold more than one document. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:[ \t\r\n]|$)/m;

/** More `- ` sequence indicators in a row than go-yaml nests (a cheap look before lexing to be sure). */
const SEQUENCE_RUN = new RegExp(`(?:- +){${ GO_YAML_MAX_DEPTH + 1 }}`);

/** Whether the text has more characters that open flow collections, or a longer run of `- `, than go-yaml nests. */
function mayBeTooDeep(text: string): boolean {
  if (SEQUENCE_RUN.test(text)) {
    return true;
  }
  let openers = 0;

  for (let i = text.indexOf('['); i !== -1 && openers <= GO_YAML_MAX_DEPTH; i = text.indexOf('[', i + 1)) {
    openers++;
  }
  for (let i = text.indexOf('{'); i !== -1 && openers <= GO_YAML_MAX_DEPTH; i = text.indexOf('{', i + 1)) {
    openers++;
  }

  return openers > GO_YAML_MAX_DEPTH;
}

/**
 * What go-yaml's scanner sees of the first document, found by lexing alone: where it ends (the `---` or
 * after the `...` that ends it; go-yaml reads nothing further), and the offset of the first flow
 * collection nested deeper than its limit (so a 4 MiB run of `[` is refused at the 10,001st), or of a
 * `- ` indicator that makes a run on one line longer than the limit: each one in such a run starts a block
 * sequence at a greater column, so the scanner's indent stack (scannerc.go yaml_parser_roll_indent) is
 * deeper than the limit by then; refused before the parser builds millions of nested collections.
 */
function scanFirstDocument(text: string): { end: number, tooDeep?: number } {
  if (!DOCUMENT_MARKER.test(text) && !mayBeTooDeep(text)) {
    return { end: text.length };
  }
  let offset = 0;
  let level = 0;
  let run = 0;
  let content = false;
  let started = false;

  for (const source of new Lexer().lex(text)) {
    const type = CST.tokenType(source);

    if (type === 'seq-item-ind') {
      run++;
      if (run > GO_YAML_MAX_DEPTH) {
        return { end: text.length, tooDeep: offset };
      }
    } else if (type !== 'space') {
      run = 0;
    }

    if (type === 'doc-start' || type === 'doc-end') {
      if (content || started) {
        return { end: type === 'doc-end' ? offset + source.length : offset };
      }
      started = type === 'doc-start';
    } else if (type === 'flow-seq-start' || type === 'flow-map-start') {
      level++;
      if (level > GO_YAML_MAX_DEPTH) {
        return { end: text.length, tooDeep: offset };
      }
    } else if (type === 'flow-seq-end' || type === 'flow-map-end') {
      level = Math.max(0, level - 1);
    }
    if (type !== 'doc-mode' && type !== 'flow-error-end' && source !== CST.SCALAR) {
      offset += source.length;
    }
    // a plain scalar's text has no token type; the zero-width markers are in NOT_CONTENT
    content = content || type === null || !NOT_CONTENT.has(type);
  }

  return { end: text.length };
}

/**
 * libyaml's refusal of a `:` with no key before it (an empty implicit key) in a block mapping
 * (parserc.go yaml_parser_parse_block_mapping_key: "did not find expected key") or a flow sequence
 * ("did not find expected node content"); a flow mapping and an explicit `?` key take it.
 */
function missingKey(token: CST.Token): { message: string, offset: number } | undefined {
  if (token.type !== 'block-map' && !(token.type === 'flow-collection' && token.start.source === '[')) {
    return undefined;
  }
  for (const item of token.items as CST.CollectionItem[]) {
    const colon = item.sep?.find((t) => t.type === 'map-value-ind');

    if (!item.key && colon && !item.start.some((t) => t.type === 'explicit-key-ind')) {
      return { message: token.type === 'block-map' ? 'did not find expected key' : 'did not find expected node content', offset: colon.offset };
    }
  }

  return undefined;
}

/**
 * A Parser whose `step` never recurses. The `yaml` package's Parser (parse/parser.js) ends a collection by
 * popping it and stepping again (`yield* this.pop(); yield* this.step()`), always as its last act, so a
 * token that closes n collections at once (a line after `- - - ... - a`) nests n calls and overflows the
 * stack near 3,000. Every such call is a tail call, so the outermost step may run them in a loop instead.
 */
function flatParser(onNewLine: (offset: number) => void): Parser {
  const parser = new Parser(onNewLine);
  const self = parser as unknown as { step: () => Generator<CST.Token, void> };
  const step = self.step.bind(parser);
  let active = false;
  let again = false;

  self.step = function* flatStep(): Generator<CST.Token, void> {
    if (active) {
      again = true;

      return;
    }
    active = true;
    try {
      do {
        again = false;
        yield * step();
      } while (again);
    } finally {
      active = false;
    }
  };

  return parser;
}

function composeOne(tokens: CST.Token[], endOffset: number, lines: LineCounter, errors: { message: string, offset: number }[]): Document.Parsed | undefined {
  const composer = new Composer(COMPOSE_OPTIONS);
  let first: Document.Parsed | undefined;

  for (const d of composer.compose(tokens, true, endOffset)) {
    first = first ?? d;
    for (const e of d.errors) {
      const offset = e.pos[0];
      const { line, col } = lines.linePos(offset);

      errors.push({ message: `line ${ line }, column ${ col }: ${ e.message.split('\n')[0] }`, offset });
    }
  }

  return first;
}

/** The CST of the first document of `text` (the tokens up to it, and it). */
function parseFirst(text: string): { lines: LineCounter, tokens: CST.Token[], doc?: CST.Document } {
  const lines = new LineCounter();
  const parser = flatParser(lines.addNewLine);
  const tokens: CST.Token[] = [];
  let doc: CST.Document | undefined;

  for (const token of parser.parse(text)) {
    if (token.type === 'document') {
      if (doc) {
        break;
      }
      doc = token;
    }
    tokens.push(token);
  }

  return {
    lines, tokens, doc
  };
}

const TRIVIA = new Set(['space', 'newline', 'comment', 'doc-end', 'byte-order-mark']);

/**
 * Where go-yaml stops reading when something follows the root node: its parser ends the document as soon
 * as the root node is complete (parserc.go yaml_parser_parse_document_end takes any next token as an
 * implicit end), so text after a closed flow collection, or after a dedent below an indented block root,
 * is never parsed. Undefined when nothing follows.
 */
function endOfRoot(doc: CST.Document, tokens: CST.Token[]): number | undefined {
  const root = doc.value;

  if (!root || !(root.type === 'flow-collection' ? ['}', ']'].includes(root.end[0]?.source) : (root.type === 'block-map' || root.type === 'block-seq') && root.indent > 0)) {
    return undefined;
  }
  const end = root.type === 'flow-collection' ? root.end[0].offset + 1 : tokenEnd(root);
  const after = root.type === 'flow-collection' ? root.end.slice(1) : [];
  const follows = [...after, ...(doc.end ?? [])].some((t) => !TRIVIA.has(t.type)) || tokens.some((t) => t.type === 'error' && t.offset >= end);

  return follows ? end : undefined;
}

/**
 * go-yaml still scans the one token after the root node (to see that the document ends there): an
 * unterminated quoted scalar or a tab starting its line fails then (scannerc.go "found unexpected end of
 * stream", "found character that cannot start any token").
 */
function nextTokenProblem(text: string, from: number, lines: (offset: number) => number): { message: string, offset: number } | undefined {
  const skipped = /^(?:[ \r\n]|#[^\n]*)*/.exec(text.slice(from)) as RegExpExecArray;
  const at = from + skipped[0].length;
  const c = text[at];

  if (c === '\t' && (at === 0 || text[at - 1] === '\n')) {
    return { message: `line ${ lines(at) }: found character that cannot start any token`, offset: at };
  }
  if (c !== '"' && c !== "'") {
    return undefined;
  }
  const closing = c === '"' ? /^"(?:[^"\\]|\\[\s\S])*"/ : /^'(?:[^']|'')*'/;

  return closing.test(text.slice(at)) ? undefined : { message: `line ${ lines(text.length) }: found unexpected end of stream`, offset: at };
}

/** go-yaml's message for the depth limit, with the line as parser.fail prints it (none on line 1). */
function depthError(offset: number, lines: LineCounter): { message: string, offset: number } {
  const { line } = lines.linePos(offset);

  return { message: `${ line > 1 ? `line ${ line }: ` : '' }exceeded max depth of ${ GO_YAML_MAX_DEPTH }`, offset };
}

/** Composes the first document of `text` (see the file comment). `sliceDepth` is for tests. */
export function composeFirstDocument(original: string, sliceDepth = SLICE_DEPTH): ComposedYaml {
  const whole = yaml11Breaks(original);
  const { end, tooDeep } = scanFirstDocument(whole);
  const lineOf = (offset: number) => whole.slice(0, offset).split('\n').length;
  const tabs = tooDeep === undefined ? goYamlTabs(whole.slice(0, end), lineOf) : { text: whole.slice(0, end) };
  const text = tabs.text;
  const refusal = tabs.refusal;

  if (tooDeep !== undefined || refusal) {
    const lines = new LineCounter();

    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      lines.addNewLine(i + 1);
    }

    return {
      root: null, pieces: new Map(), moreDocuments: false, depth: tooDeep === undefined ? 0 : GO_YAML_MAX_DEPTH + 1, lines, error: refusal ?? depthError(tooDeep as number, lines)
    };
  }
  let { lines, tokens, doc } = parseFirst(text);
  const rootEnd = doc && endOfRoot(doc, tokens);

  if (rootEnd !== undefined) {
    const next = nextTokenProblem(text, rootEnd, lineOf);

    if (next) {
      return {
        root: null, pieces: new Map(), moreDocuments: false, depth: 0, lines, error: next
      };
    }
    ({ lines, tokens, doc } = parseFirst(text.slice(0, rootEnd)));
  }
  const out: ComposedYaml = {
    root: null, pieces: new Map(), moreDocuments: /\S/.test(whole.slice(end).replace(/^(?:---|\.\.\.)/, '').replace(/#.*$/gm, '')), depth: 0, lines
  };
  const errors: { message: string, offset: number }[] = [];

  if (!doc) {
    composeOne(tokens, text.length, lines, errors);
    out.error = errors[0];

    return out;
  }
  // Measure depth (iteratively) and choose where to cut.
  const cuts: Walked[] = [];
  const stack: Walked[] = doc.value ? [{
    token: doc.value, depth: isCollection(doc.value) ? 1 : 0, flow: doc.value.type === 'flow-collection' ? 1 : 0, indents: doc.value.type === 'block-map' || doc.value.type === 'block-seq' ? 1 : 0
  }] : [];
  let limit: { message: string, offset: number } | undefined;

  while (stack.length) {
    const w = stack.pop() as Walked;

    out.depth = Math.max(out.depth, w.depth);
    if (!limit && (w.flow > GO_YAML_MAX_DEPTH || w.indents > GO_YAML_MAX_DEPTH)) {
      limit = depthError(w.token.offset, lines);
    }
    if (w.slot && w.depth % sliceDepth === 0) {
      cuts.push(w);
    }
    const keyless = missingKey(w.token);

    if (keyless) {
      const { line, col } = lines.linePos(keyless.offset);

      errors.push({ message: `line ${ line }, column ${ col }: ${ keyless.message }`, offset: keyless.offset });
    }
    for (const { child, slot, mapIndent } of children(w.token)) {
      if (!isCollection(child)) {
        continue;
      }
      const indentless = child.type === 'block-seq' && mapIndent !== undefined && (child as CST.BlockSequence).indent === mapIndent;

      stack.push({
        token:   child,
        depth:   w.depth + 1,
        flow:    w.flow + (child.type === 'flow-collection' ? 1 : 0),
        indents: w.indents + (child.type !== 'flow-collection' && !indentless ? 1 : 0),
        slot
      });
    }
  }
  if (limit) {
    // go-yaml's scanner stops there; nothing after it matters
    out.error = limit;

    return out;
  }
  // Cut the deepest first, so that every piece is at most sliceDepth deep.
  cuts.sort((a, b) => b.depth - a.depth);
  const pieceTokens: [CST.FlowScalar, CST.Token][] = [];

  for (const cut of cuts) {
    const stand = placeholder(cut.token as CST.FlowCollection, text);

    (cut.slot as Slot).holder[(cut.slot as Slot).field] = stand;
    pieceTokens.push([stand, cut.token]);
  }
  const main = composeOne(tokens, text.length, lines, errors);

  out.root = main ? main.contents as Node | null : null;
  // Placeholders are found back by their source token (keepSourceTokens).
  const byToken = new Map<CST.Token, Node>();

  for (const [stand, token] of pieceTokens) {
    const piece = composeOne([{
      type: 'document', offset: token.offset, start: [], value: token
    }], text.length, lines, errors);

    byToken.set(stand, piece?.contents as Node);
  }
  if (byToken.size) {
    collectPlaceholders(out.root, out.pieces, byToken);
  }
  errors.sort((a, b) => a.offset - b.offset);
  out.error = errors[0];

  return out;
}

/** Finds the placeholder scalars in the composed trees (iteratively) and maps them to their pieces. */
function collectPlaceholders(root: Node | null | undefined, pieces: Map<Node, Node>, byToken: Map<CST.Token, Node>): void {
  const stack: unknown[] = [root];

  for (const piece of byToken.values()) {
    stack.push(piece);
  }

  while (stack.length) {
    const n = stack.pop() as { items?: unknown[], key?: unknown, value?: unknown, srcToken?: CST.Token } | null | undefined;

    if (!n || typeof n !== 'object') {
      continue;
    }
    if (n instanceof Scalar) {
      const piece = n.srcToken && byToken.get(n.srcToken);

      if (piece) {
        pieces.set(n, piece);
      }
      continue;
    }
    if (Array.isArray(n.items)) {
      for (const item of n.items) {
        stack.push(item);
      }
    } else if ('key' in n) {
      stack.push(n.key, n.value);
    }
  }
}
