/**
 * onnxruntime-web as every worker of the page uses it, configured once on import: one WebAssembly
 * thread (threads need a cross-origin-isolated page, and each worker already has its work to
 * itself, leaving the other workers their cores), no proxy worker (this is one), errors only.
 */
import * as ort from 'onnxruntime-web';
import { createGradientModel, createRuntime, importOnnx, type GradientModel, type OrtModule } from '@minmax/core';
import type { Device } from '../runtime/device.js';
import { describeOrtError } from '../runtime/ort-errors.js';

ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;
ort.env.logLevel = 'error';

export { ort };

/** importOnnx → createRuntime → createGradientModel on `device`, as the CLI opens a model; ORT's failures in plain words. */
export async function openGradientModel(bytes: Uint8Array, device: Device): Promise<GradientModel> {
  const net = importOnnx(bytes);
  try {
    const runtime = await createRuntime(ort as unknown as OrtModule, { device, threads: 1 });
    return await createGradientModel(runtime, net);
  } catch (err) {
    throw describeOrtError(err, device);
  }
}

/**
 * Runs jobs one after another: a worker never releases a model under a running job (the page may
 * open another model while an abandoned run is still finishing its current step).
 */
export function serialQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job);
    queue = next.catch(() => undefined);
    return next;
  };
}
