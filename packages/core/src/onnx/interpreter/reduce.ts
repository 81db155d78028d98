/**
 * Reductions: ReduceSum (axes input from opset 13), ReduceMean/ReduceMax/ReduceMin (axes
 * attribute through opset 17, input from 18 — both accepted), ArgMax and TopK.
 */
import {
  attrInt,
  attrInts,
  broadcastOffsets,
  intIn,
  intValues,
  isInt,
  normAxis,
  opError,
  required,
  shapeError,
  shapeStr,
  sizeOf,
  type OpImpl,
} from './tensor.js';

type ReduceKind = 'sum' | 'mean' | 'max' | 'min';

/**
 * Empty or absent axes reduce everything unless noop_with_empty_axes, which makes the op an
 * identity. keepdims (default 1) keeps reduced axes as size 1.
 */
const reduce =
  (kind: ReduceKind): OpImpl =>
  (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const r = x.dims.length;
    const given = inputs[1] ? intValues(intIn(inputs, 1, ctx)) : attrInts(ctx, 'axes');
    const keep = attrInt(ctx, 'keepdims', 1) !== 0;
    if ((!given || given.length === 0) && attrInt(ctx, 'noop_with_empty_axes', 0) !== 0) {
      return [{ dims: x.dims.slice(), data: x.data.slice() }];
    }
    const axes = !given || given.length === 0 ? x.dims.map((_, i) => i) : given.map((a) => normAxis(a, r, ctx));
    const reducedDims = x.dims.map((d, i) => (axes.includes(i) ? 1 : d));
    const outDims = keep ? reducedDims : x.dims.filter((_, i) => !axes.includes(i));
    const off = broadcastOffsets(reducedDims, x.dims);
    const nOut = sizeOf(reducedDims);
    if (isInt(x)) {
      if (kind === 'mean') throw opError(ctx, 'integer inputs are not supported');
      if (x.data.length === 0 && kind !== 'sum') throw shapeError(ctx, `cannot take ${kind} over an empty set`);
      const out = new BigInt64Array(nOut);
      const seen = new Uint8Array(nOut);
      for (let i = 0; i < x.data.length; i++) {
        const o = off[i];
        const v = x.data[i];
        if (kind === 'sum') out[o] += v;
        else if (!seen[o] || (kind === 'max' ? v > out[o] : v < out[o])) out[o] = v;
        seen[o] = 1;
      }
      return [{ dims: outDims, data: out }];
    }
    const xd = x.data as Float64Array;
    const init = kind === 'max' ? -Infinity : kind === 'min' ? Infinity : 0;
    const out = new Float64Array(nOut).fill(init);
    for (let i = 0; i < xd.length; i++) {
      const o = off[i];
      const v = xd[i];
      if (kind === 'sum' || kind === 'mean') out[o] += v;
      else if (v !== v) out[o] = NaN;
      else if (kind === 'max' ? v > out[o] : v < out[o]) out[o] = v;
    }
    if (kind === 'mean') {
      const count = xd.length / Math.max(nOut, 1);
      for (let o = 0; o < nOut; o++) out[o] /= count;
    }
    return [{ dims: outDims, data: out }];
  };

/** Index of the maximum along `axis`; the first occurrence wins unless select_last_index. */
const ArgMax: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const r = x.dims.length;
  const axis = normAxis(attrInt(ctx, 'axis', 0), r, ctx);
  const keep = attrInt(ctx, 'keepdims', 1) !== 0;
  const last = attrInt(ctx, 'select_last_index', 0) !== 0;
  const len = x.dims[axis];
  if (len === 0) throw shapeError(ctx, `axis ${axis} of ${shapeStr(x.dims)} is empty`);
  const outer = sizeOf(x.dims.slice(0, axis));
  const inner = sizeOf(x.dims.slice(axis + 1));
  const out = new BigInt64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = x.data[base];
      let bi = 0;
      for (let j = 1; j < len; j++) {
        const v = x.data[base + j * inner];
        if (v > best || (last && v === best)) {
          best = v;
          bi = j;
        }
      }
      out[o * inner + i] = BigInt(bi);
    }
  }
  const dims = keep ? x.dims.map((d, i) => (i === axis ? 1 : d)) : x.dims.filter((_, i) => i !== axis);
  return [{ dims, data: out }];
};

/**
 * The K largest (or smallest) elements along `axis` with their indices, sorted; equal values keep
 * ascending index order (ORT's tie rule). Output order for sorted=0 is unspecified, so it is sorted too.
 */
const TopK: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const kT = intIn(inputs, 1, ctx);
  if (kT.data.length !== 1) throw shapeError(ctx, `K must hold one value, got ${shapeStr(kT.dims)}`);
  const k = Number(kT.data[0]);
  const r = x.dims.length;
  const axis = normAxis(attrInt(ctx, 'axis', -1), r, ctx);
  const largest = attrInt(ctx, 'largest', 1) !== 0;
  const len = x.dims[axis];
  if (k < 0 || k > len) throw shapeError(ctx, `K = ${k} outside [0, ${len}] for axis ${axis} of ${shapeStr(x.dims)}`);
  const outer = sizeOf(x.dims.slice(0, axis));
  const inner = sizeOf(x.dims.slice(axis + 1));
  const dims = x.dims.map((d, i) => (i === axis ? k : d));
  const vals = isInt(x) ? new BigInt64Array(sizeOf(dims)) : new Float64Array(sizeOf(dims));
  const inds = new BigInt64Array(sizeOf(dims));
  const order = Array.from({ length: len }, (_, j) => j);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      const at = (j: number): number | bigint => x.data[base + j * inner];
      order.sort((a, b) => {
        const va = at(a);
        const vb = at(b);
        if (va === vb) return a - b;
        return (largest ? va > vb : va < vb) ? -1 : 1;
      });
      for (let j = 0; j < k; j++) {
        const dst = o * k * inner + j * inner + i;
        vals[dst] = at(order[j]);
        inds[dst] = BigInt(order[j]);
      }
      for (let j = 0; j < len; j++) order[j] = j;
    }
  }
  return [
    { dims, data: vals },
    { dims: dims.slice(), data: inds },
  ];
};

export const reduceOps: Record<string, OpImpl> = {
  ReduceSum: reduce('sum'),
  ReduceMean: reduce('mean'),
  ReduceMax: reduce('max'),
  ReduceMin: reduce('min'),
  ArgMax,
  TopK,
};
