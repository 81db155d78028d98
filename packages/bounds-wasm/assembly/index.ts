// Entry point of build/bounds.wasm. Kernels take raw byte addresses into the exported memory; the
// TS facade (../src/engine.ts) owns all allocation (runtime "stub": this module never allocates).
export { linearRows } from './linear';
export { conv } from './conv';
export { avgpool } from './pool';
export { relu, affine } from './elementwise';

/** First byte after static data: the facade's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
