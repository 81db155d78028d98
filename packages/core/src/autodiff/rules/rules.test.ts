/**
 * Every VJP rule against central finite differences in float64 (reference interpreter), and the
 * float32 build of each test graph in ONNX Runtime against the interpreter.
 */
import { describe, expect, it } from 'vitest';
import { checkVjp, makeRng, type VjpCheck } from '../../test-util/autodiff.js';
import { DataType } from '../../onnx/types.js';
import { vjpRules } from './registry.js';

const tested = new Set<string>();

async function expectVjp(ops: string[], check: VjpCheck): Promise<void> {
  for (const op of ops) tested.add(op);
  const r = await checkVjp(check);
  expect(r.maxFdError, 'analytic vs finite differences').toBeLessThan(check.tol ?? 1e-6);
  if (r.maxOrtError !== undefined) expect(r.maxOrtError, 'ORT float32 vs interpreter').toBeLessThan(check.ortTol ?? 1e-4);
}

const ints = (n: number, hi: number, seed: number): number[] => {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => Math.floor(rng() * hi));
};

describe('VJP rules vs finite differences (float64) and ORT (float32)', () => {
  describe('Gemm', () => {
    for (const transA of [false, true])
      for (const transB of [false, true])
        it(`transA=${transA} transB=${transB}, α, β, broadcast C`, () =>
          expectVjp(['Gemm'], {
            inputs: [
              { name: 'A', shape: transA ? [4, 3] : [3, 4] },
              { name: 'B', shape: transB ? [5, 4] : [4, 5] },
              { name: 'C', shape: transA ? [5] : [1, 5] },
            ],
            build: (b, x) => b.gemm(x.A, x.B, x.C, { alpha: 0.7, beta: -1.3, transA, transB }),
          }));
    it('without C, full-size C', () =>
      expectVjp(['Gemm'], {
        inputs: [{ name: 'A', shape: [2, 3] }, { name: 'B', shape: [4, 3] }, { name: 'C', shape: [2, 4] }],
        build: (b, x) => b.add(b.gemm(x.A, x.B, undefined, { transB: true }), b.gemm(x.A, x.B, x.C, { transB: true })),
      }));
  });

  describe('MatMul', () => {
    const cases: [number[], number[]][] = [
      [[2, 3], [3, 4]],
      [[2, 1, 3, 4], [5, 4, 2]],
      [[4], [2, 4, 3]],
      [[2, 3, 4], [4]],
      [[4], [4]],
    ];
    for (const [a, bShape] of cases)
      it(`[${a}] × [${bShape}]`, () =>
        expectVjp(['MatMul'], {
          inputs: [{ name: 'A', shape: a }, { name: 'B', shape: bShape }],
          build: (b, x) => b.matmul(x.A, x.B),
        }));
  });

  describe('broadcasting binary ops', () => {
    const shapes: [number[], number[]][] = [
      [[2, 3, 4], [3, 1]],
      [[1, 4], [2, 3, 4]],
      [[2, 3], []],
    ];
    for (const [sa, sb] of shapes) {
      it(`Add [${sa}] [${sb}]`, () =>
        expectVjp(['Add'], { inputs: [{ name: 'a', shape: sa }, { name: 'b', shape: sb }], build: (b, x) => b.add(x.a, x.b) }));
      it(`Sub [${sa}] [${sb}]`, () =>
        expectVjp(['Sub'], { inputs: [{ name: 'a', shape: sa }, { name: 'b', shape: sb }], build: (b, x) => b.sub(x.a, x.b) }));
      it(`Mul [${sa}] [${sb}]`, () =>
        expectVjp(['Mul'], { inputs: [{ name: 'a', shape: sa }, { name: 'b', shape: sb }], build: (b, x) => b.mul(x.a, x.b) }));
      it(`Div [${sa}] [${sb}]`, () =>
        expectVjp(['Div'], {
          inputs: [{ name: 'a', shape: sa }, { name: 'b', shape: sb, lo: 0.5, hi: 2 }],
          build: (b, x) => b.div(x.a, x.b),
        }));
      it(`Pow [${sa}] [${sb}]`, () =>
        expectVjp(['Pow'], {
          inputs: [{ name: 'a', shape: sa, lo: 0.5, hi: 2 }, { name: 'b', shape: sb, lo: -1.5, hi: 2.5 }],
          build: (b, x) => b.pow(x.a, x.b),
        }));
    }
  });

  describe('unary ops', () => {
    const shape = [3, 4];
    it('Neg', () => expectVjp(['Neg'], { inputs: [{ name: 'x', shape }], build: (b, x) => b.neg(x.x) }));
    it('Abs', () => expectVjp(['Abs'], { inputs: [{ name: 'x', shape }], build: (b, x) => b.abs(x.x) }));
    it('Sign (zero gradient)', () => expectVjp(['Sign'], { inputs: [{ name: 'x', shape }], build: (b, x) => b.add(b.sign(x.x), x.x) }));
    it('Relu', () => expectVjp(['Relu'], { inputs: [{ name: 'x', shape }], build: (b, x) => b.relu(x.x) }));
    it('Exp', () => expectVjp(['Exp'], { inputs: [{ name: 'x', shape }], build: (b, x) => b.exp(x.x) }));
    it('Log', () => expectVjp(['Log'], { inputs: [{ name: 'x', shape, lo: 0.2, hi: 3 }], build: (b, x) => b.log(x.x) }));
    it('Sqrt', () => expectVjp(['Sqrt'], { inputs: [{ name: 'x', shape, lo: 0.2, hi: 3 }], build: (b, x) => b.sqrt(x.x) }));
    it('Identity', () => expectVjp(['Identity'], { inputs: [{ name: 'x', shape }], build: (b, x) => b.identity(x.x) }));
    it('Cast (float to the same float type)', () =>
      expectVjp(['Cast'], { inputs: [{ name: 'x', shape }], build: (b, x) => b.cast(x.x, b.floatType) }));
  });

  describe('Conv', () => {
    const cases = [
      { x: [2, 2, 7, 6], w: [3, 2, 3, 2], strides: [2, 3], pads: [1, 0, 2, 1], dilations: [1, 2] },
      { x: [2, 3, 8, 8], w: [2, 3, 3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1] },
      { x: [1, 2, 9, 7], w: [2, 2, 2, 3], strides: [3, 2], pads: [0, 2, 0, 0], dilations: [2, 1] },
      { x: [2, 1, 5, 5], w: [2, 1, 3, 3], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] },
      // Strides leave unread trailing rows beyond the end padding: the weight gradient is cropped.
      { x: [2, 2, 8, 9], w: [2, 2, 3, 2], strides: [2, 3], pads: [0, 0, 0, 0], dilations: [1, 2] },
    ];
    for (const c of cases)
      it(`x [${c.x}] w [${c.w}] s ${c.strides} p ${c.pads} d ${c.dilations}`, () =>
        expectVjp(['Conv'], {
          inputs: [{ name: 'x', shape: c.x }, { name: 'w', shape: c.w }, { name: 'b', shape: [c.w[0]] }],
          build: (b, x) => b.conv(x.x, x.w, x.b, c),
        }));
  });

  it('ConvTranspose (strided, padded, output_padding)', () =>
    expectVjp(['ConvTranspose'], {
      inputs: [{ name: 'x', shape: [2, 3, 3, 4] }, { name: 'w', shape: [3, 2, 3, 2] }, { name: 'b', shape: [2] }],
      build: (b, x) => b.convTranspose(x.x, x.w, x.b, { strides: [2, 3], pads: [1, 0, 1, 1], dilations: [1, 1], outputPadding: [1, 2] }),
    }));

  describe('shape ops', () => {
    it('Reshape', () =>
      expectVjp(['Reshape'], { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (b, x) => b.reshape(x.x, [0, -1, 2]) }));
    it('Flatten', () => expectVjp(['Flatten'], { inputs: [{ name: 'x', shape: [2, 3, 2, 2] }], build: (b, x) => b.flatten(x.x, 2) }));
    it('Squeeze / Unsqueeze', () =>
      expectVjp(['Squeeze', 'Unsqueeze'], {
        inputs: [{ name: 'x', shape: [2, 1, 3] }],
        build: (b, x) => b.mul(b.unsqueeze(b.squeeze(x.x, [1]), [0, 3]), b.unsqueeze(b.squeeze(x.x, [1]), [0, 3])),
      }));
    it('Transpose', () =>
      expectVjp(['Transpose'], { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (b, x) => b.transpose(x.x, [1, 2, 0]) }));
    it('Transpose (default reversed perm)', () =>
      expectVjp(['Transpose'], {
        inputs: [{ name: 'x', shape: [2, 3, 4] }],
        build: (b, x) => b.node('Transpose', [x.x], {}, [{ dtype: x.x.dtype, shape: [4, 3, 2] }])[0],
      }));
    it('Expand', () =>
      expectVjp(['Expand'], { inputs: [{ name: 'x', shape: [3, 1] }], build: (b, x) => b.expand(x.x, b.int64s([2, 3, 4])) }));
    it('Concat', () =>
      expectVjp(['Concat'], {
        inputs: [{ name: 'a', shape: [2, 1, 3] }, { name: 'b', shape: [2, 3, 3] }, { name: 'c', shape: [2, 2, 3] }],
        build: (b, x) => b.concat([x.a, x.b, x.c, x.a], 1),
      }));
  });

  describe('reductions', () => {
    for (const keepdims of [false, true]) {
      it(`ReduceSum axes [0,2] keepdims=${keepdims}`, () =>
        expectVjp(['ReduceSum'], { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (b, x) => b.reduceSum(x.x, [0, -1], keepdims) }));
      it(`ReduceMean axes [1] keepdims=${keepdims}`, () =>
        expectVjp(['ReduceMean'], { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (b, x) => b.reduceMean(x.x, [1], keepdims) }));
      it(`ReduceMax axes [2] keepdims=${keepdims}`, () =>
        expectVjp(['ReduceMax'], { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (b, x) => b.reduceMax(x.x, [2], keepdims) }));
      it(`ReduceMin axes [0,1] keepdims=${keepdims}`, () =>
        expectVjp(['ReduceMin'], { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (b, x) => b.reduceMin(x.x, [0, 1], keepdims) }));
    }
    it('ReduceSum / ReduceMean / ReduceMax over all axes', () =>
      expectVjp(['ReduceSum', 'ReduceMean', 'ReduceMax'], {
        inputs: [{ name: 'x', shape: [2, 3] }],
        build: (b, x) => b.add(b.add(b.reduceSum(x.x, undefined, false), b.reduceMean(x.x, undefined, false)), b.reduceMax(x.x, undefined, false)),
      }));
  });

  describe('softmax family', () => {
    it('LogSoftmax axis 1', () =>
      expectVjp(['LogSoftmax'], { inputs: [{ name: 'x', shape: [3, 5], lo: -3, hi: 3 }], build: (b, x) => b.logSoftmax(x.x, 1) }));
    it('LogSoftmax axis 0 of rank 3', () =>
      expectVjp(['LogSoftmax'], { inputs: [{ name: 'x', shape: [3, 2, 2], lo: -3, hi: 3 }], build: (b, x) => b.logSoftmax(x.x, 0) }));
    it('Softmax axis -1', () =>
      expectVjp(['Softmax'], { inputs: [{ name: 'x', shape: [2, 3, 4], lo: -3, hi: 3 }], build: (b, x) => b.softmax(x.x, -1) }));
  });

  describe('indexing', () => {
    it('GatherElements axis 1 with repeated indices', () =>
      expectVjp(['GatherElements'], {
        inputs: [{ name: 'x', shape: [3, 4] }, { name: 'i', shape: [3, 6], ints: ints(18, 4, 7) }],
        build: (b, x) => b.gatherElements(x.x, x.i, 1),
      }));
    it('GatherElements axis 0', () =>
      expectVjp(['GatherElements'], {
        inputs: [{ name: 'x', shape: [3, 4] }, { name: 'i', shape: [5, 4], ints: ints(20, 3, 8) }],
        build: (b, x) => b.gatherElements(x.x, x.i, 0),
      }));
    it('Gather axis 1, 2-D indices with repeats and a negative index', () =>
      expectVjp(['Gather'], {
        inputs: [{ name: 'x', shape: [3, 4, 2] }, { name: 'i', shape: [2, 3], ints: [0, 3, 3, -1, 1, 0] }],
        build: (b, x) => b.gather(x.x, x.i, 1),
      }));
    it('Gather axis 0, scalar index', () =>
      expectVjp(['Gather'], {
        inputs: [{ name: 'x', shape: [3, 4] }],
        build: (b, x) => b.gather(x.x, b.constant([2], [], DataType.INT64), 0),
      }));
    it('TopK values', () =>
      expectVjp(['TopK'], { inputs: [{ name: 'x', shape: [3, 5] }], build: (b, x) => b.topK(x.x, 2, 1)[0] }));
  });

  describe('pooling', () => {
    const cases = [
      { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      { kernel: [2, 3], strides: [2, 1], pads: [0, 1, 1, 0] },
      { kernel: [3, 2], strides: [1, 2], pads: [0, 0, 0, 0] },
    ];
    for (const c of cases) {
      for (const countIncludePad of [false, true])
        it(`AveragePool k ${c.kernel} s ${c.strides} p ${c.pads} count_include_pad=${countIncludePad}`, () =>
          expectVjp(['AveragePool'], {
            inputs: [{ name: 'x', shape: [2, 2, 7, 6] }],
            build: (b, x) => b.averagePool(x.x, { ...c, countIncludePad }),
          }));
      it(`MaxPool k ${c.kernel} s ${c.strides} p ${c.pads}`, () =>
        expectVjp(['MaxPool'], { inputs: [{ name: 'x', shape: [2, 2, 7, 6] }], build: (b, x) => b.maxPool(x.x, c)[0] }));
    }
    it('MaxPool reusing an existing Indices output', () =>
      expectVjp(['MaxPool'], {
        inputs: [{ name: 'x', shape: [1, 2, 5, 5] }],
        build: (b, x) => b.maxPool(x.x, { kernel: [2, 2], strides: [1, 1] }, true)[0],
      }));
  });

  describe('selection ops', () => {
    it('Max (3 operands, broadcasting)', () =>
      expectVjp(['Max'], {
        inputs: [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [3] }, { name: 'c', shape: [2, 1] }],
        build: (b, x) => b.max([x.a, x.b, x.c]),
      }));
    it('Min (2 operands)', () =>
      expectVjp(['Min'], { inputs: [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [2, 3] }], build: (b, x) => b.min([x.a, x.b]) }));
    it('Clip with min and max inputs', () =>
      expectVjp(['Clip'], {
        inputs: [{ name: 'x', shape: [4, 5], lo: -2, hi: 2 }, { name: 'lo', shape: [], data: [-0.5] }, { name: 'hi', shape: [], data: [0.7] }],
        build: (b, x) => b.clip(x.x, x.lo, x.hi),
      }));
    it('Clip with only max', () =>
      expectVjp(['Clip'], { inputs: [{ name: 'x', shape: [3, 3] }], build: (b, x) => b.clip(x.x, undefined, b.scalar(0.25)) }));
    it('Where (broadcasting, condition from a non-differentiated input)', () =>
      expectVjp(['Where'], {
        inputs: [{ name: 'c', shape: [2, 3], diff: false }, { name: 'a', shape: [2, 3] }, { name: 'b', shape: [3] }],
        build: (b, x) => b.where(b.greater(x.c, b.scalar(0)), x.a, x.b),
      }));
    it('Sum (3 operands, broadcasting)', () =>
      expectVjp(['Sum'], {
        inputs: [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [3] }, { name: 'c', shape: [2, 1] }],
        build: (b, x) => b.mul(b.sum([x.a, x.b, x.c]), x.a),
      }));
  });

  it('BatchNormalization (inference), all inputs', () =>
    expectVjp(['BatchNormalization'], {
      inputs: [
        { name: 'x', shape: [2, 3, 2, 2] },
        { name: 's', shape: [3] },
        { name: 'bias', shape: [3] },
        { name: 'mean', shape: [3] },
        { name: 'var', shape: [3], lo: 0.5, hi: 2 },
      ],
      build: (b, x) => b.batchNormalization(x.x, x.s, x.bias, x.mean, x.var, 1e-3),
    }));

  it('fan-out: gradients of a value used by several consumers are summed', () =>
    expectVjp(['Add', 'Mul', 'Relu'], {
      inputs: [{ name: 'x', shape: [3, 4] }],
      build: (b, x) => b.add(b.add(b.mul(x.x, x.x), b.relu(x.x)), b.mul(b.exp(x.x), x.x)),
    }));

  it('every registered rule is exercised above', () => {
    const missing = Object.keys(vjpRules).filter((op) => !tested.has(op));
    expect(missing).toEqual([]);
  });
});
