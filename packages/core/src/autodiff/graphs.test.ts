import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { forward64 } from '../ir/forward.js';
import type { Layer, Network, Param } from '../ir/network.js';
import { isTargeted, type Objective } from '../model.js';
import { runGraph, type RefTensor } from '../onnx/interpreter.js';
import { DataType, type ModelProto } from '../onnx/types.js';
import { makeRng, maxRelError, runOrt, uniform } from '../test-util/autodiff.js';
import { buildInputGradModel, buildLogitsModel, buildParamGradModel } from './graphs.js';
import { networkParams } from './forward.js';

const rng = makeRng(2024);
const param = (name: string, shape: number[], scale = 0.7): Param => ({
  name,
  shape,
  data: Float32Array.from(uniform(rng, shape.reduce((a, d) => a * d, 1), -scale, scale)),
});
const conv = (name: string, out: number, inC: number, k: [number, number], strides: [number, number], pads: [number, number, number, number], dilations: [number, number] = [1, 1]): Layer => ({
  kind: 'conv',
  name,
  weight: param(`${name}.weight`, [out, inC, ...k]),
  bias: param(`${name}.bias`, [out]),
  strides,
  pads,
  dilations,
});
const dense = (name: string, out: number, inF: number): Layer => ({
  kind: 'dense',
  name,
  weight: param(`${name}.weight`, [out, inF]),
  bias: param(`${name}.bias`, [out]),
});
const net = (inputShape: number[], layers: Layer[]): Network => ({ inputName: 'input', inputShape, outputName: 'logits', layers, metadata: {} });

const nets: Record<string, Network> = {
  'affine → strided padded conv → relu → conv → maxpool → flatten → dense → relu → dense': net(
    [1, 6, 6],
    [
      { kind: 'affine', name: 'norm', scale: param('norm.scale', [], 2), shift: param('norm.shift', [1, 1, 1]) },
      conv('c1', 3, 1, [3, 3], [2, 2], [1, 1, 1, 1]),
      { kind: 'relu', name: 'r1' },
      conv('c2', 2, 3, [2, 2], [1, 1], [1, 0, 0, 1]),
      { kind: 'maxpool', name: 'mp', kernel: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0], countIncludePad: false },
      { kind: 'flatten', name: 'fl' },
      dense('d1', 6, 8),
      { kind: 'relu', name: 'r2' },
      dense('d2', 4, 6),
    ],
  ),
  'dilated conv → avgpool (pads excluded) → relu → reshape → flatten → affine → dense': net(
    [2, 7, 7],
    [
      conv('c', 2, 2, [3, 3], [1, 1], [0, 0, 0, 0], [2, 1]),
      { kind: 'avgpool', name: 'ap', kernel: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false },
      { kind: 'relu', name: 'r' },
      { kind: 'reshape', name: 'rs', shape: [3, 4] },
      { kind: 'flatten', name: 'fl' },
      { kind: 'affine', name: 'aff', scale: param('aff.scale', [12], 1.5), shift: param('aff.shift', []) },
      dense('d', 3, 12),
    ],
  ),
  'dense → relu → reshape → avgpool (pads counted) → maxpool (overlapping, padded) → flatten → dense': net(
    [10],
    [
      dense('d1', 18, 10),
      { kind: 'relu', name: 'r' },
      { kind: 'reshape', name: 'rs', shape: [2, 3, 3] },
      { kind: 'avgpool', name: 'ap', kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0], countIncludePad: true },
      { kind: 'maxpool', name: 'mp', kernel: [2, 2], strides: [1, 1], pads: [0, 0, 1, 1], countIncludePad: false },
      { kind: 'flatten', name: 'fl' },
      dense('d2', 3, 18),
    ],
  ),
};

const N = 3;
const classesOf = (n: Network): number => {
  const last = n.layers[n.layers.length - 1];
  return last.kind === 'dense' ? last.weight.shape[0] : 0;
};

function feedsFor(n: Network, objective?: Objective): Record<string, RefTensor> {
  const size = n.inputShape.reduce((a, d) => a * d, 1);
  const C = classesOf(n);
  const f: Record<string, RefTensor> = { input: { dims: [N, ...n.inputShape], data: Float64Array.from(uniform(rng, N * size, 0, 1)) } };
  if (objective) {
    f.label = { dims: [N], data: BigInt64Array.from([0, C - 1, 1], BigInt) };
    if (isTargeted(objective.kind)) f.target = { dims: [N], data: BigInt64Array.from([1, 0, C - 1], BigInt) };
  }
  return f;
}

const paramFeeds = (n: Network): Record<string, RefTensor> =>
  Object.fromEntries(networkParams(n).map((p) => [p.name, { dims: p.shape, data: Float64Array.from(p.data) }]));

