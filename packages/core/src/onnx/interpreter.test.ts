/**
 * The float64 reference interpreter, op by op, against ONNX Runtime (float32) on random data:
 * each case builds a one- or few-node model, runs it in both, and requires equal shapes, exact
 * integer outputs and float outputs within float32 rounding (1e-5 relative to the output scale).
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, UnsupportedOpError } from '../errors.js';
import { runGraph, type RefTensor } from './interpreter.js';
import { encodeModel } from './proto.js';
import { DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from './types.js';

const F = DataType.FLOAT;
const I = DataType.INT64;
const B = DataType.BOOL;

// ---------------------------------------------------------------------------------------------
// Model construction

type AttrArg = number | number[] | string | TensorProto | { f: number } | { fs: number[] };

function node(opType: string, input: string[], output: string[], attrs: Record<string, AttrArg> = {}): NodeProto {
  const attribute: AttributeProto[] = Object.entries(attrs).map(([name, v]) => {
    if (typeof v === 'number') return { name, value: { type: 'int', i: v } };
    if (typeof v === 'string') return { name, value: { type: 'string', s: v } };
    if (Array.isArray(v)) return { name, value: { type: 'ints', ints: v } };
    if ('f' in v) return { name, value: { type: 'float', f: v.f } };
    if ('fs' in v) return { name, value: { type: 'floats', floats: v.fs } };
    return { name, value: { type: 'tensor', t: v } };
  });
  return { opType, input, output, name: `${opType}_${output[0]}`, attribute };
}

const f32 = (name: string, dims: number[], data: number[] | Float32Array): TensorProto => ({ name, dims, dataType: F, data: Float32Array.from(data) });
const i64 = (name: string, dims: number[], data: number[]): TensorProto => ({ name, dims, dataType: I, data: BigInt64Array.from(data, BigInt) });

interface Feed {
  dims: number[];
  data: Float32Array | BigInt64Array;
}

interface Case {
  nodes: NodeProto[];
  inputs: Record<string, Feed>;
  /** Output name → element type. */
  outputs: Record<string, number>;
  inits?: TensorProto[];
  opset?: number;
}

function buildModel(c: Case): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: c.opset ?? 17 }],
    producerName: 'minmax-test',
    metadataProps: [],
    graph: {
      name: 'g',
      node: c.nodes,
      initializer: c.inits ?? [],
      input: Object.entries(c.inputs).map(([name, f]) => ({ name, elemType: f.data instanceof Float32Array ? F : I, shape: f.dims })),
      output: Object.entries(c.outputs).map(([name, elemType]) => ({ name, elemType })),
      valueInfo: [],
    },
  };
}

// Deterministic Gaussian data (mulberry32 + Box–Muller).
let seed = 12345;
function uniform(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function randn(dims: number[], scale = 1, offset = 0): Feed {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = offset + scale * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { dims, data };
}
const ints = (dims: number[], data: number[]): Feed => ({ dims, data: BigInt64Array.from(data, BigInt) });

function toNumbers(d: ArrayLike<number | bigint | boolean>): number[] {
  return Array.from(d as ArrayLike<number | bigint | boolean>, Number);
}

async function check(c: Case, rel = 1e-5): Promise<Record<string, RefTensor>> {
  const model = buildModel(c);
  const session = await ort.InferenceSession.create(encodeModel(model), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'disabled',
  });
  let got: ort.InferenceSession.OnnxValueMapType;
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(c.inputs)) feeds[name] = new ort.Tensor(f.data instanceof Float32Array ? 'float32' : 'int64', f.data, f.dims);
    got = await session.run(feeds);
  } finally {
    await session.release();
  }
  const refFeeds: Record<string, RefTensor> = {};
  for (const [name, f] of Object.entries(c.inputs)) refFeeds[name] = { dims: f.dims, data: f.data instanceof Float32Array ? Float64Array.from(f.data) : f.data };
  const ref = runGraph(model, refFeeds);
  for (const [name, type] of Object.entries(c.outputs)) {
    const o = got[name] as ort.Tensor;
    const r = ref[name];
    expect(r.dims, `${name} dims`).toEqual([...o.dims]);
    const a = toNumbers(o.data as ArrayLike<number>);
    const b = toNumbers(r.data);
    if (type === F) {
      const scale = Math.max(1e-3, b.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
      for (let i = 0; i < a.length; i++) {
        if (!(Math.abs(a[i] - b[i]) <= rel * (Math.abs(b[i]) + scale))) {
          expect.fail(`${name}[${i}]: ORT ${a[i]} vs reference ${b[i]} (scale ${scale})`);
        }
      }
    } else {
      expect(b, `${name} values`).toEqual(a);
    }
  }
  return ref;
}

