/**
 * The plain-TS interval engine: the shared drivers over the reference kernels
 * (reference/kernels.ts) — straightforward loops over float64 with the same outward rounding as
 * the WebAssembly engine (@minmax/bounds-wasm). It is the oracle the WASM engine is checked
 * against and the fallback where WebAssembly is unavailable.
 */
import { KernelIntervalEngine } from './kernel-engine.js';
import { ReferenceKernels } from './reference/kernels.js';

/** The plain-TS IntervalEngine (synchronous; holds no native memory). */
export function createReferenceIntervalEngine(): KernelIntervalEngine {
  return new KernelIntervalEngine(new ReferenceKernels());
}
