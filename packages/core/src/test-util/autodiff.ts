/**
 * Test harness for the autodiff: analytic gradients of emitted graphs, run in float64 by the
 * reference interpreter, against central finite differences of the same graph's forward part;
 * and ONNX Runtime (float32, one thread) on the float32 build of the same graph against the
 * interpreter, so every emitted op pattern is known to run in the product runtime.
 */
import * as ort from 'onnxruntime-node';
import { GraphBuilder, type FloatType, type Value } from '../autodiff/builder.js';
import { grad } from '../autodiff/grad.js';
import { runGraph, type RefTensor } from '../onnx/interpreter.js';
import { encodeModel } from '../onnx/proto.js';
import { DataType, type ModelProto } from '../onnx/types.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [lo, hi), rounded to float32 so float32 and float64 builds see the same numbers. */
export function uniform(rng: () => number, n: number, lo = -1, hi = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * rng()));
}

const size = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);

export interface FdInput {
  name: string;
  shape: number[];
  /** Float values (default: uniform in [lo, hi)). */
  data?: number[];
  lo?: number;
  hi?: number;
  /** Integer input (indices, labels): never differentiated. */
  ints?: number[];
  /** Differentiate with respect to this float input (default true). */
  diff?: boolean;
}

export interface VjpCheck {
  inputs: FdInput[];
  /** Records the function under test; called once per build (float64 and float32). */
  build: (b: GraphBuilder, xs: Record<string, Value>) => Value;
  seed?: number;
  /** FD step (default 1e-6) and tolerance on |analytic − FD| ≤ tol·(1 + |FD|) (default 1e-6). */
  h?: number;
  tol?: number;
  /** Also run the float32 build in ONNX Runtime and compare (default true). */
  ort?: boolean;
  /** Tolerance of ORT float32 against the float64 reference, relative to max |reference| (default 1e-4). */
  ortTol?: number;
}

export interface VjpResult {
  /** Largest |analytic − FD| / (1 + |FD|) over all differentiated elements. */
  maxFdError: number;
  /** Largest |ORT − reference| / max(1, max |reference|), or undefined when ORT was not run. */
  maxOrtError?: number;
  model: ModelProto;
}

interface Built {
  model: ModelProto;
  gradNames: string[];
}

/** L = Σ y ⊙ P with a fixed random P, so every output element gets a distinct cotangent. */
function buildCheck(check: VjpCheck, floatType: FloatType, projection: number[]): Built {
  const b = new GraphBuilder({ floatType });
  const xs: Record<string, Value> = {};
  for (const inp of check.inputs) xs[inp.name] = b.input(inp.name, inp.shape, inp.ints ? DataType.INT64 : b.floatType);
  const y = check.build(b, xs);
  const dims = y.shape.map((d) => {
    if (typeof d !== 'number') throw new Error(`test graph output has symbolic shape [${y.shape.join(',')}]`);
    return d;
  });
  if (projection.length !== size(dims)) throw new Error('projection size mismatch');
  const loss = b.reduceSum(b.mul(y, b.constant(projection, dims)), undefined, false);
  const wrt = check.inputs.filter((i) => !i.ints && i.diff !== false);
  const grads = grad(b, loss, wrt.map((i) => xs[i.name]));
  b.output('__L', loss);
  const gradNames = wrt.map((i, k) => b.output(`__grad_${i.name}`, grads[k]).name);
  return { model: b.toModel(), gradNames };
}

function outputSizeOf(check: VjpCheck, feeds: Record<string, RefTensor>): number {
  // Run the float64 forward once with a 1-element projection stand-in to learn the output size.
  const b = new GraphBuilder({ floatType: 'float64' });
  const xs: Record<string, Value> = {};
  for (const inp of check.inputs) xs[inp.name] = b.input(inp.name, inp.shape, inp.ints ? DataType.INT64 : b.floatType);
  b.output('__y', check.build(b, xs));
  return size(runGraph(b.toModel(), feeds).__y.dims);
}

