/**
 * The backward pass of the linear-relaxation bounds (CROWN / the Wong–Kolter dual network) for a
 * block of rows, each a linear objective a·z at some level, evaluated as a sound lower bound of
 * min a·z over the input box.
 *
 * Why the result is sound although the pass rounds to nearest. For a linear step y = W x + b the
 * multiplier a at y becomes â = fl(Wᵀa) at x; exactly, a·y = â·x + a·b + (Wᵀa − â)·x, and
 * |Wᵀa − â| ≤ γₙ·|W|ᵀ|a| (+ underflow) entrywise for the n-term products, so with
 * M = max(|l_x|, |u_x|) from the sound interval bounds of x,
 *     a·y ≥ â·x + a·b − γₙ·|a|·(|W|M) − tiny.                                   (linearTerms)
 * At a ReLU with pre-activation bounds l < 0 < u the pass replaces the multiplier â of z by any a′
 * of ẑ (slope·â); exactly, â·z = a′·ẑ + (â·z − a′·ẑ), and the bracket is at least its minimum over
 * the triangle containing the ReLU graph, attained at a vertex.                          (reluBackward)
 * At the last level the remaining a·x is at least its minimum over the box.              (boxTerm)
 * Every term is evaluated with outward rounding and summed rounding down, so the row's total is a
 * lower bound of a·z for every point of the input box — it is the Lagrangian dual value of the LP
 * relaxation at the multipliers the pass produced, whatever rounding produced them. (Stable
 * neurons contribute exactly 0, independent of their bounds.) Details: packages/bounds-wasm/README.md.
 */
import { MinmaxError } from '../../errors.js';
import { backwardExtent, backwardOrigin } from '../layout.js';
import { backwardTerms, type AffineMemory, type ConvMemory, type DenseMemory, type ReshapeMemory } from '../prepared-network.js';
import type { CrownContext } from './context.js';

const F64 = 8;

/** Patch extent of a row block at every level between `start` and `stop` (stop ≤ start). */
interface Path {
  /** Largest row length (values) over the visited levels. */
  readonly maxRow: number;
  /** Largest im2col-like product buffer per row (values). */
  readonly maxZ: number;
}

function simulate(ctx: CrownContext, start: number, ph: number, pw: number, stop: number): Path {
  const L = ctx.layouts;
  let maxRow = ph * pw * L[start]!.C;
  let maxZ = 0;
  for (let i = start - 1; i >= stop; i--) {
    const step = ctx.steps[i]!;
    const out = L[i + 1]!;
    const inp = L[i]!;
    switch (step.op) {
      case 'conv': {
        const g = step.geometry;
        maxZ = Math.max(maxZ, ph * pw * g.kH * g.kW * g.inC);
        ph = backwardExtent(ph, g.strideH, g.kH, g.dilationH, g.inH);
        pw = backwardExtent(pw, g.strideW, g.kW, g.dilationW, g.inW);
        break;
      }
      case 'avgpool': {
        const g = step.geometry;
        ph = backwardExtent(ph, g.strideH, g.kH, 1, g.inH);
        pw = backwardExtent(pw, g.strideW, g.kW, 1, g.inW);
        break;
      }
      case 'dense':
        ph = 1;
        pw = 1;
        break;
      case 'reshape':
        maxRow = Math.max(maxRow, out.size);
        ph = inp.H;
        pw = inp.W;
        break;
      default:
        break;
    }
    maxRow = Math.max(maxRow, ph * pw * inp.C);
  }
  return { maxRow, maxZ };
}

/** Bytes one row of a backward pass from `start` (ph×pw patches) to `stop` needs. */
export function bytesPerRow(ctx: CrownContext, start: number, ph: number, pw: number, stop: number): number {
  const path = simulate(ctx, start, ph, pw, stop);
  return (2 * (Math.ceil(path.maxRow / 2) * 2) + Math.ceil(path.maxZ / 2) * 2 + 1) * F64 + 16;
}

/** Memory for backward passes of up to `rows` rows (reusable, e.g. across α-CROWN iterations). */
export class BackwardWorkspace {
  readonly a: readonly [number, number];
  readonly origins: readonly [number, number];
  readonly z: number;
  readonly acc: number;
  private readonly block: number;