/** ORT float32 vs interpreter float64, relative to the largest reference magnitude. */
function ortError(ort: Float32Array, ref: Float64Array): number {
  let scale = 1;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ort[i] - ref[i]) / scale);
  return ort.length === ref.length ? m : Infinity;
}

/** Central differences of the reduced objective, assembled from the per-example 'loss' output. */
function reducedLossFd(model: ModelProto, f: Record<string, RefTensor>, input: string, objective: Objective, h = 1e-6): Float64Array {
  const scale = objective.reduction === 'sum' ? 1 : 1 / N;
  const total = (): number => (runGraph(model, f, ['loss']).loss.data as Float64Array).reduce((a, v) => a + v, 0) * scale;
  const x = f[input].data as Float64Array;
  const g = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const x0 = x[j];
    x[j] = x0 + h;
    const lp = total();
    x[j] = x0 - h;
    const lm = total();
    x[j] = x0;
    g[j] = (lp - lm) / (2 * h);
  }
  return g;
}

for (const [title, n] of Object.entries(nets)) {
  describe(title, () => {
    const C = classesOf(n);

    it('(a) logits: interface, interpreter and ORT agree', async () => {
      const model = buildLogitsModel(n);
      expect(model.graph.input).toEqual([{ name: 'input', elemType: DataType.FLOAT, shape: ['N', ...n.inputShape] }]);
      expect(model.graph.output).toEqual([{ name: 'logits', elemType: DataType.FLOAT, shape: ['N', C] }]);
      expect(model.graph.initializer.map((t) => t.name).sort()).toEqual(expect.arrayContaining(networkParams(n).map((p) => p.name).sort()));
      const f = feedsFor(n);
      const ref = runGraph(buildLogitsModel(n, { floatType: 'float64' }), f).logits;
      expect(ref.dims).toEqual([N, C]);
      expect(ortError((await runOrt(model, f)).logits, ref.data as Float64Array)).toBeLessThan(1e-5);
      // The float32 graph in the interpreter computes the same function (float32 weights widen exactly).
      expect(maxRelError(runGraph(model, f).logits.data as Float64Array, ref.data as Float64Array)).toBeLessThan(1e-12);
      // An independent float64 implementation of the layer semantics (ir/forward.ts) agrees.
      expect(maxRelError(forward64(n, f.input.data as Float64Array, N), ref.data as Float64Array)).toBeLessThan(1e-12);
    });

    for (const objective of [{ kind: 'ce' }, { kind: 'margin', reduction: 'sum' }, { kind: 'targeted-sum' }, { kind: 'targeted' }] as Objective[]) {
      it(`(b) ${objective.kind}/${objective.reduction ?? 'mean'}: input gradient vs FD, ORT`, async () => {
        const model = buildInputGradModel(n, objective);
        const inputs = model.graph.input.map((i) => i.name);
        expect(inputs).toEqual(isTargeted(objective.kind) ? ['input', 'label', 'target'] : ['input', 'label']);
        expect(model.graph.output.map((o) => [o.name, o.shape])).toEqual([
          ['logits', ['N', C]],
          ['loss', ['N']],
          ['grad', ['N', ...n.inputShape]],
        ]);
        const f = feedsFor(n, objective);
        const m64 = buildInputGradModel(n, objective, { floatType: 'float64' });
        const ref = runGraph(m64, f);
        expect(maxRelError(ref.grad.data as Float64Array, reducedLossFd(m64, f, 'input', objective))).toBeLessThan(1e-6);
        const ort = await runOrt(model, f);
        expect(ortError(ort.logits, ref.logits.data as Float64Array)).toBeLessThan(1e-5);
        expect(ortError(ort.loss, ref.loss.data as Float64Array)).toBeLessThan(1e-5);
        expect(ortError(ort.grad, ref.grad.data as Float64Array)).toBeLessThan(1e-4);
      });
    }

    it('(c) ce: parameter gradients vs FD, ORT; logits match (a)', async () => {
      const objective: Objective = { kind: 'ce' };
      const params = networkParams(n);
      const model = buildParamGradModel(n, objective);
      expect(model.graph.initializer.filter((t) => params.some((p) => p.name === t.name))).toEqual([]);
      expect(model.graph.input.map((i) => i.name)).toEqual(['input', ...params.map((p) => p.name), 'label']);
      expect(model.graph.output.map((o) => o.name)).toEqual(['logits', 'loss', ...params.map((p) => `grad:${p.name}`)]);
      params.forEach((p) => expect(model.graph.output.find((o) => o.name === `grad:${p.name}`)?.shape).toEqual(p.shape));

      const f = { ...feedsFor(n, objective), ...paramFeeds(n) };
      const m64 = buildParamGradModel(n, objective, { floatType: 'float64' });
      const ref = runGraph(m64, f);
      const logitsA = runGraph(buildLogitsModel(n, { floatType: 'float64' }), { input: f.input }).logits;
      expect(Array.from(ref.logits.data as Float64Array)).toEqual(Array.from(logitsA.data as Float64Array));

      for (const p of params) {
        const fd = reducedLossFd(m64, f, p.name, objective);
        expect(maxRelError(ref[`grad:${p.name}`].data as Float64Array, fd), p.name).toBeLessThan(1e-6);
      }
      const ort = await runOrt(model, f);
      for (const p of params)
        expect(ortError(ort[`grad:${p.name}`], ref[`grad:${p.name}`].data as Float64Array), p.name).toBeLessThan(1e-4);
    });
  });
}

