/**
 * The contract of a sound bound engine: interval bound propagation (IBP) and the memory/kernels
 * the CROWN drivers (crown/) run on. Two implementations exist, both `KernelIntervalEngine` over a
 * kernel set (kernels.ts): the plain-TS reference (`createReferenceIntervalEngine`, this package)
 * and the WebAssembly one in @minmax/bounds-wasm; `intervalConformanceCases` holds them to the
 * same behaviour.
 *
 * Soundness contract (every engine): for every real point x in the input box, the exact
 * real-arithmetic value of each output (with the float32/float64 parameters taken as the exact
 * numbers they represent) lies in [lower, upper]. Rounding is outward, never to nearest; a bound
 * that cannot be computed finitely (overflow, infinite inputs) is returned as ∓Infinity, never NaN.
 */
import type { Network } from '../ir/network.js';
import type { IntervalPlan } from './plan.js';
import type { PreparedNetwork } from './prepared-network.js';

/** Per-example interval bounds for a batch: `lower`/`upper` are [n, ...shape], row-major. */
export interface IntervalBounds {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly n: number;
  /** Per-example shape (batch dimension excluded). */
  readonly shape: readonly number[];
}

/** y = W x + b, W [outDim, inDim] row-major (PyTorch Linear layout); entries are taken exactly. */
export interface LinearMap {
  readonly weight: Float32Array | Float64Array;
  readonly bias: Float32Array | Float64Array;
  readonly outDim: number;
  readonly inDim: number;
}

export interface IbpOptions {
  /**
   * Layers whose output bounds are returned besides the network output: 'all', or indices into
   * `net.layers`. CROWN needs the pre-activation bounds, i.e. the outputs of the layers feeding
   * each ReLU.
   */
  readonly layers?: 'all' | readonly number[];
}

export interface IbpResult extends IntervalBounds {
  /** Output bounds of each requested layer, indexed like `net.layers`; undefined where not requested. */
  readonly layers: readonly (IntervalBounds | undefined)[];
}

export interface PrepareOptions {
  /**
   * Examples propagated per pass. Working memory is sized for this many examples once, at
   * prepare time; larger batches are processed in passes of this size. Default: as many as fit
   * `memoryBudgetBytes` (at most 256).
   */
  readonly maxBatch?: number;
  /** Budget for the per-pass activation buffers when `maxBatch` is not given. Default 32 MiB. */
  readonly memoryBudgetBytes?: number;
}

/**
 * A network bound to an engine: parameters copied in and working memory allocated once (for the
 * WASM engine, one region of its linear memory), released by dispose(). Bounds use the parameter
 * values as of prepare() or the last refreshParameters().
 */
export interface PreparedIntervalNetwork {
  readonly network: Network;
  readonly plan: IntervalPlan;
  /** Examples per pass (see PrepareOptions.maxBatch). */
  readonly maxBatch: number;
  /**
   * IBP bounds of the output (and of requested layers) for n input boxes, `lower`/`upper` being
   * [n, ...inputShape] (see `linfBox` for ℓ∞ balls).
   */
  ibp(lower: Float64Array, upper: Float64Array, n: number, options?: IbpOptions): IbpResult;
  /** Re-reads the parameter tensors of `network` (after training changed them in place). */
  refreshParameters(): void;
  dispose(): void;
}

export interface IntervalEngine {
  /** 'reference' or 'wasm'. */
  readonly name: string;
  /** Bounds of W x + b over each of the n boxes [lower, upper] ([n, inDim] each); result is [n, outDim]. */
  linear(map: LinearMap, lower: Float64Array, upper: Float64Array, n: number): IntervalBounds;
  /** Lays `net` out in the engine's memory (the form IBP and the CROWN drivers run on). */
  prepare(net: Network, options?: PrepareOptions): PreparedNetwork;
  /**
   * The engine's cached prepared form of `net` (as used by ibp(net, …)), parameters re-read,
   * with working memory for passes of up to n examples.
   */
  cached(net: Network, n?: number): PreparedNetwork;
  /**
   * IBP through `net`. The prepared form is cached per Network object (re-prepared when its
   * layers change or a larger batch needs more memory) and parameters are re-read on every call,
   * so in-place parameter updates are always seen.
   */
  ibp(net: Network, lower: Float64Array, upper: Float64Array, n: number, options?: IbpOptions): IbpResult;
  /** Releases everything the engine holds, including networks it prepared. */
  dispose(): void;
}

/** Creates engines for tests and benchmarks that are engine-agnostic. */
export type IntervalEngineFactory = () => IntervalEngine | Promise<IntervalEngine>;
