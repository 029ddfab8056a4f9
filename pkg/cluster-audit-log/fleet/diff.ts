/**
 * A minimal edit script between two sequences (longest common subsequence): what the drift view shows rule by
 * rule and the roll-out preview shows line by line.
 */

/** One step of the edit script: kept, only in `before` (removed), only in `after` (added). */
export type DiffOp<T> =
  | { op: 'same', before: number, after: number, item: T }
  | { op: 'removed', before: number, item: T }
  | { op: 'added', after: number, item: T };

/**
 * The edit script turning `before` into `after`, in order; `key` identifies equal items. Removals come before the
 * additions that replace them. O(n x m) time and memory: policies have tens of rules, cluster specs tens of lines.
 */
export function diffSequences<T>(before: T[], after: T[], key: (item: T) => string): DiffOp<T>[] {
  const a = before.map(key);
  const b = after.map(key);
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));

  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffOp<T>[] = [];
  let i = 0;
  let j = 0;

  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({
        op: 'same', before: i, after: j, item: after[j]
      });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({
        op: 'removed', before: i, item: before[i]
      });
      i++;
    } else {
      out.push({
        op: 'added', after: j, item: after[j]
      });
      j++;
    }
  }

  return out;
}

/** One line of a text diff; `same` lines far from any change are folded into `gap` (how many were left out). */
export type LineDiff = { op: 'same' | 'removed' | 'added', text: string } | { op: 'gap', count: number };

/** The changed lines of two texts with `context` unchanged lines around each change; empty when they are equal. */
export function lineDiff(before: string, after: string, context = 2): LineDiff[] {
  const split = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  const ops = diffSequences(split(before), split(after), (line) => line);

  if (ops.every((o) => o.op === 'same')) {
    return [];
  }
  const near = ops.map((_, i) => ops.slice(Math.max(0, i - context), i + context + 1).some((o) => o.op !== 'same'));
  const out: LineDiff[] = [];

  ops.forEach((o, i) => {
    if (near[i]) {
      out.push({ op: o.op, text: o.item });
    } else {
      const last = out[out.length - 1];

      if (last?.op === 'gap') {
        last.count++;
      } else {
        out.push({ op: 'gap', count: 1 });
      }
    }
  });

  return out;
}
