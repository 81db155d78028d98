/**
 * The WebAssembly IntervalEngine. Each engine owns one kernel instance and its linear memory; each
 * prepared network owns one block of it, laid out once at prepare time:
 *   per step: weights/bias (dense, conv) or broadcast scale/shift (affine), as f64;
 *   activations: two ping-pong pairs (lower, upper) of maxBatch·maxSize f64;
 *   im2col scratch: two buffers of the largest conv's outH·outW·inC·kH·kW f64.
 * ibp() then only copies the input in and the requested bounds out; it never allocates.
 */
import {
  assertFiniteParam,
  broadcastParam,
  MinmaxError,
  PreparedCache,
  planIntervalNetwork,
  replan,
  resolveMaxBatch,
  runIbp,
  validateBox,
  validateLinearMap,
  type IbpOptions,
  type IbpResult,
  type IntervalBounds,
  type IntervalEngine,
  type IntervalPlan,
  type LinearMap,
  type Network,
  type PreparedIntervalNetwork,
  type PrepareOptions,
} from '@minmax/core';
import { WasmArena, type ArenaStats } from './arena.js';
import { compileKernels, compileKernelsAsync, instantiateKernels, type BoundsKernels, type WasmSource } from './module.js';

const F64 = 8;
const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Byte addresses of a step's two parameter arrays (weight/bias or scale/shift). */
interface StepMemory {
  a: number;
  b: number;
}

/** Memory shared by an engine and the networks it prepared. */
class Heap {
  readonly arena: WasmArena;
  private view: Float64Array;

  constructor(readonly k: BoundsKernels) {
    this.arena = new WasmArena(k.memory, k.heapBase());
    this.view = new Float64Array(k.memory.buffer);
  }

  /** A float64 view of the whole memory (re-made after growth detached the old buffer). */
  get f64(): Float64Array {
    if (this.view.buffer !== this.k.memory.buffer) this.view = new Float64Array(this.k.memory.buffer);
    return this.view;
  }
}

class WasmPreparedNetwork implements PreparedIntervalNetwork {
  private readonly block: number;
  private readonly steps: (StepMemory | undefined)[];
  private readonly act: [number, number, number, number];
  private readonly colL: number;
  private readonly colU: number;
  private disposed = false;

  constructor(
    private readonly heap: Heap,
    readonly network: Network,
    readonly plan: IntervalPlan,
    readonly maxBatch: number,
    private readonly onDispose: (p: WasmPreparedNetwork) => void,
  ) {
    let offset = 0;
    const reserve = (values: number): number => {
      const at = offset;
      offset += align(values * F64);
      return at;
    };
    const steps = plan.steps.map((s): StepMemory | undefined => {
      switch (s.op) {
        case 'dense':
        case 'conv':
          return { a: reserve(s.weight.data.length), b: reserve(s.bias.data.length) };
        case 'affine':
          return { a: reserve(s.outSize), b: reserve(s.outSize) };
        default:
          return undefined;
      }
    });
    const actValues = maxBatch * plan.maxSize;
    const act = [reserve(actValues), reserve(actValues), reserve(actValues), reserve(actValues)];
    let col = 0;
    for (const s of plan.steps) {
      if (s.op === 'conv') col = Math.max(col, s.geometry.outH * s.geometry.outW * s.geometry.inC * s.geometry.kH * s.geometry.kW);
    }
    const colL = reserve(col);
    const colU = reserve(col);
    this.block = heap.arena.alloc(offset);
    const base = this.block;
    this.steps = steps.map((m) => m && { a: base + m.a, b: base + m.b });
    this.act = act.map((a) => base + a) as [number, number, number, number];
    this.colL = base + colL;
    this.colU = base + colU;
    try {
      this.upload(plan);
    } catch (e) {
      heap.arena.release(this.block);
      throw e;
    }
  }

