/**
 * Records an ONNX graph (opset 17, default domain) op by op, with static shapes where they are
 * known, and produces a ModelProto. The recorded node list doubles as the tape of reverse mode
 * (`grad.ts`): nodes are appended in topological order, so walking it backwards visits every
 * consumer before its producers.
 *
 * Only ops of the shared op list (brief: ops the float64 reference interpreter implements) have
 * emitters, so every graph built here also runs in the interpreter.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import {
  DataType,
  type DataTypeCode,
  type Dim,
  type ModelProto,
  type TensorProto,
  type ValueInfoProto,
} from '../onnx/types.js';
import { attrFloat, attrInt, attrInts, attrString, attrTensor, type Attrs } from './attributes.js';
import {
  broadcastShapes,
  isStatic,
  normAxis,
  reshapeShape,
  shapeStr,
  staticSize,
  transposedWindowOutput,
  unknownDim,
  windowOutput,
  type Shape,
} from './shapes.js';

export const OPSET = 17;
export const IR_VERSION = 8;

/** Element type of the floating-point tensors of a built graph. */
export type FloatType = 'float32' | 'float64';

export const floatTypeCode = (t: FloatType): DataTypeCode => (t === 'float64' ? DataType.DOUBLE : DataType.FLOAT);

/** A named tensor of the graph under construction. */
export interface Value {
  readonly name: string;
  readonly dtype: DataTypeCode;
  readonly shape: readonly Dim[];
}

/** One recorded node; inputs left out (ONNX empty name) are undefined. */
export interface TapeNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly (Value | undefined)[];
  /** Mutable only so a reverse rule can request an optional output the forward left off (MaxPool Indices). */
  outputs: Value[];
  readonly attrs: Readonly<Attrs>;
}

export interface OutputSpec {
  dtype: DataTypeCode;
  shape: readonly Dim[];
}

export interface ConvOptions {
  strides?: readonly number[];
  /** ONNX order: begins then ends. */
  pads?: readonly number[];
  dilations?: readonly number[];
  /** Conv only: channel groups (default 1); x has group·w[1] channels. */
  group?: number;
}

export interface ConvTransposeOptions extends ConvOptions {
  outputPadding?: readonly number[];
}

export interface PoolOptions {
  kernel: readonly number[];
  strides?: readonly number[];
  pads?: readonly number[];
}

export interface GemmOptions {
  alpha?: number;
  beta?: number;
  transA?: boolean;
  transB?: boolean;
}

const isFloatType = (t: DataTypeCode): boolean => t === DataType.FLOAT || t === DataType.DOUBLE;

function floatArray(t: DataTypeCode, data: ArrayLike<number>): Float32Array | Float64Array {
  return t === DataType.DOUBLE ? Float64Array.from(data) : Float32Array.from(data);
}

/**
 * How reverse-mode rules emit convolution input gradients: 'conv' (default) as plain convolutions
 * where ONNX Runtime's x86 CPU provider runs them blocked (NCHWc), which is several times faster
 * there; 'convTranspose' always as ConvTranspose, the adjoint as such (for providers without
 * NCHWc kernels, e.g. WebAssembly or GPUs). Both are exact; see rules/conv-input-grad.ts.
 */
export type ConvGradientForm = 'conv' | 'convTranspose';

export interface GraphBuilderOptions {
  /** Element type of float tensors (default float32; float64 for finite-difference checks). */
  floatType?: FloatType;
  graphName?: string;
  convGradients?: ConvGradientForm;
}

