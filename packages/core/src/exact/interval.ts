/**
 * Interval bounds through a ReluChain (the tutorial's `bound_propagation`: l' = A⁺l + A⁻u + b),
 * rounded outward with the dot-product error bound of bounds/float.ts, so every bound holds for
 * the real-arithmetic network. Known bounds of any layer (from CROWN or LP tightening) can be
 * passed in; each layer is intersected with them before propagating further.
 */
import { InvalidArgumentError } from '../errors.js';
import { dotErrorBound, nextDown, soundLower, soundUpper } from '../bounds/float.js';
import type { AffineSegment, ReluChain } from './relu-chain.js';

export interface NeuronBounds {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

export interface ChainBounds {
  /** The input box. */
  readonly input: NeuronBounds;
  /** Pre-activation bounds of each ReLU layer. */
  readonly preact: NeuronBounds[];
  /** Bounds of the network output. */
  readonly output: NeuronBounds;
}

/** Interval image of a box under an affine segment. */
export function affineInterval(seg: AffineSegment, l: Float64Array, u: Float64Array): NeuronBounds {
  const { starts, indices, values } = seg.map;
  const rows = seg.map.rows;
  const lower = new Float64Array(rows);
  const upper = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const b = seg.bias[r]!;
    let lo = b;
    let hi = b;
    let alo = Math.abs(b);
    let ahi = alo;
    const n = starts[r + 1]! - starts[r]!;
    for (let k = starts[r]!; k < starts[r + 1]!; k++) {
      const w = values[k]!;
      const c = indices[k]!;
      const tl = w > 0 ? w * l[c]! : w * u[c]!;
      const tu = w > 0 ? w * u[c]! : w * l[c]!;
      lo += tl;
      hi += tu;
      alo += Math.abs(tl);
      ahi += Math.abs(tu);
    }
    lower[r] = soundLower(lo, alo, n);
    upper[r] = soundUpper(hi, ahi, n);
  }
  return { lower, upper };
}

export function intersect(a: NeuronBounds, b: NeuronBounds | undefined): NeuronBounds {
  if (!b) return a;
  if (b.lower.length !== a.lower.length) throw new InvalidArgumentError(`bounds of ${b.lower.length} neurons given for a layer of ${a.lower.length}`);
  const lower = new Float64Array(a.lower.length);
  const upper = new Float64Array(a.lower.length);
  for (let j = 0; j < lower.length; j++) {
    lower[j] = Math.max(a.lower[j]!, b.lower[j]!);
    upper[j] = Math.min(a.upper[j]!, b.upper[j]!);
    // Two sound enclosures of the same set cannot be disjoint except by rounding at a point.
    if (lower[j]! > upper[j]!) lower[j] = upper[j] = Math.max(a.lower[j]!, b.lower[j]!);
  }
  return { lower, upper };
}

export const reluInterval = (b: NeuronBounds): NeuronBounds => ({
  lower: b.lower.map((v) => Math.max(v, 0)),
  upper: b.upper.map((v) => Math.max(v, 0)),
});

/**
 * Bounds of every ReLU layer's pre-activation and of the output over the box [lower, upper].
 * `known[k]`, when given, are sound bounds of layer k (intersected before moving on).
 */
export function chainInterval(chain: ReluChain, lower: Float64Array, upper: Float64Array, known: readonly (NeuronBounds | undefined)[] = []): ChainBounds {
  if (lower.length !== chain.inputSize || upper.length !== chain.inputSize) {
    throw new InvalidArgumentError(`input box has ${lower.length} values, the network takes ${chain.inputSize}`);
  }
  const preact: NeuronBounds[] = [];
  let act: NeuronBounds = { lower, upper };
  const last = chain.segments.length - 1;
  for (let k = 0; k < last; k++) {
    const pre = intersect(affineInterval(chain.segments[k]!, act.lower, act.upper), known[k]);
    preact.push(pre);
    act = reluInterval(pre);
  }
  return { input: { lower, upper }, preact, output: affineInterval(chain.segments[last]!, act.lower, act.upper) };
}

/**
 * A float ≤ min of cᵀy + offset over the last segment's input box (the post-ReLU bounds of the
 * last hidden layer): the tutorial's `interval_based_bound`, (cᵀA)⁺l̂ + (cᵀA)⁻û + cᵀb, rounded
 * outward. Tighter than combining the output intervals, since cᵀA is formed first.
 */
export function intervalSpecBound(chain: ReluChain, bounds: ChainBounds, c: ArrayLike<number>, offset = 0): number {
  const last = chain.segments.length - 1;
  const seg = chain.segments[last]!;
  const act = last === 0 ? bounds.input : reluInterval(bounds.preact[last - 1]!);
  const cols = seg.map.cols;
  // r = cᵀA with per-entry error bounds.
  const r = new Float64Array(cols);
  const ra = new Float64Array(cols);
  const rn = new Int32Array(cols);
  let cb = offset;
  let cba = Math.abs(offset);
  let terms = 1;
  for (let o = 0; o < seg.map.rows; o++) {
    const co = c[o]!;
    if (co === 0) continue;
    cb += co * seg.bias[o]!;
    cba += Math.abs(co * seg.bias[o]!);
    terms++;
    for (let k = seg.map.starts[o]!; k < seg.map.starts[o + 1]!; k++) {
      const j = seg.map.indices[k]!;
      const t = co * seg.map.values[k]!;
      r[j] = r[j]! + t;
      ra[j] = ra[j]! + Math.abs(t);
      rn[j]!++;
    }
  }
  let s = 0;
  let a = 0;
  let err = dotErrorBound(terms, cba);
  s += cb;
  a += Math.abs(cb);
  for (let j = 0; j < cols; j++) {
    if (rn[j] === 0) continue;
    const l = act.lower[j]!;
    const u = act.upper[j]!;
    const rj = r[j]!;
    const t = rj > 0 ? rj * l : rj < 0 ? rj * u : 0;
    // |r̂_j − r_j| ≤ e_j, so r_j·z ≥ r̂_j·z − e_j·|z| over the box.
    const ej = dotErrorBound(rn[j]!, ra[j]!);
    err += ej * Math.max(Math.abs(l), Math.abs(u));
    s += t;
    a += Math.abs(t);
  }
  if (!Number.isFinite(s) || !Number.isFinite(err)) return -Infinity;
  // The error sum and the subtraction round to nearest; the factor and nextDown cover both.
  return nextDown(s - (dotErrorBound(cols + 1, a) + err) * (1 + 2 ** -50));
}
