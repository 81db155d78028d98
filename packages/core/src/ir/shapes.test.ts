import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { importOnnx } from '../onnx/import.js';
import type { Layer, Network, Param } from './network.js';
import { layerShapes, outputShape, outputSize } from './shapes.js';

const TUTORIAL = new URL('../../../../../shared/tutorial-models/', import.meta.url);

const param = (name: string, shape: number[], n = shape.reduce((a, b) => a * b, 1)): Param => ({
  name,
  shape,
  data: new Float32Array(n),
});
const net = (inputShape: number[], layers: Layer[]): Network => ({ inputName: 'x', inputShape, outputName: 'y', layers, metadata: {} });

describe('layerShapes', () => {
  it('tracks the tutorial cnn through its convolutions', () => {
    const cnn = importOnnx(new Uint8Array(readFileSync(new URL('cnn.onnx', TUTORIAL))));
    expect(layerShapes(cnn)).toEqual([
      [1, 28, 28],
      [32, 28, 28],
      [32, 28, 28],
      [32, 14, 14],
      [32, 14, 14],
      [64, 14, 14],
      [64, 14, 14],
      [64, 7, 7],
      [64, 7, 7],
      [3136],
      [100],
      [100],
      [10],
    ]);
    expect(outputSize(cnn)).toBe(10);
    expect(outputShape(cnn)).toEqual([10]);
  });

  it('computes conv/pool windows with strides, asymmetric pads and dilation (floor mode)', () => {
    const n = net([2, 9, 8], [
      { kind: 'conv', name: 'c', weight: param('w', [3, 2, 3, 2]), bias: param('b', [3]), strides: [2, 3], pads: [1, 0, 0, 2], dilations: [2, 1] },
      { kind: 'maxpool', name: 'm', kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0], countIncludePad: false },
      { kind: 'reshape', name: 'r', shape: [9, 3] },
      { kind: 'affine', name: 'a', scale: param('s', [9, 1]), shift: param('t', []) },
      { kind: 'flatten', name: 'f' },
    ]);
    // H: floor((9 + 1 + 0 − 2·2 − 1)/2) + 1 = 3; W: floor((8 + 0 + 2 − 1 − 1)/3) + 1 = 3;
    // max pool 2×2 with one pad row/col at the start: 3 + 1 − 2 + 1 = 3.
    expect(layerShapes(n)).toEqual([[2, 9, 8], [3, 3, 3], [3, 3, 3], [9, 3], [9, 3], [27]]);
    expect(outputSize(n)).toBe(27);
  });

  it('throws ShapeError naming the layer for inconsistent parameters', () => {
    const dense = (inF: number): Layer => ({ kind: 'dense', name: 'fc', weight: param('w', [5, inF]), bias: param('b', [5]) });
    expect(() => layerShapes(net([1, 2, 2], [dense(4)]))).toThrow(/fc.*\[5, 4\].*\[N, 1, 2, 2\]/);
    expect(() => layerShapes(net([1, 2, 2], [{ kind: 'flatten', name: 'f' }, dense(3)]))).toThrow(ShapeError);
    expect(() => layerShapes(net([4], [{ kind: 'dense', name: 'fc', weight: param('w', [5, 4]), bias: param('b', [4]) }]))).toThrow(/bias/);
    expect(() => layerShapes(net([4], [{ kind: 'dense', name: 'fc', weight: param('w', [5, 4], 19), bias: param('b', [5]) }]))).toThrow(/19 values/);
    expect(() =>
      layerShapes(net([2, 5, 5], [{ kind: 'conv', name: 'c', weight: param('w', [1, 3, 3, 3]), bias: param('b', [1]), strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] }])),
    ).toThrow(/input channels|needs input \[N, 3/);
    expect(() => layerShapes(net([2, 3], [{ kind: 'reshape', name: 'r', shape: [5] }]))).toThrow(ShapeError);
    expect(() => layerShapes(net([2, 3], [{ kind: 'affine', name: 'a', scale: param('s', [3, 1]), shift: param('t', []) }]))).toThrow(/scale/);
    expect(() =>
      layerShapes(net([1, 4, 4], [{ kind: 'avgpool', name: 'p', kernel: [2, 2], strides: [1, 1], pads: [2, 0, 0, 0], countIncludePad: true }])),
    ).toThrow(/smaller than the kernel/);
    expect(() =>
      layerShapes(net([1, 2, 2], [{ kind: 'conv', name: 'c', weight: param('w', [1, 1, 3, 3]), bias: param('b', [1]), strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] }])),
    ).toThrow(/empty output/);
  });
});
