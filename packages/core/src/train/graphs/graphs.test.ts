/**
 * The training graphs against independent computations: parameter gradients of the IBP,
 * CROWN-IBP and linear-robust graphs against central finite differences of their own loss in
 * float64 (reference interpreter); the IBP loss against the tutorial's formulas on a case worked
 * by hand; CROWN bounds against sampled points of the box (soundness); the float32 graphs in ONNX
 * Runtime against the float64 interpreter.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyLayer64 } from '../../ir/forward.js';
import { layerShapes } from '../../ir/shapes.js';
import { importOnnx } from '../../onnx/import.js';
import { networkParams } from '../../autodiff/forward.js';
import type { Layer, Network, Param } from '../../ir/network.js';
import { forward64 } from '../../ir/forward.js';
import { runGraph, type RefTensor } from '../../onnx/interpreter.js';
import type { ModelProto } from '../../onnx/types.js';
import { makeRng, maxRelError, runOrt, uniform } from '../../test-util/autodiff.js';
import { buildBoundModel } from './bound-model.js';
import { buildLinearModel } from './linear.js';
import { buildLiveInputGradModel } from './live.js';

const rng = makeRng(77);
const param = (name: string, shape: number[], scale = 0.6): Param => ({ name, shape, data: Float32Array.from(uniform(rng, shape.reduce((a, d) => a * d, 1), -scale, scale)) });
const net = (inputShape: number[], layers: Layer[]): Network => ({ inputName: 'input', inputShape, outputName: 'logits', layers, metadata: {} });

const convNet = net(
  [1, 5, 5],
  [
    { kind: 'conv', name: 'c1', weight: param('c1.w', [2, 1, 3, 3]), bias: param('c1.b', [2]), strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] },
    { kind: 'relu', name: 'r1' },
    { kind: 'conv', name: 'c2', weight: param('c2.w', [2, 2, 3, 3]), bias: param('c2.b', [2]), strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1] },
    { kind: 'relu', name: 'r2' },
    { kind: 'flatten', name: 'f' },
    { kind: 'dense', name: 'd1', weight: param('d1.w', [5, 18]), bias: param('d1.b', [5]) },
    { kind: 'relu', name: 'r3' },
    { kind: 'dense', name: 'd2', weight: param('d2.w', [3, 5]), bias: param('d2.b', [3]) },
  ],
);

const N = 3;
const scalar = (v: number): RefTensor => ({ dims: [], data: Float64Array.of(v) });
const paramFeeds = (n: Network): Record<string, RefTensor> => Object.fromEntries(networkParams(n).map((p) => [p.name, { dims: p.shape, data: Float64Array.from(p.data) }]));

function feeds(n: Network, labels: number[], extra: Record<string, number>): Record<string, RefTensor> {
  const size = n.inputShape.reduce((a, d) => a * d, 1);
  return {
    input: { dims: [labels.length, ...n.inputShape], data: Float64Array.from(uniform(rng, labels.length * size, 0, 1)) },
    label: { dims: [labels.length], data: BigInt64Array.from(labels, BigInt) },
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, scalar(v)])),
    ...paramFeeds(n),
  };
}

const meanLoss = (model: ModelProto, f: Record<string, RefTensor>): number => {
  const l = runGraph(model, f, ['loss']).loss.data as Float64Array;
  return l.reduce((a, v) => a + v, 0) / l.length;
};

/** Largest |analytic − FD| / (1 + |FD|) over every parameter element. */
function paramFdError(model: ModelProto, n: Network, f: Record<string, RefTensor>, h = 1e-6): number {
  const ref = runGraph(model, f);
  let worst = 0;
  for (const p of networkParams(n)) {
    const x = f[p.name].data as Float64Array;
    const fd = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const x0 = x[j];
      x[j] = x0 + h;
      const lp = meanLoss(model, f);
      x[j] = x0 - h;
      const lm = meanLoss(model, f);
      x[j] = x0;
      fd[j] = (lp - lm) / (2 * h);
    }
    worst = Math.max(worst, maxRelError(ref[`grad:${p.name}`].data as Float64Array, fd));
  }
  return worst;
}

function ortVsRef(ort: Float32Array, ref: Float64Array): number {
  let scale = 1;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ort[i] - ref[i]) / scale);
  return ort.length === ref.length ? m : Infinity;
}

