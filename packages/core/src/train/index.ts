/**
 * Training: architectures, initialisation, optimisers, schedules, and the methods of the
 * tutorial's outer minimisation — standard, adversarial (PGD, fast FGSM with random start),
 * provably robust (IBP, CROWN-IBP) and the chapter-2 robust linear model — with checkpoints
 * that resume exactly and trained ONNX models that carry their training metadata.
 */
export { ARCHITECTURES, parseArchitecture, formatArchitecture, buildNetwork, type ArchSpec, type LayerSpec } from './architecture.js';
export { pytorchDefaultInit } from './init.js';
export { createOptimizer, type Optimizer, type OptimizerOptions, type OptimizerState, type SgdOptions, type AdamOptions } from './optimizer.js';
export {
  learningRate,
  epsilonAt,
  validateLrSchedule,
  validateEpsSchedule,
  TUTORIAL_IBP_EPS,
  type LrSchedule,
  type EpsSchedule,
} from './schedule.js';
export {
  TRAIN_METHODS,
  defaultTrainConfig,
  resolveTrainConfig,
  type TrainMethod,
  type TrainConfig,
  type TrainConfigInput,
  type TrainingAttack,
  type OverfitGuard,
  type EpochEvaluation,
} from './config.js';
export { digitSubset, splitTraining, type TrainingSplit } from './data.js';
export { countWrong, countUncertified, countBinaryWrong } from './metrics.js';
export { train, type TrainOptions, type TrainResult, type EpochRecord } from './trainer.js';
export type { EpochMetrics, RobustKind } from './epoch-eval.js';
export { encodeCheckpoint, decodeCheckpoint, CHECKPOINT_FORMAT, type TrainingCheckpoint } from './checkpoint.js';
export { trainingMetadata, readTrainingMetadata, METADATA_PREFIX, type TrainingMetadata } from './metadata.js';
export { LiveGradientModel } from './live-model.js';
export { ParamSession } from './param-session.js';
export { buildLiveLogitsModel, buildLiveInputGradModel } from './graphs/live.js';
export { emitIntervalPropagation, emitIntervalLayer, type Box } from './graphs/interval.js';
export { foldSpecification, foldedIntervalBound, type FoldedSpec } from './graphs/spec.js';
export { emitCrownBound } from './graphs/crown.js';
export { buildBoundModel, EPS_NAME, KAPPA_NAME, BETA_NAME, MARGIN_NAME, type BoundMethod, type BoundModelOptions } from './graphs/bound-model.js';
export { buildLinearModel, linearLayer, logisticLoss, ROBUST_LOGITS_NAME } from './graphs/linear.js';
export { ibpCertifiedError, certifiedErrorWith, type CertifyOptions } from './certify.js';
export {
  REPRODUCTION_TARGETS,
  LINEAR_TARGETS,
  evaluateTutorialRow,
  evaluateLinearRow,
  acceptance,
  type ReproduceTarget,
  type LinearTarget,
  type TutorialMetric,
  type TutorialFigures,
  type LinearFigures,
  type RowEvalOptions,
} from './reproduce.js';
export { resultsMarkdown, type ReproduceReport, type ReproduceRowReport, type LinearRowReport } from './results-markdown.js';