export class GraphBuilder {
  readonly floatType: DataTypeCode;
  readonly graphName: string;
  readonly convGradients: ConvGradientForm;
  /** The tape: every node in topological order. */
  readonly nodes: TapeNode[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly initializerNames = new Set<string>();
  private readonly graphInputs: ValueInfoProto[] = [];
  private readonly graphOutputs: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private readonly counters = new Map<string, number>();
  /** Contents of small int64 tensors known while building (constants, Shape results): lets
   *  Reshape/Expand/ConstantOfShape outputs keep static or symbolic shapes. */
  private readonly ints = new Map<string, Dim[]>();
  private readonly constCache = new Map<string, Value>();
  private readonly shapeCache = new Map<string, Value>();
  private readonly metadata: { key: string; value: string }[] = [];
  private readonly producers = new Map<string, TapeNode>();

  constructor(options: GraphBuilderOptions = {}) {
    this.floatType = floatTypeCode(options.floatType ?? 'float32');
    this.graphName = options.graphName ?? 'minmax';
    this.convGradients = options.convGradients ?? 'conv';
  }

  // -------------------------------------------------------------------------------------------
  // Names, graph inputs/outputs, constants

  /** A name not yet used in this graph, derived from `base`. */
  fresh(base: string): string {
    let k = this.counters.get(base) ?? 0;
    let name: string;
    do name = `${base}_${k++}`;
    while (this.used.has(name));
    this.counters.set(base, k);
    this.used.add(name);
    return name;
  }

  private claim(name: string, what: string): void {
    if (name === '') throw new InvalidArgumentError(`${what}: empty name`);
    if (this.used.has(name)) throw new InvalidArgumentError(`${what}: name '${name}' is already used in the graph`);
    this.used.add(name);
  }

  /** A graph input. The default element type is the builder's float type. */
  input(name: string, shape: readonly Dim[], dtype: DataTypeCode = this.floatType): Value {
    this.claim(name, 'graph input');
    this.graphInputs.push({ name, elemType: dtype, shape: [...shape] });
    return { name, dtype, shape: [...shape] };
  }

  /** A named initializer holding float data, stored in the builder's float type. */
  param(name: string, dims: readonly number[], data: ArrayLike<number>): Value {
    this.claim(name, 'initializer');
    if (data.length !== (staticSize(dims) ?? -1))
      throw new ShapeError(`initializer '${name}': ${data.length} values for shape ${shapeStr(dims)}`);
    this.initializers.push({ name, dims: [...dims], dataType: this.floatType, data: floatArray(this.floatType, data) });
    this.initializerNames.add(name);
    return { name, dtype: this.floatType, shape: [...dims] };
  }

  /** Declares `v` as graph output `name` (an Identity renames it when the names differ). */
  output(name: string, v: Value, shape?: readonly Dim[]): Value {
    let out = v;
    if (v.name !== name) {
      this.claim(name, 'graph output');
      out = { name, dtype: v.dtype, shape: v.shape };
      this.nodes.push({ opType: 'Identity', name: this.fresh('Identity'), inputs: [v], outputs: [out], attrs: {} });
    } else if (this.graphOutputs.some((o) => o.name === name)) {
      throw new InvalidArgumentError(`graph output '${name}' declared twice`);
    }
    this.graphOutputs.push({ name, elemType: out.dtype, shape: [...(shape ?? out.shape)] });
    return out;
  }

  setMetadata(key: string, value: string): void {
    this.metadata.push({ key, value });
  }

  /** An anonymous constant (stored as an initializer; identical constants are shared). */
  constant(values: ArrayLike<number>, dims: readonly number[], dtype: DataTypeCode = this.floatType): Value {
    if (values.length !== staticSize(dims))
      throw new ShapeError(`constant: ${values.length} values for shape ${shapeStr(dims)}`);
    const key = `${dtype}|${dims.join(',')}|${Array.from(values).join(',')}`;
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = this.fresh('const');
    let data: TensorProto['data'];
    if (dtype === DataType.INT64) data = BigInt64Array.from(Array.from(values), (x) => BigInt(x));
    else if (isFloatType(dtype)) data = floatArray(dtype, values);
    else throw new InvalidArgumentError(`constant: unsupported element type ${dtype}`);
    this.initializers.push({ name, dims: [...dims], dataType: dtype, data });
    this.initializerNames.add(name);
    const v: Value = { name, dtype, shape: [...dims] };
    if (dtype === DataType.INT64) this.ints.set(name, Array.from(values));
    this.constCache.set(key, v);
    return v;
  }

  /** Whether `v` is an initializer of this graph (`param` or `constant`): a tensor ONNX Runtime
   *  treats as constant (folds, pre-packs), unlike graph inputs and computed values. */
  isInitializer(v: Value): boolean {
    return this.initializerNames.has(v.name);
  }

  /** A float scalar (shape []), by default in the builder's float type. */
  scalar(x: number, dtype: DataTypeCode = this.floatType): Value {
    return this.constant([x], [], dtype);
  }

  /** A 1-D int64 constant (axes, shapes, indices). */
  int64s(values: readonly number[]): Value {
    return this.constant(values, [values.length], DataType.INT64);
  }

  /** The contents of an int64 tensor when known while building (constants and Shape-derived). */
  knownInts(v: Value): readonly Dim[] | undefined {
    return this.ints.get(v.name);
  }

  /** The runtime shape of `v` as an int64 tensor: a constant when static, else a Shape node shared
   *  by every value of the same symbolic shape (equal symbols are equal sizes by construction). */
  shapeOf(v: Value): Value {
    if (isStatic(v.shape)) return this.int64s(v.shape);
    const key = v.shape.join(',');
    const hit = this.shapeCache.get(key);
    if (hit) return hit;
    const [s] = this.node('Shape', [v], {}, [{ dtype: DataType.INT64, shape: [v.shape.length] }]);
    this.ints.set(s.name, [...v.shape]);
    this.shapeCache.set(key, s);
    return s;
  }

  // -------------------------------------------------------------------------------------------
  // Recording

  /** Records one node with explicitly given output types/shapes; returns its outputs. */
  node(opType: string, inputs: readonly (Value | undefined)[], attrs: Attrs, outputs: readonly OutputSpec[]): Value[] {
    const base = opType.charAt(0).toLowerCase() + opType.slice(1);
    const outs: Value[] = outputs.map((o) => ({ name: this.fresh(base), dtype: o.dtype, shape: [...o.shape] }));
    const node: TapeNode = { opType, name: this.fresh(opType), inputs: [...inputs], outputs: outs, attrs };
    this.nodes.push(node);
    for (const o of outs) this.producers.set(o.name, node);
    return outs;
  }

  /** The recorded node that computes `v`; undefined for graph inputs and initializers. */
  producer(v: Value): TapeNode | undefined {
    return this.producers.get(v.name);
  }

  /** Appends an optional output to an already recorded node (e.g. MaxPool Indices for its gradient). */
  addOutput(node: TapeNode, spec: OutputSpec): Value {
    const base = node.opType.charAt(0).toLowerCase() + node.opType.slice(1);
    const v: Value = { name: this.fresh(base), dtype: spec.dtype, shape: [...spec.shape] };
    node.outputs.push(v);
    this.producers.set(v.name, node);
    return v;
  }

  /**
   * The recorded nodes some graph output depends on, in tape order. Reverse rules may leave nodes
   * behind that nothing reads (relu.ts reroutes around a Transpose); ORT would still run them.
   */
  private liveNodes(): TapeNode[] {
    const needed = new Set(this.graphOutputs.map((o) => o.name));
    const live: TapeNode[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i];
      if (!n.outputs.some((o) => needed.has(o.name))) continue;
      live.push(n);
      for (const v of n.inputs) if (v) needed.add(v.name);
    }
    return live.reverse();
  }

