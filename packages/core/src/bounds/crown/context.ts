/**
 * Per-example state of the linear-relaxation bounds (CROWN, α-CROWN, the Wong–Kolter dual), kept
 * in the engine's memory: sound interval bounds of every level (IBP, then tightened), and derived
 * per-step data the backward pass needs —
 *   q_i     ≥ |W_i|·max(|l|, |u|) of step i's input, at its output level (transport residual, backward.ts)
 *   tiny_i  ≥ n·2⁻¹⁰⁷⁴·Σ max(|l|, |u|) (underflow of the transported products)
 *   slopes  of every ReLU at its pre-activation bounds: upper slope u/(u − l), default lower slope.
 * The buffers are allocated once per context and reused for every example.
 */
import { MinmaxError } from '../../errors.js';
import { nextUp, soundUpper, UNDERFLOW } from '../float.js';
import { BlockLayout } from '../heap.js';
import { fromChannelsLast, toChannelsLast, type LevelLayout } from '../layout.js';
import { backwardTerms, forwardTerms, type AffineMemory, type ConvMemory, type DenseMemory, type PreparedNetwork } from '../prepared-network.js';
import type { IntervalBounds } from '../types.js';
import { lowerSlope, type SlopeChoice } from './relaxation.js';

const F64 = 8;

export class CrownContext {
  readonly layouts: readonly LevelLayout[];
  /** Level bounds (channels-last), levels 0..steps. */
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  /** Per step: residual weights at its output level (linear steps only). */
  private readonly q: readonly number[];
  private readonly tiny: number[];
  /** Steps whose q/tiny are out of date (their input level changed). */
  private readonly stale: boolean[];
  /** Per ReLU step: slopes at its pre-activation level. */
  readonly slopeUp: readonly number[];
  readonly slopeLow: readonly number[];
  private readonly scratch: { m: number; zero: number; dummy: number };
  private readonly block: number;
  private disposed = false;
  slopeChoice: SlopeChoice = 'adaptive';

  constructor(readonly prepared: PreparedNetwork) {
    prepared.check();
    const { plan } = prepared;
    this.layouts = prepared.layouts;
    const layout = new BlockLayout();
    const lower = this.layouts.map((l) => layout.reserve(l.size));
    const upper = this.layouts.map((l) => layout.reserve(l.size));
    const linear = (op: string): boolean => op === 'dense' || op === 'conv' || op === 'affine' || op === 'avgpool';
    const q = plan.steps.map((s) => (linear(s.op) ? layout.reserve(s.outSize) : -1));
    const slopeUp = plan.steps.map((s) => (s.op === 'relu' ? layout.reserve(s.inSize) : -1));
    const slopeLow = plan.steps.map((s) => (s.op === 'relu' ? layout.reserve(s.inSize) : -1));
    const scratch = { m: layout.reserve(plan.maxSize), zero: layout.reserve(plan.maxSize), dummy: layout.reserve(plan.maxSize) };
    this.block = prepared.heap.alloc(layout.bytes);
    const base = this.block;
    const abs = (a: number): number => (a < 0 ? 0 : base + a);
    this.lower = lower.map(abs);
    this.upper = upper.map(abs);
    this.q = q.map(abs);
    this.slopeUp = slopeUp.map(abs);
    this.slopeLow = slopeLow.map(abs);
    this.scratch = { m: base + scratch.m, zero: base + scratch.zero, dummy: base + scratch.dummy };
    this.tiny = plan.steps.map(() => 0);
    this.stale = plan.steps.map(() => true);
    prepared.heap.f64.fill(0, this.scratch.zero / F64, this.scratch.zero / F64 + plan.maxSize);
  }

  get heap() {
    return this.prepared.heap;
  }

  get steps() {
    return this.prepared.plan.steps;
  }

  /** Loads one example's input box (C order) and computes IBP bounds of every level. */
  setInput(lower: ArrayLike<number>, upper: ArrayLike<number>): void {
    this.check();
    const f = this.heap.f64;
    toChannelsLast(this.layouts[0]!, lower, f, this.lower[0]! / F64, 1);
    toChannelsLast(this.layouts[0]!, upper, f, this.upper[0]! / F64, 1);
    this.repropagate(0);
  }

  /**
   * Replaces level `level`'s bounds (C order) and recomputes the levels above by IBP. Used to
   * start from bounds computed elsewhere: a batched IBP pass, or given intermediate bounds.
   */
  setLevel(level: number, lower: ArrayLike<number>, upper: ArrayLike<number>): void {
    this.check();
    const f = this.heap.f64;
    toChannelsLast(this.layouts[level]!, lower, f, this.lower[level]! / F64, 1);
    toChannelsLast(this.layouts[level]!, upper, f, this.upper[level]! / F64, 1);
    this.repropagate(level);
  }

  /**
   * Recomputes IBP bounds of the levels above `level` from its (tightened) bounds. IBP is
   * monotone in its input box, so the new bounds are sound and at least as tight as before.
   */
  repropagate(level: number): void {
    this.prepared.propagate(1, this.lower, this.upper, level, this.steps.length);
    for (let i = level; i < this.steps.length; i++) this.stale[i] = true;
    this.updateSlopes(level);
  }

