/**
 * Tensor representation and shared helpers of the float64 reference interpreter.
 *
 * Element types collapse to two storages so every float op runs in float64 whatever the graph
 * declares: float/double → Float64Array; integer types → BigInt64Array (exact int64 index
 * arithmetic); bool → Float64Array holding 0/1 (a bool is only ever consumed by Where, Not,
 * Cast and comparisons, all of which read it as "nonzero").
 */
import { InvalidArgumentError, ShapeError, UnsupportedOpError } from '../../errors.js';
import { DataType, type AttributeValue, type NodeProto, type TensorProto } from '../types.js';

export interface RefTensor {
  dims: number[];
  data: Float64Array | BigInt64Array;
}

export interface FloatTensor {
  dims: number[];
  data: Float64Array;
}

export interface IntTensor {
  dims: number[];
  data: BigInt64Array;
}

/** What an op implementation knows about where it runs: for error context and version-dependent semantics. */
export interface OpContext {
  node: NodeProto;
  /** node.name, or a stand-in naming its first output when the node is unnamed. */
  nodeName: string;
  /** Default-domain opset the model imports. */
  opset: number;
}

/** Inputs in node order; an omitted optional input (empty name) is undefined. */
export type OpImpl = (inputs: (RefTensor | undefined)[], ctx: OpContext) => RefTensor[];

export const sizeOf = (dims: readonly number[]): number => {
  let s = 1;
  for (const d of dims) s *= d;
  return s;
};

/** Row-major strides. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i];
  }
  return s;
}

export const isInt = (t: RefTensor): t is IntTensor => t.data instanceof BigInt64Array;
export const isFloat = (t: RefTensor): t is FloatTensor => t.data instanceof Float64Array;

export const shapeStr = (dims: readonly number[]): string => `[${dims.join(',')}]`;

export function opError(ctx: OpContext, detail: string): UnsupportedOpError {
  return new UnsupportedOpError(ctx.node.opType, ctx.nodeName, detail);
}

export function shapeError(ctx: OpContext, detail: string): ShapeError {
  return new ShapeError(`${ctx.node.opType} (node '${ctx.nodeName}'): ${detail}`);
}

export function argError(ctx: OpContext, detail: string): InvalidArgumentError {
  return new InvalidArgumentError(`${ctx.node.opType} (node '${ctx.nodeName}'): ${detail}`);
}

export function required(inputs: (RefTensor | undefined)[], i: number, ctx: OpContext): RefTensor {
  const t = inputs[i];
  if (!t) throw shapeError(ctx, `required input ${i} is missing`);
  return t;
}

export function floatIn(inputs: (RefTensor | undefined)[], i: number, ctx: OpContext): FloatTensor {
  const t = required(inputs, i, ctx);
  if (!isFloat(t)) throw opError(ctx, `input ${i} must be a float tensor, got int64`);
  return t;
}

export function intIn(inputs: (RefTensor | undefined)[], i: number, ctx: OpContext): IntTensor {
  const t = required(inputs, i, ctx);
  if (!isInt(t)) throw opError(ctx, `input ${i} must be an integer tensor, got float`);
  return t;
}

/** An int64 input as plain numbers (shapes, axes, K): exact below 2^53. */
export function intValues(t: IntTensor): number[] {
  return Array.from(t.data, Number);
}

export function normAxis(axis: number, rank: number, ctx: OpContext): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw shapeError(ctx, `axis ${axis} out of range for rank ${rank}`);
  return a;
}

// ---------------------------------------------------------------------------------------------
// Attributes

function attr(node: NodeProto, name: string): AttributeValue | undefined {
  return node.attribute.find((a) => a.name === name)?.value;
}

export function attrInt(ctx: OpContext, name: string, def: number): number {
  const v = attr(ctx.node, name);
  if (v === undefined) return def;
  if (v.type !== 'int') throw opError(ctx, `attribute ${name} must be an int`);
  return v.i;
}

export function attrFloat(ctx: OpContext, name: string, def: number): number {
  const v = attr(ctx.node, name);
  if (v === undefined) return def;
  if (v.type !== 'float') throw opError(ctx, `attribute ${name} must be a float`);
  return v.f;
}

