/**
 * ReLU relaxations of the linear-bound methods. For pre-activation bounds l < 0 < u the ReLU graph
 * lies in the triangle with vertices (l, 0), (0, 0), (u, u), bounded above by the line
 * z ≤ s·(ẑ − l), s = u/(u − l), and below by any z ≥ α·ẑ with α ∈ [0, 1]. A backward pass picks, per
 * unstable neuron, the upper line where the incoming multiplier is negative and a lower line where
 * it is ≥ 0; the slope α is the method:
 *   'adaptive'    CROWN (Zhang et al. 2018): α = 1 if u > −l else 0 (auto_LiRPA's choice, the
 *                 lower line of least area);
 *   'wong-kolter' the dual network of Wong & Kolter 2018 (Thm. 1): α = s, the same slope as the
 *                 upper line, so the bound is their dual objective J;
 *   α-CROWN       (Xu et al. 2021) optimises α per margin and neuron (alpha.ts).
 * The training helper's CROWN-IBP graphs must use the same definitions to match these bounds.
 */
export type SlopeChoice = 'adaptive' | 'wong-kolter';

/** The default lower slope of an unstable neuron (l < 0 < u, s = u/(u − l)). */
export function lowerSlope(choice: SlopeChoice, l: number, u: number, s: number): number {
  return choice === 'wong-kolter' ? s : u > -l ? 1 : 0;
}
