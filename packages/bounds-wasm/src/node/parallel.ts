/**
 * certify() split over worker threads (Node), each with its own WebAssembly engine: examples are
 * independent, so n images on k threads take about n/k of the time on k free cores. Results are
 * identical to the single-threaded call (same kernels, same per-example computation).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  InvalidArgumentError,
  MinmaxError,
  ShapeError,
  validateThreat,
  type CertifyBoundOptions,
  type CertifyResult,
  type CertifyStatus,
  type Network,
  type ThreatModel,
} from '@minmax/core';
import type { WorkerMessage, WorkerTask } from './certify-worker.js';

export interface ParallelCertifyOptions extends Omit<CertifyBoundOptions, 'engine' | 'signal' | 'layers'> {
  /** Worker threads (default: the available cores). */
  readonly threads?: number;
}

const ERRORS: Record<string, new (message: string) => MinmaxError> = { InvalidArgumentError, ShapeError };

/** certify() of examples x ([n, ...inputShape]) with labels y on `threads` worker threads. */
export async function certifyParallel(net: Network, x: Float32Array, y: Int32Array, threat: ThreatModel, options: ParallelCertifyOptions = {}): Promise<CertifyResult> {
  const t0 = performance.now();
  validateThreat(threat);
  const n = y.length;
  if (n === 0 || x.length % n !== 0) throw new ShapeError(`certifyParallel: x has ${x.length} values for ${n} labels`);
  const size = x.length / n;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), n));
  const { threads: _, onProgress, ...rest } = options;
  void _;
  const shares = Array.from({ length: threads }, (_, k) => [Math.floor((k * n) / threads), Math.floor(((k + 1) * n) / threads)] as const);
  const done = new Array<number>(threads).fill(0);
  const method = options.method ?? 'ibp';
  const parts = await Promise.all(
    shares.map(
      ([a, b], k) =>
        new Promise<Extract<WorkerMessage, { type: 'result' }>>((resolve, reject) => {
          const task: WorkerTask = { net, x: x.slice(a * size, b * size), y: y.slice(a, b), threat, options: rest };
          const worker = new Worker(new URL('./certify-worker.js', import.meta.url), { workerData: task });
          worker.on('message', (m: WorkerMessage) => {
            if (m.type === 'progress') {
              done[k] = m.done;
              onProgress?.({ task: `certify:${method}`, done: done.reduce((s, v) => s + v, 0), total: n, unit: 'images' });
            } else if (m.type === 'result') resolve(m);
            else reject(new (ERRORS[m.name] ?? MinmaxError)(m.message));
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new MinmaxError(`certify worker ${k} exited with code ${code}`));
          });
        }),
    ),
  );
  const margins = new Float64Array(parts.reduce((s, p) => s + p.margins.length, 0));
  const status: CertifyStatus[] = [];
  let offset = 0;
  let verified = 0;
  for (const p of parts) {
    margins.set(p.margins, offset);
    offset += p.margins.length;
    status.push(...(p.status as CertifyStatus[]));
    verified += p.verified;
  }
  if (status.length !== n) throw new InvalidArgumentError(`certifyParallel: ${status.length} results for ${n} examples`);
  return {
    method,
    n,
    classes: margins.length / n,
    status,
    margins,
    verified,
    certifiedError: (n - verified) / n,
    seconds: (performance.now() - t0) / 1000,
  };
}
