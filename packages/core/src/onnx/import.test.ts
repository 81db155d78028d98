import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OnnxParseError, ShapeError, UnsupportedOpError } from '../errors.js';
import { forward64 } from '../ir/forward.js';
import { makeRng as rng } from '../test-util/autodiff.js';
import { maxAbs, maxAbsDiff, ortRunner } from '../test-util/ort.js';
import type { Layer, Network, PoolLayer } from '../ir/network.js';
import { importOnnx } from './import.js';
import { decodeModel, encodeModel } from './proto.js';
import { DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from './types.js';

const TUTORIAL = new URL('../../../../../shared/tutorial-models/', import.meta.url);
const FIXTURES = new URL('../../fixtures/onnx/', import.meta.url);
const TUTORIAL_MODELS = readdirSync(TUTORIAL)
  .filter((f) => f.endsWith('.onnx'))
  .map((f) => f.slice(0, -5))
  .sort();
const CNN_KINDS = ['conv', 'relu', 'conv', 'relu', 'conv', 'relu', 'conv', 'relu', 'flatten', 'dense', 'relu', 'dense'];
const EXPECTED_KINDS: Record<string, string[]> = {
  dnn2: ['flatten', 'dense', 'relu', 'dense'],
  dnn4: ['flatten', 'dense', 'relu', 'dense', 'relu', 'dense', 'relu', 'dense'],
  small: ['flatten', 'dense', 'relu', 'dense', 'relu', 'dense'],
  cnn: CNN_KINDS,
  cnn_ch4: CNN_KINDS,
  cnn_robust: CNN_KINDS,
  cnn_robust_ibp: CNN_KINDS,
};

// ---------------------------------------------------------------------------------------------
// helpers

function randomInput(n: number, per: number, seed: number, lo = 0, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n * per }, () => lo + (hi - lo) * r());
}

const runOrt = ortRunner();

/** forward64(importOnnx(bytes)) against ONNX Runtime on the original bytes. */
async function expectMatchesOrt(bytes: Uint8Array, net: Network, n: number, seed: number, rel = 1e-5): Promise<number> {
  const per = net.inputShape.reduce((a, b) => a * b, 1);
  const x = randomInput(n, per, seed);
  const ref = await runOrt(bytes, x, [n, ...net.inputShape]);
  const ours = forward64(net, x, n);
  const diff = maxAbsDiff(ours, ref);
  expect(diff).toBeLessThanOrEqual(rel * Math.max(1, maxAbs(ref)));
  return diff;
}

const kinds = (net: Network) => net.layers.map((l) => l.kind);

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

// Hand-built ModelProto pieces.
const f32 = (name: string, dims: number[], values: ArrayLike<number>): TensorProto => ({
  name,
  dims,
  dataType: DataType.FLOAT,
  data: Float32Array.from(values),
});
const f64 = (name: string, dims: number[], values: ArrayLike<number>): TensorProto => ({
  name,
  dims,
  dataType: DataType.DOUBLE,
  data: Float64Array.from(values),
});
const i64 = (name: string, values: number[]): TensorProto => ({
  name,
  dims: [values.length],
  dataType: DataType.INT64,
  data: BigInt64Array.from(values.map((v) => BigInt(v))),
});
const aInt = (name: string, i: number): AttributeProto => ({ name, value: { type: 'int', i } });
const aInts = (name: string, ints: number[]): AttributeProto => ({ name, value: { type: 'ints', ints } });
const aFloat = (name: string, f: number): AttributeProto => ({ name, value: { type: 'float', f } });
const aStr = (name: string, s: string): AttributeProto => ({ name, value: { type: 'string', s } });
const node = (opType: string, input: string[], output: string[], attribute: AttributeProto[] = [], name?: string): NodeProto => ({
  opType,
  input,
  output,
  attribute,
  ...(name === undefined ? {} : { name }),
});

