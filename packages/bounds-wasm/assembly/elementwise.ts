// Sound interval images of the elementwise layers; both may run in place (out == in).
import { nextDown, nextUp } from './rounding';

/** ReLU is monotone and exact: [max(l, 0), max(u, 0)] over len f64. */
export function relu(l: usize, u: usize, outL: usize, outU: usize, len: usize): void {
  const zero = f64x2.splat(0);
  const pairs = len >> 1;
  for (let j: usize = 0; j < pairs; j++) {
    const off = j << 4;
    v128.store(outL + off, f64x2.max(v128.load(l + off), zero));
    v128.store(outU + off, f64x2.max(v128.load(u + off), zero));
  }
  if (len & 1) {
    const off = (len - 1) << 3;
    store<f64>(outL + off, max<f64>(load<f64>(l + off), 0));
    store<f64>(outU + off, max<f64>(load<f64>(u + off), 0));
  }
}

/**
 * y = x·s + t with s, t broadcast to `size` values and repeated for n examples. The product takes
 * the endpoint that minimises/maximises it (s = 0 gives exactly 0, also for infinite endpoints);
 * the product's and the sum's roundings are each widened by one ulp.
 */
export function affine(scale: usize, shift: usize, size: usize, l: usize, u: usize, outL: usize, outU: usize, n: usize): void {
  const bytes = size << 3;
  for (let e: usize = 0; e < n; e++) {
    const off = e * bytes;
    for (let i: usize = 0; i < size; i++) {
      const p = i << 3;
      const s = load<f64>(scale + p);
      const t = load<f64>(shift + p);
      const xl = load<f64>(l + off + p);
      const xu = load<f64>(u + off + p);
      let pl: f64 = 0;
      let pu: f64 = 0;
      if (s > 0) {
        pl = s * xl;
        pu = s * xu;
      } else if (s < 0) {
        pl = s * xu;
        pu = s * xl;
      }
      store<f64>(outL + off + p, nextDown(nextDown(pl) + t));
      store<f64>(outU + off + p, nextUp(nextUp(pu) + t));
    }
  }
}