  /** The ModelProto of everything recorded so far (nodes no output depends on are left out). */
  toModel(docString?: string): ModelProto {
    const live = this.liveNodes();
    return {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'minmax',
      ...(docString !== undefined ? { docString } : {}),
      graph: {
        name: this.graphName,
        node: live.map((n) => {
          const input = n.inputs.map((v) => v?.name ?? '');
          while (input.length > 0 && input[input.length - 1] === '') input.pop();
          return {
            input,
            output: n.outputs.map((v) => v.name),
            name: n.name,
            opType: n.opType,
            attribute: Object.entries(n.attrs).map(([name, value]) => ({ name, value })),
          };
        }),
        initializer: [...this.initializers],
        input: this.graphInputs.map((v) => ({ ...v, shape: v.shape && [...v.shape] })),
        output: this.graphOutputs.map((v) => ({ ...v, shape: v.shape && [...v.shape] })),
        valueInfo: [],
      },
      metadataProps: [...this.metadata],
    };
  }

  // -------------------------------------------------------------------------------------------
  // Elementwise

  private unary(opType: string, x: Value): Value {
    return this.node(opType, [x], {}, [{ dtype: x.dtype, shape: x.shape }])[0];
  }

  private binary(opType: string, a: Value, b: Value, dtype: DataTypeCode = a.dtype): Value {
    const shape = broadcastShapes([a.shape, b.shape], opType);
    return this.node(opType, [a, b], {}, [{ dtype, shape }])[0];
  }

