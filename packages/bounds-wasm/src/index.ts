/**
 * @minmax/bounds-wasm — sound bound kernels in AssemblyScript/WebAssembly (f64x2 SIMD) behind the
 * kernel ABI and IntervalEngine interface of @minmax/core: IBP, CROWN, α-CROWN and certification
 * run on them through core's drivers. See README.md for the soundness guarantee.
 */
export {
  WasmIntervalEngine,
  createWasmIntervalEngine,
  createWasmIntervalEngineSync,
  type WasmEngineOptions,
} from './engine.js';
export { embeddedWasm, compileKernels, compileKernelsAsync, instantiateKernels, type WasmSource } from './module.js';
export type { ArenaStats } from './arena.js';
export { WasmArena } from './arena.js';
