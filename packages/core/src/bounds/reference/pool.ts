/**
 * Sound interval image of AveragePool (ONNX opset 17, floor output size): the mean is monotone in
 * every input, so the bounds are the means of the lower and of the upper inputs, each rounded
 * outward — the window sum with the dot-product error bound (all weights 1), then the division
 * rounded down/up by one ulp (nextDown(fl(z)) ≤ z).
 */
import { nextDown, nextUp, soundLower, soundUpper } from '../float.js';
import type { PoolGeometry } from '../plan.js';

export function avgPoolBounds(
  g: PoolGeometry,
  l: Float64Array,
  u: Float64Array,
  outL: Float64Array,
  outU: Float64Array,
  n: number,
): void {
  const k = g.kH * g.kW;
  const plane = g.inH * g.inW;
  let o = 0;
  for (let e = 0; e < n; e++) {
    for (let c = 0; c < g.channels; c++) {
      const base = (e * g.channels + c) * plane;
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          let sl = 0;
          let al = 0;
          let su = 0;
          let au = 0;
          let count = 0;
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.strideH - g.padTop + ky;
            if (iy < 0 || iy >= g.inH) continue;
            for (let kx = 0; kx < g.kW; kx++) {
              const ix = ox * g.strideW - g.padLeft + kx;
              if (ix < 0 || ix >= g.inW) continue;
              const vl = l[base + iy * g.inW + ix]!;
              const vu = u[base + iy * g.inW + ix]!;
              sl += vl;
              al += Math.abs(vl);
              su += vu;
              au += Math.abs(vu);
              count++;
            }
          }
          const div = g.countIncludePad ? k : count;
          outL[o] = nextDown(soundLower(sl, al, k) / div);
          outU[o] = nextUp(soundUpper(su, au, k) / div);
          o++;
        }
      }
    }
  }
}
