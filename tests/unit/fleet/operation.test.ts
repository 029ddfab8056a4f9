/**
 * The progress of a write across clusters (fleet/operation.ts), driven step by step as the page drives it: waves,
 * stop at the first failure, retry, the pre-write, "authorized, not configured", and the edit of a shared policy
 * going on after a failure.
 */
import {
  errorKind, halfWritten, hasFailure, newOperation, nextStep, Operation, retry, stepError, StepView, stepView, summary, withStep
} from '@pkg/fleet/operation';

const LABELS = {
  a: 'A', b: 'B', c: 'C', d: 'D', e: 'E'
};
const views = (op: Operation): Record<string, StepView> => Object.fromEntries(op.steps.map((s) => [s.key, stepView(op, s)]));

/** Runs the operation to where it stops; `outcome` says how each step ends (default: done). */
function drive(op: Operation, outcome: (key: string) => 'done' | 'unchanged' | number = () => 'done'): { op: Operation, order: string[] } {
  const order: string[] = [];
  let next = nextStep(op);

  while (next !== null) {
    const key = next;

    order.push(key);
    op = withStep(op, key, 'running');
    expect(nextStep(op)).toBeNull();
    const result = key === 'prewrite' ? 'done' : outcome(key);

    op = typeof result === 'number' ? withStep(op, key, 'failed', stepError(result, `status ${ result }`)) : withStep(op, key, result);
    next = nextStep(op);
  }

  return { op, order };
}

describe('errorKind', () => {
  it.each([[403, 'forbidden'], [409, 'conflict'], [0, 'network'], [500, 'other'], [422, 'other']])('%i -> %s', (status, kind) => {
    expect(errorKind(status)).toBe(kind);
    expect(stepError(status, 'm')).toEqual({ status, kind, message: 'm' });
  });
});

describe('a roll-out in two waves through a shared object', () => {
  const start = () => newOperation([['a', 'b'], ['c', 'd', 'e']], LABELS, { prewrite: true, authorized: new Set(['a', 'b', 'c', 'd', 'e']), stopOnFailure: true });

  it('writes the pre-write first, then the waves in order, one step at a time', () => {
    const { op, order } = drive(start());

    expect(order).toEqual(['prewrite', 'a', 'b', 'c', 'd', 'e']);
    expect(summary(op)).toMatchObject({
      done: 5, failed: 0, total: 5, finished: true
    });
  });

  it('b answered 403: stops; the rest is "authorized, not configured"; retrying b then goes on with the second wave', () => {
    let { op, order } = drive(start(), (k) => (k === 'b' ? 403 : 'done'));

    expect(order).toEqual(['prewrite', 'a', 'b']);
    expect(views(op)).toEqual({
      a: 'done', b: 'failed', c: 'authorized-not-configured', d: 'authorized-not-configured', e: 'authorized-not-configured'
    });
    expect(op.steps.map((s) => halfWritten(op, s))).toEqual([false, true, true, true, true]);
    expect(op.steps[1].error).toEqual({ status: 403, kind: 'forbidden', message: 'status 403' });
    expect(summary(op)).toMatchObject({ finished: false, failed: 1, 'authorized-not-configured': 3 });
    op = retry(op, 'b');
    expect(views(op)).toMatchObject({ b: 'waiting', c: 'waiting' });
    ({ op, order } = drive(op));
    expect(order).toEqual(['b', 'c', 'd', 'e']);
    expect(summary(op).finished).toBe(true);
    expect(op.steps.some((s) => halfWritten(op, s))).toBe(false);
  });

  it('a retry that fails again keeps it stopped', () => {
    let { op } = drive(start(), (k) => (k === 'a' ? 409 : 'done'));

    op = retry(op, 'a');
    ({ op } = drive(op, () => 0));
    expect(views(op)).toMatchObject({ a: 'failed', b: 'authorized-not-configured' });
    expect(op.steps[0].error?.kind).toBe('network');
  });

  it('the pre-write failing: no cluster is saved, none is authorized; retry writes it', () => {
    let op = withStep(start(), 'prewrite', 'failed', stepError(403, 'no'));

    expect(nextStep(op)).toBeNull();
    expect(hasFailure(op)).toBe(true);
    expect(new Set(Object.values(views(op)))).toEqual(new Set(['not-started']));
    expect(op.steps.some((s) => halfWritten(op, s))).toBe(false);
    op = retry(op, 'prewrite');
    expect(drive(op).order).toEqual(['prewrite', 'a', 'b', 'c', 'd', 'e']);
  });

  it('retry touches only a failed step', () => {
    const op = start();

    expect(retry(op, 'a')).toBe(op);
    expect(retry(op, 'prewrite')).toBe(op);
  });
});

describe('without a pre-write', () => {
  it('per-cluster objects: a failure leaves the rest "not started", never "authorized"', () => {
    const { op } = drive(newOperation([['a'], ['b', 'c']], LABELS, { prewrite: false, stopOnFailure: true }), (k) => (k === 'a' ? 500 : 'done'));

    expect(views(op)).toEqual({ a: 'failed', b: 'not-started', c: 'not-started' });
    expect(op.prewrite.state).toBe('none');
  });

  it('the edit of a shared policy goes on after a failure and reports each', () => {
    const { op, order } = drive(newOperation([['a', 'b', 'c']], LABELS, { prewrite: true, stopOnFailure: false }), (k) => (k === 'b' ? 409 : k === 'c' ? 'unchanged' : 'done'));

    expect(order).toEqual(['prewrite', 'a', 'b', 'c']);
    expect(views(op)).toEqual({ a: 'done', b: 'failed', c: 'unchanged' });
    expect(summary(op)).toMatchObject({
      done: 1, unchanged: 1, failed: 1, finished: false
    });
  });

  it('labels default to the key', () => {
    expect(newOperation([['x']], {}, { prewrite: false, stopOnFailure: true }).steps[0]).toMatchObject({
      key: 'x', label: 'x', wave: 0, state: 'waiting', authorized: false
    });
  });
});
