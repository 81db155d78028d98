/**
 * When a solver value counts as a proof. HiGHS works to feasibility/optimality tolerances of
 * ~1e-7 on rows whose coefficients reach the big-M constants, so a MIP optimum of +1e-6 says
 * nothing about the sign of the true minimum. A MIP bound proves "> 0" only above a margin that
 * scales with the magnitude of the objective over the input set; LP results are checked with a
 * rigorous dual bound (safe-bound.ts) instead and need only a rounding-sized margin (it covers the
 * float64 composition of consecutive linear layers in relu-chain.ts).
 */
import type { NeuronBounds } from './interval.js';

/** Σ_o |c_o| · max(|l_o|, |u_o|): the scale of cᵀy over the output bounds. */
export function objectiveScale(output: NeuronBounds, c: ArrayLike<number>): number {
  let s = 0;
  for (let o = 0; o < c.length; o++) {
    if (c[o] !== 0) s += Math.abs(c[o]!) * Math.max(Math.abs(output.lower[o]!), Math.abs(output.upper[o]!));
  }
  return s;
}

/** A MIP dual bound above this proves the minimum is > 0. */
export const mipMargin = (scale: number): number => 1e-5 * (1 + scale);

/** A safe LP bound above this proves the minimum is > 0. */
export const lpMargin = (scale: number): number => 1e-9 * (1 + scale);
