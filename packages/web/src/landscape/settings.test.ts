import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@minmax/core';
import {
  checkSettings,
  comparisonChoices,
  comparisonValue,
  DEFAULT_EPS,
  DEFAULT_RESOLUTION,
  defaultComparison,
  MAX_RESOLUTION,
  ROBUST_CONVNET,
  STANDARD_CONVNET,
} from './settings.js';

describe('landscape settings', () => {
  it('defaults to the tutorial’s ε = 0.1 on a 31-point grid', () => {
    expect(checkSettings({ eps: DEFAULT_EPS, resolution: DEFAULT_RESOLUTION })).toEqual({ eps: 0.1, resolution: 31 });
  });

  it('rejects what core would reject, and grids too large for the page, in plain words', () => {
    for (const eps of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY, 1.5]) {
      expect(() => checkSettings({ eps, resolution: 31 })).toThrow(InvalidArgumentError);
    }
    expect(() => checkSettings({ eps: 0.1, resolution: 2 })).toThrow(/whole number from 3 to 101/);
    expect(() => checkSettings({ eps: 0.1, resolution: 10.5 })).toThrow(InvalidArgumentError);
    expect(() => checkSettings({ eps: 0.1, resolution: MAX_RESOLUTION + 1 })).toThrow(InvalidArgumentError);
    expect(checkSettings({ eps: 1, resolution: MAX_RESOLUTION })).toEqual({ eps: 1, resolution: MAX_RESOLUTION });
  });

  it('compares the standard ConvNet with the PGD-trained one when both are bundled, else with nothing', () => {
    const all = ['MLP (standard)', STANDARD_CONVNET, ROBUST_CONVNET];
    expect(defaultComparison(STANDARD_CONVNET, all)).toBe(ROBUST_CONVNET);
    expect(defaultComparison(STANDARD_CONVNET, ['MLP (standard)', STANDARD_CONVNET])).toBeNull();
    expect(defaultComparison(ROBUST_CONVNET, all)).toBeNull();
    expect(defaultComparison('cnn.onnx', all)).toBeNull();
    expect(defaultComparison(null, all)).toBeNull();
  });

  it('offers none, the other bundled models and an uploaded file', () => {
    const choices = comparisonChoices(STANDARD_CONVNET, ['MLP (standard)', STANDARD_CONVNET, ROBUST_CONVNET], 'cnn_robust.onnx');
    expect(choices.map((c) => c.value)).toEqual(['none', 'bundled:MLP (standard)', `bundled:${ROBUST_CONVNET}`, 'file:cnn_robust.onnx']);
    expect(choices[3].label).toBe('cnn_robust.onnx (your file)');
    expect(comparisonChoices(null, [], null).map((c) => c.value)).toEqual(['none']);
    expect(comparisonValue({ kind: 'none' })).toBe('none');
    expect(comparisonValue({ kind: 'bundled', name: ROBUST_CONVNET })).toBe(`bundled:${ROBUST_CONVNET}`);
    expect(comparisonValue({ kind: 'file', name: 'a.onnx', bytes: new Uint8Array() })).toBe('file:a.onnx');
  });
});
