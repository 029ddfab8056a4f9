/** components/text-change: the one range a form edit replaces in the policy YAML editor. */
import fc from 'fast-check';
import { applyTextChange, textChange } from '@pkg/components/text-change';

describe('textChange', () => {
  it.each([
    ['same text', 'a: 1\n', 'a: 1\n', null],
    ['from empty', '', 'rules:\n', { from: 0, to: 0, insert: 'rules:\n' }],
    ['to empty', 'rules:\n', '', { from: 0, to: 7, insert: '' }],
    ['a name added in the middle: the common prefix runs into the new line', '- a\n- c\n', '- a\n- b\n- c\n', { from: 6, to: 6, insert: 'b\n- ' }],
    ['a name removed at the end', 'names: [a, b]\n', 'names: [a]\n', { from: 9, to: 12, insert: '' }],
    ['a level changed', 'level: None\n', 'level: Metadata\n', { from: 7, to: 11, insert: 'Metadata' }],
    ['repeated text: the prefix is taken first', 'aaa', 'aaaa', { from: 3, to: 3, insert: 'a' }],
    ['the same prefix and suffix overlap', 'abab', 'ab', { from: 2, to: 4, insert: '' }],
  ])('%s', (_, before, after, want) => {
    expect(textChange(before, after)).toEqual(want);
  });

  it('gives back the new text for any two texts, replacing no more than the part between their common ends', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (before, after) => {
      const change = textChange(before, after);

      expect(applyTextChange(before, change)).toBe(after);
      if (change) {
        expect(before.slice(0, change.from)).toBe(after.slice(0, change.from));
        expect(change.to).toBeGreaterThanOrEqual(change.from);
      }
    }), { seed: 11, numRuns: 2000 });
  });
});
