/**
 * The attack loop shared by every gradient attack (the foolbox/torchattacks design): the base
 * owns initialisation, the iterations, feasibility (domain clip + projection onto the ε-ball),
 * restarts, cancellation, progress and the final evaluation; each attack supplies only its
 * ascent step on δ. Attacks see the network only through `GradientModel`.
 *
 * Restarts follow the tutorial's pgd_linf_rand: after each restart the per-example objective is
 * evaluated at that restart's final iterate, and an example's stored δ is replaced when the new
 * loss is ≥ the best so far (later restarts win ties). The best starts at −∞ rather than the
 * tutorial's 0 so that objectives that can be negative (margin, targeted) are handled; for the
 * non-negative cross-entropy this is the same rule.
 */
import { Rng } from '../data/rng.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { isTargeted, type GradientModel, type Objective, type ObjectiveKind, type Reduction } from '../model.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import { objectiveValues } from './objective.js';
import { argmaxRows } from './predict.js';
import { constrain } from './project.js';
import { randomStart } from './random-start.js';
import { formatThreat, validateThreat, type ThreatModel } from './threat.js';

/** Options every gradient attack accepts. Defaults are the tutorial's unless an attack says otherwise. */
export interface AttackOptions {
  /** Radius of the ε-ball. */
  eps?: number;
  /** Valid input range for clipping; default [0, 1]. */
  domain?: readonly [number, number];
  /** Step size α. */
  alpha?: number;
  /** Ascent steps per restart. */
  steps?: number;
  /** Independent runs; the per-example worst (highest objective) is kept. Default 1. */
  restarts?: number;
  /** Start from a uniformly random point of the ε-ball instead of δ = 0. Default false. */
  randomStart?: boolean;
  /** Clip x + δ to the domain after every step. Default false: the tutorial's FGSM and ℓ∞ PGD do not clip. */
  clip?: boolean;
  /** Objective to maximise; default 'ce' (cross-entropy). Targeted kinds need a target. */
  objective?: ObjectiveKind;
  /** Reduction of the objective whose gradient is taken; default 'mean' (the tutorial's batch-mean). */
  reduction?: Reduction;
  /** Target class for every example, for targeted objectives (per-example targets can be passed to run()). */
  target?: number;
  /** Seed of the attack's random stream (random starts); default 0. */
  seed?: number;
}

/** The resolved, validated configuration of an attack. */
export interface AttackConfig {
  threat: Required<ThreatModel>;
  alpha: number;
  steps: number;
  restarts: number;
  randomStart: boolean;
  clip: boolean;
  objective: Required<Objective>;
  target: number | undefined;
  seed: number;
}

export interface AttackInput {
  /** [n, ...inputShape] clean inputs. */
  x: Float32Array;
  /** [n] true labels. */
  y: Int32Array;
  /** Batch size; default y.length. */
  n?: number;
  /** [n] per-example targets for targeted objectives (overrides the `target` option). */
  targets?: Int32Array;
  signal?: CancelSignal;
  onProgress?: ProgressCallback;
}

export interface AttackResult {
  /** [n, ...inputShape] the perturbations δ (feasible for the threat model). */
  delta: Float32Array;
  /** [n, ...inputShape] x + δ in float32. */
  adversarial: Float32Array;
  /** [n, classes] logits at x + δ. */
  logits: Float32Array;
  /** [n] objective at x + δ, per example. */
  losses: Float32Array;
  /** [n] predicted class at x + δ (argmax, ties → lowest index). */
  predictions: Int32Array;
  /** [n] 1 where the attack succeeded: untargeted, prediction ≠ y; targeted, prediction = target ≠ y. */
  success: Uint8Array;
  /** True when the signal stopped the attack early; δ is then the best feasible iterate reached. */
  cancelled: boolean;
}