describe('IBP training graph', () => {
  it('equals the tutorial formulas on a case worked by hand', async () => {
    // x = (0.5, 0.2), ε = 0.1: box [0.4, 0.6] × [0.1, 0.3].
    // Layer 1 (W⁺l + W⁻u + b): z₁ = x₁ − x₂ ∈ [0.1, 0.5]; z₂ = 2x₁ + x₂ − 1 ∈ [−0.1, 0.5]; ReLU → [0.1, 0.5] × [0, 0.5].
    // Last layer logits (h₁, h₂ + 0.5, h₁ − h₂), label 0, C = e₀ − e_j:
    //   j = 1: (1, −1)·h − 0.5 ≥ 0.1 − 0.5 − 0.5 = −0.9;  j = 2: (0, 1)·h ≥ 0.
    // Robust CE = CE(−m, 0) = logsumexp(0, 0.9, 0) − 0 = log(2 + e^0.9).
    const p = (name: string, shape: number[], v: number[]): Param => ({ name, shape, data: Float32Array.from(v) });
    const hand = net([2], [
      { kind: 'dense', name: 'l1', weight: p('l1.w', [2, 2], [1, -1, 2, 1]), bias: p('l1.b', [2], [0, -1]) },
      { kind: 'relu', name: 'r' },
      { kind: 'dense', name: 'l2', weight: p('l2.w', [3, 2], [1, 0, 0, 1, 1, -1]), bias: p('l2.b', [3], [0, 0.5, 0]) },
    ]);
    const f: Record<string, RefTensor> = { input: { dims: [1, 2], data: Float64Array.of(0.5, 0.2) }, label: { dims: [1], data: BigInt64Array.of(0n) }, eps: scalar(0.1), ...paramFeeds(hand) };
    const m64 = buildBoundModel(hand, { method: 'ibp', gradients: true, floatType: 'float64' });
    const r = runGraph(m64, f);
    const margin = Array.from(r.margin.data as Float64Array);
    [0, -0.9, 0].forEach((v, j) => expect(margin[j]).toBeCloseTo(v, 12));
    expect((r.loss.data as Float64Array)[0]).toBeCloseTo(Math.log(2 + Math.exp(0.9)), 12);
    const o = await runOrt(buildBoundModel(hand, { method: 'ibp', gradients: false }), f);
    expect(o.loss[0]).toBeCloseTo(Math.log(2 + Math.exp(0.9)), 6);
    // ε = 0: the bound is the exact margin z_y − z_j of the clean logits.
    const z = forward64(hand, Float64Array.of(0.5, 0.2), 1);
    const exact = runGraph(m64, { ...f, eps: scalar(0) }).margin.data as Float64Array;
    [0, 1, 2].forEach((j) => expect(exact[j]).toBeCloseTo(z[0] - z[j], 12));
  });

  it('parameter gradients match finite differences (float64), with and without the clean-loss mix', () => {
    for (const clean of [false, true]) {
      const m = buildBoundModel(convNet, { method: 'ibp', gradients: true, clean, floatType: 'float64' });
      const f = feeds(convNet, [0, 2, 1], clean ? { eps: 0.05, kappa: 0.3 } : { eps: 0.05 });
      expect(paramFdError(m, convNet, f)).toBeLessThan(1e-6);
    }
  });

  it('runs in ONNX Runtime (float32) like the float64 interpreter', async () => {
    const f = feeds(convNet, [0, 2, 1], { eps: 0.05, kappa: 0.5 });
    const ref = runGraph(buildBoundModel(convNet, { method: 'ibp', gradients: true, clean: true, floatType: 'float64' }), f);
    const ort = await runOrt(buildBoundModel(convNet, { method: 'ibp', gradients: true, clean: true }), f);
    for (const name of ['margin', 'loss', 'logits', ...networkParams(convNet).map((p) => `grad:${p.name}`)])
      expect(ortVsRef(ort[name], ref[name].data as Float64Array), name).toBeLessThan(1e-5);
  });
});

/**
 * The tutorial's `bound_propagation` (l' = W⁺l + W⁻u + b, u' = W⁺u + W⁻l + b per linear layer,
 * ReLU clamps) and `interval_based_bound` ((cᵀW)⁺l̂ + (cᵀW)⁻û + cᵀb on the last layer), written
 * out in float64 with the point kernels of ir/forward.ts: an independent route to the margins.
 */
