/**
 * The product's logits, objectives and input gradients on the tutorial networks against PyTorch
 * autograd in float64 (fixtures/gradients, made by fixtures/make_gradient_fixtures.py; see
 * fixtures/README.md). Also checks that the committed fixtures themselves agree with ONNX Runtime
 * running the original ONNX files, so a bad fixture cannot pass for a bad implementation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradientModel, ObjectiveKind, Reduction } from '../model.js';
import { importOnnx } from '../onnx/import.js';
import { createGradientModel, createRuntime } from './index.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures');
const tutorialModels = resolve(import.meta.dirname, '../../../../../shared/tutorial-models');
const MODELS = ['dnn2', 'dnn4', 'small', 'cnn', 'cnn_robust', 'cnn_robust_ibp'] as const;
const KINDS: ObjectiveKind[] = ['ce', 'margin', 'targeted', 'targeted-sum'];
const EPS32 = 2 ** -23;

interface ObjectiveRef {
  reduction: Reduction;
  losses: string;
  grad: string;
  gradMaxAbs?: number;
  gradMaxAbsDiffVsFloat64?: number;
}
interface PrecisionRef {
  logits: string;
  objectives: Record<ObjectiveKind, ObjectiveRef>;
}
interface GradientFixture {
  model: string;
  n: number;
  inputShape: number[];
  numClasses: number;
  checks: { logitJacobianAbsSumMax: number };
  float64: PrecisionRef;
  float32: PrecisionRef;
}
interface Inputs {
  n: number;
  inputShape: number[];
  pixels: string;
  labels: number[];
  targets: number[];
}

function bytes(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
function f32(b64: string): Float32Array {
  const b = bytes(b64);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}
function f64(b64: string): Float64Array {
  const b = bytes(b64);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
}
function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Absolute tolerance for a float32 result against a float64 reference: relative to the
 *  reference's scale, plus `floor` for terms whose float32 error is absolute (see below). */
function within(actual: ArrayLike<number>, ref: ArrayLike<number>, rel: number, floor = 0): void {
  const err = maxAbsDiff(actual, ref);
  const tol = rel * maxAbs(ref) + floor;
  expect(err, `max|Δ| ${err.toExponential(3)} > tol ${tol.toExponential(3)} (max|ref| ${maxAbs(ref).toExponential(3)})`).toBeLessThanOrEqual(tol);
}

const inputs = readJson<Inputs>(`${fixtures}/gradients/inputs.json`);
const N = inputs.n;
const pixels = bytes(inputs.pixels);
const x = Float32Array.from(pixels, (p) => p / 255);
const labels = Int32Array.from(inputs.labels);
const targets = Int32Array.from(inputs.targets);

async function ortLogits(model: Uint8Array | string, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model as Uint8Array, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const out = await session.run({ input: new ort.Tensor('float32', input, shape) });
    return out.logits.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('committed fixtures agree with ONNX Runtime', () => {
  it('inputs are the first MNIST test images (labels 7 2 1 0 4 1 4 9)', () => {
    expect(inputs.labels).toEqual([7, 2, 1, 0, 4, 1, 4, 9]);
    expect(inputs.targets).toEqual(inputs.labels.map((y) => (y + 1) % 10));
    expect(pixels.length).toBe(N * 784);
  });

  for (const name of MODELS) {
    it(`${name}: ORT on the original ONNX reproduces the PyTorch reference logits`, async () => {
      const ref = readJson<GradientFixture>(`${fixtures}/gradients/${name}.json`);
      const z = await ortLogits(new Uint8Array(readFileSync(`${tutorialModels}/${name}.onnx`)), x, [N, 1, 28, 28]);
      within(z, f64(ref.float64.logits), 1e-5, 1e-6);
      within(f32(ref.float32.logits), f64(ref.float64.logits), 1e-5, 1e-6);
    });
  }

  const onnxDir = `${fixtures}/onnx`;
  for (const file of readdirSync(onnxDir).filter((f) => f.endsWith('.json')).sort()) {
    it(`onnx/${file}: ORT reproduces the stored torch logits`, async () => {
      const meta = readJson<{ file: string; batch: number; inputShape: number[]; input: number[]; logits: number[]; logits64: number[] }>(`${onnxDir}/${file}`);
      const z = await ortLogits(new Uint8Array(readFileSync(`${onnxDir}/${meta.file}`)), Float32Array.from(meta.input), [meta.batch, ...meta.inputShape]);
      expect(z.length).toBe(meta.logits.length);
      within(z, meta.logits64, 1e-5, 1e-6);
    });
  }
});

describe.each(MODELS)('GradientModel on %s vs PyTorch float64 autograd', (name) => {
  const ref = readJson<GradientFixture>(`${fixtures}/gradients/${name}.json`);
  const logits64 = f64(ref.float64.logits);
  let model: GradientModel;

  beforeAll(async () => {
    const net = importOnnx(new Uint8Array(readFileSync(`${tutorialModels}/${name}.onnx`)));
    model = await createGradientModel(await createRuntime(ort, { threads: 1 }), net);
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('logits', async () => {
    expect(model.inputShape).toEqual([1, 28, 28]);
    expect(model.numClasses).toBe(10);
    within(await model.logits(x, N), logits64, 1e-5, 1e-6);
  });

  for (const kind of KINDS) {
    it(`${kind}: per-example objective and input gradient`, async () => {
      const r64 = ref.float64.objectives[kind];
      const gRef = f32(r64.grad);
      const lossRef = f64(r64.losses);
      const out = await model.lossAndGrad(x, N, labels, { kind, reduction: r64.reduction }, targets);
      within(out.logits, logits64, 1e-5, 1e-6);
      // Objectives are differences of logits: their float32 error is relative to the logits, not to
      // the (possibly tiny, for a confident net's cross-entropy) objective itself.
      within(out.losses, lossRef, 0, 1e-5 * maxAbs(logits64) + 1e-6);
      expect(out.grad.length).toBe(gRef.length);
      // margin/targeted gradients are ±1 combinations of logit gradients: float32 matches float64 to
      // ~1e-6 relative. The cross-entropy gradient Σ_j (p_j − [j = y]) ∂z_j/∂x / N also inherits the
      // absolute float32 error (order ε₃₂) of the softmax p through the logit Jacobian J, which
      // dominates when p_y rounds towards 1 (cnn: PyTorch float32 itself is off by 2e-4·max|g|).
      const floor = kind === 'ce' ? (4 * EPS32 * ref.checks.logitJacobianAbsSumMax) / N : 1e-7;
      within(out.grad, gRef, 1e-4, floor);
      // Mean reduction is the 1/N scale; a sum-vs-mean mix-up would be off by 8× and fail above,
      // but check the sign/scale directly on the largest component as well.
      let k = 0;
      for (let i = 1; i < gRef.length; i++) if (Math.abs(gRef[i]) > Math.abs(gRef[k])) k = i;
      expect(out.grad[k] / gRef[k]).toBeCloseTo(1, 1);
    });
  }
});
