/**
 * Sound interval image of a 2-D convolution: im2col (padding cells are exact zeros) followed by
 * the sound linear kernel with the kernel as a [outC, inC·kH·kW] matrix.
 */
import type { ConvGeometry } from '../plan.js';
import { linearRows } from './linear.js';

/** Patch rows: col[p·K + q] = x[ic, oy·sH − pT + ky·dH, ox·sW − pL + kx·dW] (0 outside), q = (ic, ky, kx). */
export function im2col(g: ConvGeometry, x: Float64Array, xOff: number, col: Float64Array): void {
  const K = g.inC * g.kH * g.kW;
  let p = 0;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      let q = p * K;
      for (let ic = 0; ic < g.inC; ic++) {
        const plane = xOff + ic * g.inH * g.inW;
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
          const rowOk = iy >= 0 && iy < g.inH;
          for (let kx = 0; kx < g.kW; kx++) {
            const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
            col[q++] = rowOk && ix >= 0 && ix < g.inW ? x[plane + iy * g.inW + ix]! : 0;
          }
        }
      }
      p++;
    }
  }
}

/**
 * Bounds of conv(x) + bias for `n` examples (NCHW, per-example sizes inC·inH·inW → outC·outH·outW).
 * colL/colU: scratch of outH·outW·inC·kH·kW values.
 */
export function convBounds(
  g: ConvGeometry,
  w: Float64Array,
  b: Float64Array,
  l: Float64Array,
  u: Float64Array,
  outL: Float64Array,
  outU: Float64Array,
  n: number,
  colL: Float64Array,
  colU: Float64Array,
): void {
  const K = g.inC * g.kH * g.kW;
  const P = g.outH * g.outW;
  const inSize = g.inC * g.inH * g.inW;
  const outSize = g.outC * P;
  for (let e = 0; e < n; e++) {
    im2col(g, l, e * inSize, colL);
    im2col(g, u, e * inSize, colU);
    linearRows(w, b, K, g.outC, colL, colU, 0, P, outL, outU, e * outSize, 1, P);
  }
}
