import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../onnx/import.js';
import { describeNetwork } from './describe.js';

const TUTORIAL = new URL('../../../../../shared/tutorial-models/', import.meta.url);
const load = (name: string) => importOnnx(new Uint8Array(readFileSync(new URL(`${name}.onnx`, TUTORIAL))));

describe('describeNetwork', () => {
  it('summarises the tutorial MLP', () => {
    const d = describeNetwork(load('dnn2'));
    expect(d.inputShape).toEqual([1, 28, 28]);
    expect(d.outputShape).toEqual([10]);
    expect(d.paramCount).toBe(784 * 200 + 200 + 200 * 10 + 10);
    expect(d.ops).toEqual({ flatten: 1, dense: 2, relu: 1 });
    expect(d.layers.map((l) => [l.kind, l.outputShape, l.params])).toEqual([
      ['flatten', [784], 0],
      ['dense', [200], 784 * 200 + 200],
      ['relu', [200], 0],
      ['dense', [10], 2010],
    ]);
    expect(d.layers[1].detail).toBe('784 → 200');
    expect(d.reluUnits).toBe(200);
  });

  it('counts the 70 ReLUs of `small` and describes convolutions', () => {
    expect(describeNetwork(load('small')).reluUnits).toBe(70);
    const d = describeNetwork(load('cnn_robust_ibp'));
    expect(d.ops).toEqual({ conv: 4, relu: 5, flatten: 1, dense: 2 });
    expect(d.layers[0].detail).toBe('1→32, 3×3, stride 2, pad 1');
    expect(d.layers[0].outputShape).toEqual([32, 14, 14]);
    expect(d.paramCount).toBe(320 + 9248 + 18496 + 36928 + 313700 + 1010);
  });
});