function makeModel(
  nodes: NodeProto[],
  initializer: TensorProto[],
  inputShape: (number | string)[],
  outputName = 'y',
  opset = 13,
): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'test',
    graph: {
      name: 'g',
      node: nodes,
      initializer,
      input: [{ name: 'x', elemType: DataType.FLOAT, shape: inputShape }],
      output: [{ name: outputName, elemType: DataType.FLOAT }],
      valueInfo: [],
    },
    metadataProps: [],
  };
}

function seq(n: number, seed: number, scale = 1): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

// ---------------------------------------------------------------------------------------------

describe('importOnnx: tutorial models (real PyTorch exports)', () => {
  it('covers all seven tutorial models', () => {
    expect(TUTORIAL_MODELS).toEqual(expect.arrayContaining(Object.keys(EXPECTED_KINDS)));
  });

  for (const name of TUTORIAL_MODELS) {
    it(`${name}: imports as a chain whose float64 forward matches ONNX Runtime`, async () => {
      const bytes = new Uint8Array(readFileSync(new URL(`${name}.onnx`, TUTORIAL)));
      const net = importOnnx(bytes);
      expect(net.inputName).toBe('input');
      expect(net.outputName).toBe('logits');
      expect(net.inputShape).toEqual([1, 28, 28]);
      if (EXPECTED_KINDS[name]) expect(kinds(net)).toEqual(EXPECTED_KINDS[name]);
      // Parameters keep the initializer names and exact float32 values.
      const model = decodeModel(bytes);
      const inits = new Map(model.graph.initializer.map((t) => [t.name!, t]));
      for (const l of net.layers) {
        if (l.kind !== 'dense' && l.kind !== 'conv') continue;
        for (const p of [l.weight, l.bias]) {
          const t = inits.get(p.name)!;
          expect(t, p.name).toBeDefined();
          expect(p.shape).toEqual(t.dims);
          expect(Array.from(p.data)).toEqual(Array.from(t.data as Float32Array));
        }
      }
      await expectMatchesOrt(bytes, net, 4, 17);
    });
  }

  it('cnn_robust_ibp keeps its own strides (2,1,1,2)', () => {
    const net = importOnnx(new Uint8Array(readFileSync(new URL('cnn_robust_ibp.onnx', TUTORIAL))));
    const convs = net.layers.filter((l): l is Extract<Layer, { kind: 'conv' }> => l.kind === 'conv');
    expect(convs.map((c) => c.strides[0])).toEqual([2, 1, 1, 2]);
    expect(convs.map((c) => c.pads)).toEqual(convs.map(() => [1, 1, 1, 1]));
  });

  it('accepts an already decoded ModelProto', () => {
    const bytes = new Uint8Array(readFileSync(new URL('small.onnx', TUTORIAL)));
    const a = importOnnx(bytes);
    const b = importOnnx(decodeModel(bytes));
    expect(kinds(b)).toEqual(kinds(a));
  });
});

interface FixtureMeta {
  file: string;
  expect: 'supported' | 'unsupported';
  inputShape: number[];
  batch: number;
  input: number[];
  logits: number[];
  logits64: number[];
  unsupportedOp?: string;
  unsupportedNode?: string;
}

const fixtureNames = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
const fixture = (name: string) => {
  const meta = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as FixtureMeta;
  const bytes = new Uint8Array(readFileSync(new URL(meta.file, FIXTURES)));
  return { meta, bytes };
};