/** One-node model on inputs named as in `inputs`, outputs y (float) unless given. */
const one = (op: string, inputs: Record<string, Feed>, attrs: Record<string, AttrArg> = {}, outputs: Record<string, number> = { y: F }, inits: TensorProto[] = []): Case => ({
  nodes: [node(op, [...Object.keys(inputs), ...inits.map((t) => t.name as string)], Object.keys(outputs), attrs)],
  inputs,
  outputs,
  inits,
});

// ---------------------------------------------------------------------------------------------

describe('elementwise', () => {
  for (const op of ['Add', 'Sub', 'Mul', 'Div']) {
    it(`${op} broadcasts multidirectionally`, async () => {
      await check(one(op, { a: randn([2, 3, 4]), b: randn([3, 1], 1, 3) }));
      await check(one(op, { a: randn([4, 1, 5]), b: randn([1, 3, 1], 1, 3) }));
      await check(one(op, { a: randn([2, 3]), b: randn([], 1, 3) }));
    });
  }
  it('integer arithmetic (shape math) is exact int64, Div truncates toward zero', async () => {
    for (const op of ['Add', 'Sub', 'Mul', 'Div']) {
      await check(one(op, { a: ints([4], [7, -7, 9, 100]), b: ints([4], [2, 2, -4, 7]) }, {}, { y: I }));
    }
  });
  it('Pow with float and int64 exponents', async () => {
    await check(one('Pow', { a: randn([3, 4], 0.5, 2), b: randn([4], 1) }));
    await check(one('Pow', { a: randn([3, 4]) }, {}, { y: F }, [i64('e', [], [3])]));
  });
  for (const op of ['Neg', 'Abs', 'Sign', 'Relu', 'Exp']) {
    it(op, async () => {
      await check(one(op, { x: randn([3, 5]) }));
    });
  }
  it('HardSigmoid, default and explicit alpha/beta (incl. the 2¹²⁶ step the Relu rule uses)', async () => {
    await check(one('HardSigmoid', { x: randn([3, 5], 4) }));
    await check(one('HardSigmoid', { x: randn([3, 5], 2) }, { alpha: { f: 0.7 }, beta: { f: -0.1 } }));
    await check(one('HardSigmoid', { x: { dims: [5], data: Float32Array.of(0, -0, 2 ** -126, -3, 1e-3) } }, { alpha: { f: 2 ** 126 }, beta: { f: 0 } }));
  });
  it('Sign of zero is zero', async () => {
    await check(one('Sign', { x: { dims: [3], data: Float32Array.of(0, -2, 3) } }));
  });
  it('Log and Sqrt', async () => {
    const x = randn([4, 5]);
    x.data = (x.data as Float32Array).map((v) => Math.abs(v) + 0.05);
    await check(one('Log', { x }));
    await check(one('Sqrt', { x }));
  });
  it('comparisons, Not and Where', async () => {
    const a = randn([3, 4]);
    const b = randn([4]);
    b.data[1] = a.data[1];
    for (const op of ['Greater', 'Less', 'Equal']) await check(one(op, { a, b }, {}, { y: B }));
    await check({
      nodes: [node('Greater', ['a', 'b'], ['c']), node('Not', ['c'], ['n']), node('Where', ['n', 'a', 'z'], ['y'])],
      inputs: { a, b, z: randn([1, 4]) },
      outputs: { n: B, y: F },
    });
    await check({
      nodes: [node('Equal', ['a', 'b'], ['c']), node('Where', ['c', 'a', 'z'], ['y'])],
      inputs: { a: ints([3], [1, 2, 3]), b: ints([3], [1, 5, 3]), z: ints([1], [-1]) },
      outputs: { c: B, y: I },
    });
  });
  it('variadic Max, Min, Sum broadcast', async () => {
    const ins = { a: randn([2, 3, 4]), b: randn([3, 1]), c: randn([4]) };
    for (const op of ['Max', 'Min', 'Sum']) await check(one(op, ins));
    await check(one('Max', { a: randn([5]) }));
  });
  it('Clip with min/max inputs, either omitted, and opset-6 attributes', async () => {
    const x = randn([4, 5]);
    await check(one('Clip', { x }, {}, { y: F }, [f32('lo', [], [-0.5]), f32('hi', [], [0.7])]));
    await check({ nodes: [node('Clip', ['x', '', 'hi'], ['y'])], inputs: { x }, outputs: { y: F }, inits: [f32('hi', [], [0.2])] });
    await check({ nodes: [node('Clip', ['x', 'lo'], ['y'])], inputs: { x }, outputs: { y: F }, inits: [f32('lo', [], [0.2])] });
    await check({ nodes: [node('Clip', ['x'], ['y'], { min: { f: -0.3 }, max: { f: 0.1 } })], inputs: { x }, outputs: { y: F }, opset: 6 });
  });
});

