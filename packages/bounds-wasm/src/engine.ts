/**
 * The WebAssembly engine: core's KernelIntervalEngine (the shared IBP and CROWN drivers) over the
 * AssemblyScript kernels of assembly/. Each engine owns one kernel instance and its linear memory;
 * each prepared network owns one block of it (see core's prepared-network.ts), laid out once.
 */
import { KernelIntervalEngine } from '@minmax/core';
import { compileKernels, compileKernelsAsync, instantiateKernels, type WasmSource } from './module.js';

/** IntervalEngine backed by the AssemblyScript kernels (f64x2 SIMD). */
export class WasmIntervalEngine extends KernelIntervalEngine {
  constructor(module: WebAssembly.Module) {
    super(instantiateKernels(module));
  }
}

export interface WasmEngineOptions {
  /** Kernel bytes or a compiled module; default the embedded release build. */
  readonly wasm?: WasmSource;
}

/** A WebAssembly engine (compiles the kernels asynchronously the first time). */
export async function createWasmIntervalEngine(options: WasmEngineOptions = {}): Promise<WasmIntervalEngine> {
  return new WasmIntervalEngine(await compileKernelsAsync(options.wasm));
}

/** Synchronous variant, for Node and workers (the module is small enough for browsers' main thread too). */
export function createWasmIntervalEngineSync(options: WasmEngineOptions = {}): WasmIntervalEngine {
  return new WasmIntervalEngine(compileKernels(options.wasm));
}
