/**
 * Certified bounds (issue 4): IBP over the MNIST test set on the ConvNet, CROWN with full
 * intermediate bounds per image on dnn4 and on the ConvNet (ε = 0.01, box clamped), side by side
 * on the WebAssembly engine, the plain-TS reference engine, and — for IBP — the same centre/radius
 * IBP as an ONNX graph in onnxruntime-node (float32, no outward rounding: a speed comparison only,
 * not a sound bound).
 */
import * as ort from 'onnxruntime-node';
import { createWasmIntervalEngine } from '@minmax/bounds-wasm';
import { certifyParallel } from '@minmax/bounds-wasm/node';
import {
  buildModel,
  certify,
  createReferenceIntervalEngine,
  createRuntime,
  encodeModel,
  linfBox,
  type GraphValue,
  type GraphBuilder,
  type IntervalEngine,
  type Network,
  type Param,
} from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { loadBenchModel } from '../models.js';
import type { Row, SuiteResult } from '../report.js';

export interface BoundsBenchOptions {
  /** Images for the full-test-set IBP figure (10,000 for the real figure). */
  ibpImages?: number;
  /** Images timed on the TS reference (IBP; extrapolated per image). */
  referenceImages?: number;
  /** Images for CROWN per-image figures. */
  crownImagesDnn4?: number;
  crownImagesCnn?: number;
  /** ONNX Runtime intra-op threads for the graph comparison. */
  threads?: number;
}

/** IBP of `net` as an ONNX graph: centre/radius through every linear layer, lower/upper through ReLU. */
function ibpGraph(net: Network): Uint8Array {
  const model = buildModel((b: GraphBuilder) => {
    let l = b.input('lower', ['N', ...net.inputShape]);
    let u = b.input('upper', ['N', ...net.inputShape]);
    const half = b.scalar(0.5);
    const param = (p: Param, abs = false): GraphValue => b.param(abs ? `${p.name}_abs` : p.name, p.shape, abs ? p.data.map(Math.abs) : p.data);
    const zero = (p: Param): GraphValue => b.constant(new Float32Array(p.data.length), p.shape);
    for (const layer of net.layers) {
      switch (layer.kind) {
        case 'dense':
        case 'conv': {
          const c = b.mul(b.add(l, u), half);
          const r = b.mul(b.sub(u, l), half);
          const apply = (x: GraphValue, abs: boolean): GraphValue =>
            layer.kind === 'dense'
              ? b.gemm(x, param(layer.weight, abs), abs ? zero(layer.bias) : param(layer.bias), { transB: true })
              : b.conv(x, param(layer.weight, abs), abs ? zero(layer.bias) : param(layer.bias), { strides: layer.strides, pads: layer.pads, dilations: layer.dilations });
          const c2 = apply(c, false);
          const r2 = apply(r, true);
          l = b.sub(c2, r2);
          u = b.add(c2, r2);
          break;
        }
        case 'relu':
          l = b.relu(l);
          u = b.relu(u);
          break;
        case 'flatten':
          l = b.flatten(l, 1);
          u = b.flatten(u, 1);
          break;
        default:
          throw new Error(`ibpGraph: layer kind ${layer.kind} is not needed by the benchmark`);
      }
    }
    return { lower_out: l, upper_out: u };
  });
  return encodeModel(model);
}

function perImage(seconds: number, n: number): number {
  return (1000 * seconds) / n;
}

/**
 * Mean milliseconds per image of CROWN (margins of the label, full intermediate bounds) over `n`
 * images, after one warm-up image (network preparation, JIT).
 */
function crownMs(engine: IntervalEngine, net: Network, images: Float32Array, labels: Int32Array, n: number, eps: number): { ms: number; verified: number } {
  certify(net, images.subarray(n * 784, (n + 1) * 784), labels.subarray(n, n + 1), { norm: 'linf', eps }, { method: 'crown', engine, clamp: true });
  const r = certify(net, images.subarray(0, n * 784), labels.subarray(0, n), { norm: 'linf', eps }, { method: 'crown', engine, clamp: true });
  return { ms: perImage(r.seconds, r.n), verified: r.verified };
}

