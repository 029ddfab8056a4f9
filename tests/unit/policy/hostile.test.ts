/**
 * The hostile corpus (tests/fixtures/hostile/policies, cases.json): our verdict on every file, and the Go
 * judge (tests/judge: the real go-yaml v2, sigs.k8s.io/yaml and sigs.k8s.io/json) agreeing with both of our
 * readers at the decode level. Needs Go: scripts/ensure-go-judge.sh.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import {
  decodePolicyBytes, LoadResult, readPolicy, verbatim
} from '@pkg/policy';
import { judgeAll } from '../../judge/judge';
import {
  canonical, DecodeView, judgeView, ourViews, sameError
} from './judged';

const DIR = join(__dirname, '../../fixtures/hostile/policies');

interface Case {
  file: string;
  loadable: boolean;
  error: string | null;
  warnings: string[];
  decides: string;
}

const cases: Case[] = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8'));
const bytesOf = (file: string) => new Uint8Array(readFileSync(join(DIR, file)));

/** readPolicy on a file's bytes, as the CLI reads a file. */
function load(file: string): LoadResult {
  const decoded = decodePolicyBytes(bytesOf(file));

  if (!decoded.ok) {
    return {
      loadable: false, policy: null, errors: [{ path: '', ...verbatim(`failed decoding: ${ decoded.error }`) }], warnings: [], positions: {}
    };
  }

  return readPolicy(decoded.text);
}

describe('the hostile corpus: our verdict (cases.json)', () => {
  it('has a row for every policy file', () => {
    const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'cases.json').sort();

    expect(cases.map((c) => c.file).sort()).toEqual(files);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const got = load(c.file);
    const errors = got.errors.map((e) => e.message).join('\n');

    expect([got.loadable, c.error === null ? errors : errors.includes(c.error), got.warnings.map((w) => w.path).sort()])
      .toEqual([c.loadable, c.error === null ? '' : true, [...c.warnings].sort()]);
  });

  it.each([
    ['billion-laughs.yaml'], ['alias-amplified-7kb.yaml'], ['aliasing-ratio-just-over.yaml'], ['deep-flow-10001.yaml'], ['deep-flow-unclosed.yaml'],
  ])('%s is refused before anything is expanded (bench/engine.ts prints the time)', (file) => {
    const text = decodePolicyBytes(bytesOf(file));
    const got = readPolicy(text.ok ? text.text : '', { positions: true });

    expect([got.loadable, Object.keys(got.positions).length < 100]).toEqual([false, true]);
  });

  it('a 4 MiB run of "- " on one line is refused at the 10,001st, as go-yaml\'s scanner refuses it (scannerc.go yaml_parser_roll_indent), before any parse', () => {
    const got = readPolicy(`${ '- '.repeat(2 * 1024 * 1024 - 1) }x\n`);

    expect(got.errors.map((e) => [e.message, e.line, e.column])).toEqual([['failed decoding: yaml: exceeded max depth of 10000', 1, 20001]]);
    expect(Object.keys(got.positions)).toEqual([]);
  });
});

describe('the hostile corpus: the Go judge agrees with both readers', () => {
  let judged: DecodeView[];

  beforeAll(() => {
    judged = judgeAll(cases.map((c) => bytesOf(c.file))).map(judgeView);
  });

  it.each(cases.map((c, i) => [c.file, i] as const))('%s', (file, i) => {
    const j = judged[i];
    const ours = ourViews(bytesOf(file));

    for (const [reader, v] of Object.entries(ours)) {
      expect({
        reader,
        ok:              v.ok,
        error:           sameError(v.error, j.error) ? j.error : v.error,
        value:           j.ok ? canonical(v.value) : '',
        unknownFields:   v.unknownFields,
        duplicateFields: v.duplicateFields,
        duplicateKeys:   v.duplicateKeys,
        policy:          v.policy,
      }).toEqual({
        reader,
        ok:              j.ok,
        error:           j.error,
        value:           j.ok ? canonical(j.value) : '',
        unknownFields:   j.unknownFields,
        duplicateFields: j.duplicateFields,
        duplicateKeys:   j.duplicateKeys,
        policy:          j.policy,
      });
    }
  });
});
