/**
 * α-CROWN (Xu et al., ICLR 2021): the lower slopes α ∈ [0, 1] of the unstable ReLUs, one per
 * specification row and neuron, optimised by projected gradient ascent (Adam) on the bound, with
 * the intermediate bounds fixed (those CROWN computed). Every iterate's bound is itself sound (it
 * is a backward pass with some admissible slopes), so the best bound seen per row is reported; the
 * first iterate uses CROWN's slopes, hence α-CROWN is never worse than CROWN.
 *
 * Gradient, analytically (reverse mode through the backward pass). With x* the corner of the box
 * minimising the final a₀·x, the bound is affine in the multiplier of every level along the pass,
 * and its adjoint at a level is the value at that level of the point x* pushed FORWARD through the
 * relaxed network: linear layers as they are (with bias), each unstable ReLU replaced by the line
 * the pass used for that row — α·ẑ where the multiplier arriving at it (â) was ≥ 0, s·(ẑ − l)
 * where it was < 0. Hence ∂bound/∂α_i = â_i·ẑ*_i for unstable neurons with â_i ≥ 0 (0 otherwise),
 * where ẑ* is that forward pass at the ReLU's input: one forward pass per row and iteration
 * (kernels `selectCorner` and `reluForward`). The sign pattern of â and the corner x* are locally
 * constant, so this is the exact gradient wherever the bound is differentiable in α.
 */
import type { ProgressCallback } from '../../progress.js';
import { BlockLayout } from '../heap.js';
import type { AffineMemory, ConvMemory, DenseMemory, ReshapeMemory } from '../prepared-network.js';
import { backward, BackwardWorkspace, clearAcc, readAcc } from './backward.js';
import type { CrownContext } from './context.js';
import { writeDenseRows } from './rows.js';

const F64 = 8;

export interface AlphaOptions {
  /** Gradient iterations (backward + forward pass each). Default 20. */
  readonly iterations?: number;
  /** Adam step size on α. Default 0.1. */
  readonly lr?: number;
  /** One event per iteration ('alpha-crown', info: the smallest row bound so far). */
  readonly onProgress?: ProgressCallback;
}

export interface AlphaResult {
  /** Best bound per row over all iterates (the first is CROWN's). */
  readonly lower: Float64Array;
  /** Bound per row at each iterate (for tests and diagnostics). */
  readonly history: Float64Array[];
}

interface ReluBuffers {
  readonly layer: number;
  readonly size: number;
  readonly alpha: number;
  readonly hat: number;
  readonly grad: number;
}

/**
 * The bound of `rows` specification rows as a function of per-row lower slopes, with its gradient:
 * the objective α-CROWN ascends. Holds the slopes, the saved multipliers and the gradients in the
 * engine's memory; release() frees them.
 */
export class AlphaProblem {
  /** ReLU steps (their slopes are optimised), in order. */
  readonly relus: readonly ReluBuffers[];
  private readonly ws: BackwardWorkspace;
  private readonly block: number;
  private readonly z: readonly [number, number, number];
  private readonly spec: Float64Array;

  constructor(
    readonly ctx: CrownContext,
    spec: Float64Array,
    readonly rows: number,
  ) {
    ctx.check();
    const S = ctx.steps.length;
    const out = ctx.layouts[S]!;
    this.spec = spec;
    this.ws = new BackwardWorkspace(ctx, rows, S, out.H, out.W, 0);
    const layout = new BlockLayout();
    const maxSize = ctx.prepared.plan.maxSize;
    const rel = ctx.steps
      .filter((s) => s.op === 'relu')
      .map((s) => ({ layer: s.layer, size: s.inSize, alpha: layout.reserve(rows * s.inSize), hat: layout.reserve(rows * s.inSize), grad: layout.reserve(rows * s.inSize) }));
    const zs = [layout.reserve(rows * maxSize), layout.reserve(rows * maxSize), layout.reserve(rows * maxSize)];
    try {
      this.block = ctx.heap.alloc(layout.bytes);
    } catch (e) {
      this.ws.release();
      throw e;
    }
    const b = this.block;
    this.relus = rel.map((r) => ({ layer: r.layer, size: r.size, alpha: b + r.alpha, hat: b + r.hat, grad: b + r.grad }));
    this.z = zs.map((z) => b + z) as [number, number, number];
    const f = ctx.heap.f64;
    for (const r of this.relus) {
      const src = ctx.slopeLow[r.layer]! / F64;
      for (let row = 0; row < rows; row++) f.copyWithin(r.alpha / F64 + row * r.size, src, src + r.size);
    }
  }

  /** Copies of the current slopes, one array [rows, size] per ReLU (channels-last). */
  getAlpha(): Float64Array[] {
    const f = this.ctx.heap.f64;
    return this.relus.map((r) => f.slice(r.alpha / F64, r.alpha / F64 + this.rows * r.size));
  }

  setAlpha(values: readonly Float64Array[]): void {
    const f = this.ctx.heap.f64;
    this.relus.forEach((r, i) => f.set(values[i]!, r.alpha / F64));
  }

  /**
   * The sound bound of every row at the current slopes; with `gradient`, also ∂bound/∂α into the
   * grad buffers (read them with getGradient()).
   */
  evaluate(gradient: boolean): Float64Array {
    const { ctx, rows, ws } = this;
    const alphaBy: (number | undefined)[] = [];
    const hatBy: (number | undefined)[] = [];
    for (const r of this.relus) {
      alphaBy[r.layer] = r.alpha;
      hatBy[r.layer] = r.hat;
    }
    const out = ctx.layouts[ctx.steps.length]!;
    writeDenseRows(ws, rows, this.spec, out.size);
    clearAcc(ws, rows);
    const res = backward(ws, rows, { alpha: alphaBy, hats: hatBy });
    const bound = readAcc(ws, rows);
    if (gradient && this.relus.length > 0) this.forwardSweep(res.data);
    return bound;
  }

