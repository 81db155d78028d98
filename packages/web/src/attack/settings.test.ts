import { describe, expect, it } from 'vitest';
import { createAttack, InvalidArgumentError } from '@minmax/core';
import { defaultSettings, targetFor, toAttackSpec } from './settings.js';

describe('attack settings', () => {
  it("defaults to the tutorial's (and the CLI's) settings for each attack", () => {
    expect(defaultSettings('pgd')).toMatchObject({ eps: 0.1, alpha: 0.01, steps: 40, targeted: false, clip: false });
    expect(defaultSettings('pgd-l2')).toMatchObject({ eps: 2, alpha: 0.1, steps: 40 });
    expect(defaultSettings('fgsm')).toMatchObject({ eps: 0.1 });
  });

  it('keeps the goal and clipping when the attack changes, and resets ε, α, steps', () => {
    const chosen = { ...defaultSettings('pgd'), eps: 0.3, targeted: true, target: 4, clip: true };
    expect(defaultSettings('pgd-l2', chosen)).toEqual({ method: 'pgd-l2', eps: 2, alpha: 0.1, steps: 40, targeted: true, target: 4, clip: true });
  });

  it('builds createAttack specs core accepts, describing the same attack', () => {
    const pgd = toAttackSpec(defaultSettings('pgd'), 7, 10);
    expect(pgd).toEqual({ name: 'pgd', options: { eps: 0.1, alpha: 0.01, steps: 40, clip: false } });
    expect(createAttack(pgd.name, pgd.options).describe()).toBe('pgd ℓ∞ ε=0.1 α=0.01 steps=40');

    // FGSM takes no steps option (core rejects one) and its step is ε.
    const fgsm = toAttackSpec({ ...defaultSettings('fgsm'), eps: 0.2 }, 7, 10);
    expect(fgsm).toEqual({ name: 'fgsm', options: { eps: 0.2, clip: false } });
    expect(createAttack(fgsm.name, fgsm.options).describe()).toBe('fgsm ℓ∞ ε=0.2 α=0.2 steps=1');

    // ℓ2 PGD always clips to [0, 1]: the page leaves it at core's default.
    const l2 = toAttackSpec({ ...defaultSettings('pgd-l2'), clip: false }, 7, 10);
    expect(l2.options).not.toHaveProperty('clip');
    expect(createAttack(l2.name, l2.options).config.clip).toBe(true);

    const targeted = toAttackSpec({ ...defaultSettings('pgd'), targeted: true, target: 3 }, 7, 10);
    expect(targeted.options).toMatchObject({ objective: 'targeted', target: 3 });
    expect(createAttack(targeted.name, targeted.options).describe()).toContain('target=3');
  });

  it('says in plain words which field is wrong', () => {
    const base = defaultSettings('pgd');
    const bad = [
      [{ ...base, eps: Number.NaN }, /ε must be/],
      [{ ...base, eps: 0 }, /ε must be/],
      [{ ...base, alpha: -1 }, /step size α/],
      [{ ...base, steps: 2.5 }, /whole number/],
      [{ ...base, steps: 0 }, /whole number/],
      [{ ...base, targeted: true, target: 7 }, /differ from the digit's label \(7\)/],
      [{ ...base, targeted: true, target: 10 }, /from 0 to 9/],
    ] as const;
    for (const [settings, message] of bad) {
      expect(() => toAttackSpec(settings, 7, 10)).toThrow(InvalidArgumentError);
      expect(() => toAttackSpec(settings, 7, 10)).toThrow(message);
    }
    // FGSM ignores α and steps, so stale values there do not block it.
    expect(() => toAttackSpec({ ...defaultSettings('fgsm'), alpha: Number.NaN, steps: 0 }, 7, 10)).not.toThrow();
  });

  it('never proposes the label as the target', () => {
    expect(targetFor(7, 3, 10)).toBe(3);
    expect(targetFor(7, 7, 10)).toBe(8);
    expect(targetFor(9, 9, 10)).toBe(0);
    expect(targetFor(2, 12, 10)).toBe(3);
  });
});