export interface Attack {
  /** Registry name, e.g. 'pgd'. */
  readonly name: string;
  readonly config: Readonly<AttackConfig>;
  /** One line for logs, e.g. "pgd ℓ∞ ε=0.1 α=0.01 steps=40". */
  describe(): string;
  /** Restarts the attack's random stream at its seed (evaluate() does this so runs are reproducible). */
  reset(): void;
  run(model: GradientModel, input: AttackInput): Promise<AttackResult>;
}

/** The norm an attack's step is built for and its defaults. */
export interface AttackDefaults {
  norm: ThreatModel['norm'];
  eps: number;
  alpha: number;
  steps: number;
  clip: boolean;
}

const nonNegInt = (v: number, what: string, min = 0): number => {
  if (!Number.isInteger(v) || v < min) throw new InvalidArgumentError(`${what} must be an integer ≥ ${min}, got ${v}`);
  return v;
};

export function resolveConfig(options: AttackOptions, defaults: AttackDefaults): AttackConfig {
  const threat = validateThreat({ norm: defaults.norm, eps: options.eps ?? defaults.eps, domain: options.domain });
  const alpha = options.alpha ?? defaults.alpha;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) throw new InvalidArgumentError(`step size alpha must be a finite number ≥ 0, got ${alpha}`);
  const kind = options.objective ?? 'ce';
  if (!['ce', 'margin', 'targeted', 'targeted-sum'].includes(kind)) {
    throw new InvalidArgumentError(`objective must be 'ce', 'margin', 'targeted' or 'targeted-sum', got '${String(kind)}'`);
  }
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum') throw new InvalidArgumentError(`reduction must be 'mean' or 'sum', got '${String(reduction)}'`);
  if (options.target !== undefined) {
    nonNegInt(options.target, 'target class');
    if (!isTargeted(kind)) throw new InvalidArgumentError(`a target class needs a targeted objective ('targeted' or 'targeted-sum'), got '${kind}'`);
  }
  for (const key of ['randomStart', 'clip'] as const) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'boolean') throw new InvalidArgumentError(`option ${key} must be a boolean, got ${JSON.stringify(v)}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError(`seed must be a safe integer, got ${seed}`);
  return {
    threat,
    alpha,
    steps: nonNegInt(options.steps ?? defaults.steps, 'steps'),
    restarts: nonNegInt(options.restarts ?? 1, 'restarts', 1),
    randomStart: options.randomStart ?? false,
    clip: options.clip ?? defaults.clip,
    objective: { kind, reduction },
    target: options.target,
    seed,
  };
}

export abstract class GradientAttack implements Attack {
  readonly config: Readonly<AttackConfig>;
  private rng: Rng;

  constructor(
    readonly name: string,
    options: AttackOptions,
    defaults: AttackDefaults,
  ) {
    this.config = resolveConfig(options, defaults);
    this.rng = new Rng(this.config.seed);
  }

  /**
   * One ascent step on δ in place, from `grad` = ∇ of the reduced objective at x + δ. The base
   * then makes δ feasible again.
   */
  protected abstract step(delta: Float32Array, grad: Float32Array, n: number, size: number): void;

  describe(): string {
    const c = this.config;
    const parts = [this.name, formatThreat(c.threat), `α=${c.alpha}`, `steps=${c.steps}`];
    if (c.restarts > 1) parts.push(`restarts=${c.restarts}`);
    if (c.randomStart) parts.push('random-start');
    if (c.clip) parts.push(`clip=[${c.threat.domain.join(',')}]`);
    if (c.objective.kind !== 'ce') parts.push(`objective=${c.objective.kind}`);
    if (c.target !== undefined) parts.push(`target=${c.target}`);
    return parts.join(' ');
  }

  reset(): void {
    this.rng = new Rng(this.config.seed);
  }

  async run(model: GradientModel, input: AttackInput): Promise<AttackResult> {
    const c = this.config;
    const { x, y, signal, onProgress } = input;
    const n = input.n ?? y.length;
    const classes = model.numClasses;
    const size = model.inputShape.reduce((a, b) => a * b, 1);
    if (x.length !== n * size) {
      throw new ShapeError(`${this.name}: x has ${x.length} values, expected n·∏inputShape = ${n}·${size} (inputShape [${model.inputShape.join(', ')}])`);
    }
    if (y.length < n) throw new ShapeError(`${this.name}: ${y.length} labels for a batch of ${n}`);
    for (let k = 0; k < n; k++) {
      if (!(y[k]! >= 0 && y[k]! < classes)) throw new InvalidArgumentError(`${this.name}: label ${y[k]} of example ${k} is outside [0, ${classes})`);
    }
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]!)) throw new InvalidArgumentError(`${this.name}: input value ${x[i]} at flat index ${i} is not finite`);
    }
    const targets = this.resolveTargets(input.targets, n, classes);
    const labels = y.length === n ? y : y.subarray(0, n);

    const best = new Float32Array(n * size);
    const bestLogits = new Float32Array(n * classes);
    const bestLoss = new Float32Array(n);
    const delta = new Float32Array(n * size);
    const xAdv = new Float32Array(n * size);
    const total = c.restarts * c.steps;
    let cancelled = false;

    for (let r = 0; r < c.restarts && !cancelled; r++) {
      if (c.randomStart) randomStart(delta, n, size, c.threat.norm, c.threat.eps, this.rng);
      else delta.fill(0);
      constrain(delta, x, n, size, c.threat, c.clip);
      for (let s = 0; s < c.steps; s++) {
        if (signal?.aborted) {
          cancelled = true;
          break;
        }
        for (let i = 0; i < xAdv.length; i++) xAdv[i] = x[i]! + delta[i]!;
        const { grad } = await model.lossAndGrad(xAdv, n, labels, c.objective, targets);
        this.step(delta, grad, n, size);
        constrain(delta, x, n, size, c.threat, c.clip);
        onProgress?.({ task: `attack:${this.name}`, done: r * c.steps + s + 1, total, unit: 'steps' });
      }
      for (let i = 0; i < xAdv.length; i++) xAdv[i] = x[i]! + delta[i]!;
      const logits = await model.logits(xAdv, n);
      const losses = objectiveValues(logits, n, classes, labels, c.objective.kind, targets);
      for (let k = 0; k < n; k++) {
        // The first restart always fills the slot, so a NaN objective still yields its (feasible) δ.
        if (r === 0 || losses[k]! >= bestLoss[k]!) {
          bestLoss[k] = losses[k]!;
          best.set(delta.subarray(k * size, (k + 1) * size), k * size);
          bestLogits.set(logits.subarray(k * classes, (k + 1) * classes), k * classes);
        }
      }
    }

    const adversarial = new Float32Array(n * size);
    for (let i = 0; i < adversarial.length; i++) adversarial[i] = x[i]! + best[i]!;
    const predictions = argmaxRows(bestLogits, n, classes);
    const success = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const p = predictions[k]!;
      success[k] = targets ? Number(p === targets[k] && p !== labels[k]) : Number(p !== labels[k]);
    }
    return { delta: best, adversarial, logits: bestLogits, losses: bestLoss, predictions, success, cancelled };
  }

  private resolveTargets(given: Int32Array | undefined, n: number, classes: number): Int32Array | undefined {
    const c = this.config;
    if (!isTargeted(c.objective.kind)) {
      if (given) throw new InvalidArgumentError(`${this.name}: targets given but the objective '${c.objective.kind}' is untargeted`);
      return undefined;
    }
    let targets = given;
    if (!targets) {
      if (c.target === undefined) throw new InvalidArgumentError(`${this.name}: objective '${c.objective.kind}' needs a target class (option target or per-example targets)`);
      targets = new Int32Array(n).fill(c.target);
    }
    if (targets.length < n) throw new ShapeError(`${this.name}: ${targets.length} targets for a batch of ${n}`);
    for (let k = 0; k < n; k++) {
      if (!(targets[k]! >= 0 && targets[k]! < classes)) throw new InvalidArgumentError(`${this.name}: target ${targets[k]} of example ${k} is outside [0, ${classes})`);
    }
    return targets.length === n ? targets : targets.subarray(0, n);
  }
}