  constructor(
    readonly ctx: CrownContext,
    readonly rows: number,
    readonly start: number,
    readonly ph: number,
    readonly pw: number,
    readonly stop: number,
  ) {
    const path = simulate(ctx, start, ph, pw, stop);
    const row = Math.ceil(path.maxRow / 2) * 2;
    const z = Math.ceil(path.maxZ / 2) * 2;
    const bytes = (2 * rows * row + rows * z + rows + 2) * F64 + 2 * (rows * 2 * 4 + 16);
    this.block = ctx.heap.alloc(bytes);
    const b = this.block;
    const a0 = b;
    const a1 = a0 + rows * row * F64;
    const zz = a1 + rows * row * F64;
    const acc = zz + rows * z * F64;
    const o0 = acc + Math.ceil((rows * F64) / 16) * 16;
    const o1 = o0 + Math.ceil((rows * 8) / 16) * 16;
    this.a = [a0, a1];
    this.z = zz;
    this.acc = acc;
    this.origins = [o0, o1];
  }

  release(): void {
    this.ctx.heap.release(this.block);
  }
}

export interface BackwardOptions {
  /** Per ReLU step (by layer index): address of per-row lower slopes [rows, size] (full rows only). */
  readonly alpha?: readonly (number | undefined)[];
  /** Per ReLU step: where to save the multipliers arriving at the ReLU's output [rows, size] (full rows only). */
  readonly hats?: readonly (number | undefined)[];
}

/** Where the rows ended: the buffer holding the multipliers at the stop level (full or patch). */
export interface BackwardResult {
  readonly data: number;
  readonly origins: number;
  readonly ph: number;
  readonly pw: number;
}

/**
 * Runs the backward pass of the first `rows` rows of `ws` (initial multipliers in ws.a[0] with
 * origins ws.origins[0], patches ws.ph × ws.pw at level ws.start) down to level ws.stop, adding
 * every sound term to ws.acc (which the caller initialises), and finally the box term with the
 * bounds of level ws.stop.
 */
