// Entry point of build/bounds.wasm: the kernel ABI of packages/core/src/bounds/kernels.ts. Kernels
// take raw byte addresses into the exported memory; the facade (../src) owns all allocation
// (runtime "stub": this module never allocates).
export { gemm } from './gemm';
export { im2col, gather, addBias, col2im, scaleRows, avgpoolBackward, patchToFull } from './transport';
export { centerRadius, finalizeLinear, relu, affine, avgpool, maxAbs, roundUpSums } from './ibp';
export { linearTerms, reluBackward, boxTerm, selectCorner, reluForward } from './crown';

/** First byte after static data: the facade's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
