/**
 * @minmax/core — networks from ONNX, gradients as ONNX graphs run by ONNX Runtime, MNIST, attacks
 * and evaluation. Platform-free: the ONNX Runtime module (onnxruntime-node or onnxruntime-web) is
 * passed in by the caller (`createRuntime(ort, …)`); file-system helpers live in '@minmax/core/node'.
 */
export * from './errors.js';
export * from './model.js';
export * from './progress.js';
export * from './onnx/index.js';
export * from './ir/index.js';
export * from './autodiff/index.js';
export * from './runtime/index.js';
export * from './data/index.js';
export * from './attacks/index.js';
export * from './bounds/index.js';
export * from './viz/index.js';
export * from './train/index.js';
export * from './exact/index.js';
export * from './vnnlib/index.js';
