/**
 * Elementwise ops with ONNX multidirectional broadcasting: arithmetic, unary math, comparisons,
 * logic, Where, variadic Max/Min/Sum and Clip. Float ops run in float64; integer ops in exact
 * int64 (shape arithmetic). Comparisons yield bools, stored as float 0/1 (see tensor.ts).
 */
import {
  attrFloat,
  broadcastOffsets,
  broadcastShape,
  floatIn,
  isFloat,
  isInt,
  opError,
  required,
  sizeOf,
  type OpContext,
  type OpImpl,
  type RefTensor,
} from './tensor.js';

type FloatFn2 = (a: number, b: number) => number;
type IntFn2 = (a: bigint, b: bigint) => bigint;

function sameKind(a: RefTensor, b: RefTensor, ctx: OpContext): void {
  if (isInt(a) !== isInt(b)) throw opError(ctx, 'inputs mix float and integer element types');
}

/** Applies f over the broadcast of a and b; `outFloat` forces a float (bool) result for comparisons. */
function zip(a: RefTensor, b: RefTensor, ctx: OpContext, f: FloatFn2 | undefined, g: IntFn2 | undefined, cmp?: (a: number | bigint, b: number | bigint) => boolean): RefTensor {
  sameKind(a, b, ctx);
  const dims = broadcastShape([a.dims, b.dims], ctx);
  const n = sizeOf(dims);
  const oa = broadcastOffsets(a.dims, dims);
  const ob = broadcastOffsets(b.dims, dims);
  if (cmp) {
    const out = new Float64Array(n);
    const ad = a.data;
    const bd = b.data;
    for (let i = 0; i < n; i++) out[i] = cmp(ad[oa[i]], bd[ob[i]]) ? 1 : 0;
    return { dims, data: out };
  }
  if (isFloat(a)) {
    if (!f) throw opError(ctx, 'float inputs are not supported');
    const ad = a.data;
    const bd = b.data as Float64Array;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(ad[oa[i]], bd[ob[i]]);
    return { dims, data: out };
  }
  if (!g) throw opError(ctx, 'integer inputs are not supported');
  const ad = a.data as BigInt64Array;
  const bd = b.data as BigInt64Array;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = BigInt.asIntN(64, g(ad[oa[i]], bd[ob[i]]));
  return { dims, data: out };
}

const binary =
  (f: FloatFn2 | undefined, g: IntFn2 | undefined): OpImpl =>
  (inputs, ctx) => [zip(required(inputs, 0, ctx), required(inputs, 1, ctx), ctx, f, g)];

const compare =
  (cmp: (a: number | bigint, b: number | bigint) => boolean): OpImpl =>
  (inputs, ctx) => [zip(required(inputs, 0, ctx), required(inputs, 1, ctx), ctx, undefined, undefined, cmp)];

function map(t: RefTensor, ctx: OpContext, f: ((x: number) => number) | undefined, g?: (x: bigint) => bigint): RefTensor {
  if (isFloat(t)) {
    if (!f) throw opError(ctx, 'float inputs are not supported');
    const out = new Float64Array(t.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(t.data[i]);
    return { dims: t.dims.slice(), data: out };
  }
  if (!g) throw opError(ctx, 'integer inputs are not supported');
  const src = t.data as BigInt64Array;
  const out = new BigInt64Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = BigInt.asIntN(64, g(src[i]));
  return { dims: t.dims.slice(), data: out };
}

const unary =
  (f: ((x: number) => number) | undefined, g?: (x: bigint) => bigint): OpImpl =>
  (inputs, ctx) => [map(required(inputs, 0, ctx), ctx, f, g)];

/** ONNX integer Div truncates toward zero (C semantics), which is what BigInt division does. */
function intDiv(ctx: OpContext): IntFn2 {
  return (a, b) => {
    if (b === 0n) throw opError(ctx, 'integer division by zero');
    return a / b;
  };
}

const Pow: OpImpl = (inputs, ctx) => {
  const base = required(inputs, 0, ctx);
  let exp = required(inputs, 1, ctx);
  if (isFloat(base)) {
    // Opset 15: the exponent may be integer-typed while the base is float; the result takes the base's type.
    if (isInt(exp)) exp = { dims: exp.dims, data: Float64Array.from(exp.data, Number) };
    return [zip(base, exp, ctx, Math.pow, undefined)];
  }
  if (!isInt(exp)) throw opError(ctx, 'integer base with a float exponent is not supported');
  return [
    zip(base, exp, ctx, undefined, (a, b) => {
      if (b < 0n) throw opError(ctx, 'negative integer exponent');
      return a ** b;
    }),
  ];
};

/** Variadic elementwise fold with broadcasting (Max, Min, Sum are associative and commutative). */
const variadic =
  (f: FloatFn2, g: IntFn2): OpImpl =>
  (inputs, ctx) => {
    const present = inputs.filter((t): t is RefTensor => t !== undefined);
    if (present.length === 0) throw opError(ctx, 'needs at least one input');
    let acc = present[0];
    if (present.length === 1) return [{ dims: acc.dims.slice(), data: acc.data.slice() }];
    for (let i = 1; i < present.length; i++) acc = zip(acc, present[i], ctx, f, g);
    return [acc];
  };

/** NaN-propagating max/min, as ORT's Max/Min kernels (Eigen cwiseMax with PropagateNaN). */
const fmax: FloatFn2 = (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b);
const fmin: FloatFn2 = (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b);

/**
 * Clip: opset ≥11 takes optional scalar min/max inputs; opset 6 attributes. y = min(max(x, lo), hi),
 * so lo > hi yields hi (ORT's evaluation order).
 */
const Clip: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const scalar = (i: number): number | bigint | undefined => {
    const t = inputs[i];
    if (!t) return undefined;
    if (t.data.length !== 1) throw opError(ctx, `input ${i} must be a scalar`);
    sameKind(x, t, ctx);
    return t.data[0];
  };
  let lo = scalar(1);
  let hi = scalar(2);
  if (ctx.opset < 11) {
    lo = attrFloat(ctx, 'min', -Infinity);
    hi = attrFloat(ctx, 'max', Infinity);
  }
  if (isFloat(x)) {
    const l = (lo as number | undefined) ?? -Infinity;
    const h = (hi as number | undefined) ?? Infinity;
    return [map(x, ctx, (v) => Math.min(Math.max(v, l), h))];
  }
  const l = lo as bigint | undefined;
  const h = hi as bigint | undefined;
  return [
    map(x, ctx, undefined, (v) => {
      let r = l !== undefined && v < l ? l : v;
      if (h !== undefined && r > h) r = h;
      return r;
    }),
  ];
};

