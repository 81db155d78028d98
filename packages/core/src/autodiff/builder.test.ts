import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { runGraph } from '../onnx/interpreter.js';
import { decodeModel, encodeModel } from '../onnx/proto.js';
import { DataType } from '../onnx/types.js';
import { GraphBuilder, buildModel } from './builder.js';

describe('GraphBuilder', () => {
  it('tracks a symbolic batch through conv, pooling, flatten and reshape', () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 1, 28, 28]);
    const w = b.param('w', [4, 1, 3, 3], new Float32Array(36));
    const c = b.conv(x, w, undefined, { strides: [2, 2], pads: [1, 1, 1, 1] });
    expect(c.shape).toEqual(['N', 4, 14, 14]);
    const p = b.maxPool(c, { kernel: [2, 2], strides: [2, 2] })[0];
    expect(p.shape).toEqual(['N', 4, 7, 7]);
    const a = b.averagePool(p, { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
    expect(a.shape).toEqual(['N', 4, 4, 4]);
    expect(b.flatten(a).shape).toEqual(['N', 64]);
    expect(b.reshape(a, [0, 16, 4]).shape).toEqual(['N', 16, 4]);
    expect(b.reshape(a, [-1, 64]).shape).toEqual(['N', 64]);
    const r = b.reshape(a, [-1, 4, 4]).shape; // 4·N rows: symbolic, but not the batch symbol
    expect(typeof r[0] === 'string' && r[0] !== 'N').toBe(true);
    expect(r.slice(1)).toEqual([4, 4]);
    expect(b.reshape(a, b.shapeOf(c)).shape).toEqual(['N', 4, 14, 14]);
    expect(b.gemm(b.flatten(a), b.param('W', [10, 64], new Float32Array(640)), undefined, { transB: true }).shape).toEqual(['N', 10]);
    expect(b.convTranspose(c, w, undefined, { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }).shape).toEqual(['N', 1, 28, 28]);
  });

  it('keeps Shape-derived values symbolic (Concat of the runtime batch with static dims)', () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 2, 3]);
    const n = b.gather(b.shapeOf(x), b.int64s([0]), 0);
    const target = b.concat([n, b.int64s([6])], 0);
    expect(b.knownInts(target)).toEqual(['N', 6]);
    expect(b.reshape(x, target).shape).toEqual(['N', 6]);
  });

  it('broadcasts shapes and rejects shapes that do not fit with ShapeError', () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 3, 1]);
    expect(b.add(x, b.input('y', [4])).shape).toEqual(['N', 3, 4]);
    expect(() => b.add(x, b.input('z', [2, 5]))).toThrow(ShapeError);
    expect(() => b.gemm(b.input('a', [2, 3]), b.input('c', [4, 5]))).toThrow(ShapeError);
    expect(() => b.conv(b.input('i', [1, 2, 2, 2]), b.input('k', [1, 2, 3, 3]))).toThrow(ShapeError);
  });

  it('rejects duplicate names with InvalidArgumentError', () => {
    const b = new GraphBuilder();
    b.input('x', [1]);
    expect(() => b.input('x', [1])).toThrow(InvalidArgumentError);
    expect(() => b.param('x', [1], [0])).toThrow(InvalidArgumentError);
    expect(() => b.param('p', [2], [0])).toThrow(ShapeError);
  });

  it('produces an opset-17 model that survives the wire format and runs', () => {
    const model = buildModel(
      (b) => {
        const x = b.input('x', ['N', 3]);
        const y = b.relu(b.add(x, b.param('bias', [3], [1, -1, 0.5])));
        return { y, s: b.reduceSum(y, [1], false) };
      },
      { floatType: 'float64' },
    );
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(model.graph.input).toEqual([{ name: 'x', elemType: DataType.DOUBLE, shape: ['N', 3] }]);
    expect(model.graph.output.map((o) => o.name)).toEqual(['y', 's']);
    const decoded = decodeModel(encodeModel(model));
    const out = runGraph(decoded, { x: { dims: [2, 3], data: Float64Array.from([0, 0, 0, -2, 2, 1]) } });
    expect(Array.from(out.y.data as Float64Array)).toEqual([1, 0, 0.5, 0, 1, 1.5]);
    expect(Array.from(out.s.data as Float64Array)).toEqual([1.5, 2.5]);
  });

  it('shares identical constants and Shape nodes', () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['N', 2]);
    expect(b.scalar(2)).toBe(b.scalar(2));
    expect(b.int64s([1, 2])).toBe(b.int64s([1, 2]));
    expect(b.shapeOf(x)).toBe(b.shapeOf(x));
    expect(b.nodes.filter((n) => n.opType === 'Shape')).toHaveLength(1);
  });

  it('leaves out of the model the nodes no output depends on', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2]);
    b.exp(x);
    const y = b.relu(b.neg(x));
    b.output('y', y);
    expect(b.nodes.map((n) => n.opType)).toEqual(['Exp', 'Neg', 'Relu', 'Identity']);
    expect(b.toModel().graph.node.map((n) => n.opType)).toEqual(['Neg', 'Relu', 'Identity']);
    expect(b.producer(y)?.opType).toBe('Relu');
    expect(b.producer(x)).toBeUndefined();
  });
});
