// Outward rounding for the kernels; the same formulas as packages/core/src/bounds/float.ts, with
// the proof in ../README.md. WebAssembly f64 arithmetic is IEEE-754 binary64 with
// round-to-nearest-even, Binaryen never reassociates or fuses float operations, and relaxed-simd
// (whose fused multiply-add would change the error analysis) is not enabled.

/** 2⁻⁵³, the unit roundoff. */
const U: f64 = 1.1102230246251565e-16;
/** 1 + 2⁻²⁰: absorbs γ's higher-order terms and the bound's own roundings for n ≤ 2³⁰. */
const SLACK: f64 = 1.00000095367431640625;

/** Smallest f64 above x (x for NaN and +∞). */
// @ts-ignore: decorator
@inline export function nextUp(x: f64): f64 {
  if (x != x || x == Infinity) return x;
  if (x == 0) return reinterpret<f64>(<i64>1);
  const bits = reinterpret<i64>(x);
  return reinterpret<f64>(x > 0 ? bits + 1 : bits - 1);
}

/** Largest f64 below x (x for NaN and −∞). */
// @ts-ignore: decorator
@inline export function nextDown(x: f64): f64 {
  return -nextUp(-x);
}

/** κ_n = (n+1)·2⁻⁵³·(1+2⁻²⁰), exact in binary64. */
// @ts-ignore: decorator
@inline export function errCoef(n: usize): f64 {
  return <f64>(n + 1) * U * SLACK;
}

/**
 * 2⁻¹⁰⁰⁰ (normal) ≥ n·2⁻¹⁰⁷³ for n ≤ 2³⁰: covers every absolute (underflow) error term. A normal
 * constant keeps subnormal operands, which are tens of times slower on common x86 cores, out of
 * the loops.
 */
export const UNDERFLOW: f64 = 9.332636185032189e-302;

/** The absolute term of an n-term dot-product bound (UNDERFLOW for every n ≤ 2³⁰). */
// @ts-ignore: decorator
@inline export function tinyTerm(n: usize): f64 {
  return UNDERFLOW;
}

/**
 * nextUp for x ≥ 0 finite or +∞ (where it gives NaN: callers check overflow once at the end):
 * the successor of a non-negative float is its bit pattern plus one. Branch-free.
 */
// @ts-ignore: decorator
@inline export function upPos(x: f64): f64 {
  return reinterpret<f64>(reinterpret<i64>(x) + 1);
}

/** A float ≥ nextUp(x) that is never subnormal: nextUp(max(x, UNDERFLOW)), for x ≥ 0. */
// @ts-ignore: decorator
@inline export function upNormal(x: f64): f64 {
  return upPos(max<f64>(x, UNDERFLOW));
}

/** A float ≤ the exact dot product whose float sum is s and float sum of |terms| is a. */
// @ts-ignore: decorator
@inline export function soundLower(s: f64, a: f64, kappa: f64, tiny: f64): f64 {
  const e = a * kappa + tiny;
  if (!(abs<f64>(s) < Infinity) || !(e < Infinity)) return -Infinity;
  return nextDown(s - e);
}

/** A float ≥ the exact dot product whose float sum is s and float sum of |terms| is a. */
// @ts-ignore: decorator
@inline export function soundUpper(s: f64, a: f64, kappa: f64, tiny: f64): f64 {
  const e = a * kappa + tiny;
  if (!(abs<f64>(s) < Infinity) || !(e < Infinity)) return Infinity;
  return nextUp(s + e);
}
