export { type Norm, type ThreatModel, DEFAULT_DOMAIN, validateThreat, formatThreat } from './threat.js';
export { clipToDomain, projectLinf, projectL2, l2Norms, constrain } from './project.js';
export { randomStart } from './random-start.js';
export { signStep, l2Step } from './steps.js';
export { objectiveValues, crossEntropy } from './objective.js';
export { argmaxRows } from './predict.js';
export {
  type Attack,
  type AttackOptions,
  type AttackConfig,
  type AttackDefaults,
  type AttackInput,
  type AttackResult,
  GradientAttack,
  resolveConfig,
} from './base.js';
export { Fgsm, type FgsmOptions } from './fgsm.js';
export { Pgd, type PgdOptions } from './pgd.js';
export { PgdL2, type PgdL2Options } from './pgd-l2.js';
export { attackRegistry, attackNames, createAttack, isAttackName, type AttackName, type AttackOptionsFor, type AttackOptionsByName } from './registry.js';
export {
  evaluate,
  CLEAN,
  type NamedAttack,
  type EvaluateOptions,
  type EvaluateResult,
  type PerExampleResults,
} from './evaluate.js';
