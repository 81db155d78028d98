/**
 * ONNX → Network. A real PyTorch export is an ONNX graph, not a layer list: the flatten is a
 * Shape → Gather → Unsqueeze → Concat → Reshape subgraph, Linear is Gemm (or MatMul + Add),
 * BatchNorm and input normalisation are separate nodes, and opsets 9–17 spell several ops
 * differently. The importer evaluates the graph abstractly: tensors that do not depend on the
 * input are folded to constants (`import-static.ts`), and the one tensor that does — the
 * activation — is tracked through a layer chain (`import-chain.ts`). Anything that is not a
 * chain from the single input to the single output, or any op outside the supported set, is an
 * UnsupportedOpError naming the op and node: nothing is approximated.
 */
import { OnnxParseError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Network } from '../ir/network.js';
import { layerShapes } from '../ir/shapes.js';
import { Attrs, nodeLabel, resolvePads } from './import-attrs.js';
import { LayerChain } from './import-chain.js';
import {
  binary,
  cast,
  concat,
  fmtShape,
  fromTensorProto,
  gather,
  map,
  normAxis,
  sizeOf,
  slice,
  staticInts,
  transpose,
  withDims,
  type BinaryOp,
  type StaticTensor,
} from './import-static.js';
import { decodeModel } from './proto.js';
import { DataType, type GraphProto, type ModelProto, type NodeProto } from './types.js';

type Pads = [number, number, number, number];

type Value =
  | { kind: 'static'; t: StaticTensor }
  /** The activation as it was at chain version `version`; `pad` is a pending zero Pad. */
  | { kind: 'act'; version: number; shape: number[]; pad?: { pads: Pads; node: string } }
  /** An output minmax does not model (Dropout mask, BatchNorm running stats, MaxPool indices). */
  | { kind: 'unavailable'; why: string };

type Available = Exclude<Value, { kind: 'unavailable' }>;

const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);

/**
 * Imports an ONNX model (binary bytes or an already decoded ModelProto) as a Network.
 * Throws OnnxParseError (malformed model), UnsupportedOpError (op or topology outside the
 * supported chain), ShapeError (shapes that do not fit).
 */
export function importOnnx(source: Uint8Array | ModelProto): Network {
  const model = source instanceof Uint8Array ? decodeModel(source) : source;
  if (!model || typeof model !== 'object' || !model.graph) {
    throw new OnnxParseError('malformed ONNX: the model has no graph');
  }
  return new Importer(model).run();
}