  add(a: Value, b: Value): Value { return this.binary('Add', a, b); }
  sub(a: Value, b: Value): Value { return this.binary('Sub', a, b); }
  mul(a: Value, b: Value): Value { return this.binary('Mul', a, b); }
  div(a: Value, b: Value): Value { return this.binary('Div', a, b); }
  pow(a: Value, b: Value): Value { return this.binary('Pow', a, b); }
  neg(x: Value): Value { return this.unary('Neg', x); }
  abs(x: Value): Value { return this.unary('Abs', x); }
  sign(x: Value): Value { return this.unary('Sign', x); }
  relu(x: Value): Value { return this.unary('Relu', x); }
  /** max(0, min(1, alpha·x + beta)); alpha and beta are float32 attributes. */
  hardSigmoid(x: Value, alpha: number, beta: number): Value {
    return this.node('HardSigmoid', [x], { alpha: attrFloat(alpha), beta: attrFloat(beta) }, [{ dtype: x.dtype, shape: x.shape }])[0];
  }
  exp(x: Value): Value { return this.unary('Exp', x); }
  log(x: Value): Value { return this.unary('Log', x); }
  sqrt(x: Value): Value { return this.unary('Sqrt', x); }
  identity(x: Value): Value { return this.unary('Identity', x); }
  not(x: Value): Value { return this.unary('Not', x); }
  greater(a: Value, b: Value): Value { return this.binary('Greater', a, b, DataType.BOOL); }
  less(a: Value, b: Value): Value { return this.binary('Less', a, b, DataType.BOOL); }
  equal(a: Value, b: Value): Value { return this.binary('Equal', a, b, DataType.BOOL); }

  private variadic(opType: string, xs: readonly Value[]): Value {
    if (xs.length === 0) throw new InvalidArgumentError(`${opType}: no inputs`);
    const shape = broadcastShapes(xs.map((x) => x.shape), opType);
    return this.node(opType, xs, {}, [{ dtype: xs[0].dtype, shape }])[0];
  }

  sum(xs: readonly Value[]): Value { return this.variadic('Sum', xs); }
  max(xs: readonly Value[]): Value { return this.variadic('Max', xs); }
  min(xs: readonly Value[]): Value { return this.variadic('Min', xs); }

  where(cond: Value, a: Value, b: Value): Value {
    const shape = broadcastShapes([cond.shape, a.shape, b.shape], 'Where');
    return this.node('Where', [cond, a, b], {}, [{ dtype: a.dtype, shape }])[0];
  }

  /** Clip with optional scalar bounds (opset ≥ 11 takes them as inputs). */
  clip(x: Value, min?: Value, max?: Value): Value {
    return this.node('Clip', [x, min, max], {}, [{ dtype: x.dtype, shape: x.shape }])[0];
  }

  cast(x: Value, to: DataTypeCode): Value {
    const [y] = this.node('Cast', [x], { to: attrInt(to) }, [{ dtype: to, shape: x.shape }]);
    const known = this.ints.get(x.name);
    if (known && to === DataType.INT64) this.ints.set(y.name, known);
    return y;
  }

  // -------------------------------------------------------------------------------------------
  // Linear algebra, convolution, pooling