const Where: OpImpl = (inputs, ctx) => {
  const c = required(inputs, 0, ctx);
  const x = required(inputs, 1, ctx);
  const y = required(inputs, 2, ctx);
  sameKind(x, y, ctx);
  const dims = broadcastShape([c.dims, x.dims, y.dims], ctx);
  const n = sizeOf(dims);
  const oc = broadcastOffsets(c.dims, dims);
  const ox = broadcastOffsets(x.dims, dims);
  const oy = broadcastOffsets(y.dims, dims);
  const cd = c.data;
  const zero = isInt(c) ? 0n : 0;
  if (isFloat(x)) {
    const out = new Float64Array(n);
    const yd = y.data as Float64Array;
    for (let i = 0; i < n; i++) out[i] = cd[oc[i]] !== zero ? x.data[ox[i]] : yd[oy[i]];
    return [{ dims, data: out }];
  }
  const out = new BigInt64Array(n);
  const xd = x.data as BigInt64Array;
  const yd = y.data as BigInt64Array;
  for (let i = 0; i < n; i++) out[i] = cd[oc[i]] !== zero ? xd[ox[i]] : yd[oy[i]];
  return [{ dims, data: out }];
};

const Not: OpImpl = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const out = new Float64Array(x.data.length);
  if (isInt(x)) for (let i = 0; i < out.length; i++) out[i] = x.data[i] === 0n ? 1 : 0;
  else for (let i = 0; i < out.length; i++) out[i] = x.data[i] === 0 ? 1 : 0;
  return [{ dims: x.dims.slice(), data: out }];
};

/** Sign(0) = 0 and Sign(NaN) = NaN, as Math.sign; -0 becomes +0 so results compare equal to ORT's. */
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN);

export const elementwiseOps: Record<string, OpImpl> = {
  Add: binary((a, b) => a + b, (a, b) => a + b),
  Sub: binary((a, b) => a - b, (a, b) => a - b),
  Mul: binary((a, b) => a * b, (a, b) => a * b),
  Div: (inputs, ctx) => binary((a, b) => a / b, intDiv(ctx))(inputs, ctx),
  Pow,
  Neg: unary((x) => -x, (x) => -x),
  Abs: unary(Math.abs, (x) => (x < 0n ? -x : x)),
  Sign: unary(sign, (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n)),
  // Relu keeps NaN (x < 0 is false for NaN), as max(x, 0) in ORT's kernel does.
  HardSigmoid: (inputs, ctx) => {
    const alpha = attrFloat(ctx, 'alpha', 0.2);
    const beta = attrFloat(ctx, 'beta', 0.5);
    return [map(floatIn(inputs, 0, ctx), ctx, (x) => fmax(0, fmin(1, alpha * x + beta)))];
  },
  Relu: unary((x) => (x < 0 ? 0 : x), (x) => (x < 0n ? 0n : x)),
  Exp: (inputs, ctx) => [map(floatIn(inputs, 0, ctx), ctx, Math.exp)],
  Log: (inputs, ctx) => [map(floatIn(inputs, 0, ctx), ctx, Math.log)],
  Sqrt: (inputs, ctx) => [map(floatIn(inputs, 0, ctx), ctx, Math.sqrt)],
  Greater: compare((a, b) => a > b),
  Less: compare((a, b) => a < b),
  Equal: compare((a, b) => a === b),
  Not,
  Where,
  Max: variadic(fmax, (a, b) => (a > b ? a : b)),
  Min: variadic(fmin, (a, b) => (a < b ? a : b)),
  Sum: variadic((a, b) => a + b, (a, b) => a + b),
  Clip,
};
