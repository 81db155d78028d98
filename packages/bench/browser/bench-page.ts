/**
 * The runtimes suite's Chromium page: onnxruntime-web (wasm or WebGPU) running the same
 * measurements as Node (src/suites/runtime-measure.ts). The harness serves this page, the model
 * files and batch.bin (float32 images, then int32 labels) from one local origin, and calls
 * window.minmaxBench(request) through playwright.
 */
import * as ort from 'onnxruntime-web';
import { createRuntime, ExecutionProviderError, importOnnx, type OrtModule } from '@minmax/core';
import { createWasmIntervalEngine } from '@minmax/bounds-wasm';
import { measureForwardAndStep, measureIbp, type BrowserBenchRequest, type BrowserBenchResult } from '../src/suites/runtime-measure.js';

async function fetchBytes(path: string): Promise<Uint8Array> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`bench page: GET ${path} answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function adapterName(): Promise<string> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string; description: string } } | null> } }).gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return '';
  const info = adapter.info;
  return info ? [info.vendor, info.architecture, info.description].filter((s) => s).join(' / ') : 'unknown adapter';
}

async function bench(req: BrowserBenchRequest): Promise<BrowserBenchResult> {
  const batchBytes = await fetchBytes('./batch.bin');
  const x = new Float32Array(batchBytes.buffer, 0, req.batch * 784);
  const y = new Int32Array(batchBytes.buffer, req.batch * 784 * 4, req.batch);
  let runtime;
  try {
    runtime = await createRuntime(ort as unknown as OrtModule, { device: req.device, threads: req.device === 'wasm' ? req.threads : undefined });
  } catch (e) {
    if (e instanceof ExecutionProviderError) return { available: false, reason: e.message };
    throw e;
  }
  const adapter = req.device === 'webgpu' ? await adapterName() : '';
  const engine = req.ibp ? await createWasmIntervalEngine() : undefined;
  const models: Record<string, { forwardMs: number; stepMs: number; ibpMs?: number }> = {};
  try {
    for (const name of req.models) {
      const bytes = await fetchBytes(`./${name}.onnx`);
      const net = importOnnx(bytes);
      const { forward, step } = await measureForwardAndStep(runtime, net, bytes, x, y, req.batch, req.reps);
      models[name] = { forwardMs: forward.medianMs, stepMs: step.medianMs };
      if (engine) models[name].ibpMs = (await measureIbp(engine, net, x, y, req.reps)).medianMs;
    }
  } finally {
    engine?.dispose();
  }
  // ORT-web quietly falls back to one thread without SharedArrayBuffer (no cross-origin isolation).
  const threads = req.device === 'wasm' ? (crossOriginIsolated ? (ort.env.wasm.numThreads ?? 1) : 1) : 0;
  return { available: true, threads, adapter, models };
}

// onnxruntime-web starts its wasm threads as workers from this same bundled module: only the page itself sets up.
if (typeof document !== 'undefined') {
  window.minmaxBench = bench;
  document.body.dataset.ready = 'true';
}
