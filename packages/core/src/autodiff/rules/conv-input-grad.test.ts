/**
 * The convolution formulations of a Conv's input gradient against central finite differences in
 * float64, with ONNX Runtime's float32 result against the float64 reference:
 * - stride 1 (flipped, channel-swapped kernel) over kernels 1/3/5, pads 0/1/2 (also asymmetric),
 *   dilations 1/2 and 1-D/2-D/3-D windows;
 * - strided, sub-pixel (phase convolutions interleaved channels-last) over strides 2/3 and mixed
 *   (2,1), kernels 2/3/4/5, pads 0/1/2 (also asymmetric), sizes the stride does not divide;
 * - few input channels (C·K ≤ 16), stride 1: a 1×1 tap mix, a depthwise one-hot shift and a 0/1
 *   channel sum, over C 1/2/4, kernels 1–4 and pads 0/1/2 (also asymmetric);
 * and the Conv rule's choice between them and ConvTranspose.
 */
import { describe, expect, it } from 'vitest';
import { runGraph, type RefTensor } from '../../onnx/interpreter.js';
import { GraphBuilder, type FloatType, type Value as GraphValue } from '../builder.js';
import { checkVjp, fdGradient, makeRng, maxRelError, runOrt, uniform } from '../../test-util/autodiff.js';
import { convInputGradByConv, convInputGradBySubPixel, convInputGradByTaps } from './conv-input-grad.js';
import type { Window } from './window.js';

const size = (d: readonly number[]): number => d.reduce((a, v) => a * v, 1);

interface Case {
  x: number[];
  w: number[];
  pads: number[];
  dilations: number[];
  strides?: number[];
}

const cases: Case[] = [
  { x: [2, 3, 6, 5], w: [2, 3, 1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] },
  { x: [2, 3, 6, 5], w: [2, 3, 3, 3], pads: [0, 0, 0, 0], dilations: [1, 1] },
  { x: [2, 3, 6, 5], w: [2, 3, 3, 3], pads: [1, 1, 1, 1], dilations: [1, 1] },
  { x: [2, 3, 6, 5], w: [2, 3, 3, 3], pads: [2, 2, 2, 2], dilations: [1, 1] },
  { x: [1, 2, 7, 6], w: [3, 2, 5, 5], pads: [2, 2, 2, 2], dilations: [1, 1] },
  { x: [1, 2, 7, 6], w: [3, 2, 5, 3], pads: [0, 1, 2, 0], dilations: [1, 1] },
  { x: [1, 2, 7, 7], w: [2, 2, 3, 3], pads: [2, 1, 0, 2], dilations: [2, 2] },
  { x: [1, 2, 9, 8], w: [2, 2, 3, 2], pads: [1, 0, 1, 1], dilations: [2, 3] },
  { x: [2, 2, 9], w: [3, 2, 3], pads: [2, 1], dilations: [2] },
  { x: [1, 2, 4, 4, 3], w: [2, 2, 3, 3, 1], pads: [1, 0, 0, 1, 2, 0], dilations: [1, 1, 1] },
];

const windowOf = (c: Case): Window => {
  const spatial = c.x.length - 2;
  return { spatial, kernel: c.w.slice(2), strides: c.strides ?? new Array<number>(spatial).fill(1), pads: c.pads, dilations: c.dilations };
};

type Formulation = (b: GraphBuilder, w: GraphValue, dy: GraphValue, win: Window, sizes: number[], outs: number[]) => GraphValue | undefined;

/** L = Σ P ⊙ conv(x, w) and G = the formulation of ∂L/∂x under test (P the output cotangent). */
function build(c: Case, f: Formulation, floatType: FloatType, projection: number[], outDims: number[]) {
  const b = new GraphBuilder({ floatType });
  const x = b.input('x', c.x);
  const w = b.input('w', c.w);
  const win = windowOf(c);
  const y = b.conv(x, w, undefined, { pads: c.pads, dilations: c.dilations, strides: win.strides });
  const p = b.constant(projection, outDims);
  b.output('L', b.reduceSum(b.mul(y, p), undefined, false));
  const g = f(b, w, p, win, c.x.slice(2), outDims.slice(2));
  if (!g) throw new Error('formulation not applicable');
  b.output('G', g);
  return b.toModel();
}

async function expectExact(c: Case, f: Formulation): Promise<void> {
  const rng = makeRng(99);
  const feeds: Record<string, RefTensor> = {
    x: { dims: c.x, data: Float64Array.from(uniform(rng, size(c.x))) },
    w: { dims: c.w, data: Float64Array.from(uniform(rng, size(c.w))) },
  };
  // Output dims from a probe forward.
  const probe = new GraphBuilder({ floatType: 'float64' });
  probe.output('y', probe.conv(probe.input('x', c.x), probe.input('w', c.w), undefined, { pads: c.pads, dilations: c.dilations, strides: c.strides }));
  const outDims = runGraph(probe.toModel(), feeds).y.dims;
  const projection = uniform(rng, size(outDims));
  const model = build(c, f, 'float64', projection, outDims);
  const ref = runGraph(model, feeds);
  expect(ref.G.dims).toEqual(c.x);
  const fd = fdGradient(model, feeds, 'x', 'L');
  expect(maxRelError(ref.G.data as Float64Array, fd)).toBeLessThan(1e-6);
  const ortOut = await runOrt(build(c, f, 'float32', projection, outDims), feeds);
  const r = ref.G.data as Float64Array;
  const scale = Math.max(1, ...Array.from(r, Math.abs));
  let err = 0;
  r.forEach((v, j) => (err = Math.max(err, Math.abs(ortOut.G[j] - v) / scale)));
  expect(err).toBeLessThan(1e-5);
}

