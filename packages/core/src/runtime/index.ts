/** ONNX Runtime (injected by the caller), sessions, and the product GradientModel. */
export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export { DEVICES, installHint, type Device } from './providers.js';
export type { OrtModule, Session, TensorData } from './session.js';
export { createGradientModel, snapshotNetwork, type GradientModelOptions } from './ort-model.js';
export { createParamGradSession, type ParamGradSession, type ParamGradResult } from './param-grad.js';
