import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataType, encodeModel, type ModelProto } from '@minmax/core';
import { checkMinmaxSupport } from './compat.js';

const cnn = new Uint8Array(readFileSync(new URL('../../../../../shared/tutorial-models/cnn.onnx', import.meta.url)));

/** input [N,784] → Tanh → logits: valid ONNX that minmax's layer IR has no layer for. */
function tanhModel(): Uint8Array {
  const model: ModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tanh',
      node: [{ input: ['input'], output: ['logits'], name: 'squash', opType: 'Tanh', attribute: [] }],
      initializer: [],
      input: [{ name: 'input', elemType: DataType.FLOAT, shape: ['N', 784] }],
      output: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['N', 784] }],
      valueInfo: [],
    },
    metadataProps: [],
  };
  return encodeModel(model);
}

describe('minmax support check of an uploaded model', () => {
  it('summarises the layer chain of the tutorial ConvNet', () => {
    const support = checkMinmaxSupport(cnn);
    expect(support).toEqual({ supported: true, summary: expect.stringMatching(/^4 conv, 2 dense, 5 relu/) });
  });

  it('tells a malformed file from a valid model with an unsupported op', () => {
    const truncated = checkMinmaxSupport(cnn.subarray(0, 5000));
    expect(truncated).toMatchObject({ supported: false, malformed: true });

    const tanh = checkMinmaxSupport(tanhModel());
    expect(tanh).toMatchObject({ supported: false, malformed: false });
    expect(tanh.supported ? '' : tanh.reason).toMatch(/Tanh/);
    expect(tanh.supported ? '' : tanh.reason).toMatch(/squash/);
  });
});