  /** Copies the parameters of `plan` into this network's block (float32 → float64 is exact). */
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
    const f64 = this.heap.f64;
    for (const s of plan.steps) {
      const m = this.steps[s.layer];
      if (!m) continue;
      if (s.op === 'dense' || s.op === 'conv') {
        f64.set(s.weight.data, m.a / F64);
        f64.set(s.bias.data, m.b / F64);
      } else if (s.op === 'affine') {
        f64.set(broadcastParam(s.scale, s.shape, s.name), m.a / F64);
        f64.set(broadcastParam(s.shift, s.shape, s.name), m.b / F64);
      }
    }
  }

  refreshParameters(): void {
    this.check();
    this.upload(replan(this.network, this.plan));
  }

  ibp(lower: Float64Array, upper: Float64Array, n: number, options?: IbpOptions): IbpResult {
    this.check();
    const k = this.heap.k;
    return runIbp(this.plan, this.maxBatch, lower, upper, n, options, (inL, inU, count, want, emit) => {
      const f64 = this.heap.f64;
      let [curL, curU, nextL, nextU] = this.act;
      f64.set(inL, curL / F64);
      f64.set(inU, curU / F64);
      for (const step of this.plan.steps) {
        const m = this.steps[step.layer];
        let swap = true;
        switch (step.op) {
          case 'dense':
            k.linearRows(m!.a, m!.b, step.inSize, step.outSize, curL, curU, count, nextL, nextU, step.outSize, 1);
            break;
          case 'conv': {
            const g = step.geometry;
            k.conv(
              m!.a, m!.b, g.inC, g.inH, g.inW, g.outC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW,
              g.padTop, g.padLeft, g.dilationH, g.dilationW, curL, curU, nextL, nextU, this.colL, this.colU, count,
            );
            break;
          }
          case 'avgpool': {
            const g = step.geometry;
            k.avgpool(
              g.channels, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft,
              g.countIncludePad ? 1 : 0, curL, curU, nextL, nextU, count,
            );
            break;
          }
          case 'relu':
            k.relu(curL, curU, curL, curU, count * step.outSize);
            swap = false;
            break;
          case 'affine':
            k.affine(m!.a, m!.b, step.outSize, curL, curU, curL, curU, count);
            swap = false;
            break;
          case 'reshape':
            swap = false;
            break;
        }
        if (swap) [curL, curU, nextL, nextU] = [nextL, nextU, curL, curU];
        if (want[step.layer]) {
          const len = count * step.outSize;
          emit(step.layer, f64.subarray(curL / F64, curL / F64 + len), f64.subarray(curU / F64, curU / F64 + len));
        }
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.heap.arena.release(this.block);
    this.onDispose(this);
  }

  private check(): void {
    if (this.disposed) throw new MinmaxError('this prepared network has been disposed');
  }
}

/** IntervalEngine backed by the AssemblyScript kernels (f64x2 SIMD). */
export class WasmIntervalEngine implements IntervalEngine {
  readonly name = 'wasm';
  private heap: Heap | undefined;
  private readonly live = new Set<WasmPreparedNetwork>();
  private readonly cache = new PreparedCache((net, options) => this.prepare(net, options));

  constructor(module: WebAssembly.Module) {
    this.heap = new Heap(instantiateKernels(module));
  }

  linear(map: LinearMap, lower: Float64Array, upper: Float64Array, n: number): IntervalBounds {
    const heap = this.use();
    validateLinearMap(map);
    validateBox(lower, upper, n, map.inDim, 'linear input');
    const { inDim, outDim } = map;
    const sizes = [outDim * inDim, outDim, n * inDim, n * inDim, n * outDim, n * outDim].map((v) => align(v * F64));
    const block = heap.arena.alloc(sizes.reduce((a, b) => a + b, 0));
    try {
      const addr: number[] = [];
      let at = block;
      for (const size of sizes) {
        addr.push(at);
        at += size;
      }
      const [w, b, l, u, oL, oU] = addr as [number, number, number, number, number, number];
      const f64 = heap.f64;
      f64.set(map.weight, w / F64);
      f64.set(map.bias, b / F64);
      f64.set(lower, l / F64);
      f64.set(upper, u / F64);
      heap.k.linearRows(w, b, inDim, outDim, l, u, n, oL, oU, outDim, 1);
      const out = heap.f64;
      return {
        lower: out.slice(oL / F64, oL / F64 + n * outDim),
        upper: out.slice(oU / F64, oU / F64 + n * outDim),
        n,
        shape: [outDim],
      };
    } finally {
      heap.arena.release(block);
    }
  }

  prepare(net: Network, options?: PrepareOptions): PreparedIntervalNetwork {
    const heap = this.use();
    const plan = planIntervalNetwork(net);
    const prepared = new WasmPreparedNetwork(heap, net, plan, resolveMaxBatch(plan, options), (p) => this.live.delete(p));
    this.live.add(prepared);
    return prepared;
  }

  ibp(net: Network, lower: Float64Array, upper: Float64Array, n: number, options?: IbpOptions): IbpResult {
    this.use();
    return this.cache.get(net, n).ibp(lower, upper, n, options);
  }

  /** Linear-memory figures, e.g. to confirm that ibp() does not grow memory. */
  memoryStats(): ArenaStats {
    return this.use().arena.stats();
  }

  dispose(): void {
    if (!this.heap) return;
    this.cache.clear();
    for (const p of [...this.live]) p.dispose();
    // Dropping the instance hands its memory to the garbage collector (linear memory cannot shrink).
    this.heap = undefined;
  }

  private use(): Heap {
    if (!this.heap) throw new MinmaxError('this interval engine has been disposed');
    return this.heap;
  }
}

export interface WasmEngineOptions {
  /** Kernel bytes or a compiled module; default the embedded release build. */
  readonly wasm?: WasmSource;
}

/** A WebAssembly interval engine (compiles the kernels asynchronously the first time). */
export async function createWasmIntervalEngine(options: WasmEngineOptions = {}): Promise<WasmIntervalEngine> {
  return new WasmIntervalEngine(await compileKernelsAsync(options.wasm));
}

/** Synchronous variant, for Node and workers (the module is small enough for browsers' main thread too). */
export function createWasmIntervalEngineSync(options: WasmEngineOptions = {}): WasmIntervalEngine {
  return new WasmIntervalEngine(compileKernels(options.wasm));
}
