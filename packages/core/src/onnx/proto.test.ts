import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxParseError } from '../errors.js';
import { decodeModel, encodeModel } from './proto.js';
import { DataType, type ModelProto } from './types.js';

const shared = resolve(import.meta.dirname, '../../../../../shared/tutorial-models');
const models = ['dnn2', 'dnn4', 'small', 'cnn', 'cnn_robust_ibp'];

async function logits(bytes: Uint8Array, x: Float32Array, n: number): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, [n, 1, 28, 28]) });
    return out[s.outputNames[0]].data as Float32Array;
  } finally {
    await s.release();
  }
}

describe('ONNX protobuf codec', () => {
  for (const name of models) {
    it(`round-trips ${name}.onnx: same structure, and ONNX Runtime gives bit-identical logits`, async () => {
      const bytes = new Uint8Array(readFileSync(`${shared}/${name}.onnx`));
      const m = decodeModel(bytes);
      expect(m.graph.node.length).toBeGreaterThan(0);
      expect(m.opsetImport.find((o) => o.domain === '')?.version).toBe(13);
      const gemm = m.graph.node.find((n) => n.opType === 'Gemm');
      expect(gemm?.attribute.find((a) => a.name === 'transB')?.value).toEqual({ type: 'int', i: 1 });
      const again = decodeModel(encodeModel(m));
      expect(again.graph.node).toEqual(m.graph.node);
      expect(again.graph.input).toEqual(m.graph.input);
      expect(again.graph.initializer.map((t) => t.name)).toEqual(m.graph.initializer.map((t) => t.name));
      for (let i = 0; i < m.graph.initializer.length; i++) expect(again.graph.initializer[i].data).toEqual(m.graph.initializer[i].data);
      const x = Float32Array.from({ length: 3 * 784 }, (_, i) => ((i * 7919) % 255) / 255);
      expect(await logits(encodeModel(m), x, 3)).toEqual(await logits(bytes, x, 3));
    });
  }

  it('encodes negative int64 values, attributes of every kind and metadata', () => {
    const m: ModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'minmax',
      metadataProps: [{ key: 'method', value: 'pgd ε=0.1' }],
      graph: {
        name: 'g',
        node: [
          {
            opType: 'Reshape',
            name: 'r',
            input: ['x', 'shape'],
            output: ['y'],
            attribute: [
              { name: 'f', value: { type: 'float', f: 0.5 } },
              { name: 'i', value: { type: 'int', i: -1 } },
              { name: 'ints', value: { type: 'ints', ints: [-1, 0, 2 ** 40] } },
              { name: 'floats', value: { type: 'floats', floats: [1.5, -2] } },
              { name: 's', value: { type: 'string', s: 'NOTSET' } },
              { name: 'strs', value: { type: 'strings', strings: ['a', 'b'] } },
            ],
          },
        ],
        initializer: [{ name: 'shape', dims: [3], dataType: DataType.INT64, data: BigInt64Array.from([-1n, 0n, 9007199254740993n]) }],
        input: [{ name: 'x', elemType: DataType.FLOAT, shape: ['N', 4] }],
        output: [{ name: 'y', elemType: DataType.FLOAT }],
        valueInfo: [],
      },
    };
    expect(decodeModel(encodeModel(m))).toEqual(m);
  });

  it('rejects garbage, truncation and non-ONNX bytes with OnnxParseError', () => {
    const bytes = new Uint8Array(readFileSync(`${shared}/small.onnx`));
    expect(() => decodeModel(new Uint8Array())).toThrow(OnnxParseError);
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 1000))).toThrow(OnnxParseError);
    expect(() => decodeModel(new TextEncoder().encode('hello, this is not a model'))).toThrow(OnnxParseError);
    expect(() => decodeModel(Uint8Array.from({ length: 4096 }, (_, i) => (i * 131) & 255))).toThrow(OnnxParseError);
  });

  it('checks tensor element counts against dims', () => {
    const bad = { name: 't', dims: [2, 3], dataType: DataType.FLOAT, data: new Float32Array(5) };
    const m: ModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      metadataProps: [],
      graph: { name: 'g', node: [], initializer: [bad], input: [], output: [], valueInfo: [] },
    };
    expect(() => encodeModel(m)).toThrow(/5 elements but dims \[2, 3\]/);
  });
});
