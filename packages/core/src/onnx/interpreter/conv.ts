/**
 * Conv and ConvTranspose (opset 11 semantics, unchanged through 17), any number of spatial dims,
 * with strides, pads/auto_pad, dilations and group; ConvTranspose also output_padding and output_shape.
 */
import { forwardGeometry, readWindowAttrs, windowTable } from './spatial.js';
import { attrInt, attrInts, floatIn, shapeError, shapeStr, sizeOf, type OpImpl } from './tensor.js';

/** y[n, m, o] = b[m] + Σ_{c ∈ group(m), k} x[n, c, o·s − pb + k·d] · w[m, c − group start, k]. */
const Conv: OpImpl = (inputs, ctx) => {
  const x = floatIn(inputs, 0, ctx);
  const w = floatIn(inputs, 1, ctx);
  const b = inputs[2] ? floatIn(inputs, 2, ctx) : undefined;
  const r = x.dims.length - 2;
  if (r < 1 || w.dims.length !== r + 2) throw shapeError(ctx, `X ${shapeStr(x.dims)} and W ${shapeStr(w.dims)} ranks do not fit`);
  const group = attrInt(ctx, 'group', 1);
  const [nBatch, cIn] = x.dims;
  const [mOut, cPerGroup] = w.dims;
  if (cIn !== cPerGroup * group || mOut % group !== 0) {
    throw shapeError(ctx, `X ${shapeStr(x.dims)} channels do not match W ${shapeStr(w.dims)} with group ${group}`);
  }
  if (b && (b.dims.length !== 1 || b.dims[0] !== mOut)) throw shapeError(ctx, `B ${shapeStr(b.dims)} must be [${mOut}]`);
  const attrs = readWindowAttrs(ctx, r, w.dims.slice(2));
  if (attrs.kernel.some((k, i) => k !== w.dims[2 + i])) throw shapeError(ctx, `kernel_shape ${shapeStr(attrs.kernel)} differs from W ${shapeStr(w.dims)}`);
  const inSp = x.dims.slice(2);
  const geo = forwardGeometry(inSp, attrs, false, ctx);
  const table = windowTable(geo.outDims, inSp, attrs.kernel, attrs.strides, attrs.dilations, geo.padsBegin);
  const nIn = sizeOf(inSp);
  const nOut = sizeOf(geo.outDims);
  const nK = sizeOf(attrs.kernel);
  const mPerGroup = mOut / group;
  const y = new Float64Array(nBatch * mOut * nOut);
  const xd = x.data;
  const wd = w.data;
  for (let n = 0; n < nBatch; n++) {
    for (let m = 0; m < mOut; m++) {
      const g = Math.floor(m / mPerGroup);
      const yBase = (n * mOut + m) * nOut;
      const bias = b ? b.data[m] : 0;
      for (let o = 0; o < nOut; o++) {
        let acc = 0;
        for (let c = 0; c < cPerGroup; c++) {
          const xBase = (n * cIn + g * cPerGroup + c) * nIn;
          const wBase = (m * cPerGroup + c) * nK;
          for (let k = 0; k < nK; k++) {
            const idx = table[o * nK + k];
            if (idx >= 0) acc += xd[xBase + idx] * wd[wBase + k];
          }
        }
        y[yBase + o] = acc + bias;
      }
    }
  }
  return [{ dims: [nBatch, mOut, ...geo.outDims], data: y }];
};

/**
 * The adjoint of Conv: y[n, m, i·s − pb + k·d] += x[n, c, i] · w[c, m − group start, k], W of shape
 * [C, M/group, k...]. Output size s(in − 1) + output_padding + (k − 1)d + 1 − pb − pe; with
 * output_shape (or SAME_*, target s·in) the total padding is derived from it and split with the odd
 * unit at the end for SAME_UPPER and at the beginning otherwise (the ConvTranspose spec's equations,
 * which ORT 1.30 follows).
 */
