/**
 * A network bound to an engine's kernels (kernels.ts): parameters laid out once in the engine's
 * memory in the forms the kernels need, working memory for IBP passes of maxBatch examples, and
 * the IBP pass itself. Shared by every engine — the reference and the WebAssembly engine differ
 * only in their kernels — and used by the CROWN drivers (crown/), which read `steps`, `layouts`
 * and run `propagate` on their own level buffers.
 *
 * Parameter forms per step (all float64, channels-last, see layout.ts):
 *   dense  wt [in, out] (forward), absWt = |wt|, w [out, in] (backward), bias [out]
 *   conv   wt [kH·kW·Ci, Co] (forward, rows tap-major / channel-minor), absWt, wperm [Co, kH·kW·Ci] (backward), bias [Co]
 *   affine scale, shift, |scale| broadcast to the full channels-last shape
 *   reshape index/inverse (i32) when the channels-last orders of the two levels differ
 */
import { MinmaxError } from '../errors.js';
import type { Network } from '../ir/network.js';
import { resolveMaxBatch, runIbp } from './ibp-driver.js';
import { BlockLayout, type Heap } from './heap.js';
import { fromChannelsLast, invertIndex, planLayouts, reshapeIndex, toChannelsLast, type LevelLayout } from './layout.js';
import { assertFiniteParam, broadcastParam, planIntervalNetwork, replan, type IntervalPlan, type IntervalStep } from './plan.js';
import type { IbpOptions, IbpResult, PreparedIntervalNetwork, PrepareOptions } from './types.js';

const F64 = 8;

export interface DenseMemory {
  readonly op: 'dense';
  readonly wt: number;
  readonly absWt: number;
  readonly w: number;
  readonly bias: number;
}
export interface ConvMemory {
  readonly op: 'conv';
  readonly wt: number;
  readonly absWt: number;
  readonly wperm: number;
  readonly bias: number;
}
export interface AffineMemory {
  readonly op: 'affine';
  readonly scale: number;
  readonly shift: number;
  readonly absScale: number;
}
export interface ReshapeMemory {
  readonly op: 'reshape';
  /** Gather index out[i] = in[index[i]] (0: identity). */
  readonly index: number;
  /** Inverse index, for the backward pass (0: identity). */
  readonly inverse: number;
}
export type StepMemory = DenseMemory | ConvMemory | AffineMemory | ReshapeMemory;

/** Terms of each dot product of a step's forward pass (its error bounds scale with it). */
export function forwardTerms(step: IntervalStep): number {
  if (step.op === 'dense') return step.inSize;
  if (step.op === 'conv') return step.geometry.inC * step.geometry.kH * step.geometry.kW;
  return 1;
}

/** Terms of each dot product carrying a multiplier back through a step (transposed product). */
export function backwardTerms(step: IntervalStep): number {
  if (step.op === 'dense') return step.outSize;
  if (step.op === 'conv') return step.geometry.outC * step.geometry.kH * step.geometry.kW;
  if (step.op === 'avgpool') return step.geometry.kH * step.geometry.kW;
  return 1;
}

/** Scratch for im2col of one example (values). */
function colSize(plan: IntervalPlan): number {
  let col = 0;
  for (const s of plan.steps) {
    if (s.op === 'conv') col = Math.max(col, s.geometry.outH * s.geometry.outW * s.geometry.inC * s.geometry.kH * s.geometry.kW);
  }
  return col;
}

interface Work {
  /** Two ping-pong (lower, upper) pairs of maxBatch·maxSize values. */
  readonly pairs: readonly [readonly [number, number], readonly [number, number]];
  readonly c: number;
  readonly rt: number;
  readonly s: number;
  readonly p: number;
  readonly col: number;
}

export class PreparedNetwork implements PreparedIntervalNetwork {
  readonly layouts: readonly LevelLayout[];
  readonly steps: readonly (StepMemory | undefined)[];
  private readonly block: number;
  private readonly work: Work;
  private disposed = false;

