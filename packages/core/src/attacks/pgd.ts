/**
 * ℓ∞ projected gradient descent (Madry et al. 2018; tutorial ch. 3 `pgd_linf`, ch. 4 with
 * `randomize`, `pgd_linf_rand` with restarts, `pgd_linf_targ` with a targeted objective):
 * δ ← clamp(δ + α·sign(∇_δ), −ε, ε).
 */
import { GradientAttack, type AttackOptions } from './base.js';
import { signStep } from './steps.js';

/** Defaults (tutorial ch. 3): ε 0.1, α 0.01, 40 steps, δ₀ = 0, one restart, no clipping. */
export type PgdOptions = AttackOptions;

export class Pgd extends GradientAttack {
  constructor(options: PgdOptions = {}, name = 'pgd') {
    super(name, options, { norm: 'linf', eps: 0.1, alpha: 0.01, steps: 40, clip: false });
  }

  protected step(delta: Float32Array, grad: Float32Array): void {
    signStep(delta, grad, this.config.alpha);
  }
}