function tutorialMargins(n: Network, x: Float64Array, labels: number[], eps: number): Float64Array {
  const shapes = layerShapes(n);
  const count = labels.length;
  let l: Float64Array = x.map((v) => v - eps);
  let u: Float64Array = x.map((v) => v + eps);
  const split = (layer: Layer, sign: 1 | -1, bias: boolean): Layer => {
    if (layer.kind !== 'dense' && layer.kind !== 'conv') return layer;
    const w = layer.weight.data.map((v) => (sign > 0 ? Math.max(v, 0) : Math.min(v, 0)));
    return { ...layer, weight: { ...layer.weight, data: w }, bias: { ...layer.bias, data: bias ? layer.bias.data : new Float32Array(layer.bias.data.length) } } as Layer;
  };
  const hidden = n.layers.slice(0, -1);
  hidden.forEach((layer, i) => {
    const run = (ly: Layer, v: Float64Array) => applyLayer64(ly, shapes[i], shapes[i + 1], v, count);
    if (layer.kind === 'dense' || layer.kind === 'conv') {
      const pos = split(layer, 1, true);
      const neg = split(layer, -1, false);
      const negU = run(neg, u);
      const negL = run(neg, l);
      const nl = run(pos, l).map((v, k) => v + negU[k]);
      const nu = run(pos, u).map((v, k) => v + negL[k]);
      [l, u] = [nl, nu];
    } else {
      [l, u] = [run(layer, l), run(layer, u)];
    }
  });
  const last = n.layers[n.layers.length - 1];
  if (last.kind !== 'dense') throw new Error('last layer must be dense');
  const [C, H] = last.weight.shape;
  const W = last.weight.data;
  const B = last.bias.data;
  const out = new Float64Array(count * C);
  labels.forEach((y, i) => {
    for (let j = 0; j < C; j++) {
      let s = B[y] - B[j];
      for (let h = 0; h < H; h++) {
        const c = W[y * H + h] - W[j * H + h];
        s += c > 0 ? c * l[i * H + h] : c * u[i * H + h];
      }
      out[i * C + j] = s;
    }
  });
  return out;
}

describe('IBP margins against the tutorial formulas on its released IBP-trained ConvNet', () => {
  it('float64 graph = tutorial formulas; float32 ORT within rounding; certified status agrees', async () => {
    const cnn = importOnnx(new Uint8Array(readFileSync(new URL('../../../../../../shared/tutorial-models/cnn_robust_ibp.onnx', import.meta.url))));
    const { loadMnist } = await import('../../node/mnist.js');
    const test = await loadMnist('test');
    const count = 3;
    const x = Float64Array.from(test.images.subarray(0, count * 784));
    const labels = Array.from(test.labels.subarray(0, count));
    const f: Record<string, RefTensor> = {
      input: { dims: [count, 1, 28, 28], data: x },
      label: { dims: [count], data: BigInt64Array.from(labels, BigInt) },
      eps: scalar(0.1),
      ...paramFeeds(cnn),
    };
    const ref = tutorialMargins(cnn, x, labels, 0.1);
    const graph = runGraph(buildBoundModel(cnn, { method: 'ibp', gradients: false, floatType: 'float64' }), f).margin.data as Float64Array;
    expect(maxRelError(graph, ref)).toBeLessThan(1e-10);
    const ort = (await runOrt(buildBoundModel(cnn, { method: 'ibp', gradients: false }), f)).margin;
    expect(ortVsRef(ort, ref)).toBeLessThan(1e-5);
    for (let i = 0; i < count; i++) {
      const certified = (m: ArrayLike<number>) => Array.from({ length: 10 }, (_, j) => m[i * 10 + j]).every((v) => v >= 0);
      expect(certified(ort)).toBe(certified(ref));
    }
  });
});

