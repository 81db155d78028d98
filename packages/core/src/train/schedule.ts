/**
 * Learning-rate and ε schedules. Time is measured in epochs, possibly fractional
 * (epoch + batch/batches), so per-iteration schedules (one-cycle, ramps) and per-epoch ones (the
 * tutorial's step decay and ε list) share one signature.
 */
import { InvalidArgumentError } from '../errors.js';

export type LrSchedule =
  | { kind: 'constant'; lr: number }
  /** lr·gamma^(number of milestones ≤ epoch): the tutorial's CNN recipe is {lr 0.1, milestones [5], gamma 0.1}
   *  ("if t == 4: lr = 0.01" runs after epoch index 4, so epochs 5… use 0.01). */
  | { kind: 'step'; lr: number; milestones: number[]; gamma: number }
  /** Piecewise linear 0 → lr at `peak` (fraction of the run) → 0, per iteration: the cyclic
   *  schedule of Wong, Rice & Kolter 2020 (np.interp([t], [0, 2/5·epochs, epochs], [0, lr_max, 0]) on MNIST). */
  | { kind: 'one-cycle'; lr: number; peak: number };

export type EpsSchedule =
  | { kind: 'constant'; eps: number }
  /** ε of epoch e is values[min(e, length − 1)]: the tutorial's IBP list. */
  | { kind: 'list'; values: number[] }
  /** 0 until `start` epochs, then linear to `eps` at `end` epochs, then constant (per iteration). */
  | { kind: 'ramp'; eps: number; start: number; end: number };

/** The tutorial's IBP training ε per epoch (§5.6): "picked rather randomly". */
export const TUTORIAL_IBP_EPS: readonly number[] = [0, 0.0001, 0.001, 0.01, 0.01, 0.05, 0.05, 0.05, 0.05, 0.05, ...new Array<number>(15).fill(0.1)];

const finiteNonNeg = (v: number, what: string): void => {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new InvalidArgumentError(`${what} must be a finite number ≥ 0, got ${v}`);
};

export function validateLrSchedule(s: LrSchedule): LrSchedule {
  finiteNonNeg(s?.lr, 'learning rate');
  switch (s.kind) {
    case 'constant':
      return s;
    case 'step':
      if (!Array.isArray(s.milestones) || s.milestones.some((m) => !Number.isInteger(m) || m < 0)) throw new InvalidArgumentError(`step schedule milestones must be epoch indices ≥ 0, got ${JSON.stringify(s.milestones)}`);
      finiteNonNeg(s.gamma, 'step schedule gamma');
      return s;
    case 'one-cycle':
      if (!(s.peak > 0 && s.peak < 1)) throw new InvalidArgumentError(`one-cycle peak must be a fraction in (0, 1), got ${s.peak}`);
      return s;
    default:
      throw new InvalidArgumentError(`unknown learning-rate schedule '${String((s as { kind?: unknown }).kind)}' (expected constant, step, one-cycle)`);
  }
}

export function validateEpsSchedule(s: EpsSchedule): EpsSchedule {
  switch (s?.kind) {
    case 'constant':
      finiteNonNeg(s.eps, 'ε');
      return s;
    case 'list':
      if (!Array.isArray(s.values) || s.values.length === 0) throw new InvalidArgumentError('ε schedule list is empty');
      s.values.forEach((v) => finiteNonNeg(v, 'ε schedule entry'));
      return s;
    case 'ramp':
      finiteNonNeg(s.eps, 'ε');
      finiteNonNeg(s.start, 'ε ramp start');
      if (!(s.end >= s.start)) throw new InvalidArgumentError(`ε ramp end (${s.end}) must be ≥ its start (${s.start})`);
      return s;
    default:
      throw new InvalidArgumentError(`unknown ε schedule '${String((s as { kind?: unknown })?.kind)}' (expected constant, list, ramp)`);
  }
}

/** Learning rate at time `t` (epochs, fractional) of a run of `epochs` epochs. */
export function learningRate(s: LrSchedule, t: number, epochs: number): number {
  switch (s.kind) {
    case 'constant':
      return s.lr;
    case 'step': {
      const e = Math.floor(t);
      return s.lr * s.gamma ** s.milestones.filter((m) => m <= e).length;
    }
    case 'one-cycle': {
      const peak = s.peak * epochs;
      if (t <= peak) return (s.lr * t) / peak;
      return Math.max(0, (s.lr * (epochs - t)) / (epochs - peak));
    }
  }
}

/** Training ε at time `t` (epochs, fractional). */
export function epsilonAt(s: EpsSchedule, t: number): number {
  switch (s.kind) {
    case 'constant':
      return s.eps;
    case 'list':
      return s.values[Math.min(Math.floor(t), s.values.length - 1)]!;
    case 'ramp':
      if (t <= s.start) return 0;
      if (t >= s.end || s.end === s.start) return s.eps;
      return (s.eps * (t - s.start)) / (s.end - s.start);
  }
}
