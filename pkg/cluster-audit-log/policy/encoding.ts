/**
 * Bytes -> text, as kube-apiserver gets from a policy file's bytes.
 *
 * The apiserver's universal decoder first asks whether the bytes are JSON (k8s.io/apimachinery
 * pkg/util/yaml decoder.go IsJSONBuffer: the first non-space character is `{`); JSON goes to encoding/json,
 * which reads UTF-8 and replaces each invalid byte with U+FFFD. Everything else goes to go-yaml v2, whose
 * reader (gopkg.in/yaml.v2 readerc.go yaml_parser_determine_encoding, yaml_parser_update_buffer) detects a
 * UTF-16LE/UTF-16BE/UTF-8 byte order mark, defaults to UTF-8, and refuses malformed sequences and
 * control characters with its own messages.
 */

/** The encodings go-yaml's reader knows (yaml_encoding_t). */
export type PolicyEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The text of a policy file, or why go-yaml refuses its bytes. */
export type DecodedPolicyBytes =
  | {
    ok: true;
    /** The text; a byte order mark is kept as a leading U+FEFF (it keeps the file on the YAML path). */
    text: string;
    encoding: PolicyEncoding;
    bom: boolean;
    /** True when kube-apiserver reads the bytes as JSON (first non-space character `{`, no byte order mark). */
    json: boolean;
  }
  | {
    ok: false;
    /** go-yaml's own message, e.g. `yaml: invalid leading UTF-8 octet`. */
    error: string;
    /** Byte offset of the offending sequence. */
    offset: number;
    encoding: PolicyEncoding;
    bom: boolean;
    json: false;
  };

/** A problem go-yaml's reader reports, with the byte (or, for text, UTF-16 unit) offset where it is. */
export interface ReaderProblem {
  message: string;
  offset: number;
}

/** Whether go-yaml's reader lets a code point through (readerc.go yaml_parser_update_buffer: "control characters are not allowed"). */
export function isYamlPrintable(cp: number): boolean {
  return cp === 0x09 || cp === 0x0A || cp === 0x0D || (cp >= 0x20 && cp <= 0x7E) || cp === 0x85 ||
    (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

const CONTROL = 'yaml: control characters are not allowed';

/** Go's unicode.IsSpace. */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xFF) {
    return cp === 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp === 0x85 || cp === 0xA0;
  }

  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp === 0x2028 || cp === 0x2029 || cp === 0x202F || cp === 0x205F || cp === 0x3000;
}

/**
 * Decodes one UTF-8 sequence as Go's utf8.DecodeRune does: an invalid or truncated sequence, an
 * overlong form or a surrogate is one byte of U+FFFD.
 */
function goDecodeRune(bytes: Uint8Array, i: number): [cp: number, width: number] {
  const b0 = bytes[i];

  if (b0 < 0x80) {
    return [b0, 1];
  }
  const need = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xC2 && b0 <= 0xDF ? 2 : 0;

  if (!need || i + need > bytes.length) {
    return [0xFFFD, 1];
  }
  let cp = b0 & (need === 2 ? 0x1F : need === 3 ? 0x0F : 0x07);

  for (let k = 1; k < need; k++) {
    const b = bytes[i + k];

    if ((b & 0xC0) !== 0x80) {
      return [0xFFFD, 1];
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  const min = need === 2 ? 0x80 : need === 3 ? 0x800 : 0x10000;

  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return [0xFFFD, 1];
  }

  return [cp, need];
}

/** Bytes as Go strings read them: UTF-8, each invalid byte U+FFFD (what encoding/json hands on). */
export function goUtf8String(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk: number[] = [];

  for (let i = 0; i < bytes.length;) {
    const [cp, width] = goDecodeRune(bytes, i);

    chunk.push(cp);
    i += width;
    if (chunk.length >= 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));

  return parts.join('');
}

/** apimachinery's IsJSONBuffer on bytes: after Go's unicode spaces, a `{`. */
function isJsonBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length;) {
    const [cp, width] = goDecodeRune(bytes, i);

    if (!isGoSpace(cp)) {
      return cp === 0x7B;
    }
    i += width;
  }

  return false;
}

/** go-yaml's UTF-8 reader: the code points, or its error for the first malformed sequence. */
function readUtf8(bytes: Uint8Array, start: number): number[] | ReaderProblem {
  const out: number[] = [];

  for (let i = start; i < bytes.length;) {
    const octet = bytes[i];
    const width = (octet & 0x80) === 0 ? 1 : (octet & 0xE0) === 0xC0 ? 2 : (octet & 0xF0) === 0xE0 ? 3 : (octet & 0xF8) === 0xF0 ? 4 : 0;

    if (!width) {
      return { message: 'yaml: invalid leading UTF-8 octet', offset: i };
    }
    if (i + width > bytes.length) {
      return { message: 'yaml: incomplete UTF-8 octet sequence', offset: i };
    }
    let value = width === 1 ? octet : octet & (width === 2 ? 0x1F : width === 3 ? 0x0F : 0x07);

    for (let k = 1; k < width; k++) {
      if ((bytes[i + k] & 0xC0) !== 0x80) {
        return { message: 'yaml: invalid trailing UTF-8 octet', offset: i + k };
      }
      value = (value << 6) + (bytes[i + k] & 0x3F);
    }
    if ((width === 2 && value < 0x80) || (width === 3 && value < 0x800) || (width === 4 && value < 0x10000)) {
      return { message: 'yaml: invalid length of a UTF-8 sequence', offset: i };
    }
    if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
      return { message: 'yaml: invalid Unicode character', offset: i };
    }
    if (!isYamlPrintable(value)) {
      return { message: CONTROL, offset: i };
    }
    out.push(value);
    i += width;
  }

  return out;
}