describe('Gemm and MatMul', () => {
  const cases: [string, Record<string, AttrArg>, number[], number[], number[] | undefined][] = [
    ['plain', {}, [3, 4], [4, 5], [5]],
    ['transB (PyTorch Linear)', { transB: 1 }, [3, 4], [5, 4], [5]],
    ['transA, alpha, beta, column C', { transA: 1, alpha: { f: 0.5 }, beta: { f: -2 } }, [4, 3], [4, 5], [3, 1]],
    ['both transposed, full C', { transA: 1, transB: 1 }, [4, 3], [5, 4], [3, 5]],
    ['scalar C', { beta: { f: 3 } }, [3, 4], [4, 5], []],
    ['no C', { alpha: { f: 2 } }, [3, 4], [4, 5], undefined],
  ];
  for (const [label, attrs, a, b, c] of cases) {
    it(`Gemm ${label}`, async () => {
      const ins: Record<string, Feed> = { a: randn(a), b: randn(b) };
      if (c) ins.c = randn(c);
      await check(one('Gemm', ins, attrs));
    });
  }
  it('MatMul 2-D, batched with broadcast, and 1-D promotion', async () => {
    await check(one('MatMul', { a: randn([3, 4]), b: randn([4, 6]) }));
    await check(one('MatMul', { a: randn([2, 1, 3, 4]), b: randn([3, 4, 5]) }));
    await check(one('MatMul', { a: randn([4]), b: randn([2, 4, 3]) }));
    await check(one('MatMul', { a: randn([2, 3, 4]), b: randn([4]) }));
    await check(one('MatMul', { a: randn([4]), b: randn([4]) }));
  });
});

