/**
 * The ORT GradientModel and ParamGradSession on the tutorial's dnn2 (imported from its released
 * ONNX file), checked three independent ways: logits against ORT running the original file;
 * losses and gradients against the float64 reference interpreter running the float64 version of
 * the same autodiff graph; and that float64 gradient against central finite differences of the
 * float64 loss (and, roughly, the float32 gradient against float32 finite differences).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInputGradModel, buildParamGradModel } from '../autodiff/graphs.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { DenseLayer, Network } from '../ir/network.js';
import type { GradientModel, Objective, ObjectiveKind } from '../model.js';
import { importOnnx } from '../onnx/import.js';
import { runGraph, type RefTensor } from '../onnx/interpreter.js';
import { createGradientModel, createParamGradSession, createRuntime, type Runtime, type Session } from './index.js';

const modelPath = resolve(import.meta.dirname, '../../../../../shared/tutorial-models/dnn2.onnx');
const inputs = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/gradients/inputs.json'), 'utf8')) as { n: number; pixels: string; labels: number[]; targets: number[] };

const N = inputs.n;
const D = 784;
const pixels = new Uint8Array(Buffer.from(inputs.pixels, 'base64'));
/** The first MNIST test images, with a fixed perturbation so the net is not saturated (p_y < 1 in float32). */
const x = Float32Array.from(pixels, (p, i) => p / 255 + 0.3 * Math.sin(0.37 * i + 1));
const labels = Int32Array.from(inputs.labels);
const targets = Int32Array.from(inputs.targets);

const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
/** max|actual − ref| ≤ rel · scale, the scale being max|ref| unless given. */
function expectClose(actual: ArrayLike<number>, ref: ArrayLike<number>, rel: number, what: string, scale = maxAbs(ref)): void {
  expect(actual.length, what).toBe(ref.length);
  let err = 0;
  for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(actual[i] - ref[i]));
  const tol = rel * scale;
  expect(err, `${what}: max|Δ| ${err.toExponential(3)} > ${tol.toExponential(3)}`).toBeLessThanOrEqual(tol);
}

/** Float64 feeds for the autodiff graphs run by the reference interpreter. */
function refFeeds(xs: ArrayLike<number>, n: number, kind: ObjectiveKind): Record<string, RefTensor> {
  const feeds: Record<string, RefTensor> = {
    input: { dims: [n, 1, 28, 28], data: Float64Array.from(xs) },
    label: { dims: [n], data: BigInt64Array.from(labels.subarray(0, n), BigInt) },
  };
  if (kind === 'targeted' || kind === 'targeted-sum') feeds.target = { dims: [n], data: BigInt64Array.from(targets.subarray(0, n), BigInt) };
  return feeds;
}

/** Wraps a real runtime to count the sessions it creates and releases. */
function counting(rt: Runtime): { runtime: Runtime; created: () => number; open: () => number } {
  let created = 0;
  let open = 0;
  const runtime: Runtime = {
    ort: rt.ort,
    device: rt.device,
    threads: rt.threads,
    async createSession(m) {
      const s = await rt.createSession(m);
      created++;
      open++;
      const wrapped: Session = {
        inputNames: s.inputNames,
        outputNames: s.outputNames,
        run: (f, o) => s.run(f, o),
        async dispose() {
          open--;
          await s.dispose();
        },
      };
      return wrapped;
    },
  };
  return { runtime, created: () => created, open: () => open };
}

let net: Network;
let rt: Runtime;
let model: GradientModel;
let count: ReturnType<typeof counting>;

beforeAll(async () => {
  net = await importOnnx(new Uint8Array(readFileSync(modelPath)));
  rt = await createRuntime(ort, { threads: 1 });
  count = counting(rt);
  model = await createGradientModel(count.runtime, net);
});
afterAll(async () => {
  await model?.dispose();
});

