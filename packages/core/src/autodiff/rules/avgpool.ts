/**
 * AveragePool (ceil_mode 0): y[o] = Σ_{p ∈ window(o)} x_pad[p] / count(o), where count(o) is the
 * window size with count_include_pad=1 and the number of window positions inside the unpadded
 * input otherwise. Hence ∂x = ConvTranspose(dy / count, ones[1,1,…k]) over channels folded into
 * the batch: the adjoint of summing each (stride, pad) window is scattering into it. The counts
 * depend only on static sizes, so they are a constant [o…] broadcast over [N,C,o…].
 */
import { ShapeError } from '../../errors.js';
import { getInt } from '../attributes.js';
import { shapeStr } from '../shapes.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';
import { nodeWindow } from './window.js';

export const averagePoolVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const X = inputAt(ctx, 0);
  const g = outputGrad(ctx);
  const win = nodeWindow(node);
  const includePad = getInt(node, 'count_include_pad', 0) === 1;
  const sizes: number[] = [];
  const outs: number[] = [];
  for (let i = 0; i < win.spatial; i++) {
    const size = X.shape[i + 2];
    const out = g.shape[i + 2];
    if (typeof size !== 'number' || typeof out !== 'number')
      throw new ShapeError(`AveragePool '${node.name}': gradient needs static spatial sizes, got ${shapeStr(X.shape)} → ${shapeStr(g.shape)}`);
    sizes.push(size);
    outs.push(out);
  }
  // Per-axis counts; a window's count is their product (windows are boxes).
  const axisCounts = sizes.map((size, i) =>
    Array.from({ length: outs[i] }, (_, o) => {
      const start = o * win.strides[i] - win.pads[i];
      const end = start + win.kernel[i];
      return includePad ? win.kernel[i] : Math.min(end, size) - Math.max(start, 0);
    }),
  );
  const total = outs.reduce((a, c) => a * c, 1);
  const counts = new Array<number>(total);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    let c = 1;
    for (let i = win.spatial - 1; i >= 0; i--) {
      c *= axisCounts[i][rem % outs[i]];
      rem = Math.floor(rem / outs[i]);
    }
    counts[flat] = c;
  }
  const scaled = b.div(g, b.constant(counts, outs, g.dtype));
  const folded = b.reshape(scaled, [-1, 1, ...outs]);
  const ones = b.constant(new Array<number>(win.kernel.reduce((a, k) => a * k, 1)).fill(1), [1, 1, ...win.kernel], g.dtype);
  const outputPadding = sizes.map((size, i) => size - (win.strides[i] * (outs[i] - 1) + win.kernel[i] - win.pads[i] - win.pads[i + win.spatial]));
  const spread = b.convTranspose(folded, ones, undefined, { strides: win.strides, pads: win.pads, outputPadding });
  return [b.reshape(spread, b.shapeOf(X))];
};
