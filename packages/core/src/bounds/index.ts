/**
 * Sound bounds on network outputs over input sets, in outward-rounded float64: interval bound
 * propagation (IBP), CROWN / the Wong–Kolter dual bound, α-CROWN, and certification. The drivers
 * run on a kernel ABI (kernels.ts) with a plain-TS reference implementation here and a
 * WebAssembly one in @minmax/bounds-wasm; both pass the conformance suite exported below.
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
  UNDERFLOW,
  upNormal,
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
export type { BoundKernels, KernelMemory } from './kernels.js';
export { Arena, type ArenaStats } from './arena.js';
export { GrowableMemory } from './growable-memory.js';
export { Heap, BlockLayout } from './heap.js';
export { levelLayout, planLayouts, toChannelsLast, fromChannelsLast, reshapeIndex, type LevelLayout } from './layout.js';
export {
  PreparedNetwork,
  prepareNetwork,
  forwardTerms,
  backwardTerms,
  type StepMemory,
  type DenseMemory,
  type ConvMemory,
  type AffineMemory,
  type ReshapeMemory,
} from './prepared-network.js';
export { KernelIntervalEngine } from './kernel-engine.js';
export { ReferenceKernels } from './reference/kernels.js';
export { createReferenceIntervalEngine } from './reference-engine.js';
export { Exact } from './exact.js';
export { exactIbp, exactForward, type ExactBounds } from './exact-network.js';
export {
  intervalConformanceCases,
  ConformanceFailure,
  TUTORIAL_IBP_FIGURES,
  tutorialIbpFixtures,
  type ConformanceCase,
  type ConformanceOptions,
  type IbpFixture,
} from './conformance.js';
export { CrownContext } from './crown/context.js';
export { lowerSlope, type SlopeChoice } from './crown/relaxation.js';
export { backward, BackwardWorkspace, bytesPerRow, clearAcc, readAcc, type BackwardOptions, type BackwardResult } from './crown/backward.js';
export { writeNeuronRows, writeDenseRows } from './crown/rows.js';
export { tightenIntermediate, type IntermediateOptions } from './crown/intermediate.js';
export { alphaCrown, AlphaProblem, type AlphaOptions, type AlphaResult } from './crown/alpha.js';
export { marginSpec, logitSpec } from './crown/spec.js';
export {
  boundSpecification,
  backwardBound,
  foldLevel,
  specChannelsLast,
  validateMethod,
  CERTIFY_METHODS,
  type CertifyMethod,
  type IntermediateMethod,
  type SpecBoundOptions,
  type SpecBounds,
} from './crown/spec-bounds.js';
export { layerBounds, specificationBounds, dualBound, type LayerBoundsOptions } from './crown/api.js';
export { certify, certifyDataset, type CertifyBoundOptions, type CertifyResult, type CertifyStatus } from './certify.js';
