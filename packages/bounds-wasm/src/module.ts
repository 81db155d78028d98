/**
 * Loading build/bounds.wasm. The bytes are embedded in the package as base64
 * (src/generated/bounds-wasm.ts, written by scripts/embed-wasm.mjs at build time), which works
 * unchanged in Node, browsers, workers and every bundler; callers may pass their own bytes or a
 * compiled module instead (e.g. a debug build).
 */
import { ExecutionProviderError } from '@minmax/core';
import { BOUNDS_WASM_BASE64 } from './generated/bounds-wasm.js';

/** The kernels exported by assembly/index.ts; addresses are byte offsets into `memory`. */
export interface BoundsKernels {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  linearRows(
    w: number, b: number, inDim: number, outDim: number, l: number, u: number, rows: number,
    outL: number, outU: number, rowStride: number, colStride: number,
  ): void;
  conv(
    w: number, b: number, inC: number, inH: number, inW: number, outC: number, outH: number, outW: number,
    kH: number, kW: number, sH: number, sW: number, pT: number, pL: number, dH: number, dW: number,
    l: number, u: number, outL: number, outU: number, colL: number, colU: number, n: number,
  ): void;
  avgpool(
    channels: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number,
    sH: number, sW: number, pT: number, pL: number, countIncludePad: number,
    l: number, u: number, outL: number, outU: number, n: number,
  ): void;
  relu(l: number, u: number, outL: number, outU: number, len: number): void;
  affine(scale: number, shift: number, size: number, l: number, u: number, outL: number, outU: number, n: number): void;
}

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
    `cannot compile the interval kernels (WebAssembly with SIMD is required: Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4): ` +
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

/** A fresh instance (own memory) of the kernels. */
export function instantiateKernels(module: WebAssembly.Module): BoundsKernels {
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new Error(`bounds.wasm aborted at ${line}:${column}`);
      },
    },
  });
  return instance.exports as unknown as BoundsKernels;
}
