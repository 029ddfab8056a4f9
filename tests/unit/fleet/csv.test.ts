/** CSV (fleet/csv.ts, fleet/columns.ts): RFC 4180 quoting and spreadsheet formulas defused. */
import { CLUSTER_COLUMNS, csvField, csvText } from '@pkg/fleet';

describe('csvField', () => {
  it.each([
    ['plain', 'fleet-0001', 'fleet-0001'],
    ['empty', '', ''],
    ['a comma', 'a,b', '"a,b"'],
    ['a double quote', 'say "hi"', '"say ""hi"""'],
    ['a line break', 'a\nb', '"a\nb"'],
    ['a carriage return inside', 'a\rb', '"a\rb"'],
    ['= formula', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['+ formula', '+1', "'+1"],
    ['- formula', '-1', "'-1"],
    ['@ formula', '@SUM(A1)', "'@SUM(A1)"],
    ['tab first', '\t=1', "'\t=1"],
    ['a sign later is fine', 'a-1', 'a-1'],
  ])('%s: %j -> %j', (_what, value, want) => {
    expect(csvField(value)).toBe(want);
  });
});

describe('csvText', () => {
  it('ends every record with CRLF', () => {
    expect(csvText([['a', 'b'], ['1', '2,3']])).toBe('a,b\r\n1,"2,3"\r\n');
  });

  it('the cluster columns are the JSON fields, flattened', () => {
    expect(CLUSTER_COLUMNS.map((c) => c.header)).toEqual([
      'name', 'namespace', 'distro', 'enabled', 'method', 'object.kind', 'object.name', 'fingerprint', 'preset', 'findings.error', 'findings.warning', 'rotation.maxAge', 'rotation.maxBackup', 'rotation.maxSize', 'rotation.cisOk', 'problems',
    ]);
  });
});
