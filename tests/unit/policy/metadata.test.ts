/**
 * The policy's metadata decodes as metav1.ObjectMeta does (time.go Time.UnmarshalJSON with Go's
 * time.Parse(RFC3339), int64 fields, maps, owner references, managed fields): the Go judge (tests/judge)
 * and readPolicy agree on every row, error text included.
 */
import { judgeAll } from '../../judge/judge';
import {
  DecodeView, judgeView, ourViews, sameError
} from './judged';

const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\nmetadata:\n';
const JSON_HEAD = '{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "Metadata"}], "metadata": ';

const rows: [name: string, text: string][] = [
  ['an RFC 3339 time', `${ HEAD }  creationTimestamp: "2024-02-29T10:00:00Z"`],
  ['fractional seconds and an offset', `${ HEAD }  creationTimestamp: "2024-01-01T10:00:00.123456789+02:00"`],
  ['a one-digit hour (Go 1.19 takes it)', `${ HEAD }  creationTimestamp: "2024-01-01T1:00:00Z"`],
  ['a lower-case t', `${ HEAD }  creationTimestamp: "2024-01-01t10:00:00Z"`],
  ['no time at all', `${ HEAD }  creationTimestamp: "2024-01-01"`],
  ['February 30th', `${ HEAD }  creationTimestamp: "2023-02-30T10:00:00Z"`],
  ['month 13', `${ HEAD }  creationTimestamp: "2023-13-01T10:00:00Z"`],
  ['hour 24', `${ HEAD }  creationTimestamp: "2023-12-01T24:00:00Z"`],
  ['text after the zone', `${ HEAD }  creationTimestamp: "2023-12-01T10:00:00Zx"`],
  ['a number as a time', `${ HEAD }  creationTimestamp: 5`],
  ['null time', `${ HEAD }  creationTimestamp: null`],
  ['a YAML timestamp (a string to go-yaml)', `${ HEAD }  creationTimestamp: 2024-01-01T10:00:00Z`],
  ['a deletion time', `${ HEAD }  deletionTimestamp: "x"`],
  ['generation 1.5', `${ HEAD }  generation: 1.5`],
  ['generation 1e3 (YAML: a float, JSON 1000)', `${ HEAD }  generation: 1e3`],
  ['generation past int64', `${ HEAD }  generation: 9223372036854775808`],
  ['generation as text', `${ HEAD }  generation: "3"`],
  ['grace seconds as a bool', `${ HEAD }  deletionGracePeriodSeconds: true`],
  ['a uid number', `${ HEAD }  uid: 1`],
  ['a label number', `${ HEAD }  labels: {a: 1}`],
  ['labels as a list', `${ HEAD }  labels: [a]`],
  ['owner references as a number', `${ HEAD }  ownerReferences: 5`],
  ['an owner reference with a number uid', `${ HEAD }  ownerReferences: [{uid: 1, controller: true}]`],
  ['an owner reference with a text controller', `${ HEAD }  ownerReferences: [{controller: "yes"}]`],
  ['managed fields with any fieldsV1', `${ HEAD }  managedFields: [{manager: m, fieldsV1: {f:a: {}, x: [1, 2]}, time: "2024-01-01T00:00:00Z"}]`],
  ['managed fields with a bad time', `${ HEAD }  managedFields: [{time: 5}]`],
  ['an unknown metadata field', `${ HEAD }  colour: blue`],
  ['JSON: generation 1.0', `${ JSON_HEAD }{"generation": 1.0}}`],
  ['JSON: generation 2', `${ JSON_HEAD }{"generation": 2}}`],
  ['JSON: a duplicate label', `${ JSON_HEAD }{"labels": {"a": "1", "a": "2"}}}`],
];

describe('metadata decodes as metav1.ObjectMeta does (the Go judge agrees)', () => {
  let judged: DecodeView[];

  beforeAll(() => {
    judged = judgeAll(rows.map(([, text]) => text)).map(judgeView);
  });

  it.each(rows.map(([name, text], i) => [name, text, i] as const))('%s', (_name, text, i) => {
    const j = judged[i];
    const { fast, precise } = ourViews(new TextEncoder().encode(text));

    for (const v of [fast, precise]) {
      expect([v.ok, sameError(v.error, j.error) ? j.error : v.error, v.unknownFields, v.duplicateFields]).toEqual([j.ok, j.error, j.unknownFields, j.duplicateFields]);
    }
  });
});
