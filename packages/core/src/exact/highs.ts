/**
 * Loading HiGHS (the `highs` package: HiGHS compiled to WebAssembly, single-threaded, no native
 * add-on). Loading is asynchronous and happens once per options object; solves are synchronous.
 * In Node the loader finds highs.wasm beside itself; bundlers resolve it through
 * `new URL('highs.wasm', import.meta.url)`, and a page whose bundler cannot may pass `locateFile`,
 * `wasmBinary` or `wasmModule`.
 */
import type { Highs, InitOptions } from 'highs';
import { SolverError } from '../errors.js';

export type { Highs } from 'highs';
export type HighsLoadOptions = Pick<InitOptions, 'locateFile' | 'wasmBinary' | 'wasmModule'>;

type Loader = (options?: InitOptions) => Promise<Highs>;

let shared: Promise<Highs> | undefined;

async function loader(): Promise<Loader> {
  // The package is CommonJS with an ESM build; depending on the resolver the default export is the
  // loader itself or a namespace holding it.
  const mod = (await import('highs')) as unknown as { default: Loader | { default: Loader } };
  const fn = typeof mod.default === 'function' ? mod.default : mod.default.default;
  if (typeof fn !== 'function') throw new SolverError("the 'highs' package did not export its loader");
  return fn;
}

/**
 * The HiGHS runtime. Without options the instance is shared by every caller in this JS realm
 * (models are independent; the runtime itself holds only the compiled module and its memory).
 */
export function loadHighs(options?: HighsLoadOptions): Promise<Highs> {
  const load = async (): Promise<Highs> => {
    try {
      return await (await loader())(options);
    } catch (e) {
      throw new SolverError(`cannot load the HiGHS WebAssembly solver: ${(e as Error).message}`);
    }
  };
  if (options) return load();
  shared ??= load().catch((e: unknown) => {
    shared = undefined;
    throw e;
  });
  return shared;
}
