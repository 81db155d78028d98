/**
 * Training configuration and the recipes behind each method's defaults. The defaults are the
 * tutorial's (ch. 2 §3.3, ch. 3 §4.4, ch. 4 §5.3–5.6) where it has a recipe, and the method's
 * paper otherwise (fgsm-rs: Wong, Rice & Kolter 2020, MNIST; crown-ibp: the tutorial's IBP recipe
 * with Zhang et al.'s β ramp). `resolveTrainConfig` merges a partial configuration over them and
 * validates every field.
 */
import { InvalidArgumentError } from '../errors.js';
import { parseArchitecture } from './architecture.js';
import type { OptimizerOptions } from './optimizer.js';
import { TUTORIAL_IBP_EPS, validateEpsSchedule, validateLrSchedule, type EpsSchedule, type LrSchedule } from './schedule.js';

export const TRAIN_METHODS = ['standard', 'pgd', 'fgsm-rs', 'ibp', 'crown-ibp', 'linear-robust'] as const;
export type TrainMethod = (typeof TRAIN_METHODS)[number];

/** The inner maximisation of adversarial training (pgd, fgsm-rs): ℓ∞ PGD steps on δ. */
export interface TrainingAttack {
  alpha: number;
  steps: number;
  /** δ₀ ~ U[−ε, ε] instead of 0. */
  randomStart: boolean;
  /** Clip x + δ to [0, 1] (the tutorial's ℓ∞ attacks do not). */
  clip: boolean;
}

/** fgsm-rs guard against catastrophic overfitting (Wong et al. 2020, §5): after every epoch,
 *  PGD on a held-out slice of the training set; if robust accuracy falls by more than `drop`
 *  from the previous epoch, training stops and the previous epoch's weights are kept. */
export interface OverfitGuard {
  /** Held-out training images (taken from the end of the training set, never trained on). */
  images: number;
  steps: number;
  alpha: number;
  drop: number;
}

/** What is measured on the test set after each epoch. */
export interface EpochEvaluation {
  /** Test images for clean error and certified error (default: all). */
  testLimit?: number;
  /** Test images for the per-epoch PGD error (default 1,000; the full set costs an epoch's worth of PGD). */
  robustLimit?: number;
  /** PGD of the per-epoch robust error (tutorial ch. 4: ε, α 0.01, 20 steps). */
  pgdSteps: number;
  pgdAlpha: number;
}

export interface TrainConfig {
  /** Architecture name (ARCHITECTURES) or spec string. */
  arch: string;
  method: TrainMethod;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Train on the first N training images only (file order). */
  trainLimit?: number;
  optimizer: OptimizerOptions;
  lr: LrSchedule;
  /** Target ℓ∞ radius: the training threat model and the per-epoch robust evaluation. */
  eps: number;
  /** Training ε over time (ibp, crown-ibp: the tutorial's ramp; others: constant ε). */
  epsSchedule: EpsSchedule;
  attack: TrainingAttack;
  /** pgd: weight of the clean cross-entropy mixed into the adversarial one (0 = the tutorial's). */
  cleanMix: number;
  /** ibp, crown-ibp: weight κ of the clean cross-entropy (0 = the tutorial's pure robust loss). */
  kappa: number;
  guard: OverfitGuard;
  evaluation: EpochEvaluation;
}

/** A partial configuration: nested objects may be partial too. */
export type TrainConfigInput = Partial<Omit<TrainConfig, 'attack' | 'guard' | 'evaluation'>> & {
  method: TrainMethod;
  attack?: Partial<TrainingAttack>;
  guard?: Partial<OverfitGuard>;
  evaluation?: Partial<EpochEvaluation>;
};

const DEFAULT_ARCH: Record<TrainMethod, string> = {
  standard: 'cnn',
  pgd: 'cnn',
  'fgsm-rs': 'cnn',
  ibp: 'cnn-ibp',
  'crown-ibp': 'cnn-ibp',
  'linear-robust': 'linear',
};

const hasConv = (arch: string): boolean => parseArchitecture(arch).layers.some((l) => l.kind === 'conv');

