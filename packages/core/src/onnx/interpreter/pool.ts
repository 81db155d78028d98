/**
 * AveragePool (opset 11–18: no dilations) and MaxPool (opset 12: dilations, Indices output),
 * any number of spatial dims, with pads/auto_pad and ceil_mode.
 */
import { forwardGeometry, readWindowAttrs, windowTable } from './spatial.js';
import { attrInt, floatIn, opError, shapeError, shapeStr, sizeOf, unravel, type OpImpl } from './tensor.js';

/**
 * Mean over the window. The divisor with count_include_pad counts the window clipped to the
 * padded extent [−pb, in + pe) (so a ceil_mode overhang past the end padding is not counted);
 * without it, only the in-bounds elements — ORT's AveragePool functor.
 */
const AveragePool: OpImpl = (inputs, ctx) => {
  const x = floatIn(inputs, 0, ctx);
  const r = x.dims.length - 2;
  if (r < 1) throw shapeError(ctx, `X ${shapeStr(x.dims)} needs spatial dims`);
  const attrs = readWindowAttrs(ctx, r);
  if (attrs.dilations.some((d) => d !== 1)) throw opError(ctx, 'dilations are not part of AveragePool before opset 19');
  const includePad = attrInt(ctx, 'count_include_pad', 0) !== 0;
  const inSp = x.dims.slice(2);
  const geo = forwardGeometry(inSp, attrs, attrInt(ctx, 'ceil_mode', 0) !== 0, ctx);
  const table = windowTable(geo.outDims, inSp, attrs.kernel, attrs.strides, attrs.dilations, geo.padsBegin);
  const nIn = sizeOf(inSp);
  const nOut = sizeOf(geo.outDims);
  const nK = sizeOf(attrs.kernel);
  const divisor = new Float64Array(nOut);
  const o = new Array<number>(r);
  for (let p = 0; p < nOut; p++) {
    if (includePad) {
      unravel(p, geo.outDims, o);
      let count = 1;
      for (let d = 0; d < r; d++) {
        const start = o[d] * attrs.strides[d] - geo.padsBegin[d];
        const end = Math.min(start + attrs.kernel[d], inSp[d] + geo.padsEnd[d]);
        count *= end - start;
      }
      divisor[p] = count;
    } else {
      let count = 0;
      for (let k = 0; k < nK; k++) if (table[p * nK + k] >= 0) count++;
      divisor[p] = count;
    }
  }
  const planes = x.dims[0] * x.dims[1];
  const y = new Float64Array(planes * nOut);
  for (let pl = 0; pl < planes; pl++) {
    const xb = pl * nIn;
    for (let p = 0; p < nOut; p++) {
      let s = 0;
      for (let k = 0; k < nK; k++) {
        const idx = table[p * nK + k];
        if (idx >= 0) s += x.data[xb + idx];
      }
      y[pl * nOut + p] = s / divisor[p];
    }
  }
  return [{ dims: [x.dims[0], x.dims[1], ...geo.outDims], data: y }];
};

/**
 * Max over the in-bounds window elements (padding acts as −∞); the first maximum wins ties.
 * Indices (int64) flatten over the whole input tensor, batch and channel included, so they lie in
 * [0, N·C·∏spatial) — the ONNX definition; storage_order 1 makes the spatial part column-major.
 */
const MaxPool: OpImpl = (inputs, ctx) => {
  const x = floatIn(inputs, 0, ctx);
  const r = x.dims.length - 2;
  if (r < 1) throw shapeError(ctx, `X ${shapeStr(x.dims)} needs spatial dims`);
  const attrs = readWindowAttrs(ctx, r);
  const storageOrder = attrInt(ctx, 'storage_order', 0);
  const inSp = x.dims.slice(2);
  const geo = forwardGeometry(inSp, attrs, attrInt(ctx, 'ceil_mode', 0) !== 0, ctx);
  const table = windowTable(geo.outDims, inSp, attrs.kernel, attrs.strides, attrs.dilations, geo.padsBegin);
  const nIn = sizeOf(inSp);
  const nOut = sizeOf(geo.outDims);
  const nK = sizeOf(attrs.kernel);
  // Column-major spatial offset of each row-major spatial index, for storage_order 1.
  let colMajor: Int32Array | undefined;
  if (storageOrder === 1) {
    colMajor = new Int32Array(nIn);
    const q = new Array<number>(r);
    for (let i = 0; i < nIn; i++) {
      unravel(i, inSp, q);
      let flat = 0;
      for (let d = r - 1; d >= 0; d--) flat = flat * inSp[d] + q[d];
      colMajor[i] = flat;
    }
  } else if (storageOrder !== 0) {
    throw opError(ctx, `storage_order ${storageOrder}`);
  }
  const planes = x.dims[0] * x.dims[1];
  const y = new Float64Array(planes * nOut);
  const ind = new BigInt64Array(planes * nOut);
  for (let pl = 0; pl < planes; pl++) {
    const xb = pl * nIn;
    for (let p = 0; p < nOut; p++) {
      let best = -Infinity;
      let bestIdx = -1;
      for (let k = 0; k < nK; k++) {
        const idx = table[p * nK + k];
        if (idx >= 0 && (bestIdx < 0 || x.data[xb + idx] > best)) {
          best = x.data[xb + idx];
          bestIdx = idx;
        }
      }
      y[pl * nOut + p] = best;
      ind[pl * nOut + p] = bestIdx < 0 ? -1n : BigInt(xb + (colMajor ? colMajor[bestIdx] : bestIdx));
    }
  }
  const dims = [x.dims[0], x.dims[1], ...geo.outDims];
  return [
    { dims, data: y },
    { dims: dims.slice(), data: ind },
  ];
};

export const poolOps: Record<string, OpImpl> = { AveragePool, MaxPool };