function dimsEqual(a: readonly (number | string)[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

class Importer {
  private readonly graph: GraphProto;
  private readonly values = new Map<string, Value>();
  private chain!: LayerChain;
  private inputName = '';
  private inputShape: number[] = [];
  /** The graph input's declared batch dim when static (a Reshape may spell it as a number). */
  private staticBatch: number | undefined;
  private readonly opset: number;

  // Context of the node being evaluated, for error messages.
  private node!: NodeProto;
  private label = '';

  constructor(private readonly model: ModelProto) {
    this.graph = model.graph;
    const g = this.graph;
    if (!Array.isArray(g.node) || !Array.isArray(g.input) || !Array.isArray(g.output) || !Array.isArray(g.initializer)) {
      throw new OnnxParseError('malformed ONNX: the graph is missing its node/input/output lists');
    }
    const def = (model.opsetImport ?? []).find((o) => DEFAULT_DOMAINS.has(o.domain));
    if (!def) throw new OnnxParseError('malformed ONNX: no opset_import for the default (ai.onnx) domain');
    this.opset = def.version;
  }

  run(): Network {
    const g = this.graph;
    const initNames = new Set<string>();
    for (const t of g.initializer) {
      const name = t.name ?? '';
      if (!name) throw new OnnxParseError('malformed ONNX: an initializer has no name');
      if (initNames.has(name)) throw new OnnxParseError(`malformed ONNX: initializer '${name}' is defined twice`);
      initNames.add(name);
      this.values.set(name, { kind: 'static', t: fromTensorProto(t, name) });
    }

    // IR < 4 lists initializers among the inputs too; the declared type must then agree.
    const realInputs = g.input.filter((vi) => {
      if (!initNames.has(vi.name)) return true;
      const init = this.values.get(vi.name) as { kind: 'static'; t: StaticTensor };
      if (vi.shape && !(vi.shape.every((d) => typeof d === 'number') && dimsEqual(vi.shape, init.t.dims))) {
        throw new ShapeError(
          `initializer '${vi.name}' has shape ${fmtShape(init.t.dims)} but the graph input declares ${fmtShape(vi.shape)}`,
        );
      }
      return false;
    });
    if (realInputs.length !== 1) {
      throw new UnsupportedOpError(
        'Graph',
        g.name || '<graph>',
        `a network must have exactly one input tensor; this graph has ${realInputs.length}` +
          (realInputs.length ? ` (${realInputs.map((v) => v.name).join(', ')})` : ''),
      );
    }
    if (g.output.length !== 1) {
      throw new UnsupportedOpError(
        'Graph',
        g.name || '<graph>',
        `a network must have exactly one output tensor; this graph has ${g.output.length}` +
          (g.output.length ? ` (${g.output.map((v) => v.name).join(', ')})` : ''),
      );
    }
    const input = realInputs[0];
    this.setupInput(input.name, input.elemType, input.shape);
    const outputName = g.output[0].name;

    const order = this.schedule(g, outputName);
    for (const i of order) this.evalNode(g.node[i], i);

    const out = this.values.get(outputName);
    if (!out) throw new OnnxParseError(`malformed ONNX: graph output '${outputName}' is not produced by any node`);
    if (out.kind === 'unavailable') throw new UnsupportedOpError('Graph', outputName, out.why);
    if (out.kind !== 'act') {
      throw new UnsupportedOpError('Graph', outputName, 'the graph output does not depend on the input');
    }
    this.node = { opType: 'Graph', input: [], output: [], attribute: [] };
    this.label = outputName;
    this.requireCurrent(out, false);

    const metadata: Record<string, string> = {};
    for (const kv of this.model.metadataProps ?? []) metadata[kv.key] = kv.value;
    const net: Network = {
      inputName: this.inputName,
      inputShape: this.inputShape,
      outputName,
      layers: this.chain.finalize([this.inputName, outputName]),
      metadata,
    };
    layerShapes(net);
    return net;
  }

  private setupInput(name: string, elemType: number, shape: (number | string)[] | undefined): void {
    if (elemType !== DataType.FLOAT) {
      throw new UnsupportedOpError('Graph', name, `the input must be float32 (ONNX elem_type 1); it is elem_type ${elemType}`);
    }
    if (!shape) throw new ShapeError(`input '${name}' has no declared shape; minmax needs [N, ...static dims]`);
    if (shape.length < 2) {
      throw new ShapeError(`input '${name}' has shape ${fmtShape(shape)}; minmax needs a batch dim followed by static dims`);
    }
    const rest = shape.slice(1);
    if (!rest.every((d): d is number => typeof d === 'number' && d > 0)) {
      throw new ShapeError(
        `input '${name}' has shape ${fmtShape(shape)}; only the batch dim may be dynamic, the others must be static`,
      );
    }
    this.inputName = name;
    this.inputShape = rest;
    this.staticBatch = typeof shape[0] === 'number' && shape[0] > 0 ? shape[0] : undefined;
    this.chain = new LayerChain(rest);
    this.values.set(name, { kind: 'act', version: 0, shape: rest.slice() });
  }

  /**
   * Nodes the output depends on, in a topological order that keeps the file order where it
   * can. Dangling names and cycles are OnnxParseErrors; unreachable nodes are ignored.
   */
  private schedule(g: GraphProto, outputName: string): number[] {
    const producer = new Map<string, number>();
    g.node.forEach((n, i) => {
      if (!n || typeof n.opType !== 'string' || !Array.isArray(n.input) || !Array.isArray(n.output)) {
        throw new OnnxParseError(`malformed ONNX: node #${i} is incomplete`);
      }
      for (const o of n.output) {
        if (!o) continue;
        if (producer.has(o) || this.values.has(o)) {
          throw new OnnxParseError(`malformed ONNX: tensor '${o}' is produced twice (node '${nodeLabel(n, i)}')`);
        }
        producer.set(o, i);
      }
    });
    const known = (name: string) => this.values.has(name) || producer.has(name);
    g.node.forEach((n, i) => {
      for (const x of n.input) {
        if (x && !known(x)) {
          throw new OnnxParseError(
            `malformed ONNX: ${n.opType} node '${nodeLabel(n, i)}' reads '${x}', which no node, initializer or input defines`,
          );
        }
      }
    });
    if (!known(outputName)) {
      throw new OnnxParseError(`malformed ONNX: graph output '${outputName}' is not produced by any node`);
    }
    const needed = new Set<number>();
    const stack = [outputName];
    while (stack.length) {
      const p = producer.get(stack.pop()!);
      if (p === undefined || needed.has(p)) continue;
      needed.add(p);
      for (const x of g.node[p].input) if (x) stack.push(x);
    }
    const ready = new Set<string>(this.values.keys());
    const done = new Set<number>();
    const order: number[] = [];
    const pending = [...needed].sort((a, b) => a - b);
    while (order.length < pending.length) {
      let progressed = false;
      for (const i of pending) {
        if (done.has(i)) continue;
        if (g.node[i].input.every((x) => !x || ready.has(x))) {
          done.add(i);
          order.push(i);
          for (const o of g.node[i].output) if (o) ready.add(o);
          progressed = true;
          break;
        }
      }
      if (!progressed) throw new OnnxParseError('malformed ONNX: the graph has a cycle');
    }
    return order;
  }

  // --- node evaluation -------------------------------------------------------------------------

  private evalNode(node: NodeProto, index: number): void {
    this.node = node;
    this.label = nodeLabel(node, index);
    if (node.domain && !DEFAULT_DOMAINS.has(node.domain)) {
      throw new UnsupportedOpError(node.opType, this.label, `custom domain '${node.domain}'`);
    }
    try {
      this.dispatch(node, new Attrs(node, this.label));
    } catch (e) {
      if (e instanceof ShapeError && !e.message.includes(this.label)) {
        throw new ShapeError(`${node.opType} node '${this.label}': ${e.message}`);
      }
      throw e;
    }
  }

  private unsupported(detail?: string): never {
    throw new UnsupportedOpError(this.node.opType, this.label, detail);
  }

  private input(i: number): Available | undefined {
    const name = this.node.input[i];
    if (!name) return undefined;
    const v = this.values.get(name);
    if (!v) throw new OnnxParseError(`malformed ONNX: '${name}' is read by '${this.label}' before it is defined`);
    if (v.kind === 'unavailable') this.unsupported(`reads '${name}': ${v.why}`);
    return v;
  }

  private required(i: number, what: string): Available {
    const v = this.input(i);
    if (!v) throw new OnnxParseError(`malformed ONNX: ${this.node.opType} node '${this.label}' has no ${what} input`);
    return v;
  }

  private staticInput(i: number, what: string): StaticTensor {
    const v = this.required(i, what);
    if (v.kind !== 'static') this.unsupported(`its ${what} must be a constant, but it is computed from the network input`);
    return v.t;
  }

  private optionalStatic(i: number, what: string): StaticTensor | undefined {
    return this.node.input[i] ? this.staticInput(i, what) : undefined;
  }

  /** The activation, checked to be the chain's current one (else the graph branches). */
  private requireCurrent(v: Value, allowPad: boolean): Extract<Value, { kind: 'act' }> {
    if (v.kind !== 'act') throw new Error('internal: requireCurrent on a constant');
    if (v.version !== this.chain.version) {
      this.unsupported(
        'the graph is not a chain: this reads an activation that another node has already consumed ' +
          '(branches and residual connections are not supported)',
      );
    }
    if (v.pad && !allowPad) {
      throw new UnsupportedOpError('Pad', v.pad.node, `a Pad is only supported directly before Conv or AveragePool, not ${this.node.opType} '${this.label}'`);
    }
    return v;
  }

  private setOutput(i: number, v: Value): void {
    const name = this.node.output[i];
    if (name) this.values.set(name, v);
  }

  private setStatic(t: StaticTensor): void {
    this.setOutput(0, { kind: 'static', t });
  }

  private advance(): void {
    this.setOutput(0, { kind: 'act', version: this.chain.version, shape: this.chain.shape.slice() });
  }

  private markUnavailable(from: number, why: string): void {
    for (let i = from; i < this.node.output.length; i++) this.setOutput(i, { kind: 'unavailable', why });
  }

  private dispatch(node: NodeProto, a: Attrs): void {
    switch (node.opType) {
      case 'Constant':
        return this.constant(a);
      case 'Identity':
        return this.setOutput(0, this.required(0, 'data'));
      case 'Dropout':
        return this.dropout(a);
      case 'Cast':
        return this.castOp(a);
      case 'Shape':
        return this.shapeOp(a);
      case 'Gather': {
        const data = this.staticInput(0, 'data');
        return this.setStatic(gather(data, this.staticInput(1, 'indices'), a.int('axis', 0)));
      }
      case 'Unsqueeze':
      case 'Squeeze':
        return this.squeezeOp(node.opType, a);
      case 'Concat': {
        const parts = node.input.map((_, i) => this.staticInput(i, `input ${i}`));
        return this.setStatic(concat(parts, a.int('axis', 0)));
      }
      case 'Slice':
        return this.sliceOp(a);
      case 'Transpose':
        return this.setStatic(transpose(this.staticInput(0, 'data'), a.ints('perm')));
      case 'ConstantOfShape':
        return this.constantOfShape(a);
      case 'Reshape':
        return this.reshapeOp(a);
      case 'Flatten':
        return this.flattenOp(a);
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div':
        return this.arithmetic(node.opType);
      case 'Neg':
      case 'Sqrt':
      case 'Reciprocal':
        return this.unaryStatic(node.opType);
      case 'Relu': {
        const x = this.required(0, 'X');
        if (x.kind === 'static') return this.setStatic(map(x.t, (v) => (v > 0 ? v : 0)));
        this.requireCurrent(x, false);
        this.chain.relu(this.label);
        return this.advance();
      }
      case 'Gemm':
        return this.gemm(a);
      case 'MatMul':
        return this.matmul();
      case 'Conv':
        return this.conv(a);
      case 'BatchNormalization':
        return this.batchNorm(a);
      case 'AveragePool':
      case 'MaxPool':
        return this.pool(node.opType, a);
      case 'GlobalAveragePool':
        return this.globalAveragePool();
      case 'Pad':
        return this.pad(a);
      default:
        this.unsupported();
    }
  }

  // --- constants and shape arithmetic ---------------------------------------------------------

  private constant(a: Attrs): void {
    const origin = this.node.output[0];
    const t = a.tensor('value');
    let st: StaticTensor;
    if (t) st = fromTensorProto(t, origin);
    else if (a.has('value_float')) st = { dims: [], float: true, data: Float64Array.of(a.float('value_float', 0)), origin, pristine: true };
    else if (a.has('value_floats')) {
      const v = a.floats('value_floats')!;
      st = { dims: [v.length], float: true, data: Float64Array.from(v), origin, pristine: true };
    } else if (a.has('value_int')) st = { dims: [], float: false, data: Float64Array.of(a.int('value_int', 0)), origin, pristine: true };
    else if (a.has('value_ints')) {
      const v = a.ints('value_ints')!;
      st = { dims: [v.length], float: false, data: Float64Array.from(v), origin, pristine: true };
    } else this.unsupported(`only tensor/float/int values are supported (attributes: ${a.names().join(', ') || 'none'})`);
    this.setStatic(st);
  }

  private dropout(a: Attrs): void {
    // Inference semantics: identity. A constant-true training_mode would make it random.
    const training = this.optionalStatic(2, 'training_mode');
    if (training && training.data.some((v) => v !== 0)) this.unsupported('training_mode is true');
    if (a.int('is_test', 1) === 0 && this.opset < 7) this.unsupported('is_test = 0 (training mode)');
    this.setOutput(0, this.required(0, 'data'));
    this.markUnavailable(1, 'the Dropout mask output is not supported');
  }

  private castOp(a: Attrs): void {
    const to = a.int('to', DataType.FLOAT);
    const x = this.required(0, 'input');
    if (x.kind === 'static') return this.setStatic(cast(x.t, to));
    if (to !== DataType.FLOAT) this.unsupported(`the network activation can only be cast to float32 (to = ${to})`);
    this.setOutput(0, x);
  }

  private shapeOp(a: Attrs): void {
    const x = this.required(0, 'data');
    let t: StaticTensor;
    if (x.kind === 'static') {
      t = { dims: [x.t.dims.length], float: false, data: Float64Array.from(x.t.dims), pristine: false };
    } else {
      // Shape reads only the (static) per-example shape, so a stale activation is fine here.
      const dims = x.shape.slice();
      if (x.pad) {
        dims[1] += x.pad.pads[0] + x.pad.pads[2];
        dims[2] += x.pad.pads[1] + x.pad.pads[3];
      }
      const batch = new Uint8Array(dims.length + 1);
      batch[0] = 1;
      t = { dims: [dims.length + 1], float: false, data: Float64Array.from([0, ...dims]), batch, pristine: false };
    }
    const r = t.dims[0];
    const start = a.intOpt('start');
    const end = a.intOpt('end');
    if (start !== undefined || end !== undefined) t = slice(t, [start ?? 0], [end ?? r]);
    this.setStatic(t);
  }

  private axesOf(a: Attrs, what: string): number[] | undefined {
    // Opset 13 moved Squeeze/Unsqueeze axes from an attribute to an input; accept either.
    const fromInput = this.optionalStatic(1, 'axes');
    if (fromInput) return staticInts(fromInput, what);
    return a.ints('axes');
  }

  private squeezeOp(op: 'Squeeze' | 'Unsqueeze', a: Attrs): void {
    const x = this.required(0, 'data');
    const axes = this.axesOf(a, `${op} axes`);
    const full = x.kind === 'static' ? x.t.dims : [-1, ...x.shape];
    let dims: number[];
    if (op === 'Unsqueeze') {
      if (!axes) throw new OnnxParseError(`malformed ONNX: Unsqueeze node '${this.label}' has no axes`);
      const outRank = full.length + axes.length;
      const norm = axes.map((ax) => normAxis(ax, outRank, 'Unsqueeze'));
      if (new Set(norm).size !== norm.length) throw new ShapeError(`repeated Unsqueeze axes [${axes.join(', ')}]`);
      dims = [];
      let k = 0;
      for (let i = 0; i < outRank; i++) dims.push(norm.includes(i) ? 1 : full[k++]);
    } else {
      const norm = axes ? axes.map((ax) => normAxis(ax, full.length, 'Squeeze')) : undefined;
      for (const ax of norm ?? []) {
        if (full[ax] !== 1) throw new ShapeError(`Squeeze axis ${ax} of ${fmtShape(full.map((d) => (d < 0 ? 'N' : d)))} is not 1`);
      }
      // Without axes only per-example unit dims are removed: the batch may be 1 at run time
      // but is never squeezed away in a network minmax can represent.
      dims = full.filter((d, i) => (norm ? !norm.includes(i) : d !== 1));
    }
    if (x.kind === 'static') return this.setStatic(withDims(x.t, dims));
    this.requireCurrent(x, false);
    if (dims[0] !== -1 || dims.slice(1).includes(-1)) this.unsupported('it would move or remove the batch dimension');
    this.chain.reshape(dims.slice(1), this.label);
    this.advance();
  }

  private sliceOp(a: Attrs): void {
    const data = this.staticInput(0, 'data');
    if (this.node.input.length > 1) {
      const starts = staticInts(this.staticInput(1, 'starts'), 'Slice starts');
      const ends = staticInts(this.staticInput(2, 'ends'), 'Slice ends');
      const axesT = this.optionalStatic(3, 'axes');
      const stepsT = this.optionalStatic(4, 'steps');
      return this.setStatic(
        slice(data, starts, ends, axesT && staticInts(axesT, 'Slice axes'), stepsT && staticInts(stepsT, 'Slice steps')),
      );
    }
    const starts = a.ints('starts');
    const ends = a.ints('ends');
    if (!starts || !ends) throw new OnnxParseError(`malformed ONNX: Slice node '${this.label}' has no starts/ends`);
    this.setStatic(slice(data, starts, ends, a.ints('axes')));
  }

  private constantOfShape(a: Attrs): void {
    const shapeT = this.staticInput(0, 'input');
    const dims = staticInts(shapeT, 'ConstantOfShape shape (it must not depend on the batch size)');
    const v = a.tensor('value');
    const fill = v ? fromTensorProto(v, undefined) : undefined;
    const n = sizeOf(dims);
    const value = fill ? fill.data[0] : 0;
    this.setStatic({ dims, float: fill ? fill.float : true, data: new Float64Array(n).fill(value), pristine: false });
  }

  private unaryStatic(op: 'Neg' | 'Sqrt' | 'Reciprocal'): void {
    const x = this.required(0, 'X');
    if (x.kind === 'static') {
      const f = op === 'Neg' ? (v: number) => -v : op === 'Sqrt' ? Math.sqrt : (v: number) => 1 / v;
      return this.setStatic(map(x.t, f));
    }
    if (op !== 'Neg') this.unsupported('it is only supported on constants, not on the network activation');
    this.requireCurrent(x, false);
    this.chain.affine({ dims: [], float: true, data: Float64Array.of(-1), pristine: false }, undefined, this.label);
    this.advance();
  }

  // --- reshapes ---------------------------------------------------------------------------------

  private reshapeOp(a: Attrs): void {
    const x = this.required(0, 'data');
    let target: StaticTensor;
    if (this.node.input[1]) target = this.staticInput(1, 'shape');
    else {
      const s = a.ints('shape');
      if (!s) throw new OnnxParseError(`malformed ONNX: Reshape node '${this.label}' has no shape`);
      target = { dims: [s.length], float: false, data: Float64Array.from(s), pristine: false };
    }
    const allowZero = a.int('allowzero', 0) === 1;
    const vals = Array.from(target.data, (v) => Math.trunc(v));
    const isBatch = (i: number) => (target.batch ? target.batch[i] === 1 : false);
    if (allowZero && vals.some((v, i) => v === 0 && !isBatch(i))) this.unsupported('allowzero = 1 with a zero dimension');

    if (x.kind === 'static') {
      if (target.batch?.some((b) => b)) this.unsupported('a constant reshaped with the batch size');
      const dims = resolveReshape(x.t.dims, vals, allowZero);
      return this.setStatic(withDims(x.t, dims));
    }

    this.requireCurrent(x, false);
    const per = x.shape;
    const p = sizeOf(per);
    if (vals.length === 0) this.unsupported('reshape to a scalar drops the batch dimension');
    // Position 0 keeps the batch when it is the batch size itself (Shape(x)[0]), a copied dim (0),
    // the graph's static batch, or -1 with every other dim static and accounting for one example.
    const restVals = vals.slice(1);
    const restHasBatch = restVals.some((_, i) => isBatch(i + 1));
    if (restHasBatch) this.unsupported(`target shape moves the batch dimension`);
    let rest: number[];
    const first = vals[0];
    if (isBatch(0) || (first === 0 && !allowZero) || (this.staticBatch !== undefined && first === this.staticBatch)) {
      rest = resolveReshape(per, restVals, allowZero);
    } else if (first === -1 && !restVals.includes(-1)) {
      const restCopied = restVals.map((v, i) => (v === 0 && !allowZero ? per[i] : v));
      if (restCopied.some((v) => v === undefined || v < 1) || sizeOf(restCopied) !== p) {
        throw new ShapeError(
          `cannot reshape [N, ${per.join(', ')}] to [${vals.join(', ')}] keeping the batch dimension`,
        );
      }
      rest = restCopied;
    } else {
      this.unsupported(`target shape [${vals.join(', ')}] does not keep the batch dimension first`);
    }
    this.chain.reshape(rest, this.label);
    this.advance();
  }

  private flattenOp(a: Attrs): void {
    const x = this.required(0, 'input');
    const axis0 = a.int('axis', 1);
    if (x.kind === 'static') {
      const r = x.t.dims.length;
      const axis = axis0 < 0 ? axis0 + r : axis0;
      if (axis < 0 || axis > r) throw new ShapeError(`Flatten axis ${axis0} for rank ${r}`);
      return this.setStatic(withDims(x.t, [sizeOf(x.t.dims.slice(0, axis)), sizeOf(x.t.dims.slice(axis))]));
    }
    this.requireCurrent(x, false);
    const rank = x.shape.length + 1;
    const axis = axis0 < 0 ? axis0 + rank : axis0;
    if (axis !== 1) this.unsupported(`axis ${axis0} (only axis 1, which keeps the batch dimension, is supported)`);
    this.chain.reshape([sizeOf(x.shape)], this.label);
    this.advance();
  }

  // --- elementwise with a constant -------------------------------------------------------------

  private arithmetic(op: BinaryOp): void {
    const x = this.required(0, 'A');
    const y = this.required(1, 'B');
    if (x.kind === 'static' && y.kind === 'static') {
      if ((x.t.batch || y.t.batch) && (x.t.batch?.some((b) => b) || y.t.batch?.some((b) => b))) {
        this.unsupported('arithmetic on the batch size');
      }
      return this.setStatic(binary(op, x.t, y.t));
    }
    if (x.kind === 'act' && y.kind === 'act') {
      this.unsupported(`both operands are computed from the network input (residual/branching connections are not supported)`);
    }
    const actFirst = x.kind === 'act';
    const act = (actFirst ? x : y) as Extract<Value, { kind: 'act' }>;
    const c = ((actFirst ? y : x) as Extract<Value, { kind: 'static' }>).t;
    this.requireCurrent(act, false);
    if (!c.float) this.unsupported('integer constant operand');
    const k = this.chain.normalizeOperand(c, this.label);
    let scale: StaticTensor | undefined;
    let shift: StaticTensor | undefined;
    switch (op) {
      case 'Add':
        shift = k;
        break;
      case 'Mul':
        scale = k;
        break;
      case 'Sub':
        if (actFirst) shift = map(k, (v) => -v);
        else {
          scale = { dims: [], float: true, data: Float64Array.of(-1), pristine: false };
          shift = k;
        }
        break;
      case 'Div':
        if (!actFirst) this.unsupported('dividing a constant by the activation is not affine');
        scale = map(k, (v) => 1 / v);
        break;
    }
    this.chain.affine(scale, shift, this.label);
    this.advance();
  }

  // --- linear layers ----------------------------------------------------------------------------

  private gemm(a: Attrs): void {
    const x = this.required(0, 'A');
    if (x.kind !== 'act') {
      if (this.required(1, 'B').kind === 'act') this.unsupported('the network activation must be the first operand A');
      return this.unsupported('Gemm of two constants');
    }
    this.requireCurrent(x, false);
    if (a.int('transA', 0) !== 0) this.unsupported('transA = 1 would transpose the batch dimension');
    if (x.shape.length !== 1) throw new ShapeError(`Gemm input must be [N, K]; got [N, ${x.shape.join(', ')}]`);
    const alpha = a.float('alpha', 1);
    const beta = a.float('beta', 1);
    const b = this.staticInput(1, 'B');
    if (b.dims.length !== 2) throw new ShapeError(`Gemm weight '${b.origin}' must be 2-D; it is ${fmtShape(b.dims)}`);
    let w = a.int('transB', 0) === 1 ? b : transpose(b);
    if (alpha !== 1) w = map(w, (v) => v * alpha);
    const [out, inF] = w.dims;
    if (inF !== x.shape[0]) {
      throw new ShapeError(
        `Gemm weight '${b.origin}' ${fmtShape(b.dims)} (transB=${a.int('transB', 0)}) needs ${inF} input features, but the input is [N, ${x.shape[0]}]`,
      );
    }
    const c = this.optionalStatic(2, 'C');
    let bias: StaticTensor | undefined;
    if (c && beta !== 0) {
      let cv = c;
      if (cv.dims.length === 2 && cv.dims[0] === 1) cv = withDims(cv, [cv.dims[1]]);
      if (cv.dims.length > 1 || (cv.dims.length === 1 && cv.dims[0] !== out && cv.dims[0] !== 1)) {
        throw new ShapeError(`Gemm bias '${c.origin}' ${fmtShape(c.dims)} does not broadcast to [N, ${out}]`);
      }
      if (sizeOf(cv.dims) === 1 && out !== 1) {
        cv = { dims: [out], float: true, data: new Float64Array(out).fill(cv.data[0]), origin: cv.origin, pristine: false };
      } else cv = withDims(cv, [out]);
      bias = beta === 1 ? cv : map(cv, (v) => v * beta);
    }
    this.chain.dense(w, bias, this.label);
    this.advance();
  }

  private matmul(): void {
    const x = this.required(0, 'A');
    const y = this.required(1, 'B');
    if (x.kind === 'static' && y.kind === 'static') {
      return this.unsupported('MatMul of two constants');
    }
    if (x.kind !== 'act') this.unsupported('the network activation must be the left operand');
    if (y.kind !== 'static') this.unsupported('both operands are computed from the network input');
    this.requireCurrent(x, false);
    const b = y.t;
    if (b.dims.length !== 2) this.unsupported(`weight ${fmtShape(b.dims)} is not 2-D`);
    const shape = x.shape;
    const k = shape[shape.length - 1];
    if (b.dims[0] !== k) {
      throw new ShapeError(`MatMul weight '${b.origin}' ${fmtShape(b.dims)} needs ${b.dims[0]} input features, but the input is [N, ${shape.join(', ')}]`);
    }
    // A per-example [1, …, 1, K] operand is the same map as [K]; anything with a non-unit
    // leading dim is a batched matmul, which is not a chain layer.
    if (shape.slice(0, -1).some((d) => d !== 1)) {
      this.unsupported(`matmul over a per-example [${shape.join(', ')}] tensor (only [N, K] inputs map to a dense layer)`);
    }
    if (shape.length > 1) this.chain.reshape([k], this.label);
    this.chain.dense(transpose(b), undefined, this.label);
    if (shape.length > 1) this.chain.reshape([...shape.slice(0, -1), b.dims[1]], this.label);
    this.advance();
  }

  // --- convolution, normalisation, pooling ------------------------------------------------------

  private spatial(x: Extract<Value, { kind: 'act' }>): [number, number] {
    if (x.shape.length !== 3) this.unsupported(`only 2-D (NCHW) inputs are supported; got [N, ${x.shape.join(', ')}]`);
    return [x.shape[1], x.shape[2]];
  }

  private conv(a: Attrs): void {
    const x = this.required(0, 'X');
    if (x.kind !== 'act') this.unsupported('the network activation must be the input X');
    this.requireCurrent(x, true);
    const w = this.staticInput(1, 'W');
    const b = this.optionalStatic(2, 'B');
    const hw = this.spatial(x);
    if (w.dims.length !== 4) this.unsupported(`only 2-D convolution is supported (weight ${fmtShape(w.dims)})`);
    const group = a.int('group', 1);
    if (group !== 1) this.unsupported(`group = ${group} (only group = 1 is supported)`);
    if (w.dims[1] !== x.shape[0]) {
      throw new ShapeError(`Conv weight '${w.origin}' ${fmtShape(w.dims)} expects ${w.dims[1]} input channels, but the input is [N, ${x.shape.join(', ')}]`);
    }
    const kernel: [number, number] = [w.dims[2], w.dims[3]];
    const ks = a.ints('kernel_shape');
    if (ks && (ks.length !== 2 || ks[0] !== kernel[0] || ks[1] !== kernel[1])) {
      throw new ShapeError(`Conv kernel_shape [${ks.join(', ')}] does not match weight ${fmtShape(w.dims)}`);
    }
    const strides = pair(a.ints('strides'), 'strides');
    const dilations = pair(a.ints('dilations'), 'dilations');
    const pre = x.pad?.pads ?? [0, 0, 0, 0];
    const inHW: [number, number] = [hw[0] + pre[0] + pre[2], hw[1] + pre[1] + pre[3]];
    const own = resolvePads(a.string('auto_pad', 'NOTSET'), a.ints('pads'), inHW, kernel, strides, dilations, `Conv '${this.label}'`);
    const pads: Pads = [own[0] + pre[0], own[1] + pre[1], own[2] + pre[2], own[3] + pre[3]];
    if (b && (b.dims.length !== 1 || b.dims[0] !== w.dims[0])) {
      throw new ShapeError(`Conv bias '${b.origin}' ${fmtShape(b.dims)} does not match weight ${fmtShape(w.dims)}`);
    }
    this.chain.conv(w, b, strides, pads, dilations, this.label);
    this.advance();
  }

  private batchNorm(a: Attrs): void {
    const x = this.required(0, 'X');
    if (x.kind !== 'act') this.unsupported('the network activation must be the input X');
    this.requireCurrent(x, false);
    if (a.int('training_mode', 0) !== 0) this.unsupported('training_mode = 1');
    if (a.int('spatial', 1) !== 1) this.unsupported('spatial = 0');
    const eps = a.float('epsilon', 1e-5);
    const gamma = this.staticInput(1, 'scale');
    const beta = this.staticInput(2, 'B');
    const mean = this.staticInput(3, 'input_mean');
    const variance = this.staticInput(4, 'input_var');
    const c = x.shape[0];
    for (const [t, nm] of [[gamma, 'scale'], [beta, 'B'], [mean, 'mean'], [variance, 'var']] as const) {
      if (t.dims.length !== 1 || t.dims[0] !== c) {
        throw new ShapeError(`BatchNormalization ${nm} '${t.origin}' ${fmtShape(t.dims)} does not match ${c} channels of [N, ${x.shape.join(', ')}]`);
      }
    }
    const scale = new Float64Array(c);
    const shift = new Float64Array(c);
    for (let i = 0; i < c; i++) {
      scale[i] = gamma.data[i] / Math.sqrt(variance.data[i] + eps);
      shift[i] = beta.data[i] - mean.data[i] * scale[i];
    }
    this.chain.batchNorm(
      { dims: [c], float: true, data: scale, origin: gamma.origin, pristine: false },
      { dims: [c], float: true, data: shift, origin: beta.origin, pristine: false },
      this.label,
    );
    this.advance();
    this.markUnavailable(1, 'BatchNormalization training outputs (running statistics) are not supported');
  }

  private pool(op: 'AveragePool' | 'MaxPool', a: Attrs): void {
    const x = this.required(0, 'X');
    if (x.kind !== 'act') this.unsupported('the network activation must be the input X');
    this.requireCurrent(x, op === 'AveragePool');
    const hw = this.spatial(x);
    const ks = a.ints('kernel_shape');
    if (!ks || ks.length !== 2) this.unsupported(`kernel_shape ${ks ? `[${ks.join(', ')}]` : 'missing'} (only 2-D pooling is supported)`);
    const kernel: [number, number] = [ks[0], ks[1]];
    if (a.int('ceil_mode', 0) !== 0) this.unsupported('ceil_mode = 1');
    const dil = a.ints('dilations');
    if (dil && dil.some((d) => d !== 1)) this.unsupported(`dilations [${dil.join(', ')}]`);
    const strides = pair(a.ints('strides'), 'strides');
    const pre = x.pad?.pads ?? [0, 0, 0, 0];
    const inHW: [number, number] = [hw[0] + pre[0] + pre[2], hw[1] + pre[1] + pre[3]];
    const own = resolvePads(a.string('auto_pad', 'NOTSET'), a.ints('pads'), inHW, kernel, strides, [1, 1], `${op} '${this.label}'`);
    let countIncludePad = op === 'AveragePool' && a.int('count_include_pad', 0) === 1;
    const hasPre = pre.some((p) => p !== 0);
    if (hasPre) {
      // Zeros from an explicit Pad are real inputs to the average, so they count in the divisor;
      // that matches count_include_pad only if the pool's own padding counts too (or is absent).
      if (own.some((p) => p !== 0) && !countIncludePad) {
        throw new UnsupportedOpError('Pad', x.pad!.node, `followed by AveragePool '${this.label}' with its own pads and count_include_pad = 0`);
      }
      countIncludePad = true;
    }
    const pads: Pads = [own[0] + pre[0], own[1] + pre[1], own[2] + pre[2], own[3] + pre[3]];
    this.chain.pool(op === 'AveragePool' ? 'avgpool' : 'maxpool', kernel, strides, pads, countIncludePad, this.label);
    this.advance();
    if (op === 'MaxPool') this.markUnavailable(1, 'MaxPool Indices output is not supported');
  }

  private globalAveragePool(): void {
    const x = this.required(0, 'X');
    if (x.kind !== 'act') this.unsupported('the network activation must be the input X');
    this.requireCurrent(x, false);
    const [h, w] = this.spatial(x);
    this.chain.pool('avgpool', [h, w], [1, 1], [0, 0, 0, 0], false, this.label);
    this.advance();
  }

  private pad(a: Attrs): void {
    const x = this.required(0, 'data');
    if (x.kind !== 'act') this.unsupported('only padding of the network activation is supported');
    this.requireCurrent(x, false);
    const mode = a.string('mode', 'constant');
    if (mode !== 'constant') this.unsupported(`mode '${mode}' (only constant zero padding is supported)`);
    let pads: number[] | undefined;
    let value = 0;
    if (this.opset >= 11 || this.node.input.length > 1) {
      pads = staticInts(this.staticInput(1, 'pads'), 'Pad pads');
      const cv = this.optionalStatic(2, 'constant_value');
      if (cv) value = cv.data[0];
      const axesT = this.optionalStatic(3, 'axes');
      if (axesT) {
        const rank = x.shape.length + 1;
        const axes = staticInts(axesT, 'Pad axes').map((ax) => normAxis(ax, rank, 'Pad'));
        const full = new Array<number>(2 * rank).fill(0);
        axes.forEach((ax, i) => {
          full[ax] = pads![i];
          full[rank + ax] = pads![axes.length + i];
        });
        pads = full;
      }
    } else {
      pads = a.ints('pads') ?? a.ints('paddings');
      value = a.float('value', 0);
    }
    if (!pads) throw new OnnxParseError(`malformed ONNX: Pad node '${this.label}' has no pads`);
    if (value !== 0) this.unsupported(`constant value ${value} (only zero padding is supported)`);
    const rank = x.shape.length + 1;
    if (pads.length !== 2 * rank) throw new ShapeError(`Pad has ${pads.length} pads for a rank-${rank} input`);
    if (pads.every((p) => p === 0)) return this.setOutput(0, x);
    if (rank !== 4 || pads[0] !== 0 || pads[1] !== 0 || pads[4] !== 0 || pads[5] !== 0 || pads.some((p) => p < 0)) {
      this.unsupported(`pads [${pads.join(', ')}] (only non-negative spatial padding of an NCHW tensor is supported)`);
    }
    const prev = x.pad?.pads ?? [0, 0, 0, 0];
    const merged: Pads = [prev[0] + pads[2], prev[1] + pads[3], prev[2] + pads[6], prev[3] + pads[7]];
    this.setOutput(0, { kind: 'act', version: x.version, shape: x.shape, pad: { pads: merged, node: this.label } });
  }
}

function pair(v: number[] | undefined, what: string): [number, number] {
  if (!v) return [1, 1];
  if (v.length !== 2 || v.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`${what} [${v.join(', ')}] (2-D ops need two positive values)`);
  }
  return [v[0], v[1]];
}

/**
 * Resolves an ONNX Reshape target against `inDims` (0 copies the input dim at the same index
 * unless allowzero, one -1 is inferred). For the activation both sides come with the batch dim
 * already stripped, so indices still correspond.
 */
function resolveReshape(inDims: readonly number[], target: readonly number[], allowZero: boolean): number[] {
  const total = sizeOf(inDims);
  const dims = target.map((v, i) => {
    if (v === 0 && !allowZero) {
      const src = inDims[i];
      if (src === undefined) throw new ShapeError(`Reshape copies dim ${i} of ${fmtShape(inDims)}, which does not exist`);
      return src;
    }
    return v;
  });
  const unknown = dims.filter((d) => d === -1).length;
  if (unknown > 1) throw new ShapeError(`Reshape target [${target.join(', ')}] has more than one -1`);
  if (dims.some((d) => d < -1)) throw new ShapeError(`Reshape target [${target.join(', ')}] has a negative dim`);
  if (unknown === 1) {
    const known = sizeOf(dims.filter((d) => d !== -1));
    if (known === 0 || total % known !== 0) {
      throw new ShapeError(`cannot reshape ${fmtShape(inDims)} (${total} elements) to [${target.join(', ')}]`);
    }
    return dims.map((d) => (d === -1 ? total / known : d));
  }
  if (sizeOf(dims) !== total) throw new ShapeError(`cannot reshape ${fmtShape(inDims)} (${total} elements) to [${target.join(', ')}]`);
  return dims;
}

