import { describe, expect, it } from 'vitest';
import { ShapeError } from '@minmax/core';
import type { InferenceSession } from 'onnxruntime-web';
import { resolveInput } from './classifier.js';

function meta(shape: (number | string)[], type = 'float32'): InferenceSession.ValueMetadata {
  return { name: 'input', isTensor: true, type, shape } as InferenceSession.ValueMetadata;
}

describe('classifier input layout', () => {
  it('feeds the layouts MNIST models declare', () => {
    expect(resolveInput(meta(['N', 1, 28, 28]), 28, 28)).toEqual({ dims: [1, 28, 28], dynamicBatch: true });
    expect(resolveInput(meta(['batch', 784]), 28, 28)).toEqual({ dims: [784], dynamicBatch: true });
    expect(resolveInput(meta([-1, 28, 28]), 28, 28)).toEqual({ dims: [28, 28], dynamicBatch: true });
    expect(resolveInput(meta([1, 1, 28, 28]), 28, 28)).toEqual({ dims: [1, 28, 28], dynamicBatch: false });
    expect(resolveInput(meta(['N', 'C', 'H', 'W']), 28, 28)).toEqual({ dims: [1, 28, 28], dynamicBatch: true });
    expect(resolveInput(meta([]), 28, 28)).toEqual({ dims: [1, 28, 28], dynamicBatch: true });
  });

  it('says why a model cannot take a 28×28 digit', () => {
    expect(() => resolveInput(meta(['N', 3, 32, 32]), 28, 28)).toThrow(ShapeError);
    expect(() => resolveInput(meta(['N', 3, 32, 32]), 28, 28)).toThrow(/shape \[N, 3, 32, 32\].*expected \[N, 1, 28, 28\]/);
    expect(() => resolveInput(meta([8, 784]), 28, 28)).toThrow(/fixed batch size of 8/);
    expect(() => resolveInput(meta(['N', 784], 'int64'), 28, 28)).toThrow(/element type int64/);
    expect(() => resolveInput(meta(['N', 1, 1, 28, 28]), 28, 28)).toThrow(/\[N, 784\], \[N, 28, 28\] or \[N, 1, 28, 28\]/);
  });
});