describe('importOnnx: PyTorch fixture variants', () => {
  it('has the fixtures', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of fixtureNames) {
    const { meta } = fixture(name);
    if (meta.expect === 'supported') {
      it(`${name}: forward64 matches PyTorch float64 and ONNX Runtime`, async () => {
        const { bytes } = fixture(name);
        const net = importOnnx(bytes);
        expect(net.inputShape).toEqual(meta.inputShape);
        const ours = forward64(net, Float64Array.from(meta.input), meta.batch);
        // Folds (BN, affine merges) round the merged parameters to float32 once.
        expect(maxAbsDiff(ours, meta.logits64)).toBeLessThan(1e-5 * Math.max(1, maxAbs(meta.logits64)));
        const ref = await runOrt(bytes, Float32Array.from(meta.input), [meta.batch, ...meta.inputShape]);
        expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-5 * Math.max(1, maxAbs(ref)));
        await expectMatchesOrt(bytes, net, 2, 99);
      });
    } else {
      it(`${name}: UnsupportedOpError names ${meta.unsupportedOp}`, () => {
        const { bytes } = fixture(name);
        const e = errorOf(() => importOnnx(bytes));
        expect(e).toBeInstanceOf(UnsupportedOpError);
        const u = e as UnsupportedOpError;
        expect(u.opType).toBe(meta.unsupportedOp);
        expect(u.message).toContain(meta.unsupportedOp!);
        expect(u.message).toContain(u.nodeName);
        if (meta.unsupportedNode) expect(u.nodeName).toBe(meta.unsupportedNode);
      });
    }
  }

  it('conv_bn: both BatchNorms fold into the preceding conv/dense', () => {
    const net = importOnnx(fixture('conv_bn').bytes);
    expect(kinds(net)).toEqual(['conv', 'relu', 'flatten', 'dense']);
    const conv = net.layers[0] as Extract<Layer, { kind: 'conv' }>;
    expect(conv.weight.name).toBe('conv.weight.folded');
    expect(conv.bias.name).toBe('conv.bias.folded');
  });

  it('input_bn: BatchNorm on the input becomes an affine layer', () => {
    const net = importOnnx(fixture('input_bn').bytes);
    expect(kinds(net)).toEqual(['affine', 'conv', 'relu', 'flatten', 'dense']);
    const a = net.layers[0] as Extract<Layer, { kind: 'affine' }>;
    expect(a.scale.shape).toEqual([3, 1, 1]);
    expect(a.shift.shape).toEqual([3, 1, 1]);
  });

  it('normalisation Sub/Div merge into one affine layer', () => {
    const ch = importOnnx(fixture('normalize_channels').bytes);
    expect(kinds(ch)).toEqual(['affine', 'conv', 'relu', 'flatten', 'dense']);
    const a = ch.layers[0] as Extract<Layer, { kind: 'affine' }>;
    expect(a.scale.shape).toEqual([3, 1, 1]);
    expect(a.scale.data[0]).toBeCloseTo(1 / 0.229, 5);
    expect(a.shift.data[0]).toBeCloseTo(-0.485 / 0.229, 5);
    const sc = importOnnx(fixture('normalize_scalar').bytes);
    expect(kinds(sc)).toEqual(['affine', 'flatten', 'dense', 'relu', 'dense']);
    const b = sc.layers[0] as Extract<Layer, { kind: 'affine' }>;
    expect(b.scale.shape).toEqual([]);
    expect(b.shift.shape).toEqual([]);
  });

  it('pools and Pad + AveragePool (count_include_pad) map to pool layers', () => {
    const p = importOnnx(fixture('pools').bytes);
    expect(kinds(p)).toEqual(['conv', 'relu', 'maxpool', 'avgpool', 'flatten', 'dense']);
    expect((p.layers[3] as PoolLayer).countIncludePad).toBe(false);
    const q = importOnnx(fixture('avgpool_include_pad').bytes);
    expect(kinds(q)).toEqual(['conv', 'relu', 'avgpool', 'maxpool', 'flatten', 'dense']);
    const avg = q.layers[2] as PoolLayer;
    expect(avg.pads).toEqual([1, 1, 1, 1]);
    expect(avg.countIncludePad).toBe(true);
  });

  it('opset 9/11/13/17 spellings of the same MLP give identical networks', () => {
    const nets = ['mlp_opset9', 'mlp_opset11', 'mlp_opset13', 'mlp_opset17'].map((n) => importOnnx(fixture(n).bytes));
    for (const net of nets) {
      expect(kinds(net)).toEqual(['flatten', 'dense', 'relu', 'dense', 'relu', 'dense']);
      expect(net.layers).toEqual(nets[0].layers);
    }
  });

  it('three flatten spellings give identical networks', () => {
    const nets = ['flatten_module', 'flatten_view', 'flatten_reshape'].map((n) => importOnnx(fixture(n).bytes));
    for (const net of nets) {
      expect(kinds(net)).toEqual(['conv', 'relu', 'flatten', 'dense']);
      expect(net.layers.map((l) => (l.kind === 'flatten' ? 'f' : l))).toEqual(nets[0].layers.map((l) => (l.kind === 'flatten' ? 'f' : l)));
    }
  });

  it('squeeze (attribute and input axes) and the all-zero Pad fold away', () => {
    for (const n of ['squeeze_opset11', 'squeeze_opset13']) {
      expect(kinds(importOnnx(fixture(n).bytes))).toEqual(['conv', 'relu', 'avgpool', 'flatten', 'dense']);
    }
  });

  it('MatMul + Add becomes dense with a [out, in] weight and the Add constant as bias', () => {
    const net = importOnnx(fixture('matmul_add').bytes);
    expect(kinds(net)).toEqual(['flatten', 'dense', 'relu', 'dense']);
    const d = net.layers[1] as Extract<Layer, { kind: 'dense' }>;
    expect(d.weight.shape).toEqual([16, 64]);
    expect(d.weight.name).toBe('W.folded');
    expect(d.bias.name).toBe('b');
    const l3 = importOnnx(fixture('linear_3d').bytes);
    expect(kinds(l3)).toEqual(['flatten', 'dense', 'reshape', 'relu', 'flatten', 'dense']);
    expect((l3.layers[1] as Extract<Layer, { kind: 'dense' }>).bias.name).toBe('fc1.bias');
  });
});

