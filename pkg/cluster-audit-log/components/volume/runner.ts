/**
 * Runs the volume estimate in a Web Worker (estimate.worker.ts), so the tab stays responsive on a large sample,
 * and loads the bundled sample. Browser only, and loaded only when the user picks a sample: webpack 5 turns
 * `new Worker(new URL(..., import.meta.url))` into a worker chunk and `new URL(<file>, import.meta.url)` into
 * an asset file, both next to the extension's other chunks. Component tests swap this module for one that
 * calls policy/estimate.ts directly.
 */
import type { Estimate } from '../../policy/estimate';
import type { Policy } from '../../policy/types';
import type { WorkerReply, WorkerRequest } from './estimate.worker';

/** The estimate of one policy on the sample, with the worker's own time for it. */
export interface EstimateRun { estimate: Estimate, ms: number }

/** The estimate, off the main thread. */
export interface EstimateRunner {
  /** Hands the sample over (an ArrayBuffer is moved to the worker, not copied). */
  setSample(sample: string | ArrayBuffer): void;
  /** Estimates the sample with `policy`; requests are answered in order. */
  run(policy: Policy): Promise<EstimateRun>;
  /** Stops the worker; pending runs are rejected. */
  dispose(): void;
}

/**
 * The real cluster trace tests/fixtures/events/perfspec-cluster-requests.jsonl (see its SOURCES.md), emitted by
 * webpack as a file of its own: fetched only when the user asks for it.
 */
const BUNDLED_SAMPLE = new URL('../../../../tests/fixtures/events/perfspec-cluster-requests.jsonl', import.meta.url);

/** Fetches the bundled sample as UTF-8 bytes. */
export async function loadBundledSample(): Promise<ArrayBuffer> {
  const res = await fetch(BUNDLED_SAMPLE);

  if (!res.ok) {
    throw new Error(`${ BUNDLED_SAMPLE.pathname }: ${ res.status } ${ res.statusText }`);
  }

  return res.arrayBuffer();
}

/** Starts the worker. */
export function createEstimateRunner(): EstimateRunner {
  const worker = new Worker(new URL('./estimate.worker.ts', import.meta.url));
  const pending = new Map<number, { resolve:(run: EstimateRun) => void, reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (error: Error) => {
    for (const p of pending.values()) {
      p.reject(error);
    }
    pending.clear();
  };
  const send = (request: WorkerRequest, transfer: ArrayBuffer[] = []) => worker.postMessage(request, transfer);

  worker.onmessage = ({ data }: MessageEvent<WorkerReply>) => {
    const p = pending.get(data.id);

    pending.delete(data.id);
    if ('error' in data) {
      p?.reject(new Error(data.error));
    } else {
      p?.resolve({ estimate: data.estimate, ms: data.ms });
    }
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    failAll(new Error(e.message || 'the estimate worker stopped'));
  };

  return {
    setSample: (sample) => send({ type: 'sample', sample }, typeof sample === 'string' ? [] : [sample]),
    run:       (policy) => new Promise<EstimateRun>((resolve, reject) => {
      const id = ++next;

      pending.set(id, { resolve, reject });
      // a plain copy: the draft's policy is a reactive proxy, which structured clone refuses
      send({
        type: 'estimate', id, policy: JSON.parse(JSON.stringify(policy))
      });
    }),
    dispose: () => {
      worker.terminate();
      failAll(new Error('stopped'));
    },
  };
}
