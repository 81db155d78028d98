/**
 * ℓ2 projected gradient descent (tutorial ch. 3 `pgd_l2`), per iteration:
 * δ ← δ + α·∇/‖∇‖₂; clip x + δ to [0, 1]; δ ← δ·ε / max(ε, ‖δ‖₂).
 * The last two are the base's `constrain` with clipping on, in that order.
 */
import { GradientAttack, type AttackOptions } from './base.js';
import { l2Step } from './steps.js';

/** Defaults (tutorial ch. 3): ε 2, α 0.1, 40 steps, δ₀ = 0, clipping to [0, 1] on. */
export type PgdL2Options = AttackOptions;

export class PgdL2 extends GradientAttack {
  constructor(options: PgdL2Options = {}, name = 'pgd-l2') {
    super(name, options, { norm: 'l2', eps: 2, alpha: 0.1, steps: 40, clip: true });
  }

  protected step(delta: Float32Array, grad: Float32Array, n: number, size: number): void {
    l2Step(delta, grad, n, size, this.config.alpha);
  }
}
