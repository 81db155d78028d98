/**
 * Statically known tensors for the ONNX importer: initializers, Constant outputs and everything
 * computed from them (the Shape → Gather → Unsqueeze → Concat chains PyTorch emits around
 * Reshape, transposed weights, normalisation constants). Folding them at import time is what
 * turns a real export into a plain layer chain.
 *
 * Values are held in float64 (exact for float32 weights and for every int64 a shape can hold).
 * The batch size is the one quantity that is not static: an element equal to it carries a flag
 * in `batch`, so `Shape(x)[0]` can flow into a Reshape target and still be recognised there as
 * "keep the batch dimension". Arithmetic on a flagged element is refused rather than guessed.
 */
import { ShapeError } from '../errors.js';
import { DataType, type TensorProto } from './types.js';

export interface StaticTensor {
  dims: number[];
  /** Floating element type (float16/32/64) rather than integer/bool. */
  float: boolean;
  data: Float64Array;
  /** 1 where the element is the symbolic batch size (integer shape values only). */
  batch?: Uint8Array;
  /** Initializer / Constant output the values come from; parameters are named after it. */
  origin?: string;
  /** True while `data` still holds exactly the origin's values (layout changes allowed). */
  pristine: boolean;
}

export function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i];
  }
  return s;
}

export const fmtShape = (dims: readonly (number | string)[]): string => `[${dims.join(', ')}]`;

const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.DOUBLE, 10 /* FLOAT16 */, 16 /* BFLOAT16 */]);

export function isFloatType(code: number): boolean {
  return FLOAT_TYPES.has(code);
}

/** Converts a decoded TensorProto; `name` becomes the origin used for parameter names. */
export function fromTensorProto(t: TensorProto, name: string | undefined): StaticTensor {
  const n = sizeOf(t.dims);
  if (t.dims.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`tensor '${name ?? t.name ?? '<unnamed>'}' has invalid dims ${fmtShape(t.dims)}`);
  }
  if (t.data.length !== n) {
    throw new ShapeError(
      `tensor '${name ?? t.name ?? '<unnamed>'}' has ${t.data.length} values but its dims ${fmtShape(t.dims)} need ${n}`,
    );
  }
  const data = new Float64Array(n);
  if (t.data instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) data[i] = Number(t.data[i]);
  } else {
    data.set(t.data);
  }
  return { dims: t.dims.slice(), float: isFloatType(t.dataType), data, origin: name, pristine: true };
}

export function scalarTensor(v: number, float: boolean): StaticTensor {
  return { dims: [], float, data: Float64Array.of(v), pristine: false };
}

export function vectorTensor(v: readonly number[], float: boolean): StaticTensor {
  return { dims: [v.length], float, data: Float64Array.from(v), pristine: false };
}

export function hasBatch(t: StaticTensor): boolean {
  return t.batch !== undefined && t.batch.some((b) => b !== 0);
}

/** Integer values of a tensor that must not involve the batch size (axes, pads, starts...). */
export function staticInts(t: StaticTensor, what: string): number[] {
  if (hasBatch(t)) throw new ShapeError(`${what} depends on the batch size`);
  return Array.from(t.data, (v) => Math.trunc(v));
}

/** Same data, new dims (Reshape/Squeeze/Unsqueeze/Flatten on a static tensor). */
export function withDims(t: StaticTensor, dims: number[]): StaticTensor {
  if (sizeOf(dims) !== t.data.length) {
    throw new ShapeError(`cannot reshape ${fmtShape(t.dims)} to ${fmtShape(dims)}`);
  }
  return { ...t, dims };
}

/** Maps flat output positions to flat input positions, copying data and batch flags. */
function pick(t: StaticTensor, dims: number[], src: (i: number) => number, keepPristine: boolean): StaticTensor {
  const n = sizeOf(dims);
  const data = new Float64Array(n);
  const batch = t.batch ? new Uint8Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const j = src(i);
    data[i] = t.data[j];
    if (batch) batch[i] = t.batch![j];
  }
  return { dims, float: t.float, data, batch, origin: t.origin, pristine: t.pristine && keepPristine };
}

