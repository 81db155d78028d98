/**
 * Exact verification (tutorial ch. 3): the big-M MIP of Tjeng et al. and its LP relaxation from a
 * Network, solved by HiGHS (WebAssembly); per-target certificates whose counterexamples are
 * confirmed in float32 ONNX Runtime inference; bound tightening; a complete verifier cascading
 * PGD → interval → CROWN → LP → MIP; and general properties (VNNLIB cases).
 */
export { loadHighs, type Highs, type HighsLoadOptions } from './highs.js';
export { type Csr, CsrBuilder, identityCsr, denseToCsr, multiplyCsr, multiplyVector, selectRows } from './sparse.js';
export { reluChain, reluDepth, chainForward, type ReluChain, type AffineSegment } from './relu-chain.js';
export { chainInterval, affineInterval, intersect, reluInterval, intervalSpecBound, type NeuronBounds, type ChainBounds } from './interval.js';
export { ProblemBuilder, appendRows, countIntegers, type Problem, type LinearObjective, type ExtraRow } from './problem.js';
export { encode, type Encoding, type EncodeOptions, type LayerColumns, type Relaxation } from './encoding.js';
export { safeLpBound } from './safe-bound.js';
export { SolverModel, type SolveOptions, type SolveResult, type SolveStatus, type SolverModelOptions } from './solver-model.js';
export { lpTighten, countUnstable, type TightenOptions, type TightenStats } from './tighten.js';
export { targetRow, headObjective, maxObjective, type OutputRow } from './objective.js';
export { objectiveScale, mipMargin, lpMargin } from './tolerance.js';
export {
  toFloat32InBox,
  rowsValue,
  checkPoints,
  refineTowardsTarget,
  argmax,
  type LogitsOracle,
  type CheckedPoint,
} from './counterexample.js';
export {
  exampleStatus,
  relativeGap,
  type CertificateStatus,
  type DecidedBy,
  type BoundsKind,
  type Counterexample,
  type TargetCertificate,
  type ExampleCertificate,
} from './certificate.js';
export { lpTargets, mipTarget, type TargetSolveContext, type MipTargetOptions } from './targets.js';
export {
  checkProperty,
  type PropertyCase,
  type PropertyVerdict,
  type CaseOutcome,
  type PropertyResult,
  type PropertyOptions,
  type PropertyContext,
} from './property.js';
export { crownBoundsProvider } from './crown-provider.js';
export {
  ExactVerifier,
  type ExactVerifierOptions,
  type InputSetOptions,
  type ExactOptions,
  type BoundsResult,
  type LinearBoundsProvider,
} from './verifier.js';