export function backward(ws: BackwardWorkspace, rows: number, options: BackwardOptions = {}): BackwardResult {
  const { ctx } = ws;
  ctx.check();
  if (rows > ws.rows) throw new MinmaxError(`internal: ${rows} rows exceed the workspace's ${ws.rows}`);
  const k = ctx.heap.k;
  const L = ctx.layouts;
  let cur = 0;
  let org = 0;
  let ph = ws.ph;
  let pw = ws.pw;
  const zeroOrigins = (which: number): void => {
    const i32 = ctx.heap.i32;
    i32.fill(0, ws.origins[which]! / 4, ws.origins[which]! / 4 + 2 * rows);
  };
  for (let i = ws.start - 1; i >= ws.stop; i--) {
    const step = ctx.steps[i]!;
    const out = L[i + 1]!;
    const inp = L[i]!;
    const A = ws.a[cur]!;
    const O = ws.origins[org]!;
    switch (step.op) {
      case 'relu':
        k.reluBackward(
          A, rows, ph, pw, out.C, O, out.W, ctx.lower[i]!, ctx.upper[i]!, ctx.slopeUp[i]!,
          options.alpha?.[i] ?? ctx.slopeLow[i]!, options.alpha?.[i] ? 1 : 0, ws.acc, options.hats?.[i] ?? 0,
        );
        break;
      case 'dense': {
        const m = ctx.prepared.steps[i] as DenseMemory;
        const { q, tiny } = ctx.residual(i);
        k.linearTerms(A, rows, 1, 1, out.C, O, 1, m.bias, 0, q, backwardTerms(step), tiny, ws.acc);
        k.gemm(A, m.w, ws.a[1 - cur]!, rows, step.outSize, step.inSize);
        cur = 1 - cur;
        ph = inp.H;
        pw = inp.W;
        org = 1 - org;
        zeroOrigins(org);
        break;
      }
      case 'conv': {
        const m = ctx.prepared.steps[i] as ConvMemory;
        const g = step.geometry;
        const { q, tiny } = ctx.residual(i);
        k.linearTerms(A, rows, ph, pw, g.outC, O, g.outW, m.bias, 0, q, backwardTerms(step), tiny, ws.acc);
        const nph = backwardExtent(ph, g.strideH, g.kH, g.dilationH, g.inH);
        const npw = backwardExtent(pw, g.strideW, g.kW, g.dilationW, g.inW);
        const NO = ws.origins[1 - org]!;
        setOrigins(ctx, O, NO, rows, (y) => backwardOrigin(y, g.strideH, g.padTop, nph, g.inH), (x) => backwardOrigin(x, g.strideW, g.padLeft, npw, g.inW));
        const K = g.kH * g.kW * g.inC;
        k.gemm(A, m.wperm, ws.z, rows * ph * pw, g.outC, K);
        k.col2im(ws.z, ws.a[1 - cur]!, rows, ph, pw, O, nph, npw, NO, g.inH, g.inW, g.inC, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW);
        cur = 1 - cur;
        org = 1 - org;
        ph = nph;
        pw = npw;
        break;
      }
      case 'affine': {
        const m = ctx.prepared.steps[i] as AffineMemory;
        const { q, tiny } = ctx.residual(i);
        k.linearTerms(A, rows, ph, pw, out.C, O, out.W, m.shift, 1, q, 1, tiny, ws.acc);
        k.scaleRows(A, rows, ph, pw, out.C, O, out.W, m.scale);
        break;
      }
      case 'avgpool': {
        const g = step.geometry;
        const { q, tiny } = ctx.residual(i);
        k.linearTerms(A, rows, ph, pw, g.channels, O, g.outW, 0, 0, q, backwardTerms(step), tiny, ws.acc);
        const nph = backwardExtent(ph, g.strideH, g.kH, 1, g.inH);
        const npw = backwardExtent(pw, g.strideW, g.kW, 1, g.inW);
        const NO = ws.origins[1 - org]!;
        setOrigins(ctx, O, NO, rows, (y) => backwardOrigin(y, g.strideH, g.padTop, nph, g.inH), (x) => backwardOrigin(x, g.strideW, g.padLeft, npw, g.inW));
        k.avgpoolBackward(A, ws.a[1 - cur]!, rows, ph, pw, O, nph, npw, NO, g.channels, g.inH, g.inW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.countIncludePad ? 1 : 0);
        cur = 1 - cur;
        org = 1 - org;
        ph = nph;
        pw = npw;
        break;
      }
      case 'reshape': {
        const m = ctx.prepared.steps[i] as ReshapeMemory;
        if (ph !== out.H || pw !== out.W) {
          k.patchToFull(A, ws.a[1 - cur]!, rows, ph, pw, out.C, O, out.H, out.W);
          cur = 1 - cur;
        }
        if (m.index) {
          k.gather(ws.a[cur]!, ws.a[1 - cur]!, m.inverse, inp.size, rows);
          cur = 1 - cur;
        }
        zeroOrigins(org);
        ph = inp.H;
        pw = inp.W;
        break;
      }
    }
  }
  const stop = L[ws.stop]!;
  k.boxTerm(ws.a[cur]!, rows, ph, pw, stop.C, ws.origins[org]!, stop.W, ctx.lower[ws.stop]!, ctx.upper[ws.stop]!, ws.acc);
  return { data: ws.a[cur]!, origins: ws.origins[org]!, ph, pw };
}

function setOrigins(ctx: CrownContext, from: number, to: number, rows: number, fy: (y: number) => number, fx: (x: number) => number): void {
  const i32 = ctx.heap.i32;
  const a = from / 4;
  const b = to / 4;
  for (let r = 0; r < rows; r++) {
    i32[b + 2 * r] = fy(i32[a + 2 * r]!);
    i32[b + 2 * r + 1] = fx(i32[a + 2 * r + 1]!);
  }
}

/** Sets ws.acc[0..rows) to 0. */
export function clearAcc(ws: BackwardWorkspace, rows: number): void {
  ws.ctx.heap.f64.fill(0, ws.acc / F64, ws.acc / F64 + rows);
}

/** Reads ws.acc[0..rows). */
export function readAcc(ws: BackwardWorkspace, rows: number): Float64Array {
  return ws.ctx.heap.f64.slice(ws.acc / F64, ws.acc / F64 + rows);
}
