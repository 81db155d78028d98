/**
 * The attack panel's form as data: which core attack, with which options. The defaults are the
 * tutorial's (ch. 3), the same the CLI's `minmax attack` uses, and the spec goes unchanged to
 * core's createAttack in the attack worker.
 */
import { InvalidArgumentError } from '@minmax/core';

export type AttackMethod = 'fgsm' | 'pgd' | 'pgd-l2';

export const ATTACK_METHODS: readonly AttackMethod[] = ['fgsm', 'pgd', 'pgd-l2'];

export const METHOD_LABELS: Record<AttackMethod, string> = { fgsm: 'FGSM', pgd: 'PGD ℓ∞', 'pgd-l2': 'PGD ℓ2' };

export interface AttackSettings {
  method: AttackMethod;
  /** Maximise z_target − z_label instead of the cross-entropy of the label. */
  targeted: boolean;
  target: number;
  eps: number;
  /** Step size; FGSM's single step is always ε. */
  alpha: number;
  /** Ascent steps; FGSM takes one. */
  steps: number;
  /** Clip x + δ to [0, 1] (ℓ∞ attacks; ℓ2 PGD always clips). The tutorial's ℓ∞ attacks do not. */
  clip: boolean;
}

/** What the worker passes to createAttack(name, options). */
export interface AttackSpec {
  name: AttackMethod;
  options: {
    eps: number;
    alpha?: number;
    steps?: number;
    clip?: boolean;
    objective?: 'targeted';
    target?: number;
  };
}

const DEFAULTS: Record<AttackMethod, Pick<AttackSettings, 'eps' | 'alpha' | 'steps'>> = {
  fgsm: { eps: 0.1, alpha: 0.1, steps: 1 },
  pgd: { eps: 0.1, alpha: 0.01, steps: 40 },
  'pgd-l2': { eps: 2, alpha: 0.1, steps: 40 },
};

/** `method`'s ε, α and steps; the goal and clipping carry over from `previous`. */
export function defaultSettings(method: AttackMethod, previous?: AttackSettings): AttackSettings {
  return {
    method,
    targeted: previous?.targeted ?? false,
    target: previous?.target ?? 0,
    clip: previous?.clip ?? false,
    ...DEFAULTS[method],
  };
}

export const usesSteps = (method: AttackMethod): boolean => method !== 'fgsm';
export const usesClipOption = (method: AttackMethod): boolean => method !== 'pgd-l2';

/**
 * The createAttack call for these settings on a digit labelled `label`, or an
 * InvalidArgumentError saying in plain words which field to fix.
 */
export function toAttackSpec(s: AttackSettings, label: number, classes: number): AttackSpec {
  if (!ATTACK_METHODS.includes(s.method)) throw new InvalidArgumentError(`unknown attack '${String(s.method)}'`);
  if (!Number.isFinite(s.eps) || s.eps <= 0) throw new InvalidArgumentError('ε must be a number greater than 0.');
  const options: AttackSpec['options'] = { eps: s.eps };
  if (usesSteps(s.method)) {
    if (!Number.isFinite(s.alpha) || s.alpha <= 0) throw new InvalidArgumentError('The step size α must be a number greater than 0.');
    if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > 10_000) {
      throw new InvalidArgumentError('Steps must be a whole number from 1 to 10000.');
    }
    options.alpha = s.alpha;
    options.steps = s.steps;
  }
  if (usesClipOption(s.method)) options.clip = s.clip;
  if (s.targeted) {
    if (!Number.isInteger(s.target) || s.target < 0 || s.target >= classes) {
      throw new InvalidArgumentError(`The target must be a class from 0 to ${classes - 1}.`);
    }
    if (s.target === label) throw new InvalidArgumentError(`The target class must differ from the digit's label (${label}).`);
    options.objective = 'targeted';
    options.target = s.target;
  }
  return { name: s.method, options };
}

/** A target other than `label`: the one already chosen if it differs, else the next class. */
export function targetFor(label: number, current: number, classes: number): number {
  return current !== label && current >= 0 && current < classes ? current : (label + 1) % classes;
}