const byConv: Formulation = (b, w, dy, win) => convInputGradByConv(b, w, dy, win);

describe('Conv input gradient as a stride-1 convolution with the flipped kernel', () => {
  for (const c of cases) it(`x [${c.x}] w [${c.w}] p ${c.pads} d ${c.dilations}`, () => expectExact(c, byConv));

  it('is not applicable to strided forwards or pads beyond the dilated kernel', () => {
    const b = new GraphBuilder();
    const w = b.input('w', [2, 2, 3, 3]);
    const dy = b.input('dy', [1, 2, 4, 4]);
    expect(convInputGradByConv(b, w, dy, { spatial: 2, kernel: [3, 3], strides: [2, 1], pads: [1, 1, 1, 1], dilations: [1, 1] })).toBeUndefined();
    expect(convInputGradByConv(b, w, dy, { spatial: 2, kernel: [3, 3], strides: [1, 1], pads: [3, 0, 0, 0], dilations: [1, 1] })).toBeUndefined();
  });
});

const strided: Case[] = [
  // The tutorial CNN's strided layers: k3 s2 p1 on an even size.
  { x: [2, 3, 8, 6], w: [2, 3, 3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1] },
  { x: [1, 2, 7, 7], w: [3, 2, 3, 3], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1] },
  { x: [1, 2, 9, 8], w: [2, 2, 5, 5], strides: [2, 2], pads: [2, 2, 2, 2], dilations: [1, 1] },
  { x: [1, 2, 8, 9], w: [2, 2, 4, 2], strides: [2, 2], pads: [1, 0, 2, 1], dilations: [1, 1] },
  { x: [1, 2, 10, 9], w: [2, 2, 3, 5], strides: [3, 2], pads: [1, 2, 0, 1], dilations: [1, 1] },
  { x: [1, 2, 11, 8], w: [2, 2, 5, 3], strides: [3, 3], pads: [2, 1, 2, 1], dilations: [1, 1] },
  // Mixed: stride 2 along one axis, 1 (a flipped correlation) along the other.
  { x: [2, 2, 7, 6], w: [3, 2, 3, 3], strides: [2, 1], pads: [1, 1, 1, 1], dilations: [1, 1] },
  { x: [1, 3, 6, 7], w: [2, 3, 2, 3], strides: [1, 2], pads: [0, 2, 1, 0], dilations: [1, 1] },
];
const subPixel: Formulation = (b, w, dy, win, sizes, outs) => convInputGradBySubPixel(b, w, dy, win, sizes, outs);

describe('Conv input gradient as sub-pixel convolutions interleaved channels-last', () => {
  for (const c of strided)
    it(`x [${c.x}] w [${c.w}] s ${c.strides} p ${c.pads}`, () => expectExact(c, subPixel));

  it('is not applicable to dilation, other ranks, kernels smaller than the stride, or pads beyond the kernel', () => {
    const b = new GraphBuilder();
    const w = b.input('w', [2, 2, 3, 3]);
    const dy = b.input('dy', [1, 2, 4, 4]);
    const win = (o: Partial<Window>): Window => ({ spatial: 2, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], ...o });
    expect(convInputGradBySubPixel(b, w, dy, win({ dilations: [2, 1] }), [8, 8], [4, 4])).toBeUndefined();
    expect(convInputGradBySubPixel(b, w, dy, win({ kernel: [1, 3] }), [8, 8], [4, 4])).toBeUndefined();
    expect(convInputGradBySubPixel(b, w, dy, win({ pads: [4, 1, 4, 1] }), [8, 8], [8, 4])).toBeUndefined();
    const w1 = b.input('w1', [2, 2, 3]);
    const dy1 = b.input('dy1', [1, 2, 4]);
    expect(convInputGradBySubPixel(b, w1, dy1, { spatial: 1, kernel: [3], strides: [2], pads: [1, 1], dilations: [1] }, [8], [4])).toBeUndefined();
  });
});