describe('Conv and ConvTranspose', () => {
  const convCases: [string, number[], number[], Record<string, AttrArg>, boolean][] = [
    ['3x3 pad 1 (tutorial cnn)', [2, 3, 7, 7], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }, true],
    ['stride 2, asymmetric pads', [1, 2, 8, 7], [3, 2, 3, 3], { strides: [2, 2], pads: [1, 0, 0, 1] }, true],
    ['dilations, no bias', [1, 2, 9, 9], [2, 2, 3, 2], { dilations: [2, 3], strides: [1, 2] }, false],
    ['groups', [2, 4, 6, 6], [6, 2, 3, 3], { group: 2, pads: [1, 1, 1, 1] }, true],
    ['depthwise', [1, 3, 5, 5], [3, 1, 3, 3], { group: 3 }, true],
    ['SAME_UPPER stride 2', [1, 2, 7, 8], [3, 2, 3, 3], { auto_pad: 'SAME_UPPER', strides: [2, 2] }, true],
    ['SAME_LOWER', [1, 2, 6, 6], [2, 2, 4, 4], { auto_pad: 'SAME_LOWER' }, true],
    ['VALID', [1, 2, 6, 6], [2, 2, 3, 3], { auto_pad: 'VALID', strides: [2, 2] }, true],
    ['1-D', [2, 3, 11], [4, 3, 3], { pads: [2, 1], strides: [2] }, true],
    ['3-D', [1, 2, 4, 5, 5], [2, 2, 2, 3, 3], { pads: [0, 1, 1, 1, 1, 0], strides: [1, 2, 1] }, true],
  ];
  for (const [label, x, w, attrs, bias] of convCases) {
    it(`Conv ${label}`, async () => {
      const ins: Record<string, Feed> = { x: randn(x), w: randn(w) };
      if (bias) ins.b = randn([w[0]]);
      await check(one('Conv', ins, attrs));
    });
  }

  const tCases: [string, number[], number[], Record<string, AttrArg>, boolean][] = [
    ['stride 1 pad 1', [2, 3, 5, 5], [3, 4, 3, 3], { pads: [1, 1, 1, 1] }, true],
    ['stride 2 + output_padding (conv input-gradient shape)', [1, 3, 4, 4], [3, 2, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, true],
    ['dilations, asymmetric pads, no bias', [1, 2, 4, 5], [2, 3, 2, 3], { dilations: [2, 1], pads: [1, 0, 0, 2], strides: [1, 2] }, false],
    ['groups', [1, 4, 3, 3], [4, 2, 3, 3], { group: 2, strides: [2, 2] }, true],
    ['output_shape', [1, 2, 3, 3], [2, 2, 3, 3], { strides: [2, 2], output_shape: [6, 7] }, true],
    ['output_shape with SAME_UPPER', [1, 2, 3, 3], [2, 2, 3, 3], { strides: [2, 2], output_shape: [6, 7], auto_pad: 'SAME_UPPER' }, true],
    ['SAME_UPPER', [1, 2, 3, 4], [2, 2, 3, 3], { strides: [2, 2], auto_pad: 'SAME_UPPER' }, true],
    ['SAME_LOWER', [1, 2, 3, 4], [2, 2, 3, 3], { strides: [2, 2], auto_pad: 'SAME_LOWER' }, true],
    ['1-D', [2, 3, 6], [3, 2, 4], { strides: [3], pads: [1, 2] }, true],
  ];
  for (const [label, x, w, attrs, bias] of tCases) {
    it(`ConvTranspose ${label}`, async () => {
      const ins: Record<string, Feed> = { x: randn(x), w: randn(w) };
      const group = typeof attrs.group === 'number' ? attrs.group : 1;
      if (bias) ins.b = randn([w[1] * group]);
      await check(one('ConvTranspose', ins, attrs));
    });
  }
});

describe('pools', () => {
  const cases: [string, number[], Record<string, AttrArg>][] = [
    ['2x2 stride 2', [2, 3, 6, 6], { kernel_shape: [2, 2], strides: [2, 2] }],
    ['3x3 stride 1 pad 1', [1, 2, 5, 5], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }],
    ['asymmetric pads, stride 2', [1, 2, 6, 7], { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 0, 1] }],
    ['ceil_mode', [1, 2, 7, 7], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }],
    ['ceil_mode with pads', [1, 1, 6, 6], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }],
    ['SAME_UPPER', [1, 2, 5, 6], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }],
    ['1-D', [2, 3, 9], { kernel_shape: [3], strides: [2], pads: [1, 1] }],
  ];
  for (const [label, x, attrs] of cases) {
    it(`AveragePool ${label}, count_include_pad 0 and 1`, async () => {
      const xs = randn(x);
      await check(one('AveragePool', { x: xs }, attrs));
      await check(one('AveragePool', { x: xs }, { ...attrs, count_include_pad: 1 }));
    });
    it(`MaxPool ${label} with Indices`, async () => {
      await check(one('MaxPool', { x: randn(x) }, attrs, { y: F, ind: I }));
    });
  }
  it('MaxPool with dilations', async () => {
    await check(one('MaxPool', { x: randn([2, 2, 8, 8]) }, { kernel_shape: [2, 3], dilations: [2, 2], strides: [1, 2], pads: [1, 1, 0, 2] }, { y: F, ind: I }));
  });
  it('MaxPool Indices flatten over N and C (values span [0, N·C·H·W))', async () => {
    const r = await check(one('MaxPool', { x: randn([3, 2, 4, 4]) }, { kernel_shape: [2, 2], strides: [2, 2] }, { y: F, ind: I }));
    const ind = Array.from(r.ind.data as BigInt64Array, Number);
    expect(Math.max(...ind)).toBeGreaterThanOrEqual(5 * 16);
  });
  it('MaxPool storage_order 1 (column-major spatial indices)', async () => {
    await check(one('MaxPool', { x: randn([1, 2, 4, 5]) }, { kernel_shape: [2, 2], strides: [2, 2], storage_order: 1 }, { y: F, ind: I }));
  });
});