describe('importOnnx: hand-built graphs', () => {
  it('Gemm with transB = 0, alpha and beta; float64 initializers through Cast', async () => {
    const w = seq(4 * 3, 1);
    const m = makeModel(
      [
        node('Cast', ['w64'], ['w'], [aInt('to', DataType.FLOAT)], 'cast'),
        node('Gemm', ['x', 'w', 'b'], ['y'], [aFloat('alpha', 2), aFloat('beta', 0.5)], 'gemm'),
      ],
      [f64('w64', [4, 3], w), f32('b', [3], [1, 2, 3])],
      ['N', 4],
    );
    const net = importOnnx(m);
    expect(kinds(net)).toEqual(['dense']);
    const d = net.layers[0] as Extract<Layer, { kind: 'dense' }>;
    expect(d.weight.shape).toEqual([3, 4]);
    expect(d.weight.data[1]).toBeCloseTo(2 * w[3], 6);
    expect(Array.from(d.bias.data)).toEqual([0.5, 1, 1.5]);
    await expectMatchesOrt(encodeModel(m), net, 5, 3);
  });

  it('Conv auto_pad SAME_UPPER / SAME_LOWER / VALID resolve to the pads ORT uses', async () => {
    for (const autoPad of ['SAME_UPPER', 'SAME_LOWER', 'VALID']) {
      const m = makeModel(
        [
          node('Conv', ['x', 'w'], ['c'], [aStr('auto_pad', autoPad), aInts('strides', [2, 2]), aInts('kernel_shape', [2, 2])], 'conv'),
          node('Flatten', ['c'], ['y'], [aInt('axis', 1)], 'flat'),
        ],
        [f32('w', [2, 1, 2, 2], seq(8, 4))],
        ['N', 1, 5, 5],
      );
      const net = importOnnx(m);
      const conv = net.layers[0] as Extract<Layer, { kind: 'conv' }>;
      if (autoPad === 'SAME_UPPER') expect(conv.pads).toEqual([0, 0, 1, 1]);
      if (autoPad === 'SAME_LOWER') expect(conv.pads).toEqual([1, 1, 0, 0]);
      if (autoPad === 'VALID') expect(conv.pads).toEqual([0, 0, 0, 0]);
      expect(conv.bias.name).toBe('conv.bias');
      await expectMatchesOrt(encodeModel(m), net, 2, 5);
    }
  });

  it('constant Sub/Mul/Div/Add chains (either operand order) merge into one affine; bias Adds fold', async () => {
    const m = makeModel(
      [
        node('Sub', ['c1', 'x'], ['a'], [], 'sub'), // 0.5 − x
        node('Mul', ['a', 's'], ['b'], [], 'mul'),
        node('Div', ['b', 'd'], ['e'], [], 'div'),
        node('Add', ['e', 't'], ['f'], [], 'add'),
        node('Conv', ['f', 'w', 'cb'], ['g'], [aInts('pads', [1, 1, 1, 1])], 'conv'),
        node('Add', ['g', 'cbias'], ['h'], [], 'conv_bias'), // per-channel [1, C, 1, 1] → bias
        node('Relu', ['h'], ['y'], [], 'relu'),
      ],
      [
        f32('c1', [], [0.5]),
        f32('s', [2, 1, 1], [2, -3]),
        f32('d', [1, 2, 1, 1], [4, 5]),
        f32('t', [2, 3, 3], seq(18, 6)),
        f32('w', [3, 2, 3, 3], seq(54, 7)),
        f32('cb', [3], [0.1, 0.2, 0.3]),
        f32('cbias', [1, 3, 1, 1], [1, 2, 3]),
      ],
      ['N', 2, 3, 3],
    );
    const net = importOnnx(m);
    expect(kinds(net)).toEqual(['affine', 'conv', 'relu']);
    const a = net.layers[0] as Extract<Layer, { kind: 'affine' }>;
    expect(a.scale.shape).toEqual([2, 1, 1]);
    expect(a.shift.shape).toEqual([2, 3, 3]);
    const conv = net.layers[1] as Extract<Layer, { kind: 'conv' }>;
    expect(conv.bias.name).toBe('cb.folded');
    expect(Array.from(conv.bias.data)).toEqual(Array.from(Float32Array.from([1.1, 2.2, 3.3])));
    await expectMatchesOrt(encodeModel(m), net, 3, 8);
  });

  it('MaxPool/AveragePool with SAME_UPPER padding and a general Reshape layer', async () => {
    const m = makeModel(
      [
        node('MaxPool', ['x'], ['p'], [aInts('kernel_shape', [3, 3]), aInts('strides', [2, 2]), aStr('auto_pad', 'SAME_UPPER')], 'mp'),
        node('AveragePool', ['p'], ['q'], [aInts('kernel_shape', [2, 2]), aInts('pads', [1, 1, 1, 1]), aInt('count_include_pad', 1)], 'ap'),
        node('Reshape', ['q', 'shape'], ['r'], [], 'rs'),
        node('Relu', ['r'], ['y'], [], 'relu'),
      ],
      [i64('shape', [0, 4, -1])],
      ['N', 2, 6, 6],
    );
    const net = importOnnx(m);
    expect(kinds(net)).toEqual(['maxpool', 'avgpool', 'reshape', 'relu']);
    expect((net.layers[0] as PoolLayer).pads).toEqual([0, 0, 1, 1]);
    expect((net.layers[2] as Extract<Layer, { kind: 'reshape' }>).shape).toEqual([4, 8]);
    const per = 2 * 6 * 6;
    const x = randomInput(3, per, 9, -1, 1);
    const ref = await runOrt(encodeModel(m), x, [3, 2, 6, 6]);
    expect(maxAbsDiff(forward64(net, x, 3), ref)).toBeLessThan(1e-6);
  });

  it('zero Pad folds into the following Conv / AveragePool (opset 10 attributes, opset 13 inputs); GlobalAveragePool', async () => {
    for (const opset of [10, 13]) {
      const padNode = (inp: string, out: string, pads: number[], name: string) =>
        opset >= 11
          ? node('Pad', [inp, `${name}.pads`], [out], [aStr('mode', 'constant')], name)
          : node('Pad', [inp], [out], [aInts('pads', pads)], name);
      const p1 = [0, 0, 1, 0, 0, 0, 2, 1];
      const p2 = [0, 0, 0, 1, 0, 0, 1, 0];
      const m = makeModel(
        [
          padNode('x', 'a', p1, 'pad1'),
          node('Conv', ['a', 'w', 'b'], ['c'], [aInts('pads', [1, 1, 1, 1])], 'conv'),
          padNode('c', 'd', p2, 'pad2'),
          node('AveragePool', ['d'], ['e'], [aInts('kernel_shape', [2, 2])], 'ap'),
          node('GlobalAveragePool', ['e'], ['y'], [], 'gap'),
        ],
        [
          f32('w', [3, 2, 3, 3], seq(54, 2)),
          f32('b', [3], [0.1, -0.2, 0.3]),
          ...(opset >= 11 ? [i64('pad1.pads', p1), i64('pad2.pads', p2)] : []),
        ],
        ['N', 2, 5, 4],
        'y',
        opset,
      );
      const net = importOnnx(m);
      expect(kinds(net)).toEqual(['conv', 'avgpool', 'avgpool']);
      expect((net.layers[0] as Extract<Layer, { kind: 'conv' }>).pads).toEqual([2, 1, 3, 2]);
      const ap = net.layers[1] as PoolLayer;
      expect(ap.pads).toEqual([0, 1, 1, 0]);
      expect(ap.countIncludePad).toBe(true);
      await expectMatchesOrt(encodeModel(m), net, 2, 21);
    }
  });

  it('carries metadata_props into network.metadata', () => {
    const m = makeModel([node('Relu', ['x'], ['y'], [], 'r')], [], ['N', 3]);
    m.metadataProps = [
      { key: 'minmax.epsilon', value: '0.1' },
      { key: 'note', value: 'trained' },
    ];
    expect(importOnnx(m).metadata).toEqual({ 'minmax.epsilon': '0.1', note: 'trained' });
  });

  it('ignores nodes that do not feed the output', () => {
    const m = makeModel(
      [node('Relu', ['x'], ['y'], [], 'r'), node('Sigmoid', ['x'], ['unused'], [], 'dead')],
      [],
      ['N', 3],
    );
    expect(kinds(importOnnx(m))).toEqual(['relu']);
  });
});