  constructor(
    readonly heap: Heap,
    readonly network: Network,
    readonly plan: IntervalPlan,
    readonly maxBatch: number,
    private readonly onDispose: (p: PreparedNetwork) => void,
  ) {
    this.layouts = planLayouts(plan);
    const layout = new BlockLayout();
    const indices: (Int32Array | null)[] = [];
    const steps = plan.steps.map((s): StepMemory | undefined => {
      switch (s.op) {
        case 'dense':
        case 'conv': {
          const w = s.weight.data.length;
          const m = { wt: layout.reserve(w), absWt: layout.reserve(w), w: layout.reserve(w), bias: layout.reserve(s.bias.data.length) };
          return s.op === 'dense'
            ? { op: 'dense', wt: m.wt, absWt: m.absWt, w: m.w, bias: m.bias }
            : { op: 'conv', wt: m.wt, absWt: m.absWt, wperm: m.w, bias: m.bias };
        }
        case 'affine':
          return { op: 'affine', scale: layout.reserve(s.outSize), shift: layout.reserve(s.outSize), absScale: layout.reserve(s.outSize) };
        case 'reshape': {
          const index = reshapeIndex(this.layouts[s.layer]!, this.layouts[s.layer + 1]!);
          indices[s.layer] = index;
          if (!index) return { op: 'reshape', index: 0, inverse: 0 };
          return { op: 'reshape', index: layout.reserve(index.length, 4), inverse: layout.reserve(index.length, 4) };
        }
        default:
          return undefined;
      }
    });
    const act = maxBatch * plan.maxSize;
    const pairs = [
      [layout.reserve(act), layout.reserve(act)],
      [layout.reserve(act), layout.reserve(act)],
    ] as const;
    const work = { c: layout.reserve(act), rt: layout.reserve(act), s: layout.reserve(act), p: layout.reserve(act), col: layout.reserve(colSize(plan)) };
    this.block = heap.alloc(layout.bytes);
    const base = this.block;
    // Offsets are relative until here; after mapping, a reshape's index 0 means "identity".
    this.steps = steps.map((m, i) => {
      if (!m) return m;
      switch (m.op) {
        case 'dense':
          return { ...m, wt: base + m.wt, absWt: base + m.absWt, w: base + m.w, bias: base + m.bias };
        case 'conv':
          return { ...m, wt: base + m.wt, absWt: base + m.absWt, wperm: base + m.wperm, bias: base + m.bias };
        case 'affine':
          return { ...m, scale: base + m.scale, shift: base + m.shift, absScale: base + m.absScale };
        case 'reshape':
          return indices[i] ? { ...m, index: base + m.index, inverse: base + m.inverse } : m;
      }
    });
    this.work = {
      pairs: [
        [base + pairs[0][0], base + pairs[0][1]],
        [base + pairs[1][0], base + pairs[1][1]],
      ],
      c: base + work.c,
      rt: base + work.rt,
      s: base + work.s,
      p: base + work.p,
      col: base + work.col,
    };
    try {
      const i32 = heap.i32;
      plan.steps.forEach((_, i) => {
        const m = this.steps[i];
        const index = indices[i];
        if (m?.op === 'reshape' && index) {
          i32.set(index, m.index / 4);
          i32.set(invertIndex(index), m.inverse / 4);
        }
      });
      this.upload(plan);
    } catch (e) {
      heap.release(this.block);
      throw e;
    }
  }

