/**
 * Cross-runtime figures: a forward pass, one PGD step (forward + input gradient + sign step +
 * projection) and sound IBP bounds for one batch, on the tutorial's MLP (dnn2) and ConvNet (cnn),
 * in onnxruntime-node (CPU, and CUDA / WebGPU where the machine has them), onnxruntime-web's wasm
 * backend inside Node, and Chromium (onnxruntime-web on wasm and on WebGPU). Every runtime runs
 * the same code (runtime-measure.ts); ratios are against onnxruntime-node CPU in the same run.
 * A runtime this machine lacks gets a row saying so, never a figure.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { createWasmIntervalEngine } from '@minmax/bounds-wasm';
import { createRuntime, ExecutionProviderError, type OrtModule, type Runtime } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { loadBenchModel } from '../models.js';
import type { Row, SuiteResult } from '../report.js';
import { measureForwardAndStep, measureIbp, type BrowserBenchRequest, type BrowserBenchResult, type RepOptions } from './runtime-measure.js';

export interface RuntimesBenchOptions {
  batch?: number;
  reps?: number;
  warmup?: number;
  /** Alternating forward/step blocks per runtime. */
  rounds?: number;
  /** Threads for onnxruntime-node CPU and onnxruntime-web wasm in Node (Chromium's wasm runs on one). */
  threads?: number;
  /** Tutorial model files (without .onnx). */
  models?: string[];
  /** Chromium executable (Debian's by default; MINMAX_CHROMIUM overrides). */
  chromium?: string;
}

const NOT_AVAILABLE = 'not available on this machine';
const BASELINE = 'onnxruntime-node CPU';
const MODEL_LABELS: Record<string, string> = { dnn2: 'MLP (dnn2)', cnn: 'ConvNet (cnn)' };
const BASE_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type Figures = { forwardMs: number; stepMs: number };
type RuntimeResult = { available: false; reason: string } | { available: true; detail: string; models: Record<string, Figures> };

/** The first clause of a provider error ("execution provider 'cuda' is not available …"), without the install hint. */
function shortReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split(': ')[0];
}

async function nodeRuntime(make: () => Promise<Runtime>, detail: string, models: string[], batch: number, x: Float32Array, y: Int32Array, reps: RepOptions): Promise<RuntimeResult> {
  let runtime: Runtime;
  try {
    runtime = await make();
  } catch (e) {
    if (e instanceof ExecutionProviderError) return { available: false, reason: shortReason(e) };
    throw e;
  }
  const out: Record<string, Figures> = {};
  for (const name of models) {
    const { bytes, net } = loadBenchModel(name);
    const { forward, step } = await measureForwardAndStep(runtime, net, bytes, x, y, batch, reps);
    out[name] = { forwardMs: forward.medianMs, stepMs: step.medianMs };
  }
  return { available: true, detail, models: out };
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/**
 * The built page on 127.0.0.1 (a secure context, as WebGPU requires). (The web package's e2e
 * static server is TypeScript outside this package's build, so it cannot be imported from dist/.)
 */
async function servePage(root: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)).replace(/^([/\\])+/, '');
    const file = join(root, rel);
    if (req.method !== 'GET' || !file.startsWith(root + sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Builds the bench page (browser/) with Vite into a temporary folder beside the models and the batch. */
async function buildPage(outDir: string, models: string[], x: Float32Array, y: Int32Array): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '../../browser');
  await build({
    root,
    configFile: false,
    base: './',
    logLevel: 'warn',
    // '@minmax/core' from its sources, as the web page does; bounds-wasm's import of it resolves to the same copy.
    resolve: { alias: [{ find: /^@minmax\/core$/, replacement: resolve(here, '../../../core/src/index.ts') }] },
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  });
  for (const name of models) copyFileSync(loadBenchModel(name).file, join(outDir, `${name}.onnx`));
  const batchBytes = new Uint8Array(x.byteLength + y.byteLength);
  batchBytes.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), 0);
  batchBytes.set(new Uint8Array(y.buffer, y.byteOffset, y.byteLength), x.byteLength);
  writeFileSync(join(outDir, 'batch.bin'), batchBytes);
}

