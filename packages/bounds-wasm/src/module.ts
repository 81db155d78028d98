/**
 * Loading build/bounds.wasm. The bytes are embedded in the package as base64
 * (src/generated/bounds-wasm.ts, written by scripts/embed-wasm.mjs at build time), which works
 * unchanged in Node, browsers, workers and every bundler; callers may pass their own bytes or a
 * compiled module instead (e.g. a debug build).
 */
import { ExecutionProviderError, type BoundKernels } from '@minmax/core';
import { BOUNDS_WASM_BASE64 } from './generated/bounds-wasm.js';

/** Where the kernels come from: default the embedded release build. */
export type WasmSource = BufferSource | WebAssembly.Module;

/** The embedded build/bounds.wasm. */
export function embeddedWasm(): Uint8Array<ArrayBuffer> {
  const bin = atob(BOUNDS_WASM_BASE64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

let embeddedModule: WebAssembly.Module | undefined;

function unsupported(e: unknown): ExecutionProviderError {
  return new ExecutionProviderError(
    `cannot compile the bound kernels (WebAssembly with SIMD is required: Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4): ` +
      `${e instanceof Error ? e.message : String(e)}; createReferenceIntervalEngine() from @minmax/core needs no WebAssembly`,
  );
}

/** Compiles `source` (the embedded kernels by default; that module is compiled once and shared). */
export function compileKernels(source?: WasmSource): WebAssembly.Module {
  if (source instanceof WebAssembly.Module) return source;
  if (source === undefined && embeddedModule) return embeddedModule;
  try {
    const module = new WebAssembly.Module(source ?? embeddedWasm());
    if (source === undefined) embeddedModule = module;
    return module;
  } catch (e) {
    throw unsupported(e);
  }
}

/** Async variant of compileKernels (browsers may refuse synchronous compilation of large modules). */
export async function compileKernelsAsync(source?: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source === undefined && embeddedModule) return embeddedModule;
  try {
    const module = await WebAssembly.compile(source ?? embeddedWasm());
    if (source === undefined) embeddedModule = module;
    return module;
  } catch (e) {
    throw unsupported(e);
  }
}

/** The kernel functions build/bounds.wasm exports (every BoundKernels member but name/memory). */
type KernelExports = Omit<BoundKernels, 'name' | 'memory'> & { readonly memory: WebAssembly.Memory };

const KERNELS: readonly (keyof KernelExports)[] = [
  'heapBase', 'gemm', 'im2col', 'gather', 'addBias', 'centerRadius', 'finalizeLinear', 'relu', 'affine', 'avgpool',
  'maxAbs', 'roundUpSums', 'col2im', 'scaleRows', 'avgpoolBackward', 'patchToFull', 'linearTerms', 'reluBackward',
  'boxTerm', 'selectCorner', 'reluForward',
];

/** A fresh instance (own memory) of the kernels, as core's kernel ABI. */
export function instantiateKernels(module: WebAssembly.Module): BoundKernels {
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new Error(`bounds.wasm aborted at ${line}:${column}`);
      },
    },
  });
  const exports = instance.exports as unknown as KernelExports;
  const missing = KERNELS.filter((k) => typeof exports[k] !== 'function');
  if (missing.length > 0) throw new ExecutionProviderError(`bounds.wasm does not export ${missing.join(', ')}: the module is not this package's kernels`);
  return { ...Object.fromEntries(KERNELS.map((k) => [k, exports[k]])), name: 'wasm', memory: exports.memory } as unknown as BoundKernels;
}
