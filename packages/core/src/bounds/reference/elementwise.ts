/** Sound interval images of the elementwise layers. */
import { nextDown, nextUp } from '../float.js';

/** ReLU is monotone and exact in floating point: [max(l, 0), max(u, 0)]. In place allowed. */
export function reluBounds(l: Float64Array, u: Float64Array, outL: Float64Array, outU: Float64Array, len: number): void {
  for (let i = 0; i < len; i++) {
    outL[i] = Math.max(l[i]!, 0);
    outU[i] = Math.max(u[i]!, 0);
  }
}

/**
 * y = x·s + t per element (scale/shift already broadcast to `size`, repeated for every example).
 * The product takes the endpoint that minimises/maximises it (s = 0 gives exactly 0, also for
 * infinite endpoints); each of the two roundings is then widened by one ulp (nextDown(fl(z)) ≤ z).
 * In place allowed.
 */
export function affineBounds(
  scale: Float64Array,
  shift: Float64Array,
  size: number,
  l: Float64Array,
  u: Float64Array,
  outL: Float64Array,
  outU: Float64Array,
  n: number,
): void {
  for (let e = 0; e < n; e++) {
    const off = e * size;
    for (let i = 0; i < size; i++) {
      const s = scale[i]!;
      const t = shift[i]!;
      const xl = l[off + i]!;
      const xu = u[off + i]!;
      let pl = 0;
      let pu = 0;
      if (s > 0) {
        pl = s * xl;
        pu = s * xu;
      } else if (s < 0) {
        pl = s * xu;
        pu = s * xl;
      }
      outL[off + i] = nextDown(nextDown(pl) + t);
      outU[off + i] = nextUp(nextUp(pu) + t);
    }
  }
}
