/**
 * Scalars as go-yaml v2 reads them into interface{} (gopkg.in/yaml.v2 resolve.go resolve, decode.go
 * scalar), and map keys as sigs.k8s.io/yaml turns them into JSON object keys (yaml.go
 * convertToJSONableObject).
 *
 * resolve() strips `_` and tries strconv.ParseInt(s, 0, 64) (so `0o17`, `0x_1F`, `017`, `0b101`, `+5`
 * are ints), then ParseUint (above int64: a uint64), then a YAML-style float that strconv.ParseFloat
 * accepts (`1e400` overflows, so it stays a string), then `0b`/`-0b` binary; `.inf`/`.nan` and the
 * YAML 1.1 booleans come from its table.
 */
import { goFormatFloatG } from './go-format';

/** A scalar's Go value: the type decides equality as a map key and how it becomes a JSON key. */
export type GoScalar =
  | { t: 'null' }
  | { t: 'bool', v: boolean }
  | { t: 'int', v: number, exact: string }
  | { t: 'uint', v: number, exact: string }
  | { t: 'float', v: number }
  | { t: 'str', v: string };

/** A decode failure with go-yaml's message (without the `yaml: ` prefix). */
export class YamlDecodeError extends Error {}

const TAG = 'tag:yaml.org,2002:';

const STR_TAG = `${ TAG }str`;
const MERGE_TAG = `${ TAG }merge`;
const BOOL_TAG = `${ TAG }bool`;
const INT_TAG = `${ TAG }int`;
const FLOAT_TAG = `${ TAG }float`;
const NULL_TAG = `${ TAG }null`;
const TIMESTAMP_TAG = `${ TAG }timestamp`;
const BINARY_TAG = `${ TAG }binary`;
const RESOLVABLE = new Set(['', STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG]);

type Resolved = { tag: string, value: GoScalar };

const NULL: GoScalar = { t: 'null' };

/** resolve.go resolveMap. */
const TABLE = new Map<string, Resolved>();

for (const [value, tag, words] of [
  [{ t: 'bool', v: true }, BOOL_TAG, 'y Y yes Yes YES true True TRUE on On ON'],
  [{ t: 'bool', v: false }, BOOL_TAG, 'n N no No NO false False FALSE off Off OFF'],
  [NULL, NULL_TAG, '~ null Null NULL'],
  [{ t: 'float', v: NaN }, FLOAT_TAG, '.nan .NaN .NAN'],
  [{ t: 'float', v: Infinity }, FLOAT_TAG, '.inf .Inf .INF +.inf +.Inf +.INF'],
  [{ t: 'float', v: -Infinity }, FLOAT_TAG, '-.inf -.Inf -.INF'],
  [{ t: 'str', v: '<<' }, MERGE_TAG, '<<'],
] as [GoScalar, string, string][]) {
  for (const word of words.split(' ')) {
    TABLE.set(word, { tag, value });
  }
}
TABLE.set('', { tag: NULL_TAG, value: NULL });

/** resolve.go resolveTable: the hint from a scalar's first character. */
function hint(s: string): string {
  if (s === '') {
    return 'N';
  }
  const c = s[0];

  if (c === '+' || c === '-') {
    return 'S';
  }
  if (c >= '0' && c <= '9') {
    return 'D';
  }
  if ('yYnNtTfFoO~'.includes(c)) {
    return 'M';
  }

  return c === '.' ? '.' : '';
}

const INT64_MAX = (BigInt(1) << BigInt(63)) - BigInt(1);
const UINT64_MAX = (BigInt(1) << BigInt(64)) - BigInt(1);
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** strconv.ParseUint(s, base, 64) without underscores (resolve has removed them); undefined on error. */
function parseUint(s: string, base: number): bigint | undefined {
  let b = base;
  let digits = s;

  if (!digits) {
    return undefined;
  }
  if (b === 0) {
    b = 10;
    if (digits[0] === '0') {
      const p = digits.length >= 3 ? digits[1].toLowerCase() : '';

      [b, digits] = p === 'b' ? [2, digits.slice(2)] : p === 'o' ? [8, digits.slice(2)] : p === 'x' ? [16, digits.slice(2)] : [8, digits.slice(1)];
    }
  }
  let n = BigInt(0);
  const big = BigInt(b);

  for (const ch of digits.toLowerCase()) {
    const d = DIGITS.indexOf(ch);

    if (d < 0 || d >= b) {
      return undefined;
    }
    n = n * big + BigInt(d);
    if (n > UINT64_MAX) {
      return undefined;
    }
  }

  return n;
}

/** strconv.ParseInt(s, base, 64); undefined on error. */
function parseInt64(s: string, base: number): bigint | undefined {
  if (!s) {
    return undefined;
  }
  const neg = s[0] === '-';
  const abs = parseUint(s[0] === '+' || s[0] === '-' ? s.slice(1) : s, base);

  if (abs === undefined || abs > (neg ? INT64_MAX + BigInt(1) : INT64_MAX)) {
    return undefined;
  }

  return neg ? -abs : abs;
}

const int = (v: bigint): GoScalar => ({
  t: 'int', v: Number(v), exact: v.toString()
});

/** resolve.go yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseFloat of a decimal that starts with `.` (resolve's '.' hint passes the text with its underscores). */
const DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;

/** A float strconv.ParseFloat accepts without error (it refuses values that overflow to ±Inf). */
function finiteFloat(text: string): GoScalar | undefined {
  const v = Number(text);

  return Number.isFinite(v) ? { t: 'float', v } : undefined;
}

/** The go-yaml timestamp formats (resolve.go allowedTimestampFormats), as Go's time.Parse reads them. */
const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?))?$/;

function isTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);

  if (!m) {
    return false;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [m[4] ?? m[7], m[5] ?? m[8], m[6] ?? m[9]].map((x) => Number(x ?? 0));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysIn = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];

  return daysIn !== undefined && day >= 1 && day <= daysIn && hour < 24 && minute < 60 && second < 60;
}

/** resolve.go resolve(): the tag and value go-yaml gives a scalar of this (long) tag and text. */
function resolve(tag: string, text: string): Resolved {
  if (!RESOLVABLE.has(tag)) {
    return { tag, value: { t: 'str', v: text } };
  }
  const h = hint(text);

  if (h && tag !== STR_TAG) {
    const item = TABLE.get(text);

    if (item) {
      return item;
    }
    if (h === '.') {
      const f = DOT_FLOAT.test(text) ? finiteFloat(text.replace(/_/g, '')) : undefined;

      if (f) {
        return { tag: FLOAT_TAG, value: f };
      }
    } else if (h === 'D' || h === 'S') {
      if ((tag === '' || tag === TIMESTAMP_TAG) && isTimestamp(text)) {
        return { tag: TIMESTAMP_TAG, value: { t: 'str', v: text } };
      }
      const plain = text.replace(/_/g, '');
      const i = parseInt64(plain, 0);

      if (i !== undefined) {
        return { tag: INT_TAG, value: int(i) };
      }
      const u = parseUint(plain, 0);

      if (u !== undefined) {
        return {
          tag:   INT_TAG,
          value: {
            t: 'uint', v: Number(u), exact: u.toString()
          }
        };
      }
      const f = YAML_STYLE_FLOAT.test(plain) ? finiteFloat(plain) : undefined;

      if (f) {
        return { tag: FLOAT_TAG, value: f };
      }
      if (plain.startsWith('0b')) {
        const b = parseInt64(plain.slice(2), 2) ?? parseUint(plain.slice(2), 2);

        if (b !== undefined) {
          return {
            tag:   INT_TAG,
            value: b > INT64_MAX ? {
              t: 'uint', v: Number(b), exact: b.toString()
            } : int(b)
          };
        }
      } else if (plain.startsWith('-0b')) {
        const b = parseInt64(`-${ plain.slice(3) }`, 2);

        if (b !== undefined) {
          return { tag: INT_TAG, value: int(b) };
        }
      }
    }
  }

  return { tag: STR_TAG, value: { t: 'str', v: text } };
}

const shortTag = (tag: string) => (tag.startsWith(TAG) ? `!!${ tag.slice(TAG.length) }` : tag);

/** Standard base64 as Go's base64.StdEncoding.DecodeString reads it (padding required; CR and LF skipped). */
function decodeBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/[\r\n]/g, '');

  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) {
    return undefined;
  }

  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

/**
 * Whether libyaml calls a scalar "plain implicit" (parserc.go yaml_parser_parse_node): plain and
 * untagged, or tagged with the non-specific `!` whatever its style.
 */
export function isImplicit(tag: string | undefined, plain: boolean): boolean {
  return (!tag && plain) || tag === '!';
}

/**
 * decode.go scalar() into interface{}: the Go value of a scalar node of this long tag and text.
 * Untagged quoted and block scalars are strings. Binary data is returned as its bytes, which the JSON
 * step turns into text.
 */
export function goScalar(tag: string | undefined, text: string, implicit: boolean): GoScalar | { t: 'binary', v: Uint8Array } {
  const longTag = tag ?? '';

  if (!longTag && !implicit) {
    return { t: 'str', v: text };
  }
  const { tag: rtag, value } = resolve(longTag, text);

  if (longTag && longTag !== rtag && longTag !== STR_TAG && longTag !== BINARY_TAG) {
    if (longTag === FLOAT_TAG && rtag === INT_TAG && value.t === 'int') {
      return { t: 'float', v: value.v };
    }
    throw new YamlDecodeError(`cannot decode ${ shortTag(rtag) } \`${ text }\` as a ${ shortTag(longTag) }`);
  }
  if (rtag === BINARY_TAG) {
    const bytes = decodeBase64(text);

    if (!bytes) {
      throw new YamlDecodeError('!!binary value contains invalid base64 data');
    }

    return { t: 'binary', v: bytes };
  }

  return value;
}

/** decode.go isMerge: a `<<` key that is implicit (or tagged !!merge). */
export function isMergeKey(tag: string | undefined, text: string, implicit: boolean): boolean {
  return text === '<<' && (implicit || tag === MERGE_TAG);
}

/**
 * sigs.k8s.io/yaml convertToJSONableObject: a map key's JSON object key, or its error for keys JSON
 * cannot have (null, uint64). `value` is the entry's value, for the message.
 */
export function jsonKey(key: GoScalar): string | { unsupported: string } {
  switch (key.t) {
  case 'str': return key.v;
  case 'int': return key.exact;
  case 'bool': return String(key.v);
  case 'float': {
    const s = goFormatFloatG(key.v, 32);

    return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
  }
  case 'uint': return { unsupported: `uint64, key: 0x${ BigInt(key.exact).toString(16) }` };
  default: return { unsupported: '%!s(<nil>), key: <nil>' };
  }
}

let nans = 0;

/** The identity of a key in go-yaml's map[interface{}]interface{}: same type and value (NaN equals nothing). */
export function keyIdentity(key: GoScalar): string {
  switch (key.t) {
  case 'null': return 'n';
  case 'int': return `i${ key.exact }`;
  case 'uint': return `u${ key.exact }`;
  case 'float': return Number.isNaN(key.v) ? `fNaN${ nans++ }` : `f${ key.v === 0 ? 0 : key.v }`;
  case 'bool': return `b${ key.v }`;
  default: return `s${ key.v }`;
  }
}