const ConvTranspose: OpImpl = (inputs, ctx) => {
  const x = floatIn(inputs, 0, ctx);
  const w = floatIn(inputs, 1, ctx);
  const b = inputs[2] ? floatIn(inputs, 2, ctx) : undefined;
  const r = x.dims.length - 2;
  if (r < 1 || w.dims.length !== r + 2) throw shapeError(ctx, `X ${shapeStr(x.dims)} and W ${shapeStr(w.dims)} ranks do not fit`);
  const group = attrInt(ctx, 'group', 1);
  const [nBatch, cIn] = x.dims;
  if (w.dims[0] !== cIn || cIn % group !== 0) throw shapeError(ctx, `X ${shapeStr(x.dims)} channels do not match W ${shapeStr(w.dims)} with group ${group}`);
  const cPerGroup = cIn / group;
  const mPerGroup = w.dims[1];
  const mOut = mPerGroup * group;
  if (b && (b.dims.length !== 1 || b.dims[0] !== mOut)) throw shapeError(ctx, `B ${shapeStr(b.dims)} must be [${mOut}]`);
  const attrs = readWindowAttrs(ctx, r, w.dims.slice(2));
  const outputPadding = attrInts(ctx, 'output_padding') ?? new Array<number>(r).fill(0);
  let outputShape = attrInts(ctx, 'output_shape');
  if (outputShape && outputShape.length === r + 2) outputShape = outputShape.slice(2);
  if (outputShape && outputShape.length !== r) throw shapeError(ctx, `output_shape ${shapeStr(outputShape)} for ${r} spatial dims`);
  if (outputPadding.length !== r) throw shapeError(ctx, `output_padding ${shapeStr(outputPadding)} for ${r} spatial dims`);
  const inSp = x.dims.slice(2);
  const outDims: number[] = [];
  const padsBegin: number[] = [];
  for (let i = 0; i < r; i++) {
    const s = attrs.strides[i];
    const full = s * (inSp[i] - 1) + outputPadding[i] + (attrs.kernel[i] - 1) * attrs.dilations[i] + 1;
    let target: number | undefined = outputShape?.[i];
    if (target === undefined && (attrs.autoPad === 'SAME_UPPER' || attrs.autoPad === 'SAME_LOWER')) target = inSp[i] * s;
    if (target !== undefined) {
      const total = Math.max(0, full - target);
      padsBegin.push(attrs.autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2));
      outDims.push(target);
    } else if (attrs.autoPad === 'VALID') {
      padsBegin.push(0);
      outDims.push(full);
    } else {
      padsBegin.push(attrs.pads[i]);
      outDims.push(full - attrs.pads[i] - attrs.pads[i + r]);
    }
    if (outDims[i] <= 0) throw shapeError(ctx, `non-positive output size ${outDims[i]} in spatial dim ${i}`);
  }
  const table = windowTable(inSp, outDims, attrs.kernel, attrs.strides, attrs.dilations, padsBegin);
  const nIn = sizeOf(inSp);
  const nOut = sizeOf(outDims);
  const nK = sizeOf(attrs.kernel);
  const y = new Float64Array(nBatch * mOut * nOut);
  const xd = x.data;
  const wd = w.data;
  for (let n = 0; n < nBatch; n++) {
    for (let g = 0; g < group; g++) {
      for (let mm = 0; mm < mPerGroup; mm++) {
        const m = g * mPerGroup + mm;
        const yBase = (n * mOut + m) * nOut;
        for (let c = 0; c < cPerGroup; c++) {
          const ch = g * cPerGroup + c;
          const xBase = (n * cIn + ch) * nIn;
          const wBase = (ch * mPerGroup + mm) * nK;
          for (let i = 0; i < nIn; i++) {
            const xv = xd[xBase + i];
            for (let k = 0; k < nK; k++) {
              const idx = table[i * nK + k];
              if (idx >= 0) y[yBase + idx] += xv * wd[wBase + k];
            }
          }
        }
        if (b) for (let o = 0; o < nOut; o++) y[yBase + o] += b.data[m];
      }
    }
  }
  return [{ dims: [nBatch, mOut, ...outDims], data: y }];
};

export const convOps: Record<string, OpImpl> = { Conv, ConvTranspose };
