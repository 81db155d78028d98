/** Sizes of a perturbation δ and the scale its heat map saturates at. */
export interface PerturbationNorms {
  linf: number;
  l2: number;
}

export function perturbationNorms(delta: ArrayLike<number>): PerturbationNorms {
  let linf = 0;
  let sq = 0;
  for (let i = 0; i < delta.length; i++) {
    const v = delta[i];
    linf = Math.max(linf, Math.abs(v));
    sq += v * v;
  }
  return { linf, l2: Math.sqrt(sq) };
}

/**
 * ℓ∞: ±ε, so the map shows δ relative to its budget (the CLI's attack grid does the same); ℓ2 puts
 * no bound on single pixels, so the largest |δ| sets the scale.
 */
export function heatMapLimit(norm: 'linf' | 'l2', eps: number, delta: ArrayLike<number>): number {
  if (norm === 'linf') return eps;
  return Math.max(perturbationNorms(delta).linf, 1e-6);
}
