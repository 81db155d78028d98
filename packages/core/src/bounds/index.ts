/**
 * Sound bounds on network outputs over input sets: interval bound propagation (IBP) with
 * outward-rounded float64 arithmetic. The IntervalEngine interface has a plain-TS reference
 * implementation here and a WebAssembly one in @minmax/bounds-wasm; both pass the conformance
 * suite exported below.
 */
export type {
  IntervalBounds,
  LinearMap,
  IbpOptions,
  IbpResult,
  PrepareOptions,
  PreparedIntervalNetwork,
  IntervalEngine,
  IntervalEngineFactory,
} from './types.js';
export { linfBox, validateBox, type InputBox, type LinfBoxOptions } from './input-set.js';
export {
  nextUp,
  nextDown,
  subDown,
  addUp,
  soundLower,
  soundUpper,
  dotErrorBound,
  dotErrorCoefficient,
  MAX_DOT_LENGTH,
} from './float.js';
export {
  planIntervalNetwork,
  planSignature,
  replan,
  broadcastParam,
  assertFiniteParam,
  type IntervalPlan,
  type IntervalStep,
  type DenseStep,
  type ConvStep,
  type ReluStep,
  type AffineStep,
  type AvgPoolStep,
  type ReshapeStep,
  type ConvGeometry,
  type PoolGeometry,
} from './plan.js';
export { validateLinearMap } from './linear-map.js';
export { runIbp, requestedLayers, resolveMaxBatch, type IbpPass } from './ibp-driver.js';
export { PreparedCache } from './prepared-cache.js';
export { createReferenceIntervalEngine } from './reference-engine.js';
export { Exact } from './exact.js';
export { exactIbp, exactForward, type ExactBounds } from './exact-network.js';
export {
  intervalConformanceCases,
  ConformanceFailure,
  TUTORIAL_IBP_FIGURES,
  type ConformanceCase,
  type ConformanceOptions,
  type IbpFixture,
} from './conformance.js';
