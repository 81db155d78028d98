import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { saveOnnx } from '../onnx/export.js';
import { makeRng as rng } from '../test-util/autodiff.js';
import { forward64, forwardLayers64 } from './forward.js';
import type { Layer, Network, Param } from './network.js';

const p = (name: string, shape: number[], values: number[]): Param => ({ name, shape, data: Float32Array.from(values) });
const net = (inputShape: number[], layers: Layer[]): Network => ({ inputName: 'x', inputShape, outputName: 'y', layers, metadata: {} });

const rand = (r: () => number, n: number) => Array.from({ length: n }, () => r() * 2 - 1);

describe('forward64 on hand-computed cases', () => {
  it('dense: y = W x + b', () => {
    const n = net([2], [{ kind: 'dense', name: 'd', weight: p('w', [2, 2], [1, 2, 3, 4]), bias: p('b', [2], [0.5, -1]) }]);
    expect(Array.from(forward64(n, Float64Array.of(1, 1, 0, 2), 2))).toEqual([3.5, 6, 4.5, 7]);
  });

  it('conv: plain, dilated and padded windows', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ones = p('w', [1, 1, 2, 2], [1, 1, 1, 1]);
    const conv = (pads: [number, number, number, number], dil: [number, number]): Layer => ({
      kind: 'conv', name: 'c', weight: ones, bias: p('b', [1], [0]), strides: [1, 1], pads, dilations: dil,
    });
    expect(Array.from(forward64(net([1, 3, 3], [conv([0, 0, 0, 0], [1, 1])]), x, 1))).toEqual([12, 16, 24, 28]);
    expect(Array.from(forward64(net([1, 3, 3], [conv([0, 0, 0, 0], [2, 2])]), x, 1))).toEqual([1 + 3 + 7 + 9]);
    // One zero row on top: the first output row only sees input row 0.
    expect(Array.from(forward64(net([1, 3, 3], [conv([1, 0, 0, 0], [1, 1])]), x, 1))).toEqual([3, 5, 12, 16, 24, 28]);
  });

  it('avgpool counts (or not) the padding; maxpool ignores it', () => {
    const x = Float64Array.of(1, 2, 3, 4);
    const pool = (kind: 'avgpool' | 'maxpool', countIncludePad: boolean): Layer => ({
      kind, name: 'p', kernel: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad,
    });
    expect(Array.from(forward64(net([1, 2, 2], [pool('avgpool', false)]), x, 1))).toEqual([1, 2, 3, 4]);
    expect(Array.from(forward64(net([1, 2, 2], [pool('avgpool', true)]), x, 1))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(Array.from(forward64(net([1, 2, 2], [pool('maxpool', false)]), x.map((v) => -v), 1))).toEqual([-1, -2, -3, -4]);
  });

  it('affine broadcasts per channel and per element; relu and reshape', () => {
    const n = net([2, 1, 2], [
      { kind: 'affine', name: 'a', scale: p('s', [2, 1, 1], [2, -1]), shift: p('t', [2, 1, 2], [0, 1, 2, 3]) },
      { kind: 'relu', name: 'r' },
      { kind: 'reshape', name: 'rs', shape: [4] },
    ]);
    expect(Array.from(forward64(n, Float64Array.of(1, 2, 3, 4), 1))).toEqual([2, 5, 0, 0]);
  });

  it('forwardLayers64 returns the input and every layer output; wrong input sizes are ShapeErrors', () => {
    const n = net([2], [
      { kind: 'dense', name: 'd', weight: p('w', [2, 2], [1, 0, 0, -1]), bias: p('b', [2], [0, 0]) },
      { kind: 'relu', name: 'r' },
    ]);
    const acts = forwardLayers64(n, Float64Array.of(3, 4), 1);
    expect(acts.map((a) => Array.from(a))).toEqual([[3, 4], [3, -4], [3, 0]]);
    expect(() => forward64(n, Float64Array.of(1, 2, 3), 2)).toThrow(ShapeError);
  });
});

describe('forward64 against ONNX Runtime', () => {
  it('agrees on a network using every layer kind', async () => {
    const r = rng(42);
    const n = net([2, 9, 8], [
      { kind: 'affine', name: 'norm', scale: p('s', [2, 1, 1], [1.5, -0.5]), shift: p('t', [], [0.1]) },
      {
        kind: 'conv', name: 'c1', weight: p('c1.w', [3, 2, 3, 2], rand(r, 36)), bias: p('c1.b', [3], rand(r, 3)),
        strides: [2, 1], pads: [1, 0, 2, 1], dilations: [2, 1],
      },
      { kind: 'relu', name: 'r1' },
      { kind: 'maxpool', name: 'mp', kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0], countIncludePad: false },
      { kind: 'avgpool', name: 'ap', kernel: [2, 3], strides: [1, 2], pads: [1, 1, 1, 1], countIncludePad: false },
      { kind: 'avgpool', name: 'ap2', kernel: [2, 2], strides: [1, 1], pads: [0, 1, 1, 0], countIncludePad: true },
      { kind: 'affine', name: 'a2', scale: p('s2', [3, 1, 1], [1, 2, 3]), shift: p('t2', [3, 1, 1], [0, -1, 1]) },
      // [3, 4, 8] after c1 and mp, [3, 5, 4] after ap and ap2.
      { kind: 'reshape', name: 'rs', shape: [3, 20] },
      { kind: 'flatten', name: 'f' },
      { kind: 'dense', name: 'fc', weight: p('fc.w', [5, 60], rand(r, 300)), bias: p('fc.b', [5], rand(r, 5)) },
    ]);
    const batch = 3;
    const x = Float32Array.from(rand(r, batch * 2 * 9 * 8));
    const s = await ort.InferenceSession.create(saveOnnx(n), { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const out = (await s.run({ x: new ort.Tensor('float32', x, [batch, 2, 9, 8]) })).y.data as Float32Array;
    await s.release();
    const ours = forward64(n, x, batch);
    expect(ours.length).toBe(batch * 5);
    for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i] - out[i])).toBeLessThan(1e-5);
  });
});
