/**
 * @minmax/bounds-wasm — sound bound kernels in AssemblyScript/WebAssembly (f64x2 SIMD) behind the
 * IntervalEngine interface of @minmax/core. See README.md for the soundness guarantee.
 */
export {
  WasmIntervalEngine,
  createWasmIntervalEngine,
  createWasmIntervalEngineSync,
  type WasmEngineOptions,
} from './engine.js';
export { embeddedWasm, type WasmSource, type BoundsKernels } from './module.js';
export type { ArenaStats } from './arena.js';