describe('conv net with 16-channel stride-1 convolutions (the shapes ORT runs as NCHWc)', () => {
  const n = net(
    [1, 6, 6],
    [
      conv('c1', 16, 1, [3, 3], [1, 1], [1, 1, 1, 1]),
      { kind: 'relu', name: 'r1' },
      conv('c2', 16, 16, [3, 3], [1, 1], [1, 1, 1, 1]),
      { kind: 'relu', name: 'r2' },
      conv('c3', 16, 16, [3, 3], [1, 1], [2, 2, 1, 1], [2, 2]),
      { kind: 'relu', name: 'r3' },
      conv('c4', 16, 16, [3, 3], [2, 2], [1, 1, 1, 1]),
      { kind: 'flatten', name: 'fl' },
      dense('d', 4, 144),
    ],
  );
  for (const p of networkParams(n)) p.data.forEach((v, i) => (p.data[i] = v * 0.4));
  const objective: Objective = { kind: 'ce' };

  it('(b) input gradient vs FD and ORT; gradients are Convs where ORT runs them blocked, Conv outputs feed only their Relu', async () => {
    const model = buildInputGradModel(n, objective);
    const ops = model.graph.node.map((o) => o.opType);
    // c1 (1 input channel): tap mix, depthwise shift and channel sum (3 Convs); c2 and c3 are
    // flipped-kernel Convs, c4 (strided) four sub-pixel phase Convs; plus the 4 forward Convs.
    expect(ops.filter((o) => o === 'ConvTranspose')).toHaveLength(0);
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(13);
    expect(ops).not.toContain('Where');
    for (const c of model.graph.node.slice(0, 8).filter((o) => o.opType === 'Conv')) {
      // Shape nodes (the runtime batch size for Flatten's gradient) read no data.
      const consumers = model.graph.node.filter((o) => o.input.includes(c.output[0]) && o.opType !== 'Shape').map((o) => o.opType);
      expect(consumers.length === 1 && ['Relu', 'Flatten'].includes(consumers[0]), `${c.name} → ${consumers.join(', ')}`).toBe(true);
    }
    const f = feedsFor(n, objective);
    const m64 = buildInputGradModel(n, objective, { floatType: 'float64' });
    const ref = runGraph(m64, f);
    expect(maxRelError(ref.grad.data as Float64Array, reducedLossFd(m64, f, 'input', objective))).toBeLessThan(1e-6);
    const ort = await runOrt(model, f);
    expect(ortError(ort.grad, ref.grad.data as Float64Array)).toBeLessThan(1e-4);
  });

  it("(b) with convGradients 'convTranspose': every input gradient is a ConvTranspose, same values", async () => {
    const model = buildInputGradModel(n, objective, { convGradients: 'convTranspose' });
    const ops = model.graph.node.map((o) => o.opType);
    expect(ops.filter((o) => o === 'ConvTranspose')).toHaveLength(4);
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(4);
    const f = feedsFor(n, objective);
    const ref = runGraph(buildInputGradModel(n, objective, { floatType: 'float64' }), f);
    expect(ortError((await runOrt(model, f)).grad, ref.grad.data as Float64Array)).toBeLessThan(1e-4);
  });
});

describe('bad networks', () => {
  it('a dense layer on a non-flat input is a ShapeError naming the layer', () => {
    const bad = net([1, 4, 4], [conv('c', 2, 1, [3, 3], [1, 1], [0, 0, 0, 0]), dense('d', 3, 8)]);
    expect(() => buildLogitsModel(bad)).toThrow(ShapeError);
    expect(() => buildLogitsModel(bad)).toThrow(/layer 'd' \(dense\)/);
  });
  it('mismatched dense sizes and non-[N,C] outputs are ShapeErrors', () => {
    expect(() => buildLogitsModel(net([5], [dense('d', 3, 4)]))).toThrow(ShapeError);
    expect(() => buildInputGradModel(net([1, 4, 4], [{ kind: 'relu', name: 'r' }]), { kind: 'ce' })).toThrow(ShapeError);
  });
});