  /** Tightens level `level` to the intersection with [lower, upper] (channels-last), then re-propagates. */
  intersect(level: number, lower: Float64Array, upper: Float64Array): void {
    const f = this.heap.f64;
    const L = this.lower[level]! / F64;
    const U = this.upper[level]! / F64;
    for (let i = 0; i < lower.length; i++) {
      if (lower[i]! > f[L + i]!) f[L + i] = lower[i]!;
      if (upper[i]! < f[U + i]!) f[U + i] = upper[i]!;
    }
    this.repropagate(level);
  }

  /** Slopes of the ReLUs whose pre-activation level is ≥ `from`. */
  private updateSlopes(from: number): void {
    const f = this.heap.f64;
    for (const s of this.steps) {
      if (s.op !== 'relu' || s.layer < from) continue;
      const L = this.lower[s.layer]! / F64;
      const U = this.upper[s.layer]! / F64;
      const up = this.slopeUp[s.layer]! / F64;
      const low = this.slopeLow[s.layer]! / F64;
      for (let i = 0; i < s.inSize; i++) {
        const l = f[L + i]!;
        const u = f[U + i]!;
        if (l < 0 && u > 0) {
          // Any slope gives a sound bound (the triangle terms are evaluated exactly); this one is the tight upper line.
          const s = u / (u - l);
          f[up + i] = s;
          f[low + i] = lowerSlope(this.slopeChoice, l, u, s);
        } else {
          f[up + i] = 0;
          f[low + i] = 0;
        }
      }
    }
  }

  /** Re-derives the default lower slopes after `slopeChoice` changed. */
  setSlopeChoice(choice: SlopeChoice): void {
    this.slopeChoice = choice;
    this.updateSlopes(0);
  }

  /** q and tiny of linear step i (computed on first use after its input level changed). */
  residual(i: number): { q: number; tiny: number } {
    if (this.stale[i]) this.computeResidual(i);
    return { q: this.q[i]!, tiny: this.tiny[i]! };
  }

  private computeResidual(i: number): void {
    const step = this.steps[i]!;
    const k = this.heap.k;
    const m = this.scratch.m;
    const q = this.q[i]!;
    k.maxAbs(this.lower[i]!, this.upper[i]!, m, step.inSize);
    const mem = this.prepared.steps[i];
    switch (step.op) {
      case 'dense': {
        const d = mem as DenseMemory;
        k.gemm(m, d.absWt, q, 1, step.inSize, step.outSize);
        k.roundUpSums(q, step.outSize, forwardTerms(step));
        break;
      }
      case 'conv': {
        const c = mem as ConvMemory;
        const g = step.geometry;
        const K = g.kH * g.kW * g.inC;
        // The prepared network's column buffer is free between IBP passes.
        const col = this.prepared.columnBuffer;
        k.im2col(m, col, 1, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW);
        k.gemm(col, c.absWt, q, g.outH * g.outW, K, g.outC);
        k.roundUpSums(q, step.outSize, K);
        break;
      }
      case 'affine': {
        const a = mem as AffineMemory;
        k.affine(a.absScale, this.scratch.zero, step.outSize, m, m, this.scratch.dummy, q, 1);
        break;
      }
      case 'avgpool': {
        const g = step.geometry;
        k.avgpool(g.channels, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.countIncludePad ? 1 : 0, m, m, this.scratch.dummy, q, 1);
        break;
      }
      default:
        throw new MinmaxError(`internal: step ${i} (${step.op}) has no residual`);
    }
    // Σ max(|l|, |u|) of the input level bounds the underflow of the transported products.
    const f = this.heap.f64;
    let sum = 0;
    for (let j = 0; j < step.inSize; j++) sum += f[m / F64 + j]!;
    const sumUp = soundUpper(sum, sum, step.inSize);
    // At least UNDERFLOW (normal), so the kernels never add a subnormal.
    this.tiny[i] = Math.max(UNDERFLOW, nextUp(nextUp(backwardTerms(step) * sumUp) * Number.MIN_VALUE));
    this.stale[i] = false;
  }

  /** Bounds of level `level` in C order. */
  levelBounds(level: number): IntervalBounds {
    const layout = this.layouts[level]!;
    const lower = new Float64Array(layout.size);
    const upper = new Float64Array(layout.size);
    const f = this.heap.f64;
    fromChannelsLast(layout, f, this.lower[level]! / F64, lower, 0, 1);
    fromChannelsLast(layout, f, this.upper[level]! / F64, upper, 0, 1);
    return { lower, upper, n: 1, shape: layout.shape.slice() };
  }

  /** Channels-last copies of level `level`'s bounds. */
  levelBoundsChannelsLast(level: number): { lower: Float64Array; upper: Float64Array } {
    const size = this.layouts[level]!.size;
    const f = this.heap.f64;
    return {
      lower: f.slice(this.lower[level]! / F64, this.lower[level]! / F64 + size),
      upper: f.slice(this.upper[level]! / F64, this.upper[level]! / F64 + size),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.heap.release(this.block);
  }

  check(): void {
    if (this.disposed) throw new MinmaxError('this bound context has been disposed');
    this.prepared.check();
  }
}
