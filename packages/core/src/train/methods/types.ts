/**
 * A training method supplies the gradient of its training objective for one batch at the current
 * weights; the trainer owns the loop, the optimiser, schedules, evaluation and checkpoints.
 */
import type { Batch } from '../../data/dataset.js';

export interface StepContext {
  /** 0-based epoch. */
  epoch: number;
  /** Time in epochs (epoch + batches done / batches per epoch), for per-iteration schedules. */
  t: number;
  /** Training ε at this step (from the ε schedule). */
  eps: number;
}

export interface StepResult {
  /** Gradient of the batch-mean training objective for every parameter. */
  grads: Record<string, Float32Array>;
  /** Σ over the batch of the per-example training objective. */
  lossSum: number;
  /** Examples the training objective counts as wrong: clean, adversarial, or not certified. */
  wrong: number;
}

export interface TrainingMethod {
  /** What `wrong` measures, for logs: 'clean', 'adversarial', 'not certified', 'robust'. */
  readonly trainErrorKind: string;
  /** Called before the first batch of every epoch (e.g. to reseed the attack's random stream). */
  beginEpoch(epoch: number): void;
  step(batch: Batch, ctx: StepContext): Promise<StepResult>;
  dispose(): Promise<void>;
}

/** Seeds derived from the run seed, one per purpose and epoch, so that a run resumed at an epoch
 *  boundary draws exactly the random numbers an uninterrupted run draws. */
export function derivedSeed(seed: number, purpose: number, epoch = 0): number {
  let h = (seed ^ Math.imul(purpose + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = (h ^ Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export const SEED_INIT = 0;
export const SEED_SHUFFLE = 1;
export const SEED_ATTACK = 2;
export const SEED_EVAL = 3;
