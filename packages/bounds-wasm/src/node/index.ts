/**
 * Node-only helpers of @minmax/bounds-wasm ('@minmax/bounds-wasm/node'): certification on worker
 * threads, one WebAssembly engine per thread.
 */
export { certifyParallel, type ParallelCertifyOptions } from './parallel.js';