  getGradient(): Float64Array[] {
    const f = this.ctx.heap.f64;
    return this.relus.map((r) => f.slice(r.grad / F64, r.grad / F64 + this.rows * r.size));
  }

  /** Pushes each row's minimising input corner forward through its relaxed network (module comment). */
  private forwardSweep(inputHat: number): void {
    const { ctx, rows } = this;
    const k = ctx.heap.k;
    const steps = ctx.steps;
    let [cur, nxt] = [this.z[0], this.z[1]];
    const scratch = this.z[2];
    k.selectCorner(inputHat, ctx.lower[0]!, ctx.upper[0]!, cur, rows, ctx.layouts[0]!.size);
    const lastRelu = this.relus[this.relus.length - 1]!.layer;
    for (let i = 0; i <= lastRelu; i++) {
      const step = steps[i]!;
      const mem = ctx.prepared.steps[i];
      switch (step.op) {
        case 'dense': {
          const d = mem as DenseMemory;
          k.gemm(cur, d.wt, nxt, rows, step.inSize, step.outSize);
          k.addBias(nxt, d.bias, rows, step.outSize);
          [cur, nxt] = [nxt, cur];
          break;
        }
        case 'conv': {
          const c = mem as ConvMemory;
          const g = step.geometry;
          const K = g.kH * g.kW * g.inC;
          const col = ctx.prepared.columnBuffer;
          for (let r = 0; r < rows; r++) {
            k.im2col(cur + r * step.inSize * F64, col, 1, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW);
            k.gemm(col, c.wt, nxt + r * step.outSize * F64, g.outH * g.outW, K, g.outC);
          }
          k.addBias(nxt, c.bias, rows * g.outH * g.outW, g.outC);
          [cur, nxt] = [nxt, cur];
          break;
        }
        case 'affine': {
          const a = mem as AffineMemory;
          k.affine(a.scale, a.shift, step.outSize, cur, cur, cur, scratch, rows);
          break;
        }
        case 'avgpool': {
          const g = step.geometry;
          k.avgpool(g.channels, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.countIncludePad ? 1 : 0, cur, cur, nxt, scratch, rows);
          [cur, nxt] = [nxt, cur];
          break;
        }
        case 'reshape': {
          const m = mem as ReshapeMemory;
          if (m.index) {
            k.gather(cur, nxt, m.index, step.outSize, rows);
            [cur, nxt] = [nxt, cur];
          }
          break;
        }
        case 'relu': {
          const b = this.relus.find((x) => x.layer === i);
          if (b) k.reluForward(cur, rows, step.inSize, ctx.lower[i]!, ctx.upper[i]!, ctx.slopeUp[i]!, b.alpha, b.hat, b.grad);
          else k.relu(cur, cur, cur, scratch, rows * step.inSize);
          break;
        }
      }
    }
  }

  release(): void {
    this.ws.release();
    this.ctx.heap.release(this.block);
  }
}

/**
 * Optimises the lower slopes for `rows` specification rows (channels-last at the output level,
 * [rows, outSize]) of the context's current example.
 */
export function alphaCrown(ctx: CrownContext, spec: Float64Array, rows: number, options: AlphaOptions = {}): AlphaResult {
  const iterations = Math.max(1, options.iterations ?? 20);
  const lr = options.lr ?? 0.1;
  const problem = new AlphaProblem(ctx, spec, rows);
  const best = new Float64Array(rows).fill(-Infinity);
  const history: Float64Array[] = [];
  const moments = problem.relus.map((r) => ({ m: new Float64Array(rows * r.size), v: new Float64Array(rows * r.size) }));
  try {
    for (let t = 0; t < iterations; t++) {
      const last = t === iterations - 1;
      const bound = problem.evaluate(!last);
      history.push(bound);
      for (let r = 0; r < rows; r++) if (bound[r]! > best[r]!) best[r] = bound[r]!;
      options.onProgress?.({ task: 'alpha-crown', done: t + 1, total: iterations, unit: 'steps', info: { bound: Math.min(...best) } });
      if (last || problem.relus.length === 0) break;
      adamStep(problem, moments, t + 1, lr);
    }
  } finally {
    problem.release();
  }
  return { lower: best, history };
}

/** One Adam ascent step on every α, projected onto [0, 1]. */
function adamStep(problem: AlphaProblem, moments: readonly { m: Float64Array; v: Float64Array }[], t: number, lr: number): void {
  const b1 = 0.9;
  const b2 = 0.999;
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  const f = problem.ctx.heap.f64;
  problem.relus.forEach((b, j) => {
    const { m, v } = moments[j]!;
    const A = b.alpha / F64;
    const G = b.grad / F64;
    for (let i = 0; i < m.length; i++) {
      const g = f[G + i]!;
      if (g === 0 && m[i] === 0) continue;
      const mi = (m[i] = b1 * m[i]! + (1 - b1) * g);
      const vi = (v[i] = b2 * v[i]! + (1 - b2) * g * g);
      const a = f[A + i]! + (lr * (mi / c1)) / (Math.sqrt(vi / c2) + 1e-12);
      f[A + i] = a < 0 ? 0 : a > 1 ? 1 : a;
    }
  });
}
