/**
 * Shape and layout ops: Reshape, Flatten, Shape, Unsqueeze, Squeeze, Concat, Transpose, Expand,
 * Identity, Cast, Constant, ConstantOfShape. Axes arrive as inputs from opset 13 (Squeeze,
 * Unsqueeze) and as attributes before; both forms are accepted.
 */
import { DataType } from '../types.js';
import {
  argError,
  attrInt,
  attrInts,
  attrValue,
  broadcastOffsets,
  broadcastShape,
  fromTensorProto,
  intIn,
  intValues,
  isFloatType,
  isInt,
  isIntegerType,
  normAxis,
  opError,
  required,
  shapeError,
  shapeStr,
  sizeOf,
  stridesOf,
  unravel,
  type OpContext,
  type OpImpl,
  type RefTensor,
} from './tensor.js';

const withDims = (t: RefTensor, dims: number[]): RefTensor => ({ dims, data: t.data.slice() });

/** Shape entries: 0 copies the input dim (unless allowzero), −1 is inferred from the element count. */
const Reshape: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const shape = intValues(intIn(inputs, 1, ctx));
  const allowZero = attrInt(ctx, 'allowzero', 0) !== 0;
  const dims = shape.map((d, i) => (d === 0 && !allowZero ? x.dims[i] : d));
  if (dims.some((d) => d === undefined)) throw shapeError(ctx, `shape ${shapeStr(shape)} copies a dim the input ${shapeStr(x.dims)} lacks`);
  const unknown = dims.filter((d) => d === -1).length;
  if (unknown > 1 || dims.some((d) => d < -1)) throw shapeError(ctx, `invalid shape ${shapeStr(shape)}`);
  const n = sizeOf(x.dims);
  if (unknown === 1) {
    const known = dims.reduce((a, d) => (d === -1 ? a : a * d), 1);
    if (known === 0 || n % known !== 0) throw shapeError(ctx, `cannot reshape ${shapeStr(x.dims)} to ${shapeStr(shape)}`);
    dims[dims.indexOf(-1)] = n / known;
  }
  if (sizeOf(dims) !== n) throw shapeError(ctx, `cannot reshape ${shapeStr(x.dims)} to ${shapeStr(shape)}`);
  return [withDims(x, dims)];
};

const Flatten: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const r = x.dims.length;
  let axis = attrInt(ctx, 'axis', 1);
  if (axis < 0) axis += r;
  if (axis < 0 || axis > r) throw shapeError(ctx, `axis ${attrInt(ctx, 'axis', 1)} out of range for rank ${r}`);
  return [withDims(x, [sizeOf(x.dims.slice(0, axis)), sizeOf(x.dims.slice(axis))])];
};

/** Opset 15 start/end slice the shape; negative values count from the end and clamp to [0, rank]. */
const Shape: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const r = x.dims.length;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const start = clamp(attrInt(ctx, 'start', 0));
  const end = clamp(attrInt(ctx, 'end', r));
  const dims = x.dims.slice(start, Math.max(start, end));
  return [{ dims: [dims.length], data: BigInt64Array.from(dims, BigInt) }];
};

function axesOf(inputs: (RefTensor | undefined)[], ctx: OpContext): number[] | undefined {
  if (inputs[1]) return intValues(intIn(inputs, 1, ctx));
  return attrInts(ctx, 'axes');
}

const Unsqueeze: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const axes = axesOf(inputs, ctx);
  if (!axes) throw opError(ctx, 'axes are required');
  const r = x.dims.length + axes.length;
  const norm = axes.map((a) => normAxis(a, r, ctx));
  if (new Set(norm).size !== norm.length) throw shapeError(ctx, `repeated axes ${shapeStr(axes)}`);
  const dims: number[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) dims.push(norm.includes(i) ? 1 : x.dims[j++]);
  return [withDims(x, dims)];
};

const Squeeze: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const axes = axesOf(inputs, ctx);
  const r = x.dims.length;
  let drop: number[];
  if (axes === undefined) {
    drop = x.dims.flatMap((d, i) => (d === 1 ? [i] : []));
  } else {
    drop = axes.map((a) => normAxis(a, r, ctx));
    for (const a of drop) if (x.dims[a] !== 1) throw shapeError(ctx, `cannot squeeze axis ${a} of size ${x.dims[a]} in ${shapeStr(x.dims)}`);
  }
  return [withDims(x, x.dims.filter((_, i) => !drop.includes(i)))];
};

const Concat: OpImpl = (inputs, ctx) => {
  const parts = inputs.filter((t): t is RefTensor => t !== undefined);
  if (parts.length === 0) throw opError(ctx, 'needs at least one input');
  const first = parts[0];
  const r = first.dims.length;
  if (!attrValue(ctx, 'axis')) throw opError(ctx, 'axis is required');
  const axis = normAxis(attrInt(ctx, 'axis', 0), r, ctx);
  for (const p of parts) {
    if (isInt(p) !== isInt(first)) throw opError(ctx, 'inputs mix float and integer element types');
    if (p.dims.length !== r || p.dims.some((d, i) => i !== axis && d !== first.dims[i])) {
      throw shapeError(ctx, `cannot concatenate ${parts.map((q) => shapeStr(q.dims)).join(', ')} on axis ${axis}`);
    }
  }
  const dims = first.dims.slice();
  dims[axis] = parts.reduce((a, p) => a + p.dims[axis], 0);
  const outer = sizeOf(dims.slice(0, axis));
  const inner = sizeOf(dims.slice(axis + 1));
  const data = isInt(first) ? new BigInt64Array(sizeOf(dims)) : new Float64Array(sizeOf(dims));
  const rowLen = dims[axis] * inner;
  let offset = 0;
  for (const p of parts) {
    const len = p.dims[axis] * inner;
    for (let o = 0; o < outer; o++) {
      (data as Float64Array).set((p.data as Float64Array).subarray(o * len, (o + 1) * len), o * rowLen + offset);
    }
    offset += len;
  }
  return [{ dims, data }];
};

