/**
 * A VNNLIB property in normal form. A VNNLIB file describes the *unsafe* set: the assertions hold
 * for some input exactly when the property is violated (`sat`, with that input as witness); the
 * property holds when they are unsatisfiable (`unsat`). In normal form that set is a disjunction
 * of cases, each an input box and a conjunction of linear output constraints cᵀY + offset ≤ 0.
 * Strict and non-strict inequalities are both read as closed (as VNN-COMP does).
 */
import type { OutputRow } from '../exact/objective.js';

export interface VnnlibCase {
  /** Input box, one entry per X_i. */
  readonly inputLower: Float64Array;
  readonly inputUpper: Float64Array;
  /** Unsafe-set constraints, each Σ c_j·Y_j + offset ≤ 0 (c has one entry per Y_j). */
  readonly output: readonly OutputRow[];
}

export interface VnnlibProperty {
  readonly numInputs: number;
  readonly numOutputs: number;
  readonly cases: readonly VnnlibCase[];
}

/**
 * The local-robustness property of the VNN-COMP MNIST/CIFAR benchmarks: inputs in the ℓ∞ ball of
 * radius eps around x (intersected with `clamp`), unsafe when some Y_t ≥ Y_label (one case per t).
 */
export function robustnessProperty(
  x: ArrayLike<number>,
  label: number,
  eps: number,
  numOutputs: number,
  clamp?: readonly [number, number],
): VnnlibProperty {
  const n = x.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lower[i] = clamp ? Math.max(x[i]! - eps, clamp[0]) : x[i]! - eps;
    upper[i] = clamp ? Math.min(x[i]! + eps, clamp[1]) : x[i]! + eps;
  }
  const cases: VnnlibCase[] = [];
  for (let t = 0; t < numOutputs; t++) {
    if (t === label) continue;
    const c = new Float64Array(numOutputs);
    c[label] = 1;
    c[t] = -1;
    cases.push({ inputLower: lower, inputUpper: upper, output: [{ c, offset: 0 }] });
  }
  return { numInputs: n, numOutputs, cases };
}