/** Decomposes flat index i over `dims` into a multi-index. */
function unravel(i: number, strides: readonly number[], out: number[]): void {
  for (let d = 0; d < strides.length; d++) {
    out[d] = Math.floor(i / strides[d]);
    i -= out[d] * strides[d];
  }
}

export function transpose(t: StaticTensor, perm?: number[]): StaticTensor {
  const r = t.dims.length;
  const p = perm ?? t.dims.map((_, i) => r - 1 - i);
  if (p.length !== r || new Set(p).size !== r || p.some((v) => v < 0 || v >= r)) {
    throw new ShapeError(`Transpose perm [${p.join(', ')}] does not fit a rank-${r} tensor`);
  }
  const dims = p.map((k) => t.dims[k]);
  const inStrides = stridesOf(t.dims);
  const outStrides = stridesOf(dims);
  const idx = new Array<number>(r);
  return pick(
    t,
    dims,
    (i) => {
      unravel(i, outStrides, idx);
      let j = 0;
      for (let d = 0; d < r; d++) j += idx[d] * inStrides[p[d]];
      return j;
    },
    false,
  );
}

export function normAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`${what}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

export function gather(t: StaticTensor, indices: StaticTensor, axis: number): StaticTensor {
  const r = t.dims.length;
  if (r === 0) throw new ShapeError('Gather on a scalar');
  const ax = normAxis(axis, r, 'Gather');
  const idx = staticInts(indices, 'Gather indices').map((v) => {
    const k = v < 0 ? v + t.dims[ax] : v;
    if (k < 0 || k >= t.dims[ax]) throw new ShapeError(`Gather index ${v} is out of range for dim ${t.dims[ax]}`);
    return k;
  });
  const dims = [...t.dims.slice(0, ax), ...indices.dims, ...t.dims.slice(ax + 1)];
  const inner = sizeOf(t.dims.slice(ax + 1));
  const nIdx = idx.length;
  return pick(
    t,
    dims,
    (i) => {
      const innerPos = i % inner;
      const rest = Math.floor(i / inner);
      const k = rest % nIdx;
      const outer = Math.floor(rest / nIdx);
      return (outer * t.dims[ax] + idx[k]) * inner + innerPos;
    },
    false,
  );
}

export function concat(ts: StaticTensor[], axis: number): StaticTensor {
  if (ts.length === 0) throw new ShapeError('Concat of no tensors');
  const r = ts[0].dims.length;
  const ax = normAxis(axis, r, 'Concat');
  for (const t of ts) {
    if (t.dims.length !== r || t.dims.some((d, i) => i !== ax && d !== ts[0].dims[i])) {
      throw new ShapeError(`Concat of ${ts.map((x) => fmtShape(x.dims)).join(' and ')} along axis ${axis}`);
    }
  }
  const dims = ts[0].dims.slice();
  dims[ax] = ts.reduce((s, t) => s + t.dims[ax], 0);
  const outer = sizeOf(dims.slice(0, ax));
  const inner = sizeOf(dims.slice(ax + 1));
  const n = sizeOf(dims);
  const data = new Float64Array(n);
  const anyBatch = ts.some((t) => t.batch);
  const batch = anyBatch ? new Uint8Array(n) : undefined;
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of ts) {
      const block = t.dims[ax] * inner;
      for (let k = 0; k < block; k++) {
        data[pos] = t.data[o * block + k];
        if (batch && t.batch) batch[pos] = t.batch[o * block + k];
        pos++;
      }
    }
  }
  return { dims, float: ts.every((t) => t.float), data, batch, pristine: false };
}

/** ONNX Slice (opset 10+ semantics; the opset-1 attribute form maps onto it with steps 1). */
export function slice(t: StaticTensor, starts: number[], ends: number[], axes?: number[], steps?: number[]): StaticTensor {
  const r = t.dims.length;
  const ax = axes ?? starts.map((_, i) => i);
  if (starts.length !== ends.length || ax.length !== starts.length || (steps && steps.length !== starts.length)) {
    throw new ShapeError('Slice starts/ends/axes/steps differ in length');
  }
  const begin = t.dims.map(() => 0);
  const step = t.dims.map(() => 1);
  const count = t.dims.slice();
  ax.forEach((a0, k) => {
    const a = normAxis(a0, r, 'Slice');
    const dim = t.dims[a];
    const st = steps ? steps[k] : 1;
    if (st === 0) throw new ShapeError('Slice step 0');
    let s = starts[k];
    let e = ends[k];
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (st > 0) {
      s = Math.min(Math.max(s, 0), dim);
      e = Math.min(Math.max(e, 0), dim);
      count[a] = Math.max(0, Math.ceil((e - s) / st));
    } else {
      s = Math.min(Math.max(s, -1), dim - 1);
      e = Math.min(Math.max(e, -1), dim - 1);
      count[a] = Math.max(0, Math.ceil((s - e) / -st));
    }
    begin[a] = s;
    step[a] = st;
  });
  const inStrides = stridesOf(t.dims);
  const outStrides = stridesOf(count);
  const idx = new Array<number>(r);
  return pick(
    t,
    count,
    (i) => {
      unravel(i, outStrides, idx);
      let j = 0;
      for (let d = 0; d < r; d++) j += (begin[d] + idx[d] * step[d]) * inStrides[d];
      return j;
    },
    false,
  );
}

/** Numpy/ONNX multidirectional broadcast of two shapes. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Materialises `t` broadcast to `dims` (which must be a broadcast of t.dims). */
export function expandTo(t: StaticTensor, dims: number[]): StaticTensor {
  const full = broadcastShape(t.dims, dims);
  if (full.length !== dims.length || full.some((d, i) => d !== dims[i])) {
    throw new ShapeError(`cannot broadcast ${fmtShape(t.dims)} to ${fmtShape(dims)}`);
  }
  if (t.dims.length === dims.length && t.dims.every((d, i) => d === dims[i])) return t;
  const r = dims.length;
  const padded = [...new Array<number>(r - t.dims.length).fill(1), ...t.dims];
  const inStrides = stridesOf(padded).map((s, d) => (padded[d] === 1 ? 0 : s));
  const outStrides = stridesOf(dims);
  const idx = new Array<number>(r);
  return pick(
    t,
    dims,
    (i) => {
      unravel(i, outStrides, idx);
      let j = 0;
      for (let d = 0; d < r; d++) j += idx[d] * inStrides[d];
      return j;
    },
    false,
  );
}

export type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div';

/** Elementwise arithmetic with broadcasting; integer Div truncates as ONNX integer division does. */
export function binary(op: BinaryOp, a: StaticTensor, b: StaticTensor): StaticTensor {
  if (hasBatch(a) || hasBatch(b)) throw new ShapeError(`${op} on a value that depends on the batch size`);
  const dims = broadcastShape(a.dims, b.dims);
  const ea = expandTo(a, dims);
  const eb = expandTo(b, dims);
  const n = sizeOf(dims);
  const out = new Float64Array(n);
  const float = a.float || b.float;
  for (let i = 0; i < n; i++) {
    const x = ea.data[i];
    const y = eb.data[i];
    let v: number;
    switch (op) {
      case 'Add':
        v = x + y;
        break;
      case 'Sub':
        v = x - y;
        break;
      case 'Mul':
        v = x * y;
        break;
      case 'Div':
        v = float ? x / y : Math.trunc(x / y);
        break;
    }
    out[i] = v;
  }
  return { dims, float, data: out, origin: a.origin ?? b.origin, pristine: false };
}

export function map(t: StaticTensor, f: (v: number) => number): StaticTensor {
  if (hasBatch(t)) throw new ShapeError('arithmetic on a value that depends on the batch size');
  return { dims: t.dims.slice(), float: t.float, data: t.data.map(f), origin: t.origin, pristine: false };
}

/** Cast to a TensorProto.DataType: floats stay exact in float64 except the float32 rounding. */
export function cast(t: StaticTensor, to: number): StaticTensor {
  if (to === DataType.FLOAT) {
    return { ...t, float: true, data: t.data.map((v) => Math.fround(v)), pristine: t.pristine };
  }
  if (isFloatType(to)) return { ...t, float: true };
  if (to === DataType.BOOL) return { ...t, float: false, data: t.data.map((v) => (v !== 0 ? 1 : 0)), pristine: false };
  return { ...t, float: false, data: t.float ? t.data.map((v) => Math.trunc(v)) : t.data, pristine: t.pristine && !t.float };
}
