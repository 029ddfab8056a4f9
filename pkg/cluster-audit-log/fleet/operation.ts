/**
 * The progress of a write across clusters (a roll-out, or the edit of a shared policy): one step per cluster, in
 * waves, after an optional pre-write (the shared object, written once before any cluster). Pure state and the
 * decisions on it: which step runs next, when the operation stops, what each cluster's state means. The page runs
 * the steps (apply.ts) and records each outcome here.
 *
 * A roll-out stops at the first failure: nothing more runs until the failed step is retried and succeeds. The edit
 * of a shared policy goes on after a failure (once the object is written, every consumer's hash is stale until its
 * cluster is saved), and reports each failure.
 */

/** How a write failed: 403 forbidden, 409 conflict, no answer (network), anything else. */
export type ErrorKind = 'forbidden' | 'conflict' | 'network' | 'other';

/** One failure: the HTTP status (0: no answer) and the message of the write that failed. */
export interface StepError {
  status: number;
  kind: ErrorKind;
  message: string;
}

/** A step's state: waiting, running, done, done with nothing to write (unchanged), failed. */
export type StepState = 'waiting' | 'running' | 'done' | 'unchanged' | 'failed';

/** One cluster's step. */
export interface Step {
  key: string;
  label: string;
  /** 0-based wave. */
  wave: number;
  state: StepState;
  error: StepError | null;
  /** The pre-write authorizes this cluster on a shared object (it reads its policy from there once saved). */
  authorized: boolean;
}

/** The whole operation. */
export interface Operation {
  /** The pre-write: none, or its state and error. */
  prewrite: { state: 'none' | StepState, error: StepError | null };
  steps: Step[];
  /** Stop at the first failure (a roll-out) or go on with the other steps (a shared policy's edit). */
  stopOnFailure: boolean;
}

/** What a cluster's row says: its state, or, for one the pre-write authorized but nothing saved yet, that. */
export type StepView = StepState | 'authorized-not-configured' | 'not-started';

/** The kind of a failure from its HTTP status. */
export function errorKind(status: number): ErrorKind {
  return status === 403 ? 'forbidden' : status === 409 ? 'conflict' : status === 0 ? 'network' : 'other';
}

/** A failure as the operation records it. */
export function stepError(status: number, message: string): StepError {
  return {
    status, kind: errorKind(status), message
  };
}

/** A new operation: the waves of row keys with their labels; `authorized`: the keys a pre-write authorizes. */
export function newOperation(waveKeys: string[][], labels: Record<string, string>, options: { prewrite: boolean, authorized?: ReadonlySet<string>, stopOnFailure: boolean }): Operation {
  return {
    prewrite: { state: options.prewrite ? 'waiting' : 'none', error: null },
    steps:    waveKeys.flatMap((keys, wave) => keys.map((key) => ({
      key, label: labels[key] ?? key, wave, state: 'waiting' as StepState, error: null, authorized: !!options.authorized?.has(key)
    }))),
    stopOnFailure: options.stopOnFailure,
  };
}

/** Is something failed (the pre-write or a step)? */
export function hasFailure(op: Operation): boolean {
  return op.prewrite.state === 'failed' || op.steps.some((s) => s.state === 'failed');
}

/** Is something running? */
export function isRunning(op: Operation): boolean {
  return op.prewrite.state === 'running' || op.steps.some((s) => s.state === 'running');
}

/**
 * What runs next: 'prewrite' while the pre-write waits, else the first waiting step of the earliest wave (the
 * steps of a wave one after the other, a wave only once the one before it is through); null when nothing may run:
 * all is done, something runs, the pre-write failed, or (stopOnFailure) a step failed.
 */
export function nextStep(op: Operation): 'prewrite' | string | null {
  if (isRunning(op) || op.prewrite.state === 'failed' || (op.stopOnFailure && hasFailure(op))) {
    return null;
  }
  if (op.prewrite.state === 'waiting') {
    return 'prewrite';
  }

  return op.steps.find((s) => s.state === 'waiting')?.key ?? null;
}

/** The operation with one step (or the pre-write) changed; the input is not modified. */
export function withStep(op: Operation, key: 'prewrite' | string, state: StepState, error: StepError | null = null): Operation {
  if (key === 'prewrite') {
    return { ...op, prewrite: { state, error } };
  }

  return {
    ...op,
    steps: op.steps.map((s) => (s.key === key ? {
      ...s, state, error
    } : s))
  };
}

/** The operation with a failed step (or pre-write) waiting again, so that nextStep picks it up. */
export function retry(op: Operation, key: 'prewrite' | string): Operation {
  const failed = key === 'prewrite' ? op.prewrite.state === 'failed' : op.steps.some((s) => s.key === key && s.state === 'failed');

  return failed ? withStep(op, key, 'waiting') : op;
}

/** What a step's row says. */
export function stepView(op: Operation, step: Step): StepView {
  if (step.state !== 'waiting') {
    return step.state;
  }
  const halted = op.prewrite.state === 'failed' || (op.stopOnFailure && hasFailure(op));

  if (!halted) {
    return 'waiting';
  }

  return step.authorized && op.prewrite.state === 'done' ? 'authorized-not-configured' : 'not-started';
}

/** Counts by what the rows say, and whether everything is through. */
export function summary(op: Operation): Record<StepView, number> & { total: number, finished: boolean } {
  const counts = {
    waiting: 0, running: 0, done: 0, unchanged: 0, failed: 0, 'authorized-not-configured': 0, 'not-started': 0
  };

  for (const step of op.steps) {
    counts[stepView(op, step)]++;
  }

  return {
    ...counts, total: op.steps.length, finished: op.prewrite.state !== 'failed' && op.steps.every((s) => s.state === 'done' || s.state === 'unchanged')
  };
}

/**
 * Is the cluster left half-written: the pre-write authorized it on the shared object, but its own save has not
 * happened (failed, or not reached)? The page says "authorized, not configured" for it.
 */
export function halfWritten(op: Operation, step: Step): boolean {
  return step.authorized && op.prewrite.state === 'done' && (step.state === 'failed' || step.state === 'waiting');
}