describe('GradientModel on dnn2', () => {
  it('has the network shape, and creates no session until used', () => {
    expect(model.inputShape).toEqual([1, 28, 28]);
    expect(model.numClasses).toBe(10);
    expect(count.created()).toBe(0);
  });

  it('logits equal ONNX Runtime running the original ONNX file', async () => {
    const session = await ort.InferenceSession.create(readFileSync(modelPath), { intraOpNumThreads: 1 });
    const ref = (await session.run({ input: new ort.Tensor('float32', x, [N, 1, 28, 28]) })).logits.data as Float32Array;
    await session.release();
    const z = await model.logits(x, N);
    expectClose(z, ref, 1e-6, 'logits');
    expect(count.created()).toBe(1);
  });

  const objectives: Objective[] = [
    { kind: 'ce' },
    { kind: 'ce', reduction: 'sum' },
    { kind: 'margin', reduction: 'sum' },
    { kind: 'targeted' },
    { kind: 'targeted-sum', reduction: 'sum' },
  ];
  for (const objective of objectives) {
    it(`${objective.kind} (${objective.reduction ?? 'mean'}): losses and input gradient match the float64 interpreter on the same graph`, async () => {
      const out = await model.lossAndGrad(x, N, labels, objective, targets);
      const ref = runGraph(buildInputGradModel(net, objective, { floatType: 'float64' }), refFeeds(x, N, objective.kind));
      expectClose(out.logits, ref.logits.data as Float64Array, 1e-6, 'logits');
      expectClose(out.losses, ref.loss.data as Float64Array, 1e-5, 'losses');
      expectClose(out.grad, ref.grad.data as Float64Array, 1e-5, 'grad');
      expect(out.grad.length).toBe(N * D);
    });
  }

  it('cross-entropy losses are logsumexp(z) − z_y of the logits', async () => {
    const out = await model.lossAndGrad(x, N, labels, { kind: 'ce' });
    for (let i = 0; i < N; i++) {
      const z = Array.from(out.logits.subarray(i * 10, i * 10 + 10));
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      expect(out.losses[i]).toBeCloseTo(lse - z[labels[i]], 4);
    }
  });

  it('the float64 gradient of the mean cross-entropy equals central finite differences of the float64 loss', () => {
    const graph = buildInputGradModel(net, { kind: 'ce' }, { floatType: 'float64' });
    const x64 = Float64Array.from(x);
    const base = runGraph(graph, refFeeds(x64, N, 'ce'));
    const g = base.grad.data as Float64Array;
    const meanLoss = (xs: Float64Array): number => {
      const l = runGraph(graph, refFeeds(xs, N, 'ce'), ['loss']).loss.data as Float64Array;
      return l.reduce((s, v) => s + v, 0) / N;
    };
    const coords = Array.from(g.keys())
      .sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]))
      .slice(0, 6)
      .concat([100, 4000]);
    const h = 1e-6;
    for (const i of coords) {
      const xp = x64.slice();
      const xm = x64.slice();
      xp[i] += h;
      xm[i] -= h;
      const fd = (meanLoss(xp) - meanLoss(xm)) / (2 * h);
      expect(Math.abs(fd - g[i]), `coordinate ${i}: fd ${fd} vs grad ${g[i]}`).toBeLessThanOrEqual(1e-6 * maxAbs(g) + 1e-9);
    }
  });

  it('the float32 ORT gradient roughly matches float32 finite differences of the ORT loss', async () => {
    const out = await model.lossAndGrad(x, N, labels, { kind: 'ce', reduction: 'sum' });
    const g = out.grad;
    const coords = Array.from(g.keys())
      .sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]))
      .slice(0, 5);
    const h = 1e-2;
    const total = async (xs: Float32Array): Promise<number> => (await model.lossAndGrad(xs, N, labels, { kind: 'ce', reduction: 'sum' })).losses.reduce((s, v) => s + v, 0);
    for (const i of coords) {
      const xp = x.slice();
      const xm = x.slice();
      xp[i] += h;
      xm[i] -= h;
      const fd = (await total(xp)) - (await total(xm));
      expect(Math.abs(fd / (2 * h) - g[i]), `coordinate ${i}`).toBeLessThanOrEqual(0.02 * Math.abs(g[i]));
    }
  });

  it('batches larger than maxBatch run in slices with the same result (mean scaled by the whole batch)', async () => {
    const sliced = await createGradientModel(rt, net, { maxBatch: 3 });
    try {
      const a = await sliced.lossAndGrad(x, N, labels, { kind: 'ce' });
      const b = await model.lossAndGrad(x, N, labels, { kind: 'ce' });
      expectClose(a.logits, b.logits, 1e-6, 'logits');
      expectClose(a.losses, b.losses, 1e-6, 'losses');
      expectClose(a.grad, b.grad, 1e-6, 'grad');
      expectClose(await sliced.logits(x, N), b.logits, 1e-6, 'logits()');
    } finally {
      await sliced.dispose();
    }
  });

  it('an empty batch gives empty results', async () => {
    expect((await model.logits(new Float32Array(0), 0)).length).toBe(0);
    const r = await model.lossAndGrad(new Float32Array(0), 0, new Int32Array(0), { kind: 'ce' });
    expect(r.grad.length).toBe(0);
  });

  it('rejects inconsistent batches, NaN inputs, out-of-range labels and missing targets', async () => {
    await expect(model.logits(x.subarray(0, 783), 1)).rejects.toThrow(ShapeError);
    await expect(model.logits(x, N + 1)).rejects.toThrow(ShapeError);
    await expect(model.logits(x, -1)).rejects.toThrow(InvalidArgumentError);
    const bad = x.slice(0, 2 * D);
    bad[D + 5] = Number.NaN;
    await expect(model.logits(bad, 2)).rejects.toThrow(/NaN at example 1, element 5/);
    await expect(model.lossAndGrad(x, N, labels.subarray(0, 3), { kind: 'ce' })).rejects.toThrow(ShapeError);
    await expect(model.lossAndGrad(x.subarray(0, D), 1, Int32Array.of(10), { kind: 'ce' })).rejects.toThrow(/labels\[0\] = 10 is outside \[0, 10\)/);
    await expect(model.lossAndGrad(x.subarray(0, D), 1, Int32Array.of(-1), { kind: 'ce' })).rejects.toThrow(InvalidArgumentError);
    await expect(model.lossAndGrad(x.subarray(0, D), 1, Int32Array.of(1), { kind: 'targeted' })).rejects.toThrow(/needs targets/);
    await expect(model.lossAndGrad(x.subarray(0, D), 1, Int32Array.of(1), { kind: 'hinge' as never })).rejects.toThrow(InvalidArgumentError);
  });

  it('snapshots the parameters: changing the network afterwards does not change the model', async () => {
    const copy = await importOnnx(new Uint8Array(readFileSync(modelPath)));
    const m = await createGradientModel(rt, copy);
    try {
      const before = await m.logits(x.subarray(0, D), 1);
      (copy.layers.find((l) => l.kind === 'dense') as DenseLayer).weight.data.fill(0);
      expect(Array.from(await m.logits(x.subarray(0, D), 1))).toEqual(Array.from(before));
    } finally {
      await m.dispose();
    }
  });

  it('builds one session per objective lazily, and dispose() releases them all', async () => {
    const c = counting(rt);
    const m = await createGradientModel(c.runtime, net);
    await m.lossAndGrad(x.subarray(0, D), 1, labels.subarray(0, 1), { kind: 'margin' });
    await m.lossAndGrad(x.subarray(0, D), 1, labels.subarray(0, 1), { kind: 'margin' });
    expect(c.created()).toBe(1);
    await Promise.all([m.logits(x, N), m.logits(x, N), m.lossAndGrad(x, N, labels, { kind: 'ce', reduction: 'sum' })]);
    expect(c.created()).toBe(3);
    await m.dispose();
    expect(c.open()).toBe(0);
    await m.dispose();
    await expect(m.logits(x, N)).rejects.toThrow(/after dispose/);
  });
});

