/**
 * Worker side of certifyParallel: certifies its share of the examples on its own WebAssembly
 * engine and reports progress and the result to the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { certify, type CertifyBoundOptions, type Network, type ThreatModel } from '@minmax/core';
import { createWasmIntervalEngineSync } from '../engine.js';

export interface WorkerTask {
  readonly net: Network;
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly threat: ThreatModel;
  readonly options: Omit<CertifyBoundOptions, 'engine' | 'onProgress' | 'signal'>;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly done: number }
  | { readonly type: 'result'; readonly margins: Float64Array; readonly status: string[]; readonly verified: number; readonly n: number }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

const task = workerData as WorkerTask;
const port = parentPort!;
const engine = createWasmIntervalEngineSync();
try {
  const r = certify(task.net, task.x, task.y, task.threat, { ...task.options, engine, onProgress: (e) => port.postMessage({ type: 'progress', done: e.done } satisfies WorkerMessage) });
  port.postMessage({ type: 'result', margins: r.margins, status: r.status, verified: r.verified, n: r.n } satisfies WorkerMessage);
} catch (e) {
  const err = e as Error;
  port.postMessage({ type: 'error', name: err.name, message: err.message } satisfies WorkerMessage);
} finally {
  engine.dispose();
}
