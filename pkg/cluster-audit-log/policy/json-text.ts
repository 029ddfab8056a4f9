/**
 * JSON text as Go's encoding/json reads it, for a policy that kube-apiserver's recognizer sends to the JSON
 * serializer (its first non-space character is `{`): the grammar and the syntax error messages of
 * encoding/json scanner.go (including "exceeded max depth" beyond 10,000 levels), `\u` escapes whose
 * surrogates do not pair read as U+FFFD (decode.go unquote), and every duplicate key recorded (sigs.k8s.io/json
 * reports them as strict errors). Iterative, so depth never overflows the stack.
 */
import { goQuoteChar } from './go-format';
import { setOwn } from './own';

/** encoding/json scanner.go maxNestingDepth. */
export const MAX_JSON_DEPTH = 10000;

/** A JSON key set twice in one object. */
export interface JsonDuplicate {
  path: string;
  key: string;
  offset: number;
}

/** What encoding/json makes of JSON text: the value with its positions and duplicate keys, or the syntax error. */
export interface JsonText {
  value: unknown;
  /** Offsets of map keys and list items by field path, down to `positionDepth` levels. */
  offsets: Map<string, number>;
  duplicates: JsonDuplicate[];
  /** Number literals that are not plain integers (`1.0`, `1e3`: no int64 takes them), by path. */
  literals: Map<string, string>;
  /** encoding/json's syntax error, with the offset of the character it names. */
  error?: { message: string, offset: number };
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

class JsonSyntaxError extends Error {
  constructor(message: string, public offset: number) {
    super(message);
  }
}

type Frame =
  | { kind: 'array', value: unknown[], path: string | undefined, depth: number }
  | { kind: 'object', value: Record<string, unknown>, path: string | undefined, depth: number, key: string | undefined, seen: Set<string> };

/**
 * Reads JSON text as encoding/json does. Paths (`rules[0].level`) are built down to `positionDepth`
 * levels; duplicates deeper than that are reported with the path of their nearest recorded ancestor.
 */
export function readJsonText(text: string, positionDepth = 32): JsonText {
  const out: JsonText = {
    value: undefined, offsets: new Map(), duplicates: [], literals: new Map()
  };
  let i = 0;
  const fail = (context: string, at = i): never => {
    if (at >= text.length) {
      throw new JsonSyntaxError('unexpected end of JSON input', text.length);
    }

    throw new JsonSyntaxError(`invalid character ${ goQuoteChar(String.fromCodePoint(text.codePointAt(at) ?? 0)) } ${ context }`, at);
  };
  const skipSpace = () => {
    while (i < text.length && isSpace(text[i])) {
      i++;
    }
  };

  const readString = (): string => {
    const start = ++i;
    let escaped = false;

    for (;;) {
      if (i >= text.length) {
        fail('in string literal');
      }
      const c = text[i];

      if (c === '"') {
        break;
      }
      if (c < ' ') {
        fail('in string literal');
      }
      if (c !== '\\') {
        i++;
        continue;
      }
      escaped = true;
      const esc = text[i + 1];

      i += 2;
      if (esc === 'u') {
        for (let k = 0; k < 4; k++) {
          if (!isHex(text[i + k] ?? '')) {
            fail('in \\u hexadecimal character escape', i + k);
          }
        }
        i += 4;
      } else if (!'"\\/bfnrt'.includes(esc ?? 'x') || esc === undefined) {
        fail('in string escape code', i - 1);
      }
    }
    const raw = text.slice(start, i++);

    return escaped ? unquote(raw) : raw;
  };

  const readScalar = (): unknown => {
    const c = text[i];

    if (c === '"') {
      return readString();
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as [string, unknown][]) {
      if (c === word[0]) {
        for (let k = 1; k < word.length; k++) {
          if (text[i + k] !== word[k]) {
            fail(`in literal ${ word } (expecting '${ word[k] }')`, i + k);
          }
        }
        i += word.length;

        return value;
      }
    }
    if (c === '-' || isDigit(c)) {
      const start = i;

      if (c === '-') {
        i++;
        if (!isDigit(text[i] ?? '')) {
          fail('in numeric literal');
        }
      }
      if (text[i] === '0') {
        i++;
      } else {
        while (isDigit(text[i] ?? '')) {
          i++;
        }
      }
      if (text[i] === '.') {
        i++;
        if (!isDigit(text[i] ?? '')) {
          fail('after decimal point in numeric literal');
        }
        while (isDigit(text[i] ?? '')) {
          i++;
        }
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') {
          i++;
        }
        if (!isDigit(text[i] ?? '')) {
          fail('in exponent of numeric literal');
        }
        while (isDigit(text[i] ?? '')) {
          i++;
        }
      }

      return Number(text.slice(start, i));
    }

    return fail('looking for beginning of value');
  };