  /** Copies the parameters of `plan` into this network's block in the kernels' forms. */
  private upload(plan: IntervalPlan): void {
    for (const s of plan.steps) {
      if (s.op === 'dense' || s.op === 'conv') {
        assertFiniteParam(s.weight, s.name);
        assertFiniteParam(s.bias, s.name);
      } else if (s.op === 'affine') {
        assertFiniteParam(s.scale, s.name);
        assertFiniteParam(s.shift, s.name);
      }
    }
    for (const s of plan.steps) {
      const m = this.steps[s.layer];
      if (!m) continue;
      if (s.op === 'dense' && m.op === 'dense') {
        const w = s.weight.data;
        const [out, inp] = [s.outSize, s.inSize];
        const wt = new Float64Array(w.length);
        for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) wt[i * out + o] = w[o * inp + i]!;
        this.store(m.wt, wt);
        this.store(m.absWt, wt.map(Math.abs));
        this.store(m.w, w);
        this.store(m.bias, s.bias.data);
      } else if (s.op === 'conv' && m.op === 'conv') {
        const g = s.geometry;
        const w = s.weight.data;
        const K = g.kH * g.kW * g.inC;
        const wt = new Float64Array(w.length);
        const wperm = new Float64Array(w.length);
        for (let co = 0; co < g.outC; co++) {
          for (let ci = 0; ci < g.inC; ci++) {
            for (let ky = 0; ky < g.kH; ky++) {
              for (let kx = 0; kx < g.kW; kx++) {
                const v = w[((co * g.inC + ci) * g.kH + ky) * g.kW + kx]!;
                const k = (ky * g.kW + kx) * g.inC + ci;
                wt[k * g.outC + co] = v;
                wperm[co * K + k] = v;
              }
            }
          }
        }
        this.store(m.wt, wt);
        this.store(m.absWt, wt.map(Math.abs));
        this.store(m.wperm, wperm);
        this.store(m.bias, s.bias.data);
      } else if (s.op === 'affine' && m.op === 'affine') {
        const layout = this.layouts[s.layer]!;
        const scale = new Float64Array(s.outSize);
        const shift = new Float64Array(s.outSize);
        toChannelsLast(layout, broadcastParam(s.scale, s.shape, s.name), scale, 0, 1);
        toChannelsLast(layout, broadcastParam(s.shift, s.shape, s.name), shift, 0, 1);
        this.store(m.scale, scale);
        this.store(m.shift, shift);
        this.store(m.absScale, scale.map(Math.abs));
      }
    }
  }

  private store(addr: number, values: ArrayLike<number>): void {
    this.heap.f64.set(values, addr / F64);
  }

  refreshParameters(): void {
    this.check();
    this.upload(replan(this.network, this.plan));
  }

  /**
   * Propagates interval bounds for `count` examples through steps [from, to): level i's bounds are
   * at (levelL[i], levelU[i]) (channels-last, count examples each), level `from` must be filled.
   * Levels may share buffers where the step works in place (relu, affine, identity reshape).
   */
  propagate(count: number, levelL: readonly number[], levelU: readonly number[], from = 0, to = this.plan.steps.length): void {
    const k = this.heap.k;
    const w = this.work;
    for (let i = from; i < to; i++) {
      const step = this.plan.steps[i]!;
      const inL = levelL[i]!;
      const inU = levelU[i]!;
      const outL = levelL[i + 1]!;
      const outU = levelU[i + 1]!;
      const m = this.steps[i];
      switch (step.op) {
        case 'dense': {
          const d = m as DenseMemory;
          const n = step.inSize;
          k.centerRadius(inL, inU, w.c, w.rt, count * n, n);
          k.gemm(w.c, d.wt, w.s, count, n, step.outSize);
          k.gemm(w.rt, d.absWt, w.p, count, n, step.outSize);
          k.finalizeLinear(w.s, w.p, d.bias, outL, outU, count, step.outSize, n);
          break;
        }
        case 'conv': {
          const c = m as ConvMemory;
          const g = step.geometry;
          const K = g.kH * g.kW * g.inC;
          const P = g.outH * g.outW;
          k.centerRadius(inL, inU, w.c, w.rt, count * step.inSize, K);
          for (let e = 0; e < count; e++) {
            const inOff = e * step.inSize * F64;
            const outOff = e * step.outSize * F64;
            k.im2col(w.c + inOff, w.col, 1, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW);
            k.gemm(w.col, c.wt, w.s + outOff, P, K, g.outC);
            k.im2col(w.rt + inOff, w.col, 1, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW);
            k.gemm(w.col, c.absWt, w.p + outOff, P, K, g.outC);
          }
          k.finalizeLinear(w.s, w.p, c.bias, outL, outU, count * P, g.outC, K);
          break;
        }
        case 'relu':
          k.relu(inL, inU, outL, outU, count * step.outSize);
          break;
        case 'affine': {
          const a = m as AffineMemory;
          k.affine(a.scale, a.shift, step.outSize, inL, inU, outL, outU, count);
          break;
        }
        case 'avgpool': {
          const g = step.geometry;
          k.avgpool(g.channels, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.countIncludePad ? 1 : 0, inL, inU, outL, outU, count);
          break;
        }
        case 'reshape': {
          const r = m as ReshapeMemory;
          if (r.index) {
            k.gather(inL, outL, r.index, step.outSize, count);
            k.gather(inU, outU, r.index, step.outSize, count);
          } else if (inL !== outL) {
            const f = this.heap.f64;
            f.copyWithin(outL / F64, inL / F64, inL / F64 + count * step.outSize);
            f.copyWithin(outU / F64, inU / F64, inU / F64 + count * step.outSize);
          }
          break;
        }
      }
    }
  }

  ibp(lower: Float64Array, upper: Float64Array, n: number, options?: IbpOptions): IbpResult {
    this.check();
    const steps = this.plan.steps;
    // Ping-pong assignment: steps that can run in place keep their input's buffer pair.
    const pair: number[] = [0];
    for (const s of steps) {
      const inPlace = s.op === 'relu' || s.op === 'affine' || (s.op === 'reshape' && !(this.steps[s.layer] as ReshapeMemory).index);
      pair.push(inPlace ? pair[pair.length - 1]! : 1 - pair[pair.length - 1]!);
    }
    const levelL = pair.map((p) => this.work.pairs[p]![0]);
    const levelU = pair.map((p) => this.work.pairs[p]![1]);
    return runIbp(this.plan, this.maxBatch, lower, upper, n, options, (inL, inU, count, want, emit) => {
      const f = this.heap.f64;
      const l0 = this.layouts[0]!;
      toChannelsLast(l0, inL, f, levelL[0]! / F64, count);
      toChannelsLast(l0, inU, f, levelU[0]! / F64, count);
      for (let i = 0; i < steps.length; i++) {
        this.propagate(count, levelL, levelU, i, i + 1);
        if (!want[i]) continue;
        const layout = this.layouts[i + 1]!;
        const len = count * layout.size;
        const outL = new Float64Array(len);
        const outU = new Float64Array(len);
        const g = this.heap.f64;
        fromChannelsLast(layout, g, levelL[i + 1]! / F64, outL, 0, count);
        fromChannelsLast(layout, g, levelU[i + 1]! / F64, outU, 0, count);
        emit(i, outL, outU);
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.heap.release(this.block);
    this.onDispose(this);
  }

  /** im2col scratch for one example of the largest convolution (free between passes). */
  get columnBuffer(): number {
    return this.work.col;
  }

  /** Throws when this network or its engine has been disposed. */
  check(): void {
    if (this.disposed) throw new MinmaxError('this prepared network has been disposed');
  }
}

/** Plans `net` and prepares it on `heap` (sizes working memory for options.maxBatch examples). */
export function prepareNetwork(heap: Heap, net: Network, options: PrepareOptions | undefined, onDispose: (p: PreparedNetwork) => void): PreparedNetwork {
  const plan = planIntervalNetwork(net);
  return new PreparedNetwork(heap, net, plan, resolveMaxBatch(plan, options), onDispose);
}
