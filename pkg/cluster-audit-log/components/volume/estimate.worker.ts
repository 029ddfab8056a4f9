/**
 * The Web Worker that runs the volume estimate off the page's main thread (components/volume/runner.ts starts
 * it): it keeps the sample it was given and replays it through each policy it is sent (policy/estimate.ts).
 */
import { estimate, Estimate } from '../../policy/estimate';
import type { Policy } from '../../policy/types';

/** What the page sends: the sample (text, or UTF-8 bytes moved to the worker), then policies to estimate. */
export type WorkerRequest =
  | { type: 'sample', sample: string | ArrayBuffer }
  | { type: 'estimate', id: number, policy: Policy };

/** What the worker answers to an `estimate` request: the estimate and how long it took, or why it failed. */
export type WorkerReply =
  | { id: number, estimate: Estimate, ms: number }
  | { id: number, error: string };

/** The worker's global scope, as far as this worker uses it (the DOM lib types `self` as a Window). */
const scope = self as unknown as {
  onmessage: ((event: { data: WorkerRequest }) => void) | null;
  postMessage(reply: WorkerReply): void;
};

let sample = '';

scope.onmessage = ({ data }) => {
  if (data.type === 'sample') {
    sample = typeof data.sample === 'string' ? data.sample : new TextDecoder().decode(data.sample);

    return;
  }
  const started = performance.now();

  try {
    scope.postMessage({
      id: data.id, estimate: estimate(data.policy, sample), ms: Math.round(performance.now() - started)
    });
  } catch (e) {
    scope.postMessage({ id: data.id, error: e instanceof Error ? e.message : String(e) });
  }
};
