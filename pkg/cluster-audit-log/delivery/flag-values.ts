/**
 * kube-apiserver's flag values as spf13/pflag parses them (duration.go, bool.go, float32.go: time.ParseDuration,
 * strconv.ParseBool, strconv.ParseFloat(s, 32)), with Go's own error texts, so a value the tab writes is one
 * kube-apiserver starts with. Whole numbers are numbers.ts's. pflag wraps a refused value as
 * `invalid argument "v" for "--name" flag: <Go's error>` (flag.go FlagSet.Set).
 */
import { goQuote } from '../policy/go-format';

/** pflag's message for a value its Value.Set refused. */
export function invalidArgument(arg: string, value: string, error: string): string {
  return `invalid argument ${ goQuote(value) } for ${ goQuote(`--${ arg }`) } flag: ${ error }`;
}

/** time's unitMap: nanoseconds per unit (µ is U+00B5, μ U+03BC). */
const DURATION_UNITS: Record<string, bigint> = {
  ns: BigInt(1), us: BigInt(1e3), µs: BigInt(1e3), μs: BigInt(1e3), ms: BigInt(1e6), s: BigInt(1e9), m: BigInt(60e9), h: BigInt(3600e9),
};
const MAX = BigInt(2) ** BigInt(63);

/**
 * time.ParseDuration (Go's time/format.go): `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or "0". The duration in
 * nanoseconds, or Go's error text.
 */
export function parseGoDuration(text: string): { ok: true, nanoseconds: bigint } | { ok: false, message: string } {
  const invalid = { ok: false as const, message: `time: invalid duration ${ goQuote(text) }` };
  let s = text;
  let neg = false;

  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') {
    return { ok: true, nanoseconds: BigInt(0) };
  }
  if (s === '') {
    return invalid;
  }
  let total = BigInt(0);

  while (s !== '') {
    if (!/^[0-9.]/.test(s)) {
      return invalid;
    }
    const whole = /^[0-9]*/.exec(s)?.[0] ?? '';
    let value = BigInt(0);

    for (const digit of whole) {
      value = value * BigInt(10) + BigInt(digit);
      if (value > MAX) {
        return invalid;
      }
    }
    s = s.slice(whole.length);
    let fraction = '';

    if (s.startsWith('.')) {
      fraction = /^\.([0-9]*)/.exec(s)?.[1] ?? '';
      s = s.slice(1 + fraction.length);
    }
    if (whole === '' && fraction === '') {
      return invalid;
    }
    const unitText = /^[^0-9.]*/.exec(s)?.[0] ?? '';

    if (unitText === '') {
      return { ok: false, message: `time: missing unit in duration ${ goQuote(text) }` };
    }
    s = s.slice(unitText.length);
    const unit = DURATION_UNITS[unitText];

    if (unit === undefined) {
      return { ok: false, message: `time: unknown unit ${ goQuote(unitText) } in duration ${ goQuote(text) }` };
    }
    if (value > MAX / unit) {
      return invalid;
    }
    value *= unit;
    if (fraction !== '') {
      // leadingFraction keeps at most the digits that fit, then float64(f) * (float64(unit) / scale)
      const kept = fraction.slice(0, 18);

      value += BigInt(Math.trunc(Number(kept) * (Number(unit) / 10 ** kept.length)));
      if (value > MAX) {
        return invalid;
      }
    }
    total += value;
    if (total > MAX) {
      return invalid;
    }
  }
  if (!neg && total > MAX - BigInt(1)) {
    return invalid;
  }

  return { ok: true, nanoseconds: neg ? -total : total };
}

/** strconv.ParseBool's spellings. */
const BOOLS: Record<string, boolean> = {
  1: true, t: true, T: true, TRUE: true, true: true, True: true, 0: false, f: false, F: false, FALSE: false, false: false, False: false,
};

/** strconv.ParseBool: the value, or Go's error text. */
export function parseGoBool(text: string): { ok: true, value: boolean } | { ok: false, message: string } {
  return Object.prototype.hasOwnProperty.call(BOOLS, text) ? { ok: true, value: BOOLS[text] } : { ok: false, message: `strconv.ParseBool: parsing ${ goQuote(text) }: invalid syntax` };
}

const DECIMAL_FLOAT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const HEX_FLOAT = /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+$/;
const SPECIAL_FLOAT = /^[+-]?(inf|infinity|nan)$/i;

/**
 * strconv.ParseFloat(s, 32): decimal and hexadecimal forms, "inf", "infinity" and "nan" in any case (underscores,
 * which Go allows only after a base prefix, are not accepted here). The value as a float32, or Go's error text.
 */
export function parseGoFloat32(text: string): { ok: true, value: number } | { ok: false, message: string } {
  const syntax = { ok: false as const, message: `strconv.ParseFloat: parsing ${ goQuote(text) }: invalid syntax` };

  if (SPECIAL_FLOAT.test(text)) {
    const lower = text.toLowerCase();

    return { ok: true, value: lower.includes('nan') ? NaN : lower.startsWith('-') ? -Infinity : Infinity };
  }
  let value: number;

  if (DECIMAL_FLOAT.test(text)) {
    value = Number(text);
  } else if (HEX_FLOAT.test(text)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(text) as RegExpExecArray;
    const mantissa = parseInt(`${ m[2] }${ m[3] }` || '0', 16);

    value = (m[1] === '-' ? -1 : 1) * mantissa * 2 ** (Number(m[4]) - 4 * m[3].length);
  } else {
    return syntax;
  }
  if (!Number.isFinite(Math.fround(value))) {
    return { ok: false, message: `strconv.ParseFloat: parsing ${ goQuote(text) }: value out of range` };
  }

  return { ok: true, value: Math.fround(value) };
}