export async function checkVjp(check: VjpCheck): Promise<VjpResult> {
  const rng = makeRng(check.seed ?? 1234);
  const h = check.h ?? 1e-6;
  const feeds: Record<string, RefTensor> = {};
  for (const inp of check.inputs) {
    const n = size(inp.shape);
    if (inp.ints) feeds[inp.name] = { dims: inp.shape, data: BigInt64Array.from(inp.ints, (v) => BigInt(v)) };
    else feeds[inp.name] = { dims: inp.shape, data: Float64Array.from(inp.data ?? uniform(rng, n, inp.lo ?? -1, inp.hi ?? 1)) };
  }
  const projection = uniform(rng, outputSizeOf(check, feeds), -1, 1);
  const { model, gradNames } = buildCheck(check, 'float64', projection);
  const ref = runGraph(model, feeds);
  const wrt = check.inputs.filter((i) => !i.ints && i.diff !== false);

  let maxFdError = 0;
  wrt.forEach((inp, k) => {
    const x = feeds[inp.name].data as Float64Array;
    const analytic = ref[gradNames[k]];
    if (analytic.dims.join(',') !== inp.shape.join(','))
      throw new Error(`gradient of '${inp.name}' has dims [${analytic.dims}] instead of [${inp.shape}]`);
    for (let j = 0; j < x.length; j++) {
      const x0 = x[j];
      x[j] = x0 + h;
      const lp = (runGraph(model, feeds, ['__L']).__L.data as Float64Array)[0];
      x[j] = x0 - h;
      const lm = (runGraph(model, feeds, ['__L']).__L.data as Float64Array)[0];
      x[j] = x0;
      const fd = (lp - lm) / (2 * h);
      const a = (analytic.data as Float64Array)[j];
      const err = Math.abs(a - fd) / (1 + Math.abs(fd));
      if (!(err <= maxFdError)) maxFdError = Number.isNaN(err) ? Infinity : err;
    }
  });

  let maxOrtError: number | undefined;
  if (check.ort !== false) {
    const f32 = buildCheck(check, 'float32', projection);
    const ortOut = await runOrt(f32.model, feeds);
    maxOrtError = 0;
    for (let k = 0; k < gradNames.length; k++) {
      const r = ref[gradNames[k]].data as Float64Array;
      const o = ortOut[f32.gradNames[k]];
      let scale = 1;
      for (const v of r) scale = Math.max(scale, Math.abs(v));
      for (let j = 0; j < r.length; j++) {
        const e = Math.abs(o[j] - r[j]) / scale;
        if (!(e <= maxOrtError)) maxOrtError = Number.isNaN(e) ? Infinity : e;
      }
    }
  }
  return { maxFdError, maxOrtError, model };
}

/** Runs a float32 model in ONNX Runtime (CPU, one thread) on float64/int64 feeds. */
export async function runOrt(model: ModelProto, feeds: Record<string, RefTensor>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(encodeModel(model), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      ortFeeds[name] = t.data instanceof BigInt64Array ? new ort.Tensor('int64', t.data, t.dims) : new ort.Tensor('float32', Float32Array.from(t.data), t.dims);
    const res = await session.run(ortFeeds);
    const out: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(res)) out[name] = t.data as Float32Array;
    return out;
  } finally {
    await session.release();
  }
}

/** Central finite differences of the scalar output `output` of `model` w.r.t. the float input `input`. */
export function fdGradient(model: ModelProto, feeds: Record<string, RefTensor>, input: string, output: string, h = 1e-6): Float64Array {
  const x = feeds[input].data as Float64Array;
  const g = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const x0 = x[j];
    x[j] = x0 + h;
    const lp = (runGraph(model, feeds, [output])[output].data as Float64Array)[0];
    x[j] = x0 - h;
    const lm = (runGraph(model, feeds, [output])[output].data as Float64Array)[0];
    x[j] = x0;
    g[j] = (lp - lm) / (2 * h);
  }
  return g;
}

/** max_j |a_j − b_j| / (1 + |b_j|). */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let j = 0; j < a.length; j++) {
    const e = Math.abs(a[j] - b[j]) / (1 + Math.abs(b[j]));
    if (!(e <= m)) m = Number.isNaN(e) ? Infinity : e;
  }
  return m;
}
