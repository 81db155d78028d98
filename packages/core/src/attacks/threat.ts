/**
 * Threat models: the set Δ(x) of allowed perturbations, {δ : ‖δ‖ ≤ ε} for the ℓ∞ or ℓ2 norm,
 * optionally intersected with {δ : x + δ ∈ [lo, hi]^d} (the valid pixel range).
 */
import { InvalidArgumentError } from '../errors.js';

export type Norm = 'linf' | 'l2';

export interface ThreatModel {
  norm: Norm;
  /** Radius of the ε-ball, ≥ 0. */
  eps: number;
  /** Valid input range that x + δ is clipped to when an attack clips; default [0, 1] (MNIST pixels). */
  domain?: readonly [number, number];
}

export const DEFAULT_DOMAIN: readonly [number, number] = [0, 1];

/** Checks a threat model and fills in the default domain. */
export function validateThreat(threat: ThreatModel): Required<ThreatModel> {
  const { norm, eps } = threat;
  if (norm !== 'linf' && norm !== 'l2') throw new InvalidArgumentError(`threat norm must be 'linf' or 'l2', got '${String(norm)}'`);
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new InvalidArgumentError(`epsilon must be a finite number ≥ 0, got ${eps}`);
  }
  const domain = threat.domain ?? DEFAULT_DOMAIN;
  const [lo, hi] = domain;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
    throw new InvalidArgumentError(`domain must be finite [lo, hi] with lo ≤ hi, got [${lo}, ${hi}]`);
  }
  return { norm, eps, domain: [lo, hi] };
}

export const formatThreat = (t: ThreatModel): string => `${t.norm === 'linf' ? 'ℓ∞' : 'ℓ2'} ε=${t.eps}`;
