import { describe, expect, it } from 'vitest';
import { textWidth } from '@minmax/core';
import { figureTitle } from './title.js';

describe('figure titles', () => {
  it('keeps what core’s figure font draws and replaces what it would draw as “?”', () => {
    expect(figureTitle('ConvNet (PGD-trained)')).toBe('ConvNet (PGD-trained)');
    expect(figureTitle('cnn_robust.onnx')).toBe('cnn-robust.onnx');
    expect(figureTitle('model “ü”  v2.onnx')).toBe('model v2.onnx');
  });

  it('shortens a name wider than one panel', () => {
    const long = figureTitle('a-very-long-model-name-from-a-training-run-2026-11-25.onnx');
    expect(long.endsWith('..')).toBe(true);
    expect(textWidth(long, 2)).toBeLessThanOrEqual(400);
    expect(long.startsWith('a-very-long-model')).toBe(true);
  });
});