/** Chromium on wasm and on WebGPU, plus the page's IBP time per model (bounds-wasm; measured with the wasm run). */
async function browserRuntimes(
  executable: string,
  models: string[],
  batch: number,
  x: Float32Array,
  y: Int32Array,
  reps: RepOptions,
): Promise<{ wasm: RuntimeResult; webgpu: RuntimeResult; ibpMs: Record<string, number> | undefined }> {
  if (!existsSync(executable)) {
    const none: RuntimeResult = { available: false, reason: `no Chromium at ${executable}` };
    return { wasm: none, webgpu: none, ibpMs: undefined };
  }
  const outDir = mkdtempSync(join(tmpdir(), 'minmax-bench-page-'));
  try {
    await buildPage(outDir, models, x, y);
    const server = await servePage(outDir);
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: executable, args: [...BASE_ARGS, '--enable-unsafe-webgpu'] });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`${server.origin}/index.html`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      const run = async (device: 'wasm' | 'webgpu'): Promise<BrowserBenchResult> => {
        // One wasm thread: with more (cross-origin isolated page), onnxruntime-web's pthread workers crashed headless Chromium's renderer.
        // WebGPU here may be a software adapter (SwiftShader: ~1 s per ConvNet PGD step at batch
        // 100): one round of 5 after 2 warm-up keeps a full run to minutes; medians still hold.
        const gpuReps: RepOptions = { warmup: Math.min(reps.warmup, 2), reps: Math.min(reps.reps, 5), rounds: 1 };
        const req: BrowserBenchRequest = { device, threads: 1, batch, models, ibp: device === 'wasm', reps: device === 'webgpu' ? gpuReps : reps };
        try {
          return await page.evaluate((r) => window.minmaxBench(r), req);
        } catch (e) {
          throw new Error(`Chromium ${device} bench failed: ${e instanceof Error ? e.message : String(e)}${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`);
        }
      };
      const toResult = (r: BrowserBenchResult, detail: (t: number, a: string) => string): RuntimeResult =>
        r.available
          ? { available: true, detail: detail(r.threads, r.adapter), models: Object.fromEntries(Object.entries(r.models).map(([k, v]) => [k, { forwardMs: v.forwardMs, stepMs: v.stepMs }])) }
          : { available: false, reason: shortReason(new Error(r.reason)) };
      const w = await run('wasm');
      const g = await run('webgpu');
      const ibpMs = w.available ? Object.fromEntries(Object.entries(w.models).map(([k, v]) => [k, v.ibpMs ?? NaN])) : undefined;
      return {
        wasm: toResult(w, (t) => `${t} thread${t === 1 ? '' : 's'}`),
        webgpu: toResult(g, (_t, a) => `adapter ${a || 'unknown'}${/swiftshader/i.test(a) ? ' (software rendering, not a GPU)' : ''}`),
        ibpMs,
      };
    } finally {
      await browser?.close();
      await server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function runtimesSuite(o: RuntimesBenchOptions = {}): Promise<SuiteResult> {
  const batch = o.batch ?? 100;
  const threads = o.threads ?? 2;
  const reps: RepOptions = { warmup: o.warmup ?? 10, reps: o.reps ?? 20, rounds: o.rounds ?? 3 };
  const models = o.models ?? ['dnn2', 'cnn'];
  const executable = o.chromium ?? process.env.MINMAX_CHROMIUM ?? '/usr/bin/chromium';
  const test = await loadMnist('test');
  const x = Float32Array.from(test.images.subarray(0, batch * 784));
  const y = Int32Array.from(test.labels.subarray(0, batch));

  const runtimes: [string, RuntimeResult][] = [];
  const t = `${threads} thread${threads === 1 ? '' : 's'}`;
  runtimes.push([BASELINE, await nodeRuntime(() => createRuntime(ortNode, { device: 'cpu', threads }), t, models, batch, x, y, reps)]);
  runtimes.push([
    'onnxruntime-web wasm in Node',
    // createRuntime sets ort.env.wasm.numThreads, read once when onnxruntime-web's wasm first initialises.
    await nodeRuntime(() => createRuntime(ortWeb as unknown as OrtModule, { device: 'wasm', threads }), t, models, batch, x, y, reps),
  ]);
  runtimes.push(['onnxruntime-node CUDA', await nodeRuntime(() => createRuntime(ortNode, { device: 'cuda' }), 'GPU', models, batch, x, y, reps)]);
  runtimes.push(['onnxruntime-node WebGPU', await nodeRuntime(() => createRuntime(ortNode, { device: 'webgpu' }), 'GPU', models, batch, x, y, reps)]);
  const page = await browserRuntimes(executable, models, batch, x, y, reps);
  runtimes.push(['Chromium onnxruntime-web wasm', page.wasm], ['Chromium onnxruntime-web WebGPU', page.webgpu]);

  const nodeIbp: Record<string, number> = {};
  const engine = await createWasmIntervalEngine();
  try {
    for (const name of models) nodeIbp[name] = (await measureIbp(engine, loadBenchModel(name).net, x, y, reps)).medianMs;
  } finally {
    engine.dispose();
  }

  const rows: Row[] = [];
  for (const [label, r] of runtimes) if (!r.available) rows.push({ metric: `forward, PGD step: ${label}`, value: NaN, unit: 'ms/batch', note: `${NOT_AVAILABLE}: ${r.reason}` });
  const base = runtimes[0][1];
  for (const name of models) {
    const m = MODEL_LABELS[name] ?? name;
    for (const [label, r] of runtimes) {
      if (!r.available) continue;
      const f = r.models[name];
      rows.push({ metric: `forward, ${m}, ${label}`, value: f.forwardMs, unit: 'ms/batch', note: r.detail });
      rows.push({ metric: `PGD step, ${m}, ${label}`, value: f.stepMs, unit: 'ms/batch', note: r.detail });
      rows.push({ metric: `PGD step / forward, ${m}, ${label}`, value: f.stepMs / f.forwardMs, unit: '×' });
      if (label !== BASELINE && base.available) {
        const b = base.models[name];
        rows.push({ metric: `forward ${label} / ${BASELINE}, ${m}`, value: f.forwardMs / b.forwardMs, unit: '×' });
        rows.push({ metric: `PGD step ${label} / ${BASELINE}, ${m}`, value: f.stepMs / b.stepMs, unit: '×' });
      }
    }
    const ibpNote = 'sound IBP, ε = 0.1, @minmax/bounds-wasm: independent of the ORT runtime';
    rows.push({ metric: `IBP bounds, ${m}, Node`, value: nodeIbp[name], unit: 'ms/batch', note: ibpNote });
    const pageIbp = page.ibpMs?.[name];
    if (pageIbp === undefined) rows.push({ metric: `IBP bounds, ${m}, Chromium`, value: NaN, unit: 'ms/batch', note: `${NOT_AVAILABLE}: ${page.wasm.available ? 'no figure' : page.wasm.reason}` });
    else {
      rows.push({ metric: `IBP bounds, ${m}, Chromium`, value: pageIbp, unit: 'ms/batch', note: ibpNote });
      rows.push({ metric: `IBP bounds Chromium / Node, ${m}`, value: pageIbp / nodeIbp[name], unit: '×' });
    }
  }
  return {
    suite: 'runtimes',
    description: `Forward pass, one PGD step (forward + input gradient + sign step + projection) and IBP bounds for a batch of ${batch} MNIST test images on the tutorial's ${models.map((n) => MODEL_LABELS[n] ?? n).join(' and ')}, in every runtime minmax runs on: onnxruntime-node CPU, CUDA and WebGPU, onnxruntime-web's wasm backend inside Node, and Chromium (onnxruntime-web on wasm and WebGPU). Medians over alternating forward/step blocks; ratios are against onnxruntime-node CPU in the same run. Runtimes this machine lacks are listed as not available.`,
    config: { batch, threads, ...reps, models, chromium: executable },
    rows,
  };
}