describe('shape ops', () => {
  it('Reshape with 0 and -1', async () => {
    await check(one('Reshape', { x: randn([2, 3, 4]) }, {}, { y: F }, [i64('s', [3], [0, -1, 2])]));
    await check(one('Reshape', { x: randn([2, 3, 4]) }, {}, { y: F }, [i64('s', [2], [-1, 6])]));
  });
  it('Flatten at axis 0, 1, 2 and -1', async () => {
    for (const axis of [0, 1, 2, -1]) await check(one('Flatten', { x: randn([2, 3, 4]) }, { axis }));
  });
  it('the PyTorch flatten chain Shape → Gather → Unsqueeze → Concat → Reshape', async () => {
    await check({
      nodes: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'zero'], ['n'], { axis: 0 }),
        node('Unsqueeze', ['n', 'ax0'], ['n1']),
        node('Concat', ['n1', 'm1'], ['shape'], { axis: 0 }),
        node('Reshape', ['x', 'shape'], ['y']),
      ],
      inputs: { x: randn([3, 2, 4, 4]) },
      outputs: { y: F, shape: I },
      inits: [i64('zero', [], [0]), i64('ax0', [1], [0]), i64('m1', [1], [-1])],
    });
  });
  it('Shape with start/end (opset 15)', async () => {
    await check(one('Shape', { x: randn([2, 3, 4, 5]) }, { start: 1, end: -1 }, { y: I }));
    await check(one('Shape', { x: randn([2, 3, 4, 5]) }, { start: -2 }, { y: I }));
  });
  it('Unsqueeze and Squeeze with negative axes, Squeeze without axes', async () => {
    await check(one('Unsqueeze', { x: randn([3, 4]) }, {}, { y: F }, [i64('a', [2], [0, -1])]));
    await check(one('Squeeze', { x: randn([1, 3, 1, 4]) }, {}, { y: F }, [i64('a', [1], [-2])]));
    await check(one('Squeeze', { x: randn([1, 3, 1, 4]) }));
  });
  it('Unsqueeze/Squeeze axes attribute (opset 11)', async () => {
    await check({ nodes: [node('Unsqueeze', ['x'], ['y'], { axes: [1] })], inputs: { x: randn([3, 4]) }, outputs: { y: F }, opset: 11 });
    await check({ nodes: [node('Squeeze', ['x'], ['y'], { axes: [0] })], inputs: { x: randn([1, 3]) }, outputs: { y: F }, opset: 11 });
  });
  it('Concat on a middle and a negative axis', async () => {
    await check(one('Concat', { a: randn([2, 3, 4]), b: randn([2, 1, 4]), c: randn([2, 2, 4]) }, { axis: 1 }));
    await check(one('Concat', { a: randn([2, 3]), b: randn([2, 2]) }, { axis: -1 }));
  });
  it('Transpose with a permutation and the default reversal', async () => {
    await check(one('Transpose', { x: randn([2, 3, 4]) }, { perm: [1, 2, 0] }));
    await check(one('Transpose', { x: randn([2, 3, 4]) }));
  });
  it('Expand broadcasts both ways', async () => {
    await check(one('Expand', { x: randn([3, 1]) }, {}, { y: F }, [i64('s', [3], [2, 1, 4])]));
    await check(one('Expand', { x: randn([2, 1, 3]) }, {}, { y: F }, [i64('s', [2], [4, 1])]));
  });
  it('Identity, Constant (tensor, value_float, value_ints) and ConstantOfShape', async () => {
    await check({
      nodes: [
        node('Identity', ['x'], ['id']),
        node('Constant', [], ['c'], { value: f32('', [2], [1.5, -2]) }),
        node('Constant', [], ['cf'], { value_float: { f: 0.25 } }),
        node('Constant', [], ['ci'], { value_ints: [2, 3] }),
        node('ConstantOfShape', ['ci'], ['z']),
        node('ConstantOfShape', ['ci'], ['seven'], { value: i64('', [1], [7]) }),
        node('Add', ['id', 'c'], ['y']),
        node('Mul', ['y', 'cf'], ['y2']),
      ],
      inputs: { x: randn([3, 2]) },
      outputs: { y2: F, z: F, seven: I },
    });
  });
  it('Cast float → int64 truncates, bool → float, int64 → float', async () => {
    const x = { dims: [6], data: Float32Array.of(1.7, -1.7, 0, 2.5, -0.2, 3) };
    await check({
      nodes: [
        node('Cast', ['x'], ['i'], { to: I }),
        node('Cast', ['i'], ['f'], { to: F }),
        node('Cast', ['x'], ['b'], { to: B }),
        node('Cast', ['b'], ['bf'], { to: F }),
      ],
      inputs: { x },
      outputs: { i: I, f: F, b: B, bf: F },
    });
  });
});