  const stack: Frame[] = [];
  const childPath = (frame: Frame | undefined, seg: string | number): string | undefined => {
    if (!frame) {
      return '';
    }
    if (frame.path === undefined || frame.depth >= positionDepth) {
      return undefined;
    }

    return typeof seg === 'number' ? `${ frame.path }[${ seg }]` : (frame.path ? `${ frame.path }.${ seg }` : seg);
  };
  const nearestPath = () => {
    for (let k = stack.length - 1; k >= 0; k--) {
      if (stack[k].path !== undefined) {
        return stack[k].path as string;
      }
    }

    return '';
  };
  // Stores a finished value into the frame on top, or as the result.
  const deliver = (value: unknown) => {
    const top = stack[stack.length - 1];

    if (!top) {
      out.value = value;
    } else if (top.kind === 'array') {
      top.value.push(value);
    } else {
      setOwn(top.value, top.key as string, value);
      top.key = undefined;
    }
  };

  try {
    skipSpace();
    // state: 'value' expects a value; 'after' a separator or a closing bracket
    let state: 'value' | 'after' = 'value';

    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];

      if (state === 'after') {
        if (!top) {
          if (i < text.length) {
            fail('after top-level value');
          }
          break;
        }
        const c = text[i];

        if (top.kind === 'array') {
          if (c === ',') {
            i++;
            state = 'value';
            continue;
          }
          if (c !== ']') {
            fail('after array element');
          }
        } else if (c === ',') {
          i++;
          skipSpace();
          if (text[i] !== '"') {
            fail('looking for beginning of object key string');
          }
          state = 'value';
          continue;
        } else if (c !== '}') {
          fail('after object key:value pair');
        }
        i++;
        stack.pop();
        deliver(top.value);
        continue;
      }
      // a value is expected; in an object, first its key
      if (top?.kind === 'object' && top.key === undefined) {
        const keyOffset = i;
        const key = readString();

        skipSpace();
        if (text[i] !== ':') {
          fail('after object key');
        }
        i++;
        if (top.seen.has(key)) {
          out.duplicates.push({
            path: childPath(top, key) ?? nearestPath(), key, offset: keyOffset
          });
        }
        top.seen.add(key);
        const p = childPath(top, key);

        if (p !== undefined) {
          out.offsets.set(p, keyOffset);
        }
        top.key = key;
        continue;
      }
      const c = text[i];

      if (top?.kind === 'array') {
        const p = childPath(top, top.value.length);

        if (p !== undefined && i < text.length) {
          out.offsets.set(p, i);
        }
      }
      if (c === '[' || c === '{') {
        if (stack.length >= MAX_JSON_DEPTH) {
          fail('exceeded max depth');
        }
        const seg = top ? (top.kind === 'array' ? top.value.length : top.key as string) : '';
        const path = childPath(top, seg);

        i++;
        skipSpace();
        if (c === '[') {
          stack.push({
            kind: 'array', value: [], path, depth: stack.length
          });
          if (text[i] === ']') {
            i++;
            deliver((stack.pop() as Frame).value);
            state = 'after';
          }
        } else {
          stack.push({
            kind: 'object', value: {}, path, depth: stack.length, key: undefined, seen: new Set()
          });
          if (text[i] === '}') {
            i++;
            deliver((stack.pop() as Frame).value);
            state = 'after';
          } else if (text[i] !== '"') {
            fail('looking for beginning of object key string');
          }
        }
        continue;
      }
      const start = i;
      const scalar = readScalar();

      if (typeof scalar === 'number' && /[.eE]/.test(text.slice(start, i))) {
        const p = childPath(top, top ? (top.kind === 'array' ? top.value.length : top.key as string) : '');

        if (p !== undefined) {
          out.literals.set(p, text.slice(start, i));
        }
      }
      deliver(scalar);
      state = 'after';
    }
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      out.error = { message: e.message, offset: e.offset };
      out.value = undefined;

      return out;
    }
    throw e;
  }

  return out;
}

/** decode.go unquote for a string with escapes (marked while scanning: \u0000 simple, \u0001 \uXXXX). */
function unquote(raw: string): string {
  let s = '';

  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];

    if (c !== '\\') {
      s += c;
      continue;
    }
    const esc = raw[i + 1];

    if (esc !== 'u') {
      s += ({
        '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'
      } as Record<string, string>)[esc];
      i++;
      continue;
    }
    const unit = parseInt(raw.slice(i + 2, i + 6), 16);

    i += 5;
    if (unit >= 0xD800 && unit < 0xDC00) {
      const next = raw.slice(i + 1, i + 3) === '\\u' ? parseInt(raw.slice(i + 3, i + 7), 16) : NaN;

      if (next >= 0xDC00 && next < 0xE000) {
        s += String.fromCharCode(unit, next);
        i += 6;
        continue;
      }
      s += '\uFFFD';
      continue;
    }
    s += unit >= 0xDC00 && unit < 0xE000 ? '\uFFFD' : String.fromCharCode(unit);
  }

  return s;
}
