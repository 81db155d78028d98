import { describe, expect, it } from 'vitest';
import { heatMapLimit, perturbationNorms } from './perturbation.js';

describe('perturbation', () => {
  it('measures ‖δ‖∞ and ‖δ‖₂', () => {
    expect(perturbationNorms(new Float32Array([0.1, -0.3, 0, 0.4]))).toEqual({ linf: expect.closeTo(0.4, 6), l2: expect.closeTo(Math.sqrt(0.26), 6) });
    expect(perturbationNorms([])).toEqual({ linf: 0, l2: 0 });
  });

  it('saturates the heat map at ε for ℓ∞ and at the largest |δ| for ℓ2', () => {
    const delta = new Float32Array([0.05, -0.5, 0.2]);
    expect(heatMapLimit('linf', 0.1, delta)).toBe(0.1);
    expect(heatMapLimit('l2', 2, delta)).toBeCloseTo(0.5, 6);
    // An all-zero δ (e.g. cancelled before the first step) still gives a usable scale.
    expect(heatMapLimit('l2', 2, new Float32Array(4))).toBeGreaterThan(0);
  });
});