export function attrInts(ctx: OpContext, name: string): number[] | undefined {
  const v = attr(ctx.node, name);
  if (v === undefined) return undefined;
  if (v.type !== 'ints') throw opError(ctx, `attribute ${name} must be a list of ints`);
  return v.ints;
}

export function attrString(ctx: OpContext, name: string, def: string): string {
  const v = attr(ctx.node, name);
  if (v === undefined) return def;
  if (v.type !== 'string') throw opError(ctx, `attribute ${name} must be a string`);
  return v.s;
}

export function attrValue(ctx: OpContext, name: string): AttributeValue | undefined {
  return attr(ctx.node, name);
}

// ---------------------------------------------------------------------------------------------
// TensorProto ↔ RefTensor

const INTEGER_TYPES = new Set<number>([DataType.INT64, DataType.INT32, DataType.INT8, DataType.UINT8, 4, 5, 12, 13]);
const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.DOUBLE]);

export const isIntegerType = (dt: number): boolean => INTEGER_TYPES.has(dt);
export const isFloatType = (dt: number): boolean => FLOAT_TYPES.has(dt);

/** Converts a stored tensor (initializer, Constant value) exactly: float32 values widen losslessly to float64. */
export function fromTensorProto(t: TensorProto, where: { opType: string; nodeName: string }): RefTensor {
  const dims = t.dims.slice();
  const n = sizeOf(dims);
  if (t.data.length !== n) {
    throw new ShapeError(`tensor '${t.name ?? ''}' (${where.opType} '${where.nodeName}'): ${t.data.length} values for dims ${shapeStr(dims)}`);
  }
  if (isFloatType(t.dataType)) {
    if (t.data instanceof BigInt64Array) throw new UnsupportedOpError(where.opType, where.nodeName, `float tensor '${t.name ?? ''}' stored as int64`);
    return { dims, data: Float64Array.from(t.data as ArrayLike<number>) };
  }
  if (t.dataType === DataType.BOOL) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(t.data[i]) !== 0 ? 1 : 0;
    return { dims, data: out };
  }
  if (isIntegerType(t.dataType)) {
    if (t.data instanceof BigInt64Array) return { dims, data: t.data.slice() };
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(Math.trunc(t.data[i] as number));
    return { dims, data: out };
  }
  throw new UnsupportedOpError(where.opType, where.nodeName, `tensor '${t.name ?? ''}' has unsupported data type ${t.dataType}`);
}

// ---------------------------------------------------------------------------------------------
// Multidirectional (numpy) broadcasting, ONNX Broadcasting.md

export function broadcastShape(shapes: readonly (readonly number[])[], ctx: OpContext): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const pad = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const o = out[pad + i];
      if (d === o || d === 1) continue;
      if (o === 1) out[pad + i] = d;
      else throw shapeError(ctx, `shapes ${shapes.map(shapeStr).join(' and ')} are not broadcastable`);
    }
  }
  return out;
}

/**
 * For each flat index of a tensor of shape `outDims`, the flat index of the element of a tensor
 * of shape `inDims` that broadcasting maps onto it (size-1 and missing leading dims repeat).
 */
export function broadcastOffsets(inDims: readonly number[], outDims: readonly number[]): Int32Array {
  const rank = outDims.length;
  const pad = rank - inDims.length;
  const inStr = stridesOf(inDims);
  const bstr = new Array<number>(rank);
  for (let d = 0; d < rank; d++) bstr[d] = d < pad || inDims[d - pad] === 1 ? 0 : inStr[d - pad];
  const n = sizeOf(outDims);
  const out = new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      off += bstr[d];
      if (idx[d] < outDims[d]) break;
      off -= bstr[d] * outDims[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Multi-index of a row-major flat index. */
export function unravel(flat: number, dims: readonly number[], out: number[]): void {
  for (let d = dims.length - 1; d >= 0; d--) {
    const q = Math.floor(flat / dims[d]);
    out[d] = flat - q * dims[d];
    flat = q;
  }
}