const Transpose: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const r = x.dims.length;
  const perm = attrInts(ctx, 'perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
  if (perm.length !== r || new Set(perm).size !== r || perm.some((p) => p < 0 || p >= r)) {
    throw shapeError(ctx, `perm ${shapeStr(perm)} is not a permutation of rank ${r}`);
  }
  const dims = perm.map((p) => x.dims[p]);
  const inStr = stridesOf(x.dims);
  const n = sizeOf(dims);
  const data = isInt(x) ? new BigInt64Array(n) : new Float64Array(n);
  const idx = new Array<number>(r);
  for (let i = 0; i < n; i++) {
    unravel(i, dims, idx);
    let src = 0;
    for (let d = 0; d < r; d++) src += idx[d] * inStr[perm[d]];
    data[i] = x.data[src];
  }
  return [{ dims, data }];
};

const Expand: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const shape = intValues(intIn(inputs, 1, ctx));
  const dims = broadcastShape([x.dims, shape], ctx);
  const off = broadcastOffsets(x.dims, dims);
  const n = sizeOf(dims);
  const data = isInt(x) ? new BigInt64Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = x.data[off[i]];
  return [{ dims, data }];
};

const Identity: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  return [withDims(x, x.dims.slice())];
};

/**
 * Float targets keep float64 (the reference does not round to float32); integer targets truncate
 * toward zero as C casts do; bool maps nonzero to 1.
 */
const Cast: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const to = attrInt(ctx, 'to', DataType.UNDEFINED);
  const n = x.data.length;
  if (to === DataType.BOOL) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = x.data[i] ? 1 : 0;
    return [{ dims: x.dims.slice(), data: out }];
  }
  if (isFloatType(to)) {
    return [{ dims: x.dims.slice(), data: isInt(x) ? Float64Array.from(x.data, Number) : x.data.slice() }];
  }
  if (isIntegerType(to)) {
    if (isInt(x)) return [withDims(x, x.dims.slice())];
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = x.data[i] as number;
      if (!Number.isFinite(v)) throw argError(ctx, `cannot cast ${v} to an integer type`);
      out[i] = BigInt(Math.trunc(v));
    }
    return [{ dims: x.dims.slice(), data: out }];
  }
  throw opError(ctx, `cast to data type ${to}`);
};

const Constant: OpImpl = (_inputs, ctx) => {
  if (ctx.node.attribute.length !== 1) throw opError(ctx, 'exactly one value attribute is required');
  const a = ctx.node.attribute[0];
  const v = a.value;
  switch (a.name) {
    case 'value':
      if (v.type !== 'tensor') break;
      return [fromTensorProto(v.t, { opType: 'Constant', nodeName: ctx.nodeName })];
    case 'value_float':
      if (v.type !== 'float') break;
      return [{ dims: [], data: Float64Array.of(v.f) }];
    case 'value_floats':
      if (v.type !== 'floats') break;
      return [{ dims: [v.floats.length], data: Float64Array.from(v.floats) }];
    case 'value_int':
      if (v.type !== 'int') break;
      return [{ dims: [], data: BigInt64Array.of(BigInt(v.i)) }];
    case 'value_ints':
      if (v.type !== 'ints') break;
      return [{ dims: [v.ints.length], data: BigInt64Array.from(v.ints, BigInt) }];
  }
  throw opError(ctx, `attribute ${a.name} (${v.type})`);
};

/** Default value: float 0. */
const ConstantOfShape: OpImpl = (inputs, ctx) => {
  const dims = intValues(intIn(inputs, 0, ctx));
  if (dims.some((d) => d < 0)) throw shapeError(ctx, `negative dim in ${shapeStr(dims)}`);
  const v = attrValue(ctx, 'value');
  let fill: RefTensor = { dims: [1], data: Float64Array.of(0) };
  if (v) {
    if (v.type !== 'tensor') throw opError(ctx, 'value must be a tensor');
    fill = fromTensorProto(v.t, { opType: 'ConstantOfShape', nodeName: ctx.nodeName });
    if (fill.data.length !== 1) throw shapeError(ctx, 'value must hold one element');
  }
  const n = sizeOf(dims);
  const data = isInt(fill) ? new BigInt64Array(n).fill(fill.data[0] as bigint) : new Float64Array(n).fill(fill.data[0] as number);
  return [{ dims, data }];
};

export const shapeOps: Record<string, OpImpl> = {
  Reshape,
  Flatten,
  Shape,
  Unsqueeze,
  Squeeze,
  Concat,
  Transpose,
  Expand,
  Identity,
  Cast,
  Constant,
  ConstantOfShape,
};
