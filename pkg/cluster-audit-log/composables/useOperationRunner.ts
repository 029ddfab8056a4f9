/**
 * Runs an operation across clusters (fleet/operation.ts decides what runs next): the pre-write, then each step, one
 * at a time, recording each outcome; a failure's HTTP status and message are kept for the page to show and retry.
 * `stopped` is called whenever the run comes to rest (all done, or halted at a failure).
 */
import { shallowRef } from 'vue';
import { describeError } from '../apply';
import {
  newOperation, nextStep, Operation, retry as retryStep, stepError, withStep
} from '../fleet/operation';

/** What the runner calls: the pre-write, each step ('unchanged': nothing needed writing), and when it rests. */
export interface RunnerHooks {
  prewrite: () => Promise<void>;
  step: (key: string) => Promise<'done' | 'unchanged'>;
  stopped: () => void;
}

/** The operation (reactive) and how to start it and retry a step. */
export function useOperationRunner(hooks: RunnerHooks) {
  const operation = shallowRef<Operation | null>(null);
  let looping = false;

  async function loop(): Promise<void> {
    if (looping) {
      return;
    }
    looping = true;
    try {
      for (let next = operation.value && nextStep(operation.value); next; next = operation.value && nextStep(operation.value)) {
        const key = next;

        operation.value = withStep(operation.value as Operation, key, 'running');
        try {
          const result = key === 'prewrite' ? (await hooks.prewrite(), 'done' as const) : await hooks.step(key);

          operation.value = withStep(operation.value as Operation, key, result);
        } catch (e) {
          const { status, message } = describeError(e);

          operation.value = withStep(operation.value as Operation, key, 'failed', stepError(status, message));
        }
      }
    } finally {
      looping = false;
      hooks.stopped();
    }
  }

  /** Starts a new operation (see newOperation). */
  function start(...args: Parameters<typeof newOperation>): Promise<void> {
    operation.value = newOperation(...args);

    return loop();
  }

  /** Retries a failed step (or the pre-write) and goes on from there. */
  function retry(key: string): Promise<void> {
    if (operation.value) {
      operation.value = retryStep(operation.value, key);
    }

    return loop();
  }

  /** Forgets the operation (closing the panel). */
  function clear(): void {
    if (!looping) {
      operation.value = null;
    }
  }

  return {
    operation, start, retry, clear
  };
}