describe('importOnnx: errors', () => {
  it('unsupported op names the op and node; unnamed nodes are <opType>#<index>', () => {
    const m = makeModel([node('Relu', ['x'], ['a'], [], 'r'), node('Tanh', ['a'], ['y'])], [], ['N', 3]);
    const e = errorOf(() => importOnnx(m));
    expect(e).toBeInstanceOf(UnsupportedOpError);
    expect(e.message).toContain('Tanh');
    expect(e.message).toContain('Tanh#1');
  });

  it('Conv with group > 1 and MaxPool with ceil_mode = 1 are unsupported', () => {
    const g = makeModel(
      [node('Conv', ['x', 'w'], ['y'], [aInt('group', 2)], 'grouped')],
      [f32('w', [2, 1, 3, 3], seq(18, 1))],
      ['N', 2, 5, 5],
    );
    const e1 = errorOf(() => importOnnx(g));
    expect(e1).toBeInstanceOf(UnsupportedOpError);
    expect(e1.message).toMatch(/Conv.*grouped.*group = 2/);
    const c = makeModel([node('MaxPool', ['x'], ['y'], [aInts('kernel_shape', [2, 2]), aInt('ceil_mode', 1)], 'mp')], [], ['N', 1, 5, 5]);
    const e2 = errorOf(() => importOnnx(c));
    expect(e2).toBeInstanceOf(UnsupportedOpError);
    expect(e2.message).toMatch(/MaxPool.*mp.*ceil_mode/);
  });

  it('branching: two consumers of one activation', () => {
    const m = makeModel(
      [node('Relu', ['x'], ['a'], [], 'r1'), node('Relu', ['x'], ['b'], [], 'r2'), node('Mul', ['a', 'b'], ['y'], [], 'm')],
      [],
      ['N', 3],
    );
    const e = errorOf(() => importOnnx(m));
    expect(e).toBeInstanceOf(UnsupportedOpError);
  });

  it('a Pad that does not feed Conv/AveragePool is unsupported and named', () => {
    const m = makeModel(
      [node('Pad', ['x', 'pads'], ['a'], [], 'thepad'), node('MaxPool', ['a'], ['y'], [aInts('kernel_shape', [2, 2])], 'mp')],
      [i64('pads', [0, 0, 1, 1, 0, 0, 1, 1])],
      ['N', 1, 4, 4],
    );
    const e = errorOf(() => importOnnx(m));
    expect(e).toBeInstanceOf(UnsupportedOpError);
    expect((e as UnsupportedOpError).opType).toBe('Pad');
    expect(e.message).toContain('thepad');
  });

  it('more than one input is unsupported', () => {
    const m = makeModel([node('Relu', ['x'], ['y'], [], 'r')], [], ['N', 3]);
    m.graph.input.push({ name: 'x2', elemType: DataType.FLOAT, shape: ['N', 3] });
    expect(() => importOnnx(m)).toThrow(UnsupportedOpError);
  });

  it('garbage, truncated and empty bytes are OnnxParseErrors', () => {
    const bytes = new Uint8Array(readFileSync(new URL('dnn2.onnx', TUTORIAL)));
    expect(() => importOnnx(bytes.subarray(0, Math.floor(bytes.length / 2)))).toThrow(OnnxParseError);
    expect(() => importOnnx(bytes.subarray(0, 10))).toThrow(OnnxParseError);
    expect(() => importOnnx(new Uint8Array(0))).toThrow(OnnxParseError);
    const garbage = Uint8Array.from(randomInput(1, 256, 3), (v) => Math.floor(v * 256));
    expect(() => importOnnx(garbage)).toThrow(OnnxParseError);
    expect(() => importOnnx(new TextEncoder().encode('this is not an onnx file at all'))).toThrow(OnnxParseError);
  });

  it('missing graph and dangling tensor names are OnnxParseErrors', () => {
    const noGraph = { irVersion: 8, opsetImport: [{ domain: '', version: 13 }], metadataProps: [] } as unknown as ModelProto;
    expect(() => importOnnx(noGraph)).toThrow(OnnxParseError);
    const dangling = makeModel([node('Add', ['x', 'nowhere'], ['y'], [], 'add')], [], ['N', 3]);
    const e = errorOf(() => importOnnx(dangling));
    expect(e).toBeInstanceOf(OnnxParseError);
    expect(e.message).toContain('nowhere');
    const noOutput = makeModel([node('Relu', ['x'], ['a'], [], 'r')], [], ['N', 3]);
    expect(() => importOnnx(noOutput)).toThrow(OnnxParseError);
  });

  it('dense in-features mismatch is a ShapeError naming both shapes', () => {
    const m = makeModel(
      [node('Gemm', ['x', 'w', 'b'], ['y'], [aInt('transB', 1)], 'fc')],
      [f32('w', [3, 5], seq(15, 1)), f32('b', [3], [0, 0, 0])],
      ['N', 4],
    );
    const e = errorOf(() => importOnnx(m));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain('[3, 5]');
    expect(e.message).toContain('[N, 4]');
  });

  it('initializer data/dims mismatch and declared-shape mismatch are ShapeErrors', () => {
    const m = makeModel([node('Add', ['x', 'c'], ['y'], [], 'add')], [f32('c', [3], [1, 2])], ['N', 3]);
    expect(() => importOnnx(m)).toThrow(ShapeError);
    const d = makeModel([node('Add', ['x', 'c'], ['y'], [], 'add')], [f32('c', [3], [1, 2, 3])], ['N', 3]);
    d.graph.input.push({ name: 'c', elemType: DataType.FLOAT, shape: [4] });
    const e = errorOf(() => importOnnx(d));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain('[3]');
    expect(e.message).toContain('[4]');
  });

  it('a dynamic non-batch input dim is a ShapeError', () => {
    const m = makeModel([node('Relu', ['x'], ['y'], [], 'r')], [], ['N', 'C', 28, 28]);
    expect(() => importOnnx(m)).toThrow(ShapeError);
  });
});
