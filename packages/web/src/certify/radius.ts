/**
 * Certified radius: the largest ε at which a bound method still verifies the digit, found by
 * doubling ε from a start until verification fails, then bisecting the bracket down to a
 * tolerance. The reported radius is always an ε that was actually verified (or 0), so the claim
 * never rests on interpolation; `upper` is the smallest ε seen to fail.
 */
import type { CancelSignal } from '@minmax/core';

export interface RadiusStep {
  eps: number;
  verified: boolean;
}

export interface RadiusProgress {
  step: number;
  /** Steps expected in all (exact once the bracket is found). */
  total: number;
  eps: number;
  verified: boolean;
  /** The current bracket: lo verified (or 0), hi failed (null: none failed yet). */
  lo: number;
  hi: number | null;
}

export interface RadiusOptions {
  /** First ε tried after ε = 0; default 0.1. */
  start?: number;
  /** Stop when hi − lo ≤ tolerance; default 1e-4. */
  tolerance?: number;
  /** Largest ε tried; default 1 (with pixels in [0,1], every input is within ε = 1). */
  max?: number;
  signal?: CancelSignal;
  onStep?: (p: RadiusProgress) => void;
}

export interface RadiusSearch {
  radius: number;
  upper: number | null;
  steps: RadiusStep[];
  /** none: not verified even at ε = 0 (a misclassified digit); at-max: verified at `max`. */
  outcome: 'converged' | 'at-max' | 'none' | 'cancelled';
}

/** Bisection steps needed to shrink a bracket of `width` to `tolerance`. */
export function bisectionSteps(width: number, tolerance: number): number {
  return width <= tolerance ? 0 : Math.ceil(Math.log2(width / tolerance));
}

export async function certifiedRadius(verifies: (eps: number) => boolean | Promise<boolean>, o: RadiusOptions = {}): Promise<RadiusSearch> {
  const tolerance = o.tolerance ?? 1e-4;
  const max = o.max ?? 1;
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be > 0, got ${tolerance}`);
  if (!(max > 0)) throw new RangeError(`max must be > 0, got ${max}`);
  const start = Math.min(Math.max(o.start ?? 0.1, tolerance), max);
  const steps: RadiusStep[] = [];
  let lo = 0;
  let hi: number | null = null;
  // Before the bracket is known: ε = 0, then doublings from start up to max.
  const doublings = Math.max(0, Math.ceil(Math.log2(max / start))) + 1;
  let total = 1 + doublings + bisectionSteps(start, tolerance);

  const test = async (eps: number): Promise<boolean | undefined> => {
    if (o.signal?.aborted) return undefined;
    const verified = await verifies(eps);
    steps.push({ eps, verified });
    if (verified) lo = eps;
    else hi = eps;
    o.onStep?.({ step: steps.length, total: Math.max(total, steps.length), eps, verified, lo, hi });
    return verified;
  };
  const result = (outcome: RadiusSearch['outcome']): RadiusSearch => ({ radius: lo, upper: hi, steps, outcome });

  const atZero = await test(0);
  if (atZero === undefined) return result('cancelled');
  if (!atZero) return result('none');

  let eps = start;
  for (;;) {
    const ok = await test(eps);
    if (ok === undefined) return result('cancelled');
    if (!ok) break;
    if (eps >= max) return result('at-max');
    eps = Math.min(2 * eps, max);
  }
  total = steps.length + bisectionSteps(hi! - lo, tolerance);
  while (hi! - lo > tolerance) {
    const ok = await test((lo + hi!) / 2);
    if (ok === undefined) return result('cancelled');
  }
  return result('converged');
}