describe('indexing ops', () => {
  it('Gather with negative indices on axis 0 and 1, scalar index', async () => {
    await check(one('Gather', { x: randn([4, 3]), i: ints([2, 2], [0, -1, 2, -4]) }, { axis: 0 }));
    await check(one('Gather', { x: randn([2, 5, 3]), i: ints([3], [4, -2, 0]) }, { axis: 1 }));
    await check(one('Gather', { x: randn([2, 5]), i: ints([], [-1]) }, { axis: 1 }));
  });
  it('GatherElements with negative indices (pick logits at labels)', async () => {
    await check(one('GatherElements', { x: randn([4, 10]), i: ints([4, 1], [7, 2, -1, 0]) }, { axis: 1 }));
    await check(one('GatherElements', { x: randn([3, 4]), i: ints([2, 4], [0, 2, 1, -1, 2, 0, 0, 1]) }, { axis: 0 }));
  });
  it('ScatterElements with reduction none and add (repeated indices accumulate)', async () => {
    const x = randn([3, 5]);
    await check(one('ScatterElements', { x, i: ints([3, 2], [1, 3, 0, -1, 4, 2]), u: randn([3, 2]) }, { axis: 1 }));
    await check(one('ScatterElements', { x, i: ints([2, 5], [0, 1, 2, 0, 1, 0, 1, 2, 0, 1]), u: randn([2, 5]) }, { axis: 0, reduction: 'add' }));
    await check(one('ScatterElements', { x, i: ints([3, 3], [1, 1, 1, 0, 0, 4, 2, 2, 3]), u: randn([3, 3]) }, { axis: 1, reduction: 'add' }));
  });
  it('OneHot on the last and the first axis, negative indices', async () => {
    const vals = f32('v', [2], [-0.5, 2]);
    await check({ nodes: [node('OneHot', ['i', 'd', 'v'], ['y'])], inputs: { i: ints([2, 3], [0, 3, -1, 9, 5, -10]) }, outputs: { y: F }, inits: [i64('d', [], [10]), vals] });
    await check({ nodes: [node('OneHot', ['i', 'd', 'v'], ['y'], { axis: 0 })], inputs: { i: ints([4], [1, 0, 2, -3]) }, outputs: { y: F }, inits: [i64('d', [1], [3]), vals] });
  });
});

describe('reductions, softmax, normalisation', () => {
  it('ReduceSum with axes input, keepdims 0/1, all axes, noop_with_empty_axes', async () => {
    const x = randn([2, 3, 4]);
    await check(one('ReduceSum', { x }, {}, { y: F }, [i64('a', [2], [0, -1])]));
    await check(one('ReduceSum', { x }, { keepdims: 0 }, { y: F }, [i64('a', [1], [1])]));
    await check(one('ReduceSum', { x }, { keepdims: 0 }));
    await check(one('ReduceSum', { x }, { noop_with_empty_axes: 1 }));
  });
  for (const op of ['ReduceMean', 'ReduceMax', 'ReduceMin']) {
    it(`${op} with axes attribute`, async () => {
      const x = randn([2, 3, 4]);
      await check(one(op, { x }, { axes: [1] }));
      await check(one(op, { x }, { axes: [0, 2], keepdims: 0 }));
      await check(one(op, { x }));
    });
  }
  it('ReduceSum of int64 (shape arithmetic)', async () => {
    await check(one('ReduceSum', { x: ints([2, 3], [1, 2, 3, 4, 5, -6]) }, { keepdims: 0 }, { y: I }, [i64('a', [1], [1])]));
  });
  it('Softmax and LogSoftmax on axis -1 and 1 (opset 17) and the 2-D coercion of opset 11', async () => {
    const x = randn([2, 3, 4], 3);
    for (const op of ['Softmax', 'LogSoftmax']) {
      await check(one(op, { x }));
      await check(one(op, { x }, { axis: 1 }));
      await check({ nodes: [node(op, ['x'], ['y'], { axis: 1 })], inputs: { x }, outputs: { y: F }, opset: 11 });
    }
  });
  it('LogSoftmax is stable for large logits', async () => {
    await check(one('LogSoftmax', { x: randn([3, 10], 30, 500) }));
  });
  it('BatchNormalization (inference)', async () => {
    const v = randn([3]);
    v.data = (v.data as Float32Array).map((q) => Math.abs(q) + 0.1);
    await check(one('BatchNormalization', { x: randn([2, 3, 4, 4]), s: randn([3]), b: randn([3]), m: randn([3]), v }, { epsilon: { f: 1e-3 } }));
    await check(one('BatchNormalization', { x: randn([5, 3]), s: randn([3]), b: randn([3]), m: randn([3]), v }));
  });
  it('ArgMax with keepdims and select_last_index', async () => {
    const x = { dims: [3, 4], data: Float32Array.of(1, 5, 5, 2, 0, -1, 0, -3, 9, 8, 7, 9) };
    await check(one('ArgMax', { x }, { axis: 1 }, { y: I }));
    await check(one('ArgMax', { x }, { axis: 1, keepdims: 0, select_last_index: 1 }, { y: I }));
    await check(one('ArgMax', { x: randn([3, 4, 2]) }, { axis: 0, keepdims: 0 }, { y: I }));
  });
  it('TopK largest and smallest, on the last and a middle axis', async () => {
    await check(one('TopK', { x: randn([3, 10]) }, {}, { v: F, i: I }, [i64('k', [1], [3])]));
    await check(one('TopK', { x: randn([2, 6, 3]) }, { axis: 1, largest: 0 }, { v: F, i: I }, [i64('k', [1], [2])]));
  });
});

