/**
 * A rigorous lower bound on an LP optimum from any row multipliers (Neumaier & Shcherbina 2004,
 * "Safe bounds in linear and mixed-integer linear programming"). For every x with
 * rowLower ≤ A x ≤ rowUpper and colLower ≤ x ≤ colUpper and every y:
 *   cᵀx = yᵀ(A x) + (c − Aᵀy)ᵀx ≥ Σ_i min(y_i·rowLower_i, y_i·rowUpper_i) + Σ_j min_{x_j} d_j·x_j,
 * so the solver's duals, however inexact, give a bound that holds whatever its tolerances were.
 * The arithmetic rounds outward (bounds/float.ts), so the float result is ≤ the real bound.
 * A certificate "LP optimum > 0" is only claimed when this bound is > 0.
 */
import { dotErrorBound, nextDown, soundLower, soundUpper } from '../bounds/float.js';
import type { LinearObjective, Problem } from './problem.js';

/** A float ≤ a·b (a, b finite). */
function mulDown(a: number, b: number): number {
  const p = a * b;
  return p === 0 && (a === 0 || b === 0) ? 0 : nextDown(p);
}

/** A float ≤ the real optimum of min cᵀx + offset over the LP relaxation of `p` (−∞ if none can be shown). */
export function safeLpBound(p: Problem, objective: LinearObjective, rowDual: ArrayLike<number>): number {
  const m = p.rows.rows;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const v = rowDual[i]!;
    if (!Number.isFinite(v)) return -Infinity;
    // Any multiplier is valid; one facing an infinite row side would make the bound −∞, so drop it.
    y[i] = (v > 0 && p.rowLower[i] === -Infinity) || (v < 0 && p.rowUpper[i] === Infinity) ? 0 : v;
  }
  const n = p.numCols;
  const d = new Float64Array(n);
  const abs = new Float64Array(n);
  const count = new Int32Array(n);
  for (let k = 0; k < objective.cols.length; k++) {
    const j = objective.cols[k]!;
    d[j] = d[j]! + objective.values[k]!;
    abs[j] = abs[j]! + Math.abs(objective.values[k]!);
    count[j]!++;
  }
  const { starts, indices, values } = p.rows;
  for (let i = 0; i < m; i++) {
    const yi = y[i]!;
    if (yi === 0) continue;
    for (let k = starts[i]!; k < starts[i + 1]!; k++) {
      const j = indices[k]!;
      const t = values[k]! * yi;
      d[j] = d[j]! - t;
      abs[j] = abs[j]! + Math.abs(t);
      count[j]!++;
    }
  }
  const terms: number[] = [];
  for (let j = 0; j < n; j++) {
    if (count[j] === 0) continue;
    const lo = soundLower(d[j]!, abs[j]!, count[j]!);
    const hi = soundUpper(d[j]!, abs[j]!, count[j]!);
    const L = p.colLower[j]!;
    const U = p.colUpper[j]!;
    if (!Number.isFinite(L) || !Number.isFinite(U) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
      if (lo === 0 && hi === 0) continue;
      return -Infinity;
    }
    terms.push(Math.min(mulDown(lo, L), mulDown(lo, U), mulDown(hi, L), mulDown(hi, U)));
  }
  for (let i = 0; i < m; i++) {
    const yi = y[i]!;
    if (yi > 0) terms.push(mulDown(yi, p.rowLower[i]!));
    else if (yi < 0) terms.push(mulDown(yi, p.rowUpper[i]!));
  }
  terms.push(objective.offset);
  let s = 0;
  let a = 0;
  for (const t of terms) {
    s += t;
    a += Math.abs(t);
  }
  if (!Number.isFinite(s) || !Number.isFinite(a)) return -Infinity;
  return nextDown(s - dotErrorBound(terms.length, a));
}
