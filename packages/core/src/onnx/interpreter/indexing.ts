/**
 * Index-driven ops: Gather, GatherElements, ScatterElements (opset 16 reductions none|add|mul,
 * opset 18 max|min) and OneHot. Negative indices count from the end of the indexed axis.
 */
import {
  argError,
  attrInt,
  attrString,
  isInt,
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

/** Indices as numbers, negative ones wrapped, range-checked against the axis length. */
function indexValues(t: RefTensor, axisLen: number, ctx: OpContext): Int32Array {
  if (!isInt(t)) throw opError(ctx, 'indices must be an integer tensor');
  const out = new Int32Array(t.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Number(t.data[i]);
    const w = v < 0 ? v + axisLen : v;
    if (w < 0 || w >= axisLen) throw argError(ctx, `index ${v} out of range for an axis of length ${axisLen}`);
    out[i] = w;
  }
  return out;
}

const newLike = (t: RefTensor, n: number): Float64Array | BigInt64Array => (isInt(t) ? new BigInt64Array(n) : new Float64Array(n));

const Gather: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const ind = required(inputs, 1, ctx);
  const axis = normAxis(attrInt(ctx, 'axis', 0), x.dims.length, ctx);
  const axisLen = x.dims[axis];
  const idx = indexValues(ind, axisLen, ctx);
  const outer = sizeOf(x.dims.slice(0, axis));
  const inner = sizeOf(x.dims.slice(axis + 1));
  const dims = [...x.dims.slice(0, axis), ...ind.dims, ...x.dims.slice(axis + 1)];
  const data = newLike(x, sizeOf(dims));
  const nI = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < nI; j++) {
      const src = (o * axisLen + idx[j]) * inner;
      const dst = (o * nI + j) * inner;
      for (let i = 0; i < inner; i++) data[dst + i] = x.data[src + i];
    }
  }
  return [{ dims, data }];
};

/** Offsets into `data` of each element of `indices`, with the axis coordinate replaced by the index value. */
function elementOffsets(data: RefTensor, ind: RefTensor, axis: number, ctx: OpContext): Int32Array {
  const r = data.dims.length;
  if (ind.dims.length !== r) throw shapeError(ctx, `indices ${shapeStr(ind.dims)} and data ${shapeStr(data.dims)} ranks differ`);
  for (let d = 0; d < r; d++) {
    if (d !== axis && ind.dims[d] > data.dims[d]) throw shapeError(ctx, `indices ${shapeStr(ind.dims)} exceed data ${shapeStr(data.dims)} on axis ${d}`);
  }
  const idx = indexValues(ind, data.dims[axis], ctx);
  const str = stridesOf(data.dims);
  const pos = new Array<number>(r);
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    unravel(i, ind.dims, pos);
    pos[axis] = idx[i];
    let off = 0;
    for (let d = 0; d < r; d++) off += pos[d] * str[d];
    out[i] = off;
  }
  return out;
}

const GatherElements: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const ind = required(inputs, 1, ctx);
  const axis = normAxis(attrInt(ctx, 'axis', 0), x.dims.length, ctx);
  const off = elementOffsets(x, ind, axis, ctx);
  const data = newLike(x, off.length);
  for (let i = 0; i < off.length; i++) data[i] = x.data[off[i]];
  return [{ dims: ind.dims.slice(), data }];
};

/** Updates are applied in index order, so with reduction 'none' a repeated index keeps the last update. */
const ScatterElements: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const ind = required(inputs, 1, ctx);
  const upd = required(inputs, 2, ctx);
  if (isInt(x) !== isInt(upd)) throw opError(ctx, 'data and updates element types differ');
  if (upd.dims.length !== ind.dims.length || upd.dims.some((d, i) => d !== ind.dims[i])) {
    throw shapeError(ctx, `updates ${shapeStr(upd.dims)} and indices ${shapeStr(ind.dims)} differ`);
  }
  const axis = normAxis(attrInt(ctx, 'axis', 0), x.dims.length, ctx);
  const reduction = attrString(ctx, 'reduction', 'none');
  const off = elementOffsets(x, ind, axis, ctx);
  const data = x.data.slice();
  if (isInt(x)) {
    const d = data as BigInt64Array;
    const u = upd.data as BigInt64Array;
    const f = intReducer(reduction, ctx);
    for (let i = 0; i < off.length; i++) d[off[i]] = BigInt.asIntN(64, f(d[off[i]], u[i]));
  } else {
    const d = data as Float64Array;
    const u = upd.data as Float64Array;
    const f = floatReducer(reduction, ctx);
    for (let i = 0; i < off.length; i++) d[off[i]] = f(d[off[i]], u[i]);
  }
  return [{ dims: x.dims.slice(), data }];
};

function floatReducer(reduction: string, ctx: OpContext): (a: number, b: number) => number {
  switch (reduction) {
    case 'none':
      return (_a, b) => b;
    case 'add':
      return (a, b) => a + b;
    case 'mul':
      return (a, b) => a * b;
    case 'max':
      return (a, b) => Math.max(a, b);
    case 'min':
      return (a, b) => Math.min(a, b);
  }
  throw opError(ctx, `reduction '${reduction}'`);
}

function intReducer(reduction: string, ctx: OpContext): (a: bigint, b: bigint) => bigint {
  switch (reduction) {
    case 'none':
      return (_a, b) => b;
    case 'add':
      return (a, b) => a + b;
    case 'mul':
      return (a, b) => a * b;
    case 'max':
      return (a, b) => (a > b ? a : b);
    case 'min':
      return (a, b) => (a < b ? a : b);
  }
  throw opError(ctx, `reduction '${reduction}'`);
}

/**
 * out[..., d, ...] = on if index == d else off, the depth axis inserted at `axis` (default −1, the
 * last). Indices in [−depth, depth) with negatives wrapped; others give an all-off row (ONNX spec).
 */
const OneHot: OpImpl = (inputs, ctx) => {
  const ind = required(inputs, 0, ctx);
  const depthT = required(inputs, 1, ctx);
  const values = required(inputs, 2, ctx);
  if (depthT.data.length !== 1) throw shapeError(ctx, `depth must be a scalar, got ${shapeStr(depthT.dims)}`);
  if (values.data.length !== 2) throw shapeError(ctx, `values must hold [off, on], got ${shapeStr(values.dims)}`);
  const depth = Math.trunc(Number(depthT.data[0]));
  if (depth < 1) throw argError(ctx, `depth ${depth} must be positive`);
  const r = ind.dims.length + 1;
  const axis = normAxis(attrInt(ctx, 'axis', -1), r, ctx);
  const dims = [...ind.dims.slice(0, axis), depth, ...ind.dims.slice(axis)];
  const outer = sizeOf(ind.dims.slice(0, axis));
  const inner = sizeOf(ind.dims.slice(axis));
  const data = newLike(values, sizeOf(dims));
  data.fill(values.data[0] as never);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let v = Math.trunc(Number(ind.data[o * inner + i]));
      if (v < 0) v += depth;
      if (v >= 0 && v < depth) data[(o * depth + v) * inner + i] = values.data[1];
    }
  }
  return [{ dims, data }];
};

export const indexingOps: Record<string, OpImpl> = { Gather, GatherElements, ScatterElements, OneHot };