/** The recipe of `method` on `arch` at radius `eps` (see the module comment for the sources). */
export function defaultTrainConfig(method: TrainMethod, arch = DEFAULT_ARCH[method], eps?: number): TrainConfig {
  if (!TRAIN_METHODS.includes(method)) throw new InvalidArgumentError(`unknown training method '${String(method)}' (expected ${TRAIN_METHODS.join(', ')})`);
  const e = eps ?? (method === 'linear-robust' ? 0.2 : 0.1);
  const sgd: OptimizerOptions = { kind: 'sgd', momentum: 0, weightDecay: 0 };
  // Tutorial: the CNNs drop to lr 0.01 after epoch index 4; the MLPs keep 0.1.
  const tutorialLr: LrSchedule = hasConv(arch) ? { kind: 'step', lr: 0.1, milestones: [5], gamma: 0.1 } : { kind: 'constant', lr: 0.1 };
  const base: TrainConfig = {
    arch,
    method,
    epochs: 10,
    batchSize: 100,
    seed: 0,
    optimizer: sgd,
    lr: tutorialLr,
    eps: e,
    epsSchedule: { kind: 'constant', eps: e },
    attack: { alpha: e / 10, steps: 20, randomStart: false, clip: false },
    cleanMix: 0,
    kappa: 0,
    guard: { images: 0, steps: 10, alpha: e / 4, drop: 0.2 },
    evaluation: { robustLimit: 1000, pgdSteps: 20, pgdAlpha: e / 10 },
  };
  switch (method) {
    case 'standard':
    case 'pgd':
      return base;
    case 'fgsm-rs':
      // Wong et al. 2020 (MNIST): Adam, cyclic lr peaking at 5e-3 two fifths in, α = 1.25ε, uniform start.
      return {
        ...base,
        optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
        lr: { kind: 'one-cycle', lr: 5e-3, peak: 0.4 },
        attack: { alpha: 1.25 * e, steps: 1, randomStart: true, clip: false },
        guard: { images: 1000, steps: 10, alpha: e / 4, drop: 0.2 },
      };
    case 'ibp':
    case 'crown-ibp':
      // Tutorial §5.6: constant lr 0.1, 25 epochs, the listed ε ramp (scaled when ε ≠ 0.1).
      return {
        ...base,
        epochs: 25,
        lr: { kind: 'constant', lr: 0.1 },
        epsSchedule: { kind: 'list', values: TUTORIAL_IBP_EPS.map((v) => (v * e) / 0.1) },
        evaluation: { ...base.evaluation, robustLimit: undefined },
      };
    case 'linear-robust':
      // Tutorial §3.3: standard training SGD lr 1.0 for 10 epochs; robust (ε 0.2) lr 0.1 for 20.
      return {
        ...base,
        epochs: e === 0 ? 10 : 20,
        lr: { kind: 'constant', lr: e === 0 ? 1 : 0.1 },
        attack: { ...base.attack, alpha: 0, steps: 0 },
        evaluation: { ...base.evaluation, robustLimit: undefined },
      };
  }
}

const posInt = (v: number, what: string): number => {
  if (!Number.isSafeInteger(v) || v < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got ${v}`);
  return v;
};
const nonNegInt = (v: number, what: string): number => {
  if (!Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError(`${what} must be an integer ≥ 0, got ${v}`);
  return v;
};
const finite = (v: number, what: string, lo = 0, hi = Infinity): number => {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi)) throw new InvalidArgumentError(`${what} must be a number in [${lo}, ${hi}], got ${v}`);
  return v;
};

/** Merges `input` over the recipe of its method (and arch, ε) and validates the result. */
export function resolveTrainConfig(input: TrainConfigInput): TrainConfig {
  const d = defaultTrainConfig(input.method, input.arch, input.eps);
  const c: TrainConfig = {
    ...d,
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    attack: { ...d.attack, ...definedOf(input.attack) },
    guard: { ...d.guard, ...definedOf(input.guard) },
    evaluation: { ...d.evaluation, ...definedOf(input.evaluation) },
  } as TrainConfig;
  parseArchitecture(c.arch);
  posInt(c.epochs, 'epochs');
  posInt(c.batchSize, 'batch size');
  if (!Number.isSafeInteger(c.seed)) throw new InvalidArgumentError(`seed must be a safe integer, got ${c.seed}`);
  if (c.trainLimit !== undefined) posInt(c.trainLimit, 'train limit');
  validateLrSchedule(c.lr);
  finite(c.eps, 'ε');
  validateEpsSchedule(c.epsSchedule);
  finite(c.attack.alpha, 'attack step size α');
  nonNegInt(c.attack.steps, 'attack steps');
  if ((c.method === 'pgd' || c.method === 'fgsm-rs') && c.attack.steps < 1) throw new InvalidArgumentError(`${c.method} needs at least one attack step`);
  finite(c.cleanMix, 'clean-loss mix', 0, 1);
  finite(c.kappa, 'κ', 0, 1);
  nonNegInt(c.guard.images, 'guard images');
  posInt(c.guard.steps, 'guard PGD steps');
  finite(c.guard.alpha, 'guard PGD α');
  finite(c.guard.drop, 'guard accuracy drop', 0, 1);
  if (c.evaluation.testLimit !== undefined) posInt(c.evaluation.testLimit, 'evaluation test limit');
  if (c.evaluation.robustLimit !== undefined) nonNegInt(c.evaluation.robustLimit, 'evaluation robust limit');
  nonNegInt(c.evaluation.pgdSteps, 'evaluation PGD steps');
  finite(c.evaluation.pgdAlpha, 'evaluation PGD α');
  return c;
}

function definedOf<T extends object>(o: T | undefined): Partial<T> {
  return o ? (Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>) : {};
}
