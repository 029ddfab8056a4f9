/**
 * Property tests (fast-check): on generated YAML -- scalars of every form go-yaml's resolve() reads, flow and
 * block collections, anchors and aliases, merges, policy-shaped documents -- the fast reader, the precise
 * reader and the Go judge (tests/judge) agree on the decode verdict, the error, the decoded value (as JSON),
 * the dropped and duplicated fields and the decoded policy. Every document is judged by one judge process
 * (fc.sample with the run's seed); a shrunk document the batch did not hold is judged on its own.
 * FC_SEED=<n> explores another seed.
 */
import fc from 'fast-check';
import { composeFirstDocument } from '@pkg/policy/yaml-compose';
import { decodeYaml } from '@pkg/policy/yaml-decode';
import { judgeAll } from '../../judge/judge';
import {
  canonical, DecodeView, judgeView, ourViews, sameError
} from './judged';
import { plainText, yamlDocument } from './yaml-arbitrary';

const SEED = Number(process.env.FC_SEED ?? 20260723);

/** Both readers against the judge, as one object so a failure shows every difference. */
function agreement(text: string, j: DecodeView) {
  const ours = ourViews(new TextEncoder().encode(text));
  const side = (v: DecodeView) => ({
    ok:              v.ok,
    error:           sameError(v.error, j.error) ? j.error : v.error,
    value:           j.ok ? canonical(v.value) : '',
    unknownFields:   v.unknownFields,
    duplicateFields: v.duplicateFields,
    duplicateKeys:   v.duplicateKeys,
    policy:          v.policy,
  });
  const judge = {
    ok: j.ok, error: j.error, value: j.ok ? canonical(j.value) : '', unknownFields: j.unknownFields, duplicateFields: j.duplicateFields, duplicateKeys: j.duplicateKeys, policy: j.policy
  };

  return { got: { fast: side(ours.fast), precise: side(ours.precise) }, want: { fast: judge, precise: judge } };
}

/** Runs the property over `numRuns` documents, judged in one batch. */
function agreeOn(arbitrary: fc.Arbitrary<string>, numRuns: number): void {
  const texts = fc.sample(arbitrary, { seed: SEED, numRuns });
  const judged = new Map(judgeAll(texts).map((v, i) => [texts[i], judgeView(v)]));

  fc.assert(fc.property(arbitrary, (text) => {
    const j = judged.get(text) ?? judgeView(judgeAll([text])[0]);
    const { got, want } = agreement(text, j);

    expect(got).toEqual(want);
  }), { seed: SEED, numRuns });
}

const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

/** A policy with a scalar as a user, as an unknown field's value and as a key. */
const scalarPolicies = fc.tuple(plainText, plainText, fc.stringMatching(/^[a-z]{1,6}$/)).map(([user, value, key]) => `${ HEAD }rules:\n- level: Metadata\n  users: [${ user }]\nextra:\n  ${ key }: ${ value }\n  ${ value }: ${ key }\n`);

describe('the fast reader, the precise reader and the Go judge agree', () => {
  it('on every scalar form, as a value and as a key', () => {
    agreeOn(scalarPolicies, 600);
  }, 60000);

  it('on generated documents: collections, anchors, aliases, merges, policies', () => {
    agreeOn(yamlDocument, 500);
  }, 60000);
});

/** YAML-ish text: fragments of policies and of YAML's syntax, most of it malformed. */
const yamlish = fc.array(fc.constantFrom(
  HEAD, 'rules:\n', '- level: None\n', '  users: [', ']', '[', '{', '}', ', ', ': ', '- ', '? ', '\n', '  ', '\t', '#', '"', "'", '\\', '&a ', '*a',
  '<<: *a\n', '!!binary ', '!!int ', '---\n', '...\n', '|\n', '>-\n', 'yes', '~', '1e400', '0x1F', '.inf', '\uFEFF', '\u0085', '\u2028', 'é', 'a: b\n', '  - c\n',
), { maxLength: 30 }).map((parts) => parts.join(''));

describe('the fast and the precise reader agree on anything', () => {
  it('on YAML-ish text, mostly malformed: the same verdict, error and value', () => {
    fc.assert(fc.property(yamlish, (text) => {
      const { fast, precise } = ourViews(new TextEncoder().encode(text));

      expect([fast.ok, fast.error, canonical(fast.value)]).toEqual([precise.ok, precise.error, canonical(precise.value)]);
    }), { seed: SEED, numRuns: 500 });
  });
});

describe('composing a deep document in pieces changes nothing', () => {
  it('decodes every generated document the same when every collection is composed on its own', () => {
    fc.assert(fc.property(yamlDocument, (text) => {
      const whole = decodeYaml(composeFirstDocument(text));
      const pieces = decodeYaml(composeFirstDocument(text, 1));

      expect([!!pieces.error, canonical(pieces.value), pieces.duplicates.map((d) => d.goKey)]).toEqual([!!whole.error, canonical(whole.value), whole.duplicates.map((d) => d.goKey)]);
    }), { seed: SEED, numRuns: 300 });
  });
});
