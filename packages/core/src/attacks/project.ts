/**
 * Keeping δ feasible. Every update is followed by `constrain`: first (optionally) clip x + δ to
 * the domain, then project δ onto the ε-ball — the order of the tutorial's pgd_l2. For x inside
 * the domain this lands in the intersection of both sets: the ℓ∞ projection clamps each
 * coordinate towards 0 and the ℓ2 projection scales δ by c ∈ (0, 1]; both keep
 * δ_i ∈ [lo − x_i, hi − x_i] because that interval contains 0.
 *
 * Arithmetic mirrors PyTorch's float32 ops (ε and bounds rounded to float32, results stored in a
 * Float32Array), so the ℓ∞ attacks reproduce the tutorial's iterates given the same gradient signs.
 */
import type { ThreatModel } from './threat.js';

// The clamps are branch-free (d + (bound − d)·[d beyond bound]): which side of the box a PGD
// iterate is on is unpredictable, and a branch per element cost more than the arithmetic. They are
// exact: d and the bounds are float32 values within a few binades of each other, so bound − d is
// exact in float64 and d + (bound − d) = bound; NaN stays NaN, as with the comparisons.


/** δ ← min(max(δ, lo − x), hi − x), the tutorial's `torch.min(torch.max(delta, -X), 1-X)`. */
export function clipToDomain(delta: Float32Array, x: Float32Array, domain: readonly [number, number]): void {
  const [lo, hi] = domain;
  for (let i = 0; i < delta.length; i++) {
    const xi = x[i]!;
    const a = Math.fround(lo - xi);
    const b = Math.fround(hi - xi);
    const d = delta[i]!;
    delta[i] = d + (a - d) * Number(d < a) + (b - d) * Number(d > b);
  }
}

/** δ ← clamp(δ, −ε, ε): Euclidean projection onto the ℓ∞ ball. */
export function projectLinf(delta: Float32Array, eps: number): void {
  const e = Math.fround(eps);
  for (let i = 0; i < delta.length; i++) {
    const d = delta[i]!;
    delta[i] = d + (e - d) * Number(d > e) + (-e - d) * Number(d < -e);
  }
}

/** Per-example ℓ2 norms of a [n, size] array, accumulated in float64. */
export function l2Norms(v: Float32Array, n: number, size: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let i = k * size; i < (k + 1) * size; i++) s += v[i]! * v[i]!;
    out[k] = Math.sqrt(s);
  }
  return out;
}

/** δ ← δ·ε / max(ε, ‖δ‖₂) per example: Euclidean projection onto the ℓ2 ball (tutorial's pgd_l2 step 3). */
export function projectL2(delta: Float32Array, n: number, size: number, eps: number): void {
  const norms = l2Norms(delta, n, size);
  for (let k = 0; k < n; k++) {
    const norm = norms[k]!;
    if (norm <= eps) continue;
    const scale = eps / norm;
    for (let i = k * size; i < (k + 1) * size; i++) delta[i] = delta[i]! * scale;
  }
  // Scaling in float32 can overshoot the radius by an ulp; one more pass shrinks those examples.
  const after = l2Norms(delta, n, size);
  for (let k = 0; k < n; k++) {
    if (after[k]! <= eps) continue;
    const scale = (eps / after[k]!) * (1 - 2 ** -23);
    for (let i = k * size; i < (k + 1) * size; i++) delta[i] = delta[i]! * scale;
  }
}

/** Makes δ feasible for the threat model: optional domain clip, then projection onto the ε-ball. */
export function constrain(delta: Float32Array, x: Float32Array, n: number, size: number, threat: Required<ThreatModel>, clip: boolean): void {
  if (clip) clipToDomain(delta, x, threat.domain);
  if (threat.norm === 'linf') projectLinf(delta, threat.eps);
  else projectL2(delta, n, size, threat.eps);
}