describe('GradientModel on a convolutional network', () => {
  it('cnn_robust_ibp: ce and margin input gradients match the float64 interpreter on the same graph', async () => {
    const cnn = await importOnnx(new Uint8Array(readFileSync(resolve(modelPath, '../cnn_robust_ibp.onnx'))));
    const m = await createGradientModel(rt, cnn);
    try {
      const n = 2;
      for (const kind of ['ce', 'margin'] as const) {
        const objective: Objective = { kind };
        const out = await m.lossAndGrad(x.subarray(0, n * D), n, labels.subarray(0, n), objective);
        const ref = runGraph(buildInputGradModel(cnn, objective, { floatType: 'float64' }), refFeeds(x.subarray(0, n * D), n, kind));
        const logits64 = ref.logits.data as Float64Array;
        expectClose(out.logits, logits64, 1e-5, `${kind} logits`);
        // Objectives are differences of logits (a confident net's cross-entropy a tiny one): their
        // float32 error scales with the logits. The ce gradient also carries the float32 rounding
        // of the softmax probabilities, hence its looser bound; margin's is a ±1 logit combination.
        expectClose(out.losses, ref.loss.data as Float64Array, 1e-6, `${kind} losses`, maxAbs(logits64));
        expectClose(out.grad, ref.grad.data as Float64Array, kind === 'ce' ? 3e-4 : 1e-5, `${kind} grad`);
      }
    } finally {
      await m.dispose();
    }
  });
});

describe('ParamGradSession on dnn2', () => {
  it('parameter gradients match the float64 interpreter on the same graph; weights are fed per call', async () => {
    const objective: Objective = { kind: 'ce' };
    const s = await createParamGradSession(rt, net, objective);
    try {
      expect(s.params.map((p) => p.name)).toEqual(net.layers.flatMap((l) => (l.kind === 'dense' ? [l.weight.name, l.bias.name] : [])));
      const n = 4;
      const out = await s.run(x.subarray(0, n * D), n, labels.subarray(0, n));
      const feeds = refFeeds(x.subarray(0, n * D), n, 'ce');
      for (const p of s.params) feeds[p.name] = { dims: p.shape, data: Float64Array.from(p.data) };
      const ref = runGraph(buildParamGradModel(net, objective, { floatType: 'float64' }), feeds);
      expectClose(out.losses, ref.loss.data as Float64Array, 1e-5, 'losses');
      for (const p of s.params) expectClose(out.grads[p.name], ref[`grad:${p.name}`].data as Float64Array, 1e-5, `grad:${p.name}`);

      // Feeding a shifted output bias shifts every logit by the same amount.
      const last = net.layers.filter((l): l is DenseLayer => l.kind === 'dense').at(-1) as DenseLayer;
      const shifted = await s.run(x.subarray(0, n * D), n, labels.subarray(0, n), undefined, { [last.bias.name]: last.bias.data.map((b) => b + 1) });
      expectClose(Float32Array.from(shifted.logits, (v, i) => v - out.logits[i]), new Float32Array(n * 10).fill(1), 1e-5, 'shift');
      await expect(s.run(x.subarray(0, D), 1, labels.subarray(0, 1), undefined, { nope: new Float32Array(1) })).rejects.toThrow(InvalidArgumentError);
      await expect(s.run(x.subarray(0, D), 1, labels.subarray(0, 1), undefined, { [last.bias.name]: new Float32Array(3) })).rejects.toThrow(ShapeError);
    } finally {
      await s.dispose();
    }
  });
});