const fewChannels: Case[] = [
  // The tutorial CNN's first layer: one grey channel, k3 p1.
  { x: [2, 1, 7, 6], w: [3, 1, 3, 3], pads: [1, 1, 1, 1], dilations: [1, 1] },
  { x: [2, 1, 7, 6], w: [3, 1, 3, 3], pads: [0, 0, 0, 0], dilations: [1, 1] },
  { x: [1, 1, 7, 6], w: [2, 1, 3, 3], pads: [2, 0, 1, 2], dilations: [1, 1] },
  { x: [1, 2, 6, 5], w: [3, 2, 2, 3], pads: [1, 0, 0, 2], dilations: [1, 1] },
  { x: [1, 4, 5, 5], w: [2, 4, 2, 2], pads: [1, 1, 0, 0], dilations: [1, 1] },
  { x: [2, 3, 4, 4], w: [2, 3, 1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] },
  { x: [1, 1, 8, 7], w: [2, 1, 4, 4], pads: [1, 2, 2, 1], dilations: [1, 1] },
];
const byTaps: Formulation = (b, w, dy, win) => convInputGradByTaps(b, w, dy, win);

describe('Conv input gradient through few channels as tap mix, depthwise shift and channel sum', () => {
  for (const c of fewChannels) it(`x [${c.x}] w [${c.w}] p ${c.pads}`, () => expectExact(c, byTaps));

  it('is not applicable to strides, dilations, more than 16 taps, or pads beyond the kernel', () => {
    const b = new GraphBuilder();
    const dy = b.input('dy', [1, 2, 4, 4]);
    const win = (o: Partial<Window>): Window => ({ spatial: 2, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], ...o });
    expect(convInputGradByTaps(b, b.input('w', [2, 1, 3, 3]), dy, win({ strides: [2, 1] }))).toBeUndefined();
    expect(convInputGradByTaps(b, b.input('w2', [2, 1, 3, 3]), dy, win({ dilations: [1, 2] }))).toBeUndefined();
    expect(convInputGradByTaps(b, b.input('w3', [2, 2, 3, 3]), dy, win({}))).toBeUndefined();
    expect(convInputGradByTaps(b, b.input('w4', [2, 1, 3, 3]), dy, win({ pads: [3, 1, 1, 1] }))).toBeUndefined();
  });
});

describe('Conv rule: formulation of the input gradient', () => {
  // Constant (initializer) weights with NCHWc-sized channel counts take the convolution; the
  // gradient is still checked against finite differences through the whole rule.
  const rng = makeRng(7);
  const weight = uniform(rng, 16 * 16 * 3 * 3, -0.3, 0.3);
  const bias = uniform(rng, 16);
  const opTypes = async (strides: number[], pads: number[], dilations: number[], asInput: boolean): Promise<string[]> => {
    const r = await checkVjp({
      inputs: asInput ? [{ name: 'x', shape: [1, 16, 5, 5] }, { name: 'w', shape: [16, 16, 3, 3], diff: false }] : [{ name: 'x', shape: [1, 16, 5, 5] }],
      build: (b, x) => b.conv(x.x, asInput ? x.w : b.param('w', [16, 16, 3, 3], weight), b.param('bias', [16], bias), { strides, pads, dilations }),
      ortTol: 1e-5,
    });
    expect(r.maxFdError).toBeLessThan(1e-6);
    expect(r.maxOrtError).toBeLessThan(1e-5);
    return r.model.graph.node.map((n) => n.opType);
  };
  it('stride 1, constant weights: Conv with the flipped kernel, no ConvTranspose', async () => {
    const ops = await opTypes([1, 1], [1, 1, 1, 1], [1, 1], false);
    expect(ops).not.toContain('ConvTranspose');
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(2);
  });
  it('stride 1, dilation 2, asymmetric pads, constant weights: Conv', async () => {
    const ops = await opTypes([1, 1], [2, 0, 1, 2], [2, 2], false);
    expect(ops).not.toContain('ConvTranspose');
  });
  it('stride 2, constant weights: four sub-pixel phase Convs, no ConvTranspose', async () => {
    const ops = await opTypes([2, 2], [1, 1, 1, 1], [1, 1], false);
    expect(ops).not.toContain('ConvTranspose');
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(5);
  });
  it('stride 2 with dilation 2, constant weights: ConvTranspose', async () => {
    expect(await opTypes([2, 2], [2, 2, 2, 2], [2, 2], false)).toContain('ConvTranspose');
  });
  it('one input channel, 16 outputs, constant weights: tap mix, depthwise shift and channel sum', async () => {
    const r = await checkVjp({
      inputs: [{ name: 'x', shape: [2, 1, 6, 5] }],
      build: (b, x) => b.conv(x.x, b.param('w', [16, 1, 3, 3], weight.slice(0, 144)), b.param('bias', [16], bias), { pads: [1, 1, 1, 1] }),
      ortTol: 1e-5,
    });
    expect(r.maxFdError).toBeLessThan(1e-6);
    expect(r.maxOrtError).toBeLessThan(1e-5);
    const convs = r.model.graph.node.filter((n) => n.opType === 'Conv');
    expect(convs).toHaveLength(4);
    expect(convs.some((n) => n.attribute.some((a) => a.name === 'group' && a.value.type === 'int' && a.value.i === 16))).toBe(true);
    expect(r.model.graph.node.map((n) => n.opType)).not.toContain('ConvTranspose');
  });
  it('stride 1, weights fed as a graph input: ConvTranspose', async () => {
    expect(await opTypes([1, 1], [1, 1, 1, 1], [1, 1], true)).toContain('ConvTranspose');
  });
});
