/**
 * Go's formatting as its error messages print values: strconv.Quote (fmt's %q), encoding/json's quoteChar,
 * strconv.FormatFloat(f, 'g', -1, bits), and fmt's %#v of the values go-yaml decodes.
 */

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote (fmt's %q of a string), which Go's errors use for names and values. */
export function goQuote(s: string): string {
  const named: Record<string, string> = {
    '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '"': '\\"'
  };
  let out = '"';

  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;

    if (named[ch]) {
      out += named[ch];
    } else if (GO_PRINTABLE.test(ch) && !(cp >= 0xD800 && cp <= 0xDFFF)) {
      out += ch;
    } else if (cp < 0x80) {
      out += `\\x${ cp.toString(16).padStart(2, '0') }`;
    } else if (cp < 0x10000) {
      out += `\\u${ cp.toString(16).padStart(4, '0') }`;
    } else {
      out += `\\U${ cp.toString(16).padStart(8, '0') }`;
    }
  }

  return `${ out }"`;
}

/** scanner.go quoteChar, for a character of the text (its first UTF-8 byte, as Go sees bytes). */
export function goQuoteChar(ch: string): string {
  if (ch === "'") {
    return "'\\''";
  }
  if (ch === '"') {
    return "'\"'";
  }
  const cp = ch.codePointAt(0) ?? 0;
  const byte = cp < 0x80 ? cp : cp < 0x800 ? 0xC0 | (cp >> 6) : cp < 0x10000 ? 0xE0 | (cp >> 12) : 0xF0 | (cp >> 18);
  const named: Record<number, string> = {
    7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5C: '\\\\'
  };

  if (named[byte]) {
    return `'${ named[byte] }'`;
  }
  if (byte < 0x20 || byte === 0x7F) {
    return `'\\x${ byte.toString(16).padStart(2, '0') }'`;
  }
  if (byte >= 0x80 && byte < 0xA0) {
    return `'\\u00${ byte.toString(16).padStart(2, '0') }'`;
  }

  return `'${ String.fromCharCode(byte) }'`;
}

/** The shortest decimal digits and exponent that read back as `v` at float32 (or float64) precision. */
function shortestDigits(v: number, bits: 32 | 64): { digits: string, exp: number } {
  const same = (x: number) => (bits === 32 ? Math.fround(x) === v : x === v);
  let text = v.toExponential();

  for (let p = 1; p <= 17; p++) {
    const candidate = v.toExponential(p - 1);

    if (same(Number(candidate))) {
      text = candidate;
      break;
    }
  }
  const [mantissa, exponent] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';

  return { digits, exp: Number(exponent) };
}

/** strconv.FormatFloat(v, 'g', -1, bits). */
export function goFormatFloatG(value: number, bits: 32 | 64): string {
  const v = bits === 32 ? Math.fround(value) : value;

  if (Number.isNaN(v)) {
    return 'NaN';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? '+Inf' : '-Inf';
  }
  if (v === 0) {
    return Object.is(v, -0) ? '-0' : '0';
  }
  const sign = v < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(Math.abs(v), bits);

  if (exp < -4 || exp >= 6) {
    const mantissa = digits.length > 1 ? `${ digits[0] }.${ digits.slice(1) }` : digits;
    const e = Math.abs(exp);

    return `${ sign }${ mantissa }e${ exp < 0 ? '-' : '+' }${ e < 10 ? '0' : '' }${ e }`;
  }
  if (exp < 0) {
    return `${ sign }0.${ '0'.repeat(-exp - 1) }${ digits }`;
  }
  const whole = digits.length > exp + 1 ? `${ digits.slice(0, exp + 1) }.${ digits.slice(exp + 1) }` : digits + '0'.repeat(exp + 1 - digits.length);

  return sign + whole;
}

/** A Go value as fmt's %#v prints it, for go-yaml's and sigs.k8s.io/yaml's messages. */
export function goSharpV(value: unknown): string {
  if (value === null || value === undefined) {
    return '<nil>';
  }
  if (typeof value === 'string') {
    return goQuote(value);
  }
  if (Array.isArray(value)) {
    return `[]interface {}{${ value.map(goSharpV).join(', ') }}`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${ goQuote(k) }:${ goSharpV(v) }`);

    return `map[interface {}]interface {}{${ entries.join(', ') }}`;
  }

  return String(value);
}