export async function boundsSuite(o: BoundsBenchOptions = {}): Promise<SuiteResult> {
  const ibpImages = o.ibpImages ?? 10_000;
  const referenceImages = o.referenceImages ?? 100;
  const crownDnn4 = o.crownImagesDnn4 ?? 50;
  const crownCnn = o.crownImagesCnn ?? 5;
  const threads = o.threads ?? 2;
  const test = await loadMnist('test');
  const cnn = loadBenchModel('cnn').net;
  const dnn4 = loadBenchModel('dnn4').net;
  const wasm = await createWasmIntervalEngine();
  const ref = createReferenceIntervalEngine();
  const rows: Row[] = [];
  try {
    // IBP-certified error of the ConvNet over the test set (ε = 0.1, unclamped as in chapter 4), after a warm-up batch.
    certify(cnn, test.images.subarray(0, 20 * 784), test.labels.subarray(0, 20), { norm: 'linf', eps: 0.1 }, { method: 'ibp', engine: wasm });
    const full = certify(cnn, test.images.subarray(0, ibpImages * 784), test.labels.subarray(0, ibpImages), { norm: 'linf', eps: 0.1 }, { method: 'ibp', engine: wasm });
    const full10k = (full.seconds * 10_000) / full.n;
    rows.push({
      metric: `IBP certify, ConvNet, WASM, ${full.n} images`,
      value: full.seconds,
      unit: 's',
      note: `certified error ${full.certifiedError.toFixed(4)}`,
    });
    rows.push({ metric: 'IBP certify, ConvNet, WASM, 10,000 images', value: full10k, unit: 's', target: '≤ 20', met: full10k <= 20, note: full.n === 10_000 ? 'measured' : `extrapolated from ${full.n}` });
    const par = await certifyParallel(cnn, test.images.subarray(0, ibpImages * 784), test.labels.subarray(0, ibpImages), { norm: 'linf', eps: 0.1 }, { method: 'ibp', threads });
    const par10k = (par.seconds * 10_000) / par.n;
    rows.push({
      metric: `IBP certify, ConvNet, WASM on ${threads} worker threads, 10,000 images`,
      value: par10k,
      unit: 's',
      target: '≤ 20',
      met: par10k <= 20,
      note: `${par.n === 10_000 ? 'measured' : `extrapolated from ${par.n}`}; same certified error: ${par.certifiedError === full.certifiedError}`,
    });
    certify(cnn, test.images.subarray(0, 784), test.labels.subarray(0, 1), { norm: 'linf', eps: 0.1 }, { method: 'ibp', engine: ref });
    const refRun = certify(cnn, test.images.subarray(0, referenceImages * 784), test.labels.subarray(0, referenceImages), { norm: 'linf', eps: 0.1 }, { method: 'ibp', engine: ref });
    const wasmMs = perImage(full.seconds, full.n);
    const refMs = perImage(refRun.seconds, refRun.n);
    rows.push({ metric: 'IBP certify, ConvNet, WASM', value: wasmMs, unit: 'ms/image' });
    rows.push({ metric: 'IBP certify, ConvNet, TS reference', value: refMs, unit: 'ms/image', note: `${refRun.n} images` });
    rows.push({ metric: 'IBP speed-up WASM / TS reference', value: refMs / wasmMs, unit: '×', target: '≥ 5', met: refMs / wasmMs >= 5 });

    // The same IBP as an ONNX graph in onnxruntime-node (float32, batches of 100; not sound).
    const runtime = await createRuntime(ort, { device: 'cpu', threads });
    const session = await runtime.createSession(ibpGraph(cnn));
    try {
      const batch = 100;
      const box = linfBox(test.images.subarray(0, batch * 784), 0.1);
      const feeds = { lower: { data: Float32Array.from(box.lower), dims: [batch, 1, 28, 28] }, upper: { data: Float32Array.from(box.upper), dims: [batch, 1, 28, 28] } };
      await session.run(feeds);
      const reps = Math.max(1, Math.ceil(ibpImages / batch));
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) await session.run(feeds);
      const ortMs = (performance.now() - t0) / (reps * batch);
      rows.push({ metric: `IBP as an ONNX graph, ConvNet, onnxruntime-node float32 (${threads} threads)`, value: ortMs, unit: 'ms/image', note: 'comparison only: no outward rounding' });
      rows.push({ metric: 'IBP as an ONNX graph, 10,000 images', value: (ortMs * 10_000) / 1000, unit: 's' });
    } finally {
      await session.dispose();
    }

    // CROWN with full intermediate bounds, ε = 0.01, box clamped to [0, 1].
    const d4 = crownMs(wasm, dnn4, test.images, test.labels, crownDnn4, 0.01);
    const d4ref = crownMs(ref, dnn4, test.images, test.labels, Math.max(1, Math.ceil(crownDnn4 / 5)), 0.01);
    rows.push({ metric: 'CROWN per image, dnn4, WASM', value: d4.ms, unit: 'ms', target: '≤ 10', met: d4.ms <= 10, note: `${crownDnn4} images, ${d4.verified} verified` });
    rows.push({ metric: 'CROWN per image, dnn4, TS reference', value: d4ref.ms, unit: 'ms' });
    const c = crownMs(wasm, cnn, test.images, test.labels, crownCnn, 0.01);
    rows.push({ metric: 'CROWN per image, ConvNet, WASM', value: c.ms, unit: 'ms', target: '≤ 50', met: c.ms <= 50, note: `${crownCnn} images, ${c.verified} verified` });
    // Examples are independent, so a batch spreads over the cores (one engine per worker, workers started inside the timing).
    const parImages = Math.max(threads, crownCnn);
    const cp = await certifyParallel(cnn, test.images.subarray(0, parImages * 784), test.labels.subarray(0, parImages), { norm: 'linf', eps: 0.01 }, { method: 'crown', clamp: true, threads });
    const cpMs = perImage(cp.seconds, cp.n);
    rows.push({
      metric: `CROWN per image, ConvNet, WASM on ${threads} worker threads`,
      value: cpMs,
      unit: 'ms',
      target: '≤ 50',
      met: cpMs <= 50,
      note: `${cp.n} images, ${cp.verified} verified (single thread: ${c.verified} of the first ${crownCnn})`,
    });
    return {
      suite: 'bounds',
      description:
        "Certified bounds on the tutorial's networks: IBP over the MNIST test set (ConvNet, ε = 0.1, unclamped), CROWN with full intermediate bounds per image (ε = 0.01, clamped), on the WebAssembly engine, the plain-TS reference and (IBP) an ONNX graph in onnxruntime-node.",
      config: { ibpImages, referenceImages, crownDnn4, crownCnn, threads },
      rows,
    };
  } finally {
    wasm.dispose();
    ref.dispose();
  }
}