describe('CROWN-IBP training graph', () => {
  it('bounds are sound on sampled points and β = 0 gives the IBP bound', () => {
    const eps = 0.08;
    const f = feeds(convNet, [1, 0, 2], { eps, beta: 1 });
    const m = buildBoundModel(convNet, { method: 'crown-ibp', gradients: false, floatType: 'float64' });
    const crown = runGraph(m, f).margin.data as Float64Array;
    const ibpFeeds = { ...f };
    delete ibpFeeds.beta;
    const ibp = runGraph(buildBoundModel(convNet, { method: 'ibp', gradients: false, floatType: 'float64' }), ibpFeeds).margin.data as Float64Array;
    expect(Array.from(runGraph(m, { ...f, beta: scalar(0) }).margin.data as Float64Array)).toEqual(Array.from(ibp));
    const x = f.input.data as Float64Array;
    const labels = Array.from(f.label.data as BigInt64Array, Number);
    const size = 25;
    let tighter = 0;
    for (let i = 0; i < N; i++) {
      for (let s = 0; s < 300; s++) {
        const pt = Array.from({ length: size }, (_, k) => x[i * size + k] + eps * (2 * rng() - 1) * (s % 3 === 0 ? 1 : Math.sign(rng() - 0.5)));
        const z = forward64(convNet, Float64Array.from(pt), 1);
        for (let j = 0; j < 3; j++) expect(z[labels[i]] - z[j]).toBeGreaterThanOrEqual(crown[i * 3 + j] - 1e-12);
      }
      for (let j = 0; j < 3; j++) if (crown[i * 3 + j] > ibp[i * 3 + j]) tighter++;
    }
    expect(tighter).toBeGreaterThan(0);
  });

  it('parameter gradients match finite differences (float64)', () => {
    const m = buildBoundModel(convNet, { method: 'crown-ibp', gradients: true, floatType: 'float64' });
    expect(paramFdError(m, convNet, feeds(convNet, [2, 1, 0], { eps: 0.05, beta: 0.7 }))).toBeLessThan(1e-6);
  });

  it('runs in ONNX Runtime (float32) like the float64 interpreter', async () => {
    const f = feeds(convNet, [2, 1, 0], { eps: 0.05, beta: 0.7 });
    const ref = runGraph(buildBoundModel(convNet, { method: 'crown-ibp', gradients: true, floatType: 'float64' }), f);
    const ort = await runOrt(buildBoundModel(convNet, { method: 'crown-ibp', gradients: true }), f);
    for (const name of ['margin', 'loss', ...networkParams(convNet).map((p) => `grad:${p.name}`)])
      expect(ortVsRef(ort[name], ref[name].data as Float64Array), name).toBeLessThan(1e-5);
  });
});

describe('linear-robust graph (ch. 2)', () => {
  const lin = net([1, 2, 3], [
    { kind: 'flatten', name: 'f' },
    { kind: 'dense', name: 'd', weight: param('w', [1, 6]), bias: param('b', [1]) },
  ]);

  it('loss is the closed form L(ỹ(wᵀx + b) − ε‖w‖₁) and equals the loss at the optimal attack δ* = −ỹ ε sign(w)', () => {
    const eps = 0.2;
    const f = feeds(lin, [0, 1, 1, 0], { eps });
    const r = runGraph(buildLinearModel(lin, { floatType: 'float64' }), f);
    const w = Array.from(lin.layers[1].kind === 'dense' ? lin.layers[1].weight.data : [], Number);
    const b0 = lin.layers[1].kind === 'dense' ? lin.layers[1].bias.data[0] : 0;
    const l1 = w.reduce((a, v) => a + Math.abs(v), 0);
    const x = f.input.data as Float64Array;
    [0, 1, 1, 0].forEach((y, i) => {
      const s = 2 * y - 1;
      const h = w.reduce((a, wk, k) => a + wk * x[i * 6 + k], b0);
      const L = (z: number) => Math.log1p(Math.exp(-z));
      expect((r.loss.data as Float64Array)[i]).toBeCloseTo(L(s * h - eps * l1), 12);
      const hAdv = w.reduce((a, wk, k) => a + wk * (x[i * 6 + k] - s * eps * Math.sign(wk)), b0);
      expect((r.loss.data as Float64Array)[i]).toBeCloseTo(L(s * hAdv), 12);
      expect((r.logits.data as Float64Array)[i]).toBeCloseTo(h, 12);
    });
  });

  it('parameter gradients match finite differences (float64); large margins stay finite', () => {
    const m = buildLinearModel(lin, { floatType: 'float64' });
    expect(paramFdError(m, lin, feeds(lin, [1, 0, 1], { eps: 0.1 }))).toBeLessThan(1e-6);
    const far = runGraph(m, { ...feeds(lin, [1, 0], { eps: 0 }), input: { dims: [2, 1, 2, 3], data: new Float64Array(12).fill(1e4) } });
    for (const v of far.loss.data as Float64Array) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('live input-gradient graph', () => {
  it('matches finite differences of its loss with respect to the input', () => {
    const m = buildLiveInputGradModel(convNet, { kind: 'ce' }, 'float64');
    const f = feeds(convNet, [0, 1, 2], {});
    const g = runGraph(m, f).grad.data as Float64Array;
    const x = f.input.data as Float64Array;
    const h = 1e-6;
    const fd = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const x0 = x[j];
      x[j] = x0 + h;
      const lp = meanLoss(m, f);
      x[j] = x0 - h;
      const lm = meanLoss(m, f);
      x[j] = x0;
      fd[j] = (lp - lm) / (2 * h);
    }
    expect(maxRelError(g, fd)).toBeLessThan(1e-6);
  });
});