/** go-yaml's UTF-16 reader (after the byte order mark). */
function readUtf16(bytes: Uint8Array, start: number, littleEndian: boolean): number[] | ReaderProblem {
  const out: number[] = [];
  const unit = (i: number) => (littleEndian ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1]);

  for (let i = start; i < bytes.length;) {
    if (i + 2 > bytes.length) {
      return { message: 'yaml: incomplete UTF-16 character', offset: i };
    }
    let value = unit(i);
    let width = 2;

    if ((value & 0xFC00) === 0xDC00) {
      return { message: 'yaml: unexpected low surrogate area', offset: i };
    }
    if ((value & 0xFC00) === 0xD800) {
      if (i + 4 > bytes.length) {
        return { message: 'yaml: incomplete UTF-16 surrogate pair', offset: i };
      }
      const low = unit(i + 2);

      if ((low & 0xFC00) !== 0xDC00) {
        return { message: 'yaml: expected low surrogate area', offset: i + 2 };
      }
      value = 0x10000 + ((value & 0x3FF) << 10) + (low & 0x3FF);
      width = 4;
    }
    if (!isYamlPrintable(value)) {
      return { message: CONTROL, offset: i };
    }
    out.push(value);
    i += width;
  }

  return out;
}

function fromCodePoints(cps: number[]): string {
  const parts: string[] = [];

  for (let i = 0; i < cps.length; i += 4096) {
    parts.push(String.fromCodePoint(...cps.slice(i, i + 4096)));
  }

  return parts.join('');
}

/**
 * The text kube-apiserver reads from a policy file's bytes, or go-yaml's reason for refusing them.
 * JSON (first non-space byte `{`) is read as encoding/json reads it; anything else as go-yaml's reader
 * does: a UTF-16LE, UTF-16BE or UTF-8 byte order mark selects the encoding (UTF-8 without one), and
 * malformed sequences and control characters are refused. The whole file is checked (go-yaml stops
 * reading a little after the first document, so kube-apiserver may not notice bad bytes far into a
 * second document).
 */
export function decodePolicyBytes(bytes: Uint8Array): DecodedPolicyBytes {
  if (isJsonBytes(bytes)) {
    return {
      ok: true, text: goUtf8String(bytes), encoding: 'utf-8', bom: false, json: true
    };
  }
  let encoding: PolicyEncoding = 'utf-8';
  let start = 0;

  if (bytes.length >= 2 && bytes[0] === 0xFF && bytes[1] === 0xFE) {
    [encoding, start] = ['utf-16le', 2];
  } else if (bytes.length >= 2 && bytes[0] === 0xFE && bytes[1] === 0xFF) {
    [encoding, start] = ['utf-16be', 2];
  } else if (bytes.length >= 3 && bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF) {
    start = 3;
  }
  const bom = start > 0;
  const read = encoding === 'utf-8' ? readUtf8(bytes, start) : readUtf16(bytes, start, encoding === 'utf-16le');

  if (!Array.isArray(read)) {
    return {
      ok: false, error: read.message, offset: read.offset, encoding, bom, json: false
    };
  }

  return {
    ok: true, text: (bom ? '\uFEFF' : '') + fromCodePoints(read), encoding, bom, json: false
  };
}

/** A quick test for anything yamlTextProblem would refuse: a character outside the allowed set, a lone surrogate. */
const NOT_YAML_TEXT = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\uD800-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * go-yaml's reader check on text that is already decoded (pasted into the editor, say): the first
 * character it refuses, with its UTF-16 offset in the text.
 */
export function yamlTextProblem(text: string): ReaderProblem | undefined {
  if (!NOT_YAML_TEXT.test(text)) {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);

    if (unit >= 0x20 && unit <= 0x7E) {
      continue;
    }
    let cp = unit;

    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);

      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((unit & 0x3FF) << 10) + (low & 0x3FF);
      }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return { message: 'yaml: invalid Unicode character', offset: i };
    }
    if (!isYamlPrintable(cp)) {
      return { message: CONTROL, offset: i };
    }
    if (cp > 0xFFFF) {
      i++;
    }
  }

  return undefined;
}

/** Whether kube-apiserver reads this text as JSON (apimachinery IsJSONBuffer: first non-space character `{`). */
export function isJsonText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);

    if (!isGoSpace(cp)) {
      return cp === 0x7B;
    }
  }

  return false;
}
