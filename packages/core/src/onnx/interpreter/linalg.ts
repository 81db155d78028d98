/** Gemm and MatMul (numpy matmul semantics: 1-D promotion, broadcast batch dims). */
import {
  attrFloat,
  attrInt,
  broadcastOffsets,
  broadcastShape,
  floatIn,
  shapeError,
  shapeStr,
  sizeOf,
  type OpImpl,
} from './tensor.js';

/** Y = alpha·A'·B' + beta·C, A' = transA ? Aᵀ : A, B' likewise; C broadcasts unidirectionally to [M, N]. */
const Gemm: OpImpl = (inputs, ctx) => {
  const a = floatIn(inputs, 0, ctx);
  const b = floatIn(inputs, 1, ctx);
  const c = inputs[2] ? floatIn(inputs, 2, ctx) : undefined;
  const alpha = attrFloat(ctx, 'alpha', 1);
  const beta = attrFloat(ctx, 'beta', 1);
  const ta = attrInt(ctx, 'transA', 0) !== 0;
  const tb = attrInt(ctx, 'transB', 0) !== 0;
  if (a.dims.length !== 2 || b.dims.length !== 2) throw shapeError(ctx, `A ${shapeStr(a.dims)} and B ${shapeStr(b.dims)} must be 2-D`);
  const [m, k] = ta ? [a.dims[1], a.dims[0]] : a.dims;
  const [kb, n] = tb ? [b.dims[1], b.dims[0]] : b.dims;
  if (k !== kb) throw shapeError(ctx, `inner dimensions differ: A ${shapeStr(a.dims)} (transA=${+ta}), B ${shapeStr(b.dims)} (transB=${+tb})`);
  // A[i,p] and B[p,j] through strides, so transposition costs nothing.
  const [asi, asp] = ta ? [1, m] : [k, 1];
  const [bsp, bsj] = tb ? [1, k] : [n, 1];
  const out = new Float64Array(m * n);
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += ad[i * asi + p * asp] * bd[p * bsp + j * bsj];
      out[i * n + j] = alpha * s;
    }
  }
  if (c && beta !== 0) {
    const dims = broadcastShape([c.dims, [m, n]], ctx);
    if (dims.length !== 2 || dims[0] !== m || dims[1] !== n) throw shapeError(ctx, `C ${shapeStr(c.dims)} does not broadcast to [${m},${n}]`);
    const oc = broadcastOffsets(c.dims, [m, n]);
    for (let i = 0; i < m * n; i++) out[i] += beta * c.data[oc[i]];
  }
  return [{ dims: [m, n], data: out }];
};

const MatMul: OpImpl = (inputs, ctx) => {
  const a = floatIn(inputs, 0, ctx);
  const b = floatIn(inputs, 1, ctx);
  if (a.dims.length === 0 || b.dims.length === 0) throw shapeError(ctx, 'scalar operands are not allowed');
  const aDims = a.dims.length === 1 ? [1, a.dims[0]] : a.dims;
  const bDims = b.dims.length === 1 ? [b.dims[0], 1] : b.dims;
  const m = aDims[aDims.length - 2];
  const k = aDims[aDims.length - 1];
  const kb = bDims[bDims.length - 2];
  const n = bDims[bDims.length - 1];
  if (k !== kb) throw shapeError(ctx, `inner dimensions differ: ${shapeStr(a.dims)} × ${shapeStr(b.dims)}`);
  const aBatch = aDims.slice(0, -2);
  const bBatch = bDims.slice(0, -2);
  const batch = broadcastShape([aBatch, bBatch], ctx);
  const nb = sizeOf(batch);
  const oa = broadcastOffsets(aBatch, batch);
  const ob = broadcastOffsets(bBatch, batch);
  const out = new Float64Array(nb * m * n);
  const ad = a.data;
  const bd = b.data;
  for (let t = 0; t < nb; t++) {
    const ab = oa[t] * m * k;
    const bb = ob[t] * k * n;
    const yb = t * m * n;
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const av = ad[ab + i * k + p];
        const brow = bb + p * n;
        const yrow = yb + i * n;
        for (let j = 0; j < n; j++) out[yrow + j] += av * bd[brow + j];
      }
    }
  }
  const dims = [...batch];
  if (a.dims.length > 1) dims.push(m);
  if (b.dims.length > 1) dims.push(n);
  return [{ dims, data: out }];
};

export const linalgOps: Record<string, OpImpl> = { Gemm, MatMul };
