/** Reverse-mode autodiff emitting ONNX graphs, objectives, and the graphs minmax runs. */
export {
  GraphBuilder,
  buildModel,
  floatTypeCode,
  type FloatType,
  type ConvGradientForm,
  type GraphBuilderOptions,
  type Value as GraphValue,
  type TapeNode,
  type OutputSpec,
  type ConvOptions,
  type ConvTransposeOptions,
  type PoolOptions,
  type GemmOptions,
} from './builder.js';
export { attrInt, attrFloat, attrInts, attrString, attrTensor, type Attrs } from './attributes.js';
export { grad, type GradOptions } from './grad.js';
export { sumToShape } from './unbroadcast.js';
export { emitObjective, type ObjectiveValues } from './objectives.js';
export { emitLayer, emitNetwork, layerParams, networkParams, type ParamSource } from './forward.js';
export { vjpRules, vjpRuleFor, type DifferentiableOp } from './rules/registry.js';
export type { VjpRule, VjpContext } from './rules/types.js';
export {
  buildLogitsModel,
  buildInputGradModel,
  buildParamGradModel,
  paramGradName,
  BATCH_DIM,
  INPUT_NAME,
  LABEL_NAME,
  TARGET_NAME,
  LOGITS_NAME,
  LOSS_NAME,
  GRAD_NAME,
  type GraphOptions,
} from './graphs.js';