  gemm(a: Value, b: Value, c?: Value, opts: GemmOptions = {}): Value {
    if (a.shape.length !== 2 || b.shape.length !== 2)
      throw new ShapeError(`Gemm: operands must be 2-D, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
    const [m, ka] = opts.transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [kb, n] = opts.transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb)
      throw new ShapeError(`Gemm: inner dimensions differ (${shapeStr(a.shape)}${opts.transA ? 'ᵀ' : ''} × ${shapeStr(b.shape)}${opts.transB ? 'ᵀ' : ''})`);
    if (c) broadcastShapes([c.shape, [m, n]], 'Gemm C');
    const attrs: Attrs = {};
    if (opts.alpha !== undefined && opts.alpha !== 1) attrs.alpha = attrFloat(opts.alpha);
    if (opts.beta !== undefined && opts.beta !== 1) attrs.beta = attrFloat(opts.beta);
    if (opts.transA) attrs.transA = attrInt(1);
    if (opts.transB) attrs.transB = attrInt(1);
    return this.node('Gemm', c ? [a, b, c] : [a, b], attrs, [{ dtype: a.dtype, shape: [m, n] }])[0];
  }

  matmul(a: Value, b: Value): Value {
    if (a.shape.length === 0 || b.shape.length === 0) throw new ShapeError('MatMul: scalar operand');
    const as = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
    const bs = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
    const ka = as[as.length - 1];
    const kb = bs[bs.length - 2];
    if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb)
      throw new ShapeError(`MatMul: inner dimensions differ (${shapeStr(a.shape)} × ${shapeStr(b.shape)})`);
    const batch = broadcastShapes([as.slice(0, -2), bs.slice(0, -2)], 'MatMul');
    const shape: Dim[] = [...batch];
    if (a.shape.length > 1) shape.push(as[as.length - 2]);
    if (b.shape.length > 1) shape.push(bs[bs.length - 1]);
    return this.node('MatMul', [a, b], {}, [{ dtype: a.dtype, shape }])[0];
  }

  private convAttrs(spatial: number, kernel: readonly number[], o: ConvOptions): { attrs: Attrs; strides: number[]; pads: number[]; dilations: number[] } {
    const strides = [...(o.strides ?? new Array<number>(spatial).fill(1))];
    const pads = [...(o.pads ?? new Array<number>(2 * spatial).fill(0))];
    const dilations = [...(o.dilations ?? new Array<number>(spatial).fill(1))];
    if (strides.length !== spatial || pads.length !== 2 * spatial || dilations.length !== spatial)
      throw new ShapeError(`window attributes do not match ${spatial} spatial dims`);
    return {
      attrs: { kernel_shape: attrInts(kernel), strides: attrInts(strides), pads: attrInts(pads), dilations: attrInts(dilations) },
      strides,
      pads,
      dilations,
    };
  }

  /** Conv with explicit pads. x [N,group·C,...], w [M,C,...k] (group 1 unless given; the Conv
   *  reverse rule differentiates group 1 only, so grouped convolutions appear in gradients only). */
  conv(x: Value, w: Value, bias?: Value, opts: ConvOptions = {}): Value {
    const spatial = x.shape.length - 2;
    if (spatial < 1 || w.shape.length !== x.shape.length)
      throw new ShapeError(`Conv: input ${shapeStr(x.shape)} and weight ${shapeStr(w.shape)} ranks do not fit`);
    const kernel = w.shape.slice(2);
    if (!isStatic(kernel)) throw new ShapeError(`Conv: weight ${shapeStr(w.shape)} has a symbolic kernel size`);
    const group = opts.group ?? 1;
    if (typeof x.shape[1] === 'number' && typeof w.shape[1] === 'number' && x.shape[1] !== w.shape[1] * group)
      throw new ShapeError(`Conv: input channels ${x.shape[1]} ≠ weight input channels ${w.shape[1]} × group ${group}`);
    const { attrs, strides, pads, dilations } = this.convAttrs(spatial, kernel, opts);
    if (group !== 1) attrs.group = attrInt(group);
    const shape: Dim[] = [x.shape[0], w.shape[0]];
    for (let i = 0; i < spatial; i++)
      shape.push(windowOutput(x.shape[i + 2], kernel[i], strides[i], pads[i], pads[i + spatial], dilations[i], 'Conv'));
    return this.node('Conv', bias ? [x, w, bias] : [x, w], attrs, [{ dtype: x.dtype, shape }])[0];
  }

  /** ConvTranspose, group 1, explicit pads. x [N,C,...], w [C,M,...k] → [N,M,...]. */
  convTranspose(x: Value, w: Value, bias?: Value, opts: ConvTransposeOptions = {}): Value {
    const spatial = x.shape.length - 2;
    if (spatial < 1 || w.shape.length !== x.shape.length)
      throw new ShapeError(`ConvTranspose: input ${shapeStr(x.shape)} and weight ${shapeStr(w.shape)} ranks do not fit`);
    const kernel = w.shape.slice(2);
    if (!isStatic(kernel)) throw new ShapeError(`ConvTranspose: weight ${shapeStr(w.shape)} has a symbolic kernel size`);
    const { attrs, strides, pads, dilations } = this.convAttrs(spatial, kernel, opts);
    const outputPadding = [...(opts.outputPadding ?? new Array<number>(spatial).fill(0))];
    if (outputPadding.some((p) => p !== 0)) attrs.output_padding = attrInts(outputPadding);
    const shape: Dim[] = [x.shape[0], w.shape[1]];
    for (let i = 0; i < spatial; i++)
      shape.push(transposedWindowOutput(x.shape[i + 2], kernel[i], strides[i], pads[i], pads[i + spatial], dilations[i], outputPadding[i]));
    return this.node('ConvTranspose', bias ? [x, w, bias] : [x, w], attrs, [{ dtype: x.dtype, shape }])[0];
  }

  private poolShape(opType: string, x: Value, o: PoolOptions): { attrs: Attrs; shape: Dim[] } {
    const spatial = x.shape.length - 2;
    if (spatial < 1 || o.kernel.length !== spatial)
      throw new ShapeError(`${opType}: kernel ${shapeStr(o.kernel)} does not fit input ${shapeStr(x.shape)}`);
    const strides = [...(o.strides ?? new Array<number>(spatial).fill(1))];
    const pads = [...(o.pads ?? new Array<number>(2 * spatial).fill(0))];
    const shape: Dim[] = [x.shape[0], x.shape[1]];
    for (let i = 0; i < spatial; i++)
      shape.push(windowOutput(x.shape[i + 2], o.kernel[i], strides[i], pads[i], pads[i + spatial], 1, opType));
    return { attrs: { kernel_shape: attrInts(o.kernel), strides: attrInts(strides), pads: attrInts(pads) }, shape };
  }

  averagePool(x: Value, o: PoolOptions & { countIncludePad?: boolean }): Value {
    const { attrs, shape } = this.poolShape('AveragePool', x, o);
    if (o.countIncludePad) attrs.count_include_pad = attrInt(1);
    return this.node('AveragePool', [x], attrs, [{ dtype: x.dtype, shape }])[0];
  }

  /** MaxPool; with `indices` also the int64 flat argmax indices (over the whole N·C·H·W input). */
  maxPool(x: Value, o: PoolOptions, indices = false): Value[] {
    const { attrs, shape } = this.poolShape('MaxPool', x, o);
    const outs: OutputSpec[] = [{ dtype: x.dtype, shape }];
    if (indices) outs.push({ dtype: DataType.INT64, shape });
    return this.node('MaxPool', [x], attrs, outs);
  }

  /** BatchNormalization in inference mode (one output). */
  batchNormalization(x: Value, scale: Value, bias: Value, mean: Value, variance: Value, epsilon = 1e-5): Value {
    return this.node('BatchNormalization', [x, scale, bias, mean, variance], { epsilon: attrFloat(epsilon) }, [{ dtype: x.dtype, shape: x.shape }])[0];
  }

  // -------------------------------------------------------------------------------------------
  // Shape manipulation

  shape(x: Value): Value {
    return this.shapeOf(x);
  }

  /** Reshape to a target given as an int64 tensor or as literal dims (0 = copy input dim, −1 = infer). */
  reshape(x: Value, target: Value | readonly number[]): Value {
    const t = Array.isArray(target) ? this.int64s(target as readonly number[]) : (target as Value);
    if (t.shape.length !== 1 || typeof t.shape[0] !== 'number')
      throw new ShapeError(`Reshape: shape operand must be a 1-D tensor of static length, got ${shapeStr(t.shape)}`);
    const known = this.ints.get(t.name);
    const shape = known ? reshapeShape(x.shape, known, 'Reshape') : Array.from({ length: t.shape[0] }, unknownDim);
    return this.node('Reshape', [x, t], {}, [{ dtype: x.dtype, shape }])[0];
  }

  flatten(x: Value, axis = 1): Value {
    const a = axis < 0 ? axis + x.shape.length : axis;
    if (a < 0 || a > x.shape.length) throw new ShapeError(`Flatten: axis ${axis} out of range for ${shapeStr(x.shape)}`);
    const outer = x.shape.slice(0, a);
    const inner = x.shape.slice(a);
    const dim = (s: Shape): Dim => (s.length === 1 ? s[0] : (staticSize(s) ?? unknownDim()));
    return this.node('Flatten', [x], { axis: attrInt(a) }, [{ dtype: x.dtype, shape: [dim(outer), dim(inner)] }])[0];
  }

  transpose(x: Value, perm?: readonly number[]): Value {
    const p = perm ? [...perm] : x.shape.map((_, i) => x.shape.length - 1 - i);
    if (p.length !== x.shape.length) throw new ShapeError(`Transpose: perm ${shapeStr(p)} for ${shapeStr(x.shape)}`);
    return this.node('Transpose', [x], { perm: attrInts(p) }, [{ dtype: x.dtype, shape: p.map((i) => x.shape[i]) }])[0];
  }

  unsqueeze(x: Value, axes: readonly number[]): Value {
    const rank = x.shape.length + axes.length;
    const norm = axes.map((a) => normAxis(a, rank, 'Unsqueeze')).sort((a, b) => a - b);
    const shape: Dim[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) shape.push(norm.includes(i) ? 1 : x.shape[k++]);
    const [y] = this.node('Unsqueeze', [x, this.int64s(norm)], {}, [{ dtype: x.dtype, shape }]);
    const known = this.ints.get(x.name);
    if (known) this.ints.set(y.name, known);
    return y;
  }

  squeeze(x: Value, axes: readonly number[]): Value {
    const norm = axes.map((a) => normAxis(a, x.shape.length, 'Squeeze'));
    for (const a of norm)
      if (typeof x.shape[a] === 'number' && x.shape[a] !== 1)
        throw new ShapeError(`Squeeze: axis ${a} of ${shapeStr(x.shape)} is not 1`);
    const shape = x.shape.filter((_, i) => !norm.includes(i));
    const [y] = this.node('Squeeze', [x, this.int64s(norm)], {}, [{ dtype: x.dtype, shape }]);
    const known = this.ints.get(x.name);
    if (known) this.ints.set(y.name, known);
    return y;
  }

  concat(xs: readonly Value[], axis: number): Value {
    if (xs.length === 0) throw new InvalidArgumentError('Concat: no inputs');
    const rank = xs[0].shape.length;
    const a = normAxis(axis, rank, 'Concat');
    const shape: Dim[] = [...xs[0].shape];
    let total: Dim = 0;
    for (const x of xs) {
      if (x.shape.length !== rank) throw new ShapeError(`Concat: ranks differ (${xs.map((v) => shapeStr(v.shape)).join(', ')})`);
      const d = x.shape[a];
      total = typeof total === 'number' && typeof d === 'number' ? total + d : unknownDim();
    }
    shape[a] = total;
    const [y] = this.node('Concat', xs, { axis: attrInt(a) }, [{ dtype: xs[0].dtype, shape }]);
    const parts = xs.map((x) => this.ints.get(x.name));
    if (rank === 1 && parts.every((p) => p !== undefined)) this.ints.set(y.name, parts.flatMap((p) => p as Dim[]));
    return y;
  }

  gather(x: Value, indices: Value, axis = 0): Value {
    const a = normAxis(axis, x.shape.length, 'Gather');
    const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
    const [y] = this.node('Gather', [x, indices], { axis: attrInt(a) }, [{ dtype: x.dtype, shape }]);
    const data = this.ints.get(x.name);
    const idx = this.ints.get(indices.name);
    if (data && idx && x.shape.length === 1 && idx.every((i) => typeof i === 'number'))
      this.ints.set(y.name, (idx as number[]).map((i) => data[i < 0 ? i + data.length : i]));
    return y;
  }

  gatherElements(x: Value, indices: Value, axis: number): Value {
    const a = normAxis(axis, x.shape.length, 'GatherElements');
    return this.node('GatherElements', [x, indices], { axis: attrInt(a) }, [{ dtype: x.dtype, shape: indices.shape }])[0];
  }

  scatterElements(data: Value, indices: Value, updates: Value, axis: number, reduction: 'none' | 'add' = 'none'): Value {
    const a = normAxis(axis, data.shape.length, 'ScatterElements');
    const attrs: Attrs = { axis: attrInt(a) };
    if (reduction !== 'none') attrs.reduction = attrString(reduction);
    return this.node('ScatterElements', [data, indices, updates], attrs, [{ dtype: data.dtype, shape: data.shape }])[0];
  }

  expand(x: Value, shape: Value): Value {
    const known = this.ints.get(shape.name);
    const len = shape.shape[0];
    const target: Dim[] = known ? [...known] : Array.from({ length: typeof len === 'number' ? len : 0 }, unknownDim);
    return this.node('Expand', [x, shape], {}, [{ dtype: x.dtype, shape: broadcastShapes([x.shape, target], 'Expand') }])[0];
  }

  constantOfShape(shape: Value, value: number, dtype: DataTypeCode = this.floatType): Value {
    const known = this.ints.get(shape.name);
    const len = shape.shape[0];
    if (typeof len !== 'number') throw new ShapeError('ConstantOfShape: shape operand of symbolic length');
    const out: Dim[] = known ? [...known] : Array.from({ length: len }, unknownDim);
    const t: TensorProto = {
      dims: [1],
      dataType: dtype,
      data: dtype === DataType.INT64 ? BigInt64Array.of(BigInt(value)) : floatArray(dtype, [value]),
    };
    return this.node('ConstantOfShape', [shape], { value: attrTensor(t) }, [{ dtype, shape: out }])[0];
  }

  /** Zeros shaped like `x` (a constant when static). */
  zerosLike(x: Value): Value {
    return this.constantOfShape(this.shapeOf(x), 0, x.dtype);
  }

  oneHot(indices: Value, depth: number, values: Value, axis = -1): Value {
    const rank = indices.shape.length + 1;
    const a = normAxis(axis, rank, 'OneHot');
    const shape = [...indices.shape.slice(0, a), depth, ...indices.shape.slice(a)];
    return this.node('OneHot', [indices, this.int64s([depth]), values], { axis: attrInt(a) }, [{ dtype: values.dtype, shape }])[0];
  }

  // -------------------------------------------------------------------------------------------
  // Reductions and normalisations

  private reducedShape(x: Value, axes: readonly number[] | undefined, keepdims: boolean, what: string): { axes: number[]; shape: Dim[] } {
    const all = axes === undefined || axes.length === 0;
    const norm = all ? x.shape.map((_, i) => i) : axes.map((a) => normAxis(a, x.shape.length, what));
    const shape: Dim[] = [];
    x.shape.forEach((d, i) => {
      if (!norm.includes(i)) shape.push(d);
      else if (keepdims) shape.push(1);
    });
    return { axes: norm, shape };
  }

  /** ReduceSum over `axes` (all axes when omitted or empty). */
  reduceSum(x: Value, axes: readonly number[] | undefined, keepdims: boolean): Value {
    const { axes: norm, shape } = this.reducedShape(x, axes, keepdims, 'ReduceSum');
    const all = axes === undefined || axes.length === 0;
    const inputs = all ? [x] : [x, this.int64s(norm)];
    return this.node('ReduceSum', inputs, { keepdims: attrInt(keepdims ? 1 : 0) }, [{ dtype: x.dtype, shape }])[0];
  }

  private reduceAttr(opType: string, x: Value, axes: readonly number[] | undefined, keepdims: boolean): Value {
    const { axes: norm, shape } = this.reducedShape(x, axes, keepdims, opType);
    const attrs: Attrs = { keepdims: attrInt(keepdims ? 1 : 0) };
    if (axes !== undefined && axes.length > 0) attrs.axes = attrInts(norm);
    return this.node(opType, [x], attrs, [{ dtype: x.dtype, shape }])[0];
  }

  reduceMean(x: Value, axes: readonly number[] | undefined, keepdims: boolean): Value { return this.reduceAttr('ReduceMean', x, axes, keepdims); }
  reduceMax(x: Value, axes: readonly number[] | undefined, keepdims: boolean): Value { return this.reduceAttr('ReduceMax', x, axes, keepdims); }
  reduceMin(x: Value, axes: readonly number[] | undefined, keepdims: boolean): Value { return this.reduceAttr('ReduceMin', x, axes, keepdims); }

  argMax(x: Value, axis: number, keepdims: boolean): Value {
    const { shape } = this.reducedShape(x, [axis], keepdims, 'ArgMax');
    return this.node('ArgMax', [x], { axis: attrInt(normAxis(axis, x.shape.length, 'ArgMax')), keepdims: attrInt(keepdims ? 1 : 0) }, [{ dtype: DataType.INT64, shape }])[0];
  }

  /** TopK (largest, sorted) along `axis`: [values, int64 indices]. */
  topK(x: Value, k: number, axis = -1): [Value, Value] {
    const a = normAxis(axis, x.shape.length, 'TopK');
    const shape = [...x.shape];
    shape[a] = k;
    const [v, i] = this.node('TopK', [x, this.int64s([k])], { axis: attrInt(a) }, [
      { dtype: x.dtype, shape },
      { dtype: DataType.INT64, shape },
    ]);
    return [v, i];
  }

  softmax(x: Value, axis = -1): Value {
    return this.node('Softmax', [x], { axis: attrInt(normAxis(axis, x.shape.length, 'Softmax')) }, [{ dtype: x.dtype, shape: x.shape }])[0];
  }

  logSoftmax(x: Value, axis = -1): Value {
    return this.node('LogSoftmax', [x], { axis: attrInt(normAxis(axis, x.shape.length, 'LogSoftmax')) }, [{ dtype: x.dtype, shape: x.shape }])[0];
  }
}

/**
 * Builds a model from a function that records a graph and returns its outputs by name (for graphs
 * beyond the three of `graphs.ts`, e.g. interval bound propagation for IBP training).
 */
export function buildModel(
  fn: (b: GraphBuilder) => Record<string, Value>,
  options: GraphBuilderOptions & { docString?: string } = {},
): ModelProto {
  const b = new GraphBuilder(options);
  const outputs = fn(b);
  for (const [name, v] of Object.entries(outputs)) b.output(name, v);
  return b.toModel(options.docString);
}
