/**
 * Sliding-window geometry shared by Conv, ConvTranspose and the pools (ONNX Conv/Pool specs,
 * any number of spatial dims): output sizes, auto_pad, and a precomputed table mapping each
 * (window position, kernel offset) pair to a flat spatial index, so the op loops stay flat.
 */
import { attrInts, attrString, opError, shapeError, sizeOf, unravel, type OpContext } from './tensor.js';

export interface WindowAttrs {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Explicit pads [begin..., end...] (before auto_pad is applied). */
  pads: number[];
  autoPad: 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';
}

export function readWindowAttrs(ctx: OpContext, rank: number, kernelFromWeight?: number[]): WindowAttrs {
  const kernel = attrInts(ctx, 'kernel_shape') ?? kernelFromWeight;
  if (!kernel) throw opError(ctx, 'kernel_shape is required');
  if (kernel.length !== rank) throw shapeError(ctx, `kernel_shape has ${kernel.length} dims for ${rank} spatial dims`);
  const strides = attrInts(ctx, 'strides') ?? new Array<number>(rank).fill(1);
  const dilations = attrInts(ctx, 'dilations') ?? new Array<number>(rank).fill(1);
  const pads = attrInts(ctx, 'pads') ?? new Array<number>(2 * rank).fill(0);
  if (strides.length !== rank || dilations.length !== rank || pads.length !== 2 * rank) {
    throw shapeError(ctx, `strides/dilations/pads lengths do not match ${rank} spatial dims`);
  }
  const autoPad = attrString(ctx, 'auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER' && autoPad !== 'VALID') {
    throw opError(ctx, `auto_pad '${autoPad}'`);
  }
  return { kernel, strides, dilations, pads, autoPad };
}

export interface Geometry {
  outDims: number[];
  padsBegin: number[];
  padsEnd: number[];
}

/**
 * Output size of a forward window op: ⌊(in + pb + pe − ((k−1)d + 1)) / s⌋ + 1 (⌈⌉ with ceil_mode,
 * dropping a last window that would start in the end padding, as ORT does). SAME_* pads so that
 * out = ⌈in / s⌉, the extra pad at the end (UPPER) or the beginning (LOWER).
 */
export function forwardGeometry(inDims: number[], w: WindowAttrs, ceilMode: boolean, ctx: OpContext): Geometry {
  const r = inDims.length;
  const outDims: number[] = [];
  const padsBegin: number[] = [];
  const padsEnd: number[] = [];
  for (let i = 0; i < r; i++) {
    const dk = (w.kernel[i] - 1) * w.dilations[i] + 1;
    const s = w.strides[i];
    let pb = w.pads[i];
    let pe = w.pads[i + r];
    if (w.autoPad === 'VALID') {
      pb = 0;
      pe = 0;
    } else if (w.autoPad !== 'NOTSET') {
      const out = Math.ceil(inDims[i] / s);
      const total = Math.max(0, (out - 1) * s + dk - inDims[i]);
      pb = w.autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
      pe = total - pb;
    }
    const span = inDims[i] + pb + pe - dk;
    if (span < 0) throw shapeError(ctx, `window ${dk} larger than padded input ${inDims[i] + pb + pe} in spatial dim ${i}`);
    let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
    if (ceilMode && (out - 1) * s >= inDims[i] + pb) out--;
    outDims.push(out);
    padsBegin.push(pb);
    padsEnd.push(pe);
  }
  return { outDims, padsBegin, padsEnd };
}

/**
 * For every position p of the `fromDims` grid and kernel offset k, the flat index in the `toDims`
 * grid of q = p·s − pb + k·d (per spatial dim), or −1 where q falls outside (padding).
 * Forward ops map output positions to input positions; ConvTranspose maps input to output.
 * Layout: table[p · kernelSize + k].
 */
export function windowTable(fromDims: number[], toDims: number[], kernel: number[], strides: number[], dilations: number[], padsBegin: number[]): Int32Array {
  const r = fromDims.length;
  const nFrom = sizeOf(fromDims);
  const nK = sizeOf(kernel);
  const table = new Int32Array(nFrom * nK);
  const p = new Array<number>(r);
  const k = new Array<number>(r);
  const kernelIdx: number[][] = [];
  for (let j = 0; j < nK; j++) {
    unravel(j, kernel, k);
    kernelIdx.push(k.slice());
  }
  for (let i = 0; i < nFrom; i++) {
    unravel(i, fromDims, p);
    for (let j = 0; j < nK; j++) {
      const kj = kernelIdx[j];
      let flat = 0;
      let inside = true;
      for (let d = 0; d < r; d++) {
        const q = p[d] * strides[d] - padsBegin[d] + kj[d] * dilations[d];
        if (q < 0 || q >= toDims[d]) {
          inside = false;
          break;
        }
        flat = flat * toDims[d] + q;
      }
      table[i * nK + j] = inside ? flat : -1;
    }
  }
  return table;
}
