import { describe, expect, it } from 'vitest';
import { comparePeaks, formatLoss } from './summary.js';

describe('landscape summary', () => {
  it('prints losses with 3 significant digits, tiny ones in scientific notation', () => {
    expect(formatLoss(12.3456)).toBe('12.3');
    expect(formatLoss(0.01234)).toBe('0.0123');
    expect(formatLoss(0.000123)).toBe('1.23e-4');
    expect(formatLoss(1234.5)).toBe('1235');
    expect(formatLoss(0)).toBe('0');
    expect(formatLoss(Number.NaN)).toBe('–');
  });

  it('compares the first surface’s peak with the others’', () => {
    const std = { title: 'ConvNet (standard)', min: 0, max: 25, clean: 0.001 };
    const rob = { title: 'cnn_robust.onnx', min: 0, max: 0.005, clean: 0.0001 };
    expect(comparePeaks([std, rob])).toBe("ConvNet (standard)'s highest loss is 5,000× cnn_robust.onnx's.");
    expect(comparePeaks([rob, std])).toBe("cnn_robust.onnx's highest loss is 0.0002× ConvNet (standard)'s.");
    expect(comparePeaks([std, { ...rob, max: 10 }])).toBe("ConvNet (standard)'s highest loss is 2.5× cnn_robust.onnx's.");
    expect(comparePeaks([std])).toBeNull();
    expect(comparePeaks([std, { ...rob, max: 0 }])).toBeNull();
  });
});
