/**
 * The IntervalEngine over a kernel set (kernels.ts): both the plain-TS reference engine and the
 * WebAssembly engine of @minmax/bounds-wasm are this class with different kernels, so they share
 * every driver (IBP passes, CROWN) and differ only in the arithmetic loops.
 */
import { MinmaxError } from '../errors.js';
import type { Network } from '../ir/network.js';
import type { ArenaStats } from './arena.js';
import { BlockLayout, Heap } from './heap.js';
import { validateBox } from './input-set.js';
import type { BoundKernels } from './kernels.js';
import { validateLinearMap } from './linear-map.js';
import { PreparedCache } from './prepared-cache.js';
import { prepareNetwork, type PreparedNetwork } from './prepared-network.js';
import type { IbpOptions, IbpResult, IntervalBounds, IntervalEngine, LinearMap, PrepareOptions } from './types.js';

const F64 = 8;

export class KernelIntervalEngine implements IntervalEngine {
  private heapRef: Heap | undefined;
  private readonly live = new Set<PreparedNetwork>();
  private readonly cache = new PreparedCache((net, options) => this.prepare(net, options));

  /** 'reference' or 'wasm' (the kernel set's name). */
  readonly name: string;

  constructor(kernels: BoundKernels) {
    this.heapRef = new Heap(kernels);
    this.name = kernels.name;
  }

  /** The engine's memory and kernels (throws once disposed). */
  get heap(): Heap {
    if (!this.heapRef) throw new MinmaxError('this interval engine has been disposed');
    return this.heapRef;
  }

  linear(map: LinearMap, lower: Float64Array, upper: Float64Array, n: number): IntervalBounds {
    const heap = this.heap;
    validateLinearMap(map);
    validateBox(lower, upper, n, map.inDim, 'linear input');
    const { inDim, outDim } = map;
    const layout = new BlockLayout();
    const at = {
      wt: layout.reserve(inDim * outDim),
      absWt: layout.reserve(inDim * outDim),
      b: layout.reserve(outDim),
      l: layout.reserve(n * inDim),
      u: layout.reserve(n * inDim),
      c: layout.reserve(n * inDim),
      rt: layout.reserve(n * inDim),
      s: layout.reserve(n * outDim),
      p: layout.reserve(n * outDim),
      oL: layout.reserve(n * outDim),
      oU: layout.reserve(n * outDim),
    };
    const block = heap.alloc(layout.bytes);
    try {
      const a = Object.fromEntries(Object.entries(at).map(([k, v]) => [k, block + v])) as typeof at;
      const wt = new Float64Array(inDim * outDim);
      for (let o = 0; o < outDim; o++) for (let i = 0; i < inDim; i++) wt[i * outDim + o] = map.weight[o * inDim + i]!;
      const f = heap.f64;
      f.set(wt, a.wt / F64);
      f.set(wt.map(Math.abs), a.absWt / F64);
      f.set(map.bias, a.b / F64);
      f.set(lower, a.l / F64);
      f.set(upper, a.u / F64);
      const k = heap.k;
      k.centerRadius(a.l, a.u, a.c, a.rt, n * inDim, inDim);
      k.gemm(a.c, a.wt, a.s, n, inDim, outDim);
      k.gemm(a.rt, a.absWt, a.p, n, inDim, outDim);
      k.finalizeLinear(a.s, a.p, a.b, a.oL, a.oU, n, outDim, inDim);
      const g = heap.f64;
      return { lower: g.slice(a.oL / F64, a.oL / F64 + n * outDim), upper: g.slice(a.oU / F64, a.oU / F64 + n * outDim), n, shape: [outDim] };
    } finally {
      heap.release(block);
    }
  }

  prepare(net: Network, options?: PrepareOptions): PreparedNetwork {
    const prepared = prepareNetwork(this.heap, net, options, (p) => this.live.delete(p));
    this.live.add(prepared);
    return prepared;
  }

  cached(net: Network, n = 1): PreparedNetwork {
    void this.heap;
    return this.cache.get(net, n);
  }

  ibp(net: Network, lower: Float64Array, upper: Float64Array, n: number, options?: IbpOptions): IbpResult {
    return this.cached(net, n).ibp(lower, upper, n, options);
  }

  /** Linear-memory figures, e.g. to confirm that ibp() does not grow memory. */
  memoryStats(): ArenaStats {
    return this.heap.stats();
  }

  dispose(): void {
    if (!this.heapRef) return;
    this.cache.clear();
    for (const p of [...this.live]) p.dispose();
    this.heapRef = undefined;
  }
}
