/**
 * decodePolicyBytes: the bytes -> text step of kube-apiserver (apimachinery IsJSONBuffer, then
 * gopkg.in/yaml.v2 readerc.go yaml_parser_determine_encoding and yaml_parser_update_buffer).
 */
import { decodePolicyBytes, isJsonText, yamlTextProblem } from '@pkg/policy';

const utf8 = (s: string) => Array.from(Buffer.from(s, 'utf8'));
const utf16 = (s: string, le: boolean) => {
  const b = Buffer.from(s, 'utf16le');

  if (!le) {
    b.swap16();
  }

  return Array.from(b);
};

type BytesCase = [name: string, bytes: number[], text: string | null, encoding: string, json: boolean, error: string | null, offset: number | null];

const cases: BytesCase[] = [
  ['plain UTF-8', utf8('a: é\n'), 'a: é\n', 'utf-8', false, null, null],
  ['UTF-8 with BOM: the BOM stays as U+FEFF', [0xEF, 0xBB, 0xBF, ...utf8('a: 1\n')], '\uFEFFa: 1\n', 'utf-8', false, null, null],
  ['UTF-16LE with BOM', [0xFF, 0xFE, ...utf16('a: é😀\n', true)], '\uFEFFa: é😀\n', 'utf-16le', false, null, null],
  ['UTF-16BE with BOM', [0xFE, 0xFF, ...utf16('a: é😀\n', false)], '\uFEFFa: é😀\n', 'utf-16be', false, null, null],
  ['UTF-16LE without BOM is UTF-8 with NULs', utf16('a: 1\n', true), null, 'utf-8', false, 'yaml: control characters are not allowed', 1],
  ['empty file', [], '', 'utf-8', false, null, null],
  ['invalid leading octet', [...utf8('a: '), 0xFF], null, 'utf-8', false, 'yaml: invalid leading UTF-8 octet', 3],
  ['invalid trailing octet', [...utf8('a: '), 0xC3, 0x41], null, 'utf-8', false, 'yaml: invalid trailing UTF-8 octet', 4],
  ['truncated sequence at the end', [...utf8('a: '), 0xE2, 0x82], null, 'utf-8', false, 'yaml: incomplete UTF-8 octet sequence', 3],
  ['overlong form', [...utf8('a: '), 0xC0, 0x80], null, 'utf-8', false, 'yaml: invalid length of a UTF-8 sequence', 3],
  ['UTF-8-encoded surrogate', [...utf8('a: '), 0xED, 0xA0, 0x80], null, 'utf-8', false, 'yaml: invalid Unicode character', 3],
  ['control character', utf8('a: \u0001'), null, 'utf-8', false, 'yaml: control characters are not allowed', 3],
  ['DEL is a control character to go-yaml', utf8('a: \u007F'), null, 'utf-8', false, 'yaml: control characters are not allowed', 3],
  ['NEL and tab are allowed', utf8('a:\t"\u0085"'), 'a:\t"\u0085"', 'utf-8', false, null, null],
  ['UTF-16 lone low surrogate', [0xFF, 0xFE, 0x00, 0xDC], null, 'utf-16le', false, 'yaml: unexpected low surrogate area', 2],
  ['UTF-16 high surrogate without a low one', [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00], null, 'utf-16le', false, 'yaml: expected low surrogate area', 4],
  ['UTF-16 surrogate pair cut short', [0xFF, 0xFE, 0x00, 0xD8], null, 'utf-16le', false, 'yaml: incomplete UTF-16 surrogate pair', 2],
  ['UTF-16 odd byte count', [0xFE, 0xFF, 0x00, 0x41, 0x00], null, 'utf-16be', false, 'yaml: incomplete UTF-16 character', 4],
  ['JSON goes to encoding/json: invalid bytes become U+FFFD', [...utf8(' {"a":"'), 0xFF, 0xE2, 0x82, ...utf8('"}')], ' {"a":"\uFFFD\uFFFD\uFFFD"}', 'utf-8', true, null, null],
  ['JSON: control characters are left to the JSON parser', utf8('{"a":1}\u0001'), '{"a":1}\u0001', 'utf-8', true, null, null],
  ['JSON after a BOM is read as YAML', [0xEF, 0xBB, 0xBF, ...utf8('{"a":1}')], '\uFEFF{"a":1}', 'utf-8', false, null, null],
];

describe('decodePolicyBytes', () => {
  it.each(cases)('%s', (_name, bytes, text, encoding, json, error, offset) => {
    const got = decodePolicyBytes(Uint8Array.from(bytes));

    expect(got.encoding).toBe(encoding);
    expect(got.json).toBe(json);
    if (got.ok) {
      expect([got.text, null, null]).toEqual([text, error, offset]);
    } else {
      expect([null, got.error, got.offset]).toEqual([text, error, offset]);
    }
  });
});

describe('the same checks on decoded text', () => {
  it.each([
    ['a: b\n', null],
    ['\uFEFFa: b', null],
    ['a: \u0000', 'yaml: control characters are not allowed'],
    ['a: \uD800', 'yaml: invalid Unicode character'],
    ['a: 😀', null],
  ])('%j: %s', (text, message) => {
    expect(yamlTextProblem(text)?.message ?? null).toBe(message);
  });

  it.each([
    ['{"a":1}', true], [' \n\t{', true], ['\u00A0\u3000{', true], ['\uFEFF{', false], ['a: {', false], ['[1]', false], ['', false],
  ])('isJsonText(%j) is %s', (text, json) => {
    expect(isJsonText(text)).toBe(json);
  });
});
