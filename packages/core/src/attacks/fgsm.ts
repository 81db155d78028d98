/**
 * Fast Gradient Sign Method (Goodfellow et al. 2015; tutorial ch. 3 `fgsm`):
 * δ = ε·sign(∇_δ ℓ(h(x + δ), y)) at δ = 0 — one ℓ∞ sign step of size α = ε. With `randomStart`
 * and α = 1.25ε it is the "FGSM with random initialisation" of Wong et al. (2020).
 */
import { GradientAttack, type AttackOptions } from './base.js';
import { signStep } from './steps.js';

/** FGSM takes exactly one step. Defaults: ε 0.1, α = ε, no clipping, δ₀ = 0. */
export type FgsmOptions = Omit<AttackOptions, 'steps'>;

export class Fgsm extends GradientAttack {
  constructor(options: FgsmOptions = {}, name = 'fgsm') {
    const eps = options.eps ?? 0.1;
    super(name, { ...options, steps: 1 }, { norm: 'linf', eps, alpha: eps, steps: 1, clip: false });
  }

  protected step(delta: Float32Array, grad: Float32Array): void {
    signStep(delta, grad, this.config.alpha);
  }
}