describe('graph execution', () => {
  it('computes in float64: (x + 1e8) − 1e8 recovers x, which float32 cannot', () => {
    const model = buildModel({
      nodes: [node('Add', ['x', 'big'], ['s']), node('Sub', ['s', 'big'], ['y'])],
      inputs: { x: randn([3]) },
      outputs: { y: F },
      inits: [f32('big', [], [1e8])],
    });
    const x = Float64Array.of(0.125, -0.3, 1e-3);
    const y = runGraph(model, { x: { dims: [3], data: x } }).y;
    for (let i = 0; i < 3; i++) expect(Math.abs(y.data[i] as number) - Math.abs(x[i])).toBeCloseTo(0, 7);
  });
  it('returns requested intermediate values and runs only what they need', () => {
    const model = buildModel({
      nodes: [node('Relu', ['x'], ['r']), node('Frobnicate', ['r'], ['y'])],
      inputs: { x: randn([2]) },
      outputs: { y: F },
    });
    const r = runGraph(model, { x: { dims: [2], data: Float64Array.of(-1, 2) } }, ['r']).r;
    expect(Array.from(r.data as Float64Array)).toEqual([0, 2]);
  });
  it('an unknown op raises UnsupportedOpError naming op and node', () => {
    const model = buildModel({ nodes: [node('Frobnicate', ['x'], ['y'])], inputs: { x: randn([2]) }, outputs: { y: F } });
    const run = (): unknown => runGraph(model, { x: { dims: [2], data: Float64Array.of(1, 2) } });
    expect(run).toThrow(UnsupportedOpError);
    expect(run).toThrow(/Frobnicate.*Frobnicate_y/);
  });
  it('bad feeds and shapes raise typed errors', () => {
    const model = buildModel({ nodes: [node('Add', ['a', 'b'], ['y'])], inputs: { a: randn([2, 3]), b: randn([2, 3]) }, outputs: { y: F } });
    const a = { dims: [2, 3], data: new Float64Array(6) };
    expect(() => runGraph(model, { a })).toThrow(InvalidArgumentError);
    expect(() => runGraph(model, { a, b: { dims: [3, 2], data: new Float64Array(6) } })).toThrow(ShapeError);
    expect(() => runGraph(model, { a, b: { dims: [2, 3], data: new BigInt64Array(6) } })).toThrow(InvalidArgumentError);
    const loose = buildModel({ nodes: [node('Add', ['a', 'b'], ['y'])], inputs: { a: randn([2, 3]), b: randn([2, 3]) }, outputs: { y: F } });
    loose.graph.input.forEach((i) => delete i.shape);
    expect(() => runGraph(loose, { a, b: { dims: [4], data: new Float64Array(4) } })).toThrow(/Add.*not broadcastable/);
  });
});
