/**
 * Random starting points for PGD: uniform in the ℓ∞ box (the tutorial's `rand*2ε − ε` in
 * pgd_linf_rand and Ch. 4's `randomize`), or uniform in the ℓ2 ball (a Gaussian direction, which
 * is uniform on the sphere, scaled by ε·u^{1/d}, since the volume inside radius r grows as r^d).
 */
import type { Rng } from '../data/rng.js';
import type { Norm } from './threat.js';

export function randomStart(delta: Float32Array, n: number, size: number, norm: Norm, eps: number, rng: Rng): void {
  if (norm === 'linf') {
    for (let i = 0; i < delta.length; i++) delta[i] = rng.uniform(-eps, eps);
    return;
  }
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let i = k * size; i < (k + 1) * size; i++) {
      const g = rng.normal();
      delta[i] = g;
      s += g * g;
    }
    const radius = eps * rng.float() ** (1 / size);
    const scale = s > 0 ? radius / Math.sqrt(s) : 0;
    for (let i = k * size; i < (k + 1) * size; i++) delta[i] = delta[i]! * scale;
  }
}
