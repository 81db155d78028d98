/**
 * Outward rounding on top of IEEE-754 binary64 round-to-nearest-even (the only rounding mode JS
 * and WebAssembly have). The AssemblyScript kernels (packages/bounds-wasm/assembly/rounding.ts)
 * implement the same formulas; packages/bounds-wasm/README.md states the proof.
 *
 * Dot-product bound. For v = b + Σ_{j<n} w_j x_j evaluated as t̂_j = fl(w_j x_j) summed with b in
 * any order to ŝ, and Â = the float sum of |t̂_j| and |b| in any order (u = 2⁻⁵³):
 *   |ŝ − v| ≤ γ_{n+1}/(1 − γ_n) · Â + n·2⁻¹⁰⁷⁴        (γ_k = ku/(1 − ku); Higham, ASNA §3.1, §4.2;
 * products may underflow with absolute error ≤ 2⁻¹⁰⁷⁵, additions are exact when they underflow).
 * `dotErrorBound` returns a float ≥ that quantity for n ≤ 2³⁰ even after its own roundings, so
 * `nextDown(ŝ − e)` ≤ v ≤ `nextUp(ŝ + e)` (nextDown(fl(z)) ≤ z for any real z under round-to-nearest).
 *
 * Absolute (underflow) terms are all covered by one normal constant, UNDERFLOW = 2⁻¹⁰⁰⁰ ≥ n·2⁻¹⁰⁷³
 * for every n ≤ 2³⁰: arithmetic on subnormal operands is tens of times slower on common x86 cores,
 * and the widening it costs (≈ 1e−301 absolute) is immaterial.
 */

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
// Index of the high 32-bit word of a float64 in platform byte order.
const HI = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0;
const LO = 1 - HI;

/** Largest dimension the dot-product error bound is proven for. */
export const MAX_DOT_LENGTH = 2 ** 30;

/** 2⁻⁵³, the unit roundoff of binary64. */
const U = 2 ** -53;
/** (1 + 2⁻²⁰) absorbs γ's higher-order terms and the roundings of the bound itself (n ≤ 2³⁰). */
const SLACK = 1 + 2 ** -20;
/** 2⁻¹⁰⁰⁰ (normal): covers n·2⁻¹⁰⁷³ — n product underflows plus the bound's own — for n ≤ 2³⁰. */
export const UNDERFLOW = 2 ** -1000;

/** Smallest float64 greater than x (x for NaN and +∞). */
export function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  scratch[0] = x;
  if (x > 0) {
    words[LO] = (words[LO]! + 1) >>> 0;
    if (words[LO] === 0) words[HI] = (words[HI]! + 1) >>> 0;
  } else {
    if (words[LO] === 0) words[HI] = (words[HI]! - 1) >>> 0;
    words[LO] = (words[LO]! - 1) >>> 0;
  }
  return scratch[0]!;
}

/** Largest float64 less than x (x for NaN and −∞). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** Coefficient κ_n with e = κ_n·Â + n·2⁻¹⁰⁷³ (exact in binary64: (n+1)(1+2⁻²⁰) needs ≤ 51 bits). */
export function dotErrorCoefficient(n: number): number {
  return (n + 1) * U * SLACK;
}

/** Bound on |ŝ − v| for an n-term dot product plus bias, given Â (see the module comment). */
export function dotErrorBound(n: number, absSum: number): number {
  return absSum * dotErrorCoefficient(n) + UNDERFLOW;
}

/**
 * A float ≥ nextUp(x) that is never subnormal: nextUp(max(x, 2⁻¹⁰⁰⁰)). Used where x may be 0, so
 * that no subnormal enters later arithmetic (see UNDERFLOW).
 */
export function upNormal(x: number): number {
  return nextUp(x > UNDERFLOW ? x : UNDERFLOW);
}

/** A float ≤ v from ŝ, Â of an n-term dot product; −∞ when the sums overflowed. */
export function soundLower(sum: number, absSum: number, n: number): number {
  const e = dotErrorBound(n, absSum);
  if (!(Math.abs(sum) < Infinity) || !(e < Infinity)) return -Infinity;
  return nextDown(sum - e);
}

/** A float ≥ v from ŝ, Â of an n-term dot product; +∞ when the sums overflowed. */
export function soundUpper(sum: number, absSum: number, n: number): number {
  const e = dotErrorBound(n, absSum);
  if (!(Math.abs(sum) < Infinity) || !(e < Infinity)) return Infinity;
  return nextUp(sum + e);
}

/** Largest float ≤ a − b (exact when a − b is representable), via Knuth's TwoSum error term. */
export function subDown(a: number, b: number): number {
  const s = a - b;
  const bb = s - a;
  const err = a - (s - bb) - (b + bb);
  // Overflow to +∞ means the true difference exceeds MAX_VALUE, which is then a lower bound.
  if (s === Infinity) return Number.MAX_VALUE;
  return err < 0 ? nextDown(s) : s;
}

/** Smallest float ≥ a + b (exact when a + b is representable). */
export function addUp(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  const err = a - (s - bb) + (b - bb);
  if (s === -Infinity) return -Number.MAX_VALUE;
  return err > 0 ? nextUp(s) : s;
}
