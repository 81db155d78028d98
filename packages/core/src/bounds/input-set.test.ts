import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { Exact } from './exact.js';
import { linfBox, validateBox } from './input-set.js';

describe('linfBox', () => {
  it('contains the real ball, rounding outward only where x ± eps is not a float', () => {
    const x = Float32Array.of(0, 0.5, 0.3, 1, 0.7);
    const eps = 0.1;
    const { lower, upper } = linfBox(x, eps);
    for (let i = 0; i < x.length; i++) {
      expect(Exact.of(x[i]!).sub(Exact.of(eps)).geNumber(lower[i]!)).toBe(true);
      expect(Exact.of(x[i]!).add(Exact.of(eps)).leNumber(upper[i]!)).toBe(true);
    }
    expect(lower[0]).toBe(-0.1);
    expect(upper[0]).toBe(0.1);
  });

  it('clamps to the given range', () => {
    const { lower, upper } = linfBox(Float64Array.of(0, 0.95, 0.5), 0.1, { clamp: [0, 1] });
    expect(Array.from(lower)).toEqual([0, 0.95 - 0.1 <= 0.85 ? lower[1] : NaN, lower[2]]);
    expect(lower[0]).toBe(0);
    expect(upper[1]).toBe(1);
    expect(lower[2]).toBeLessThanOrEqual(0.4);
  });

  it('rejects bad epsilons, centres and empty sets', () => {
    expect(() => linfBox([0.5], -0.1)).toThrow(InvalidArgumentError);
    expect(() => linfBox([0.5], NaN)).toThrow(InvalidArgumentError);
    expect(() => linfBox([NaN], 0.1)).toThrow(InvalidArgumentError);
    expect(() => linfBox([1.5], 0.1, { clamp: [0, 1] })).toThrow(/empty/);
    expect(() => linfBox([0.5], 0.1, { clamp: [1, 0] })).toThrow(InvalidArgumentError);
  });
});

describe('validateBox', () => {
  it('accepts infinite endpoints and rejects NaN, inverted and infinite-point boxes', () => {
    expect(() => validateBox(Float64Array.of(-Infinity, 0), Float64Array.of(1, Infinity), 1, 2, 't')).not.toThrow();
    expect(() => validateBox(Float64Array.of(1), Float64Array.of(0), 1, 1, 't')).toThrow(/example 0, element 0/);
    expect(() => validateBox(Float64Array.of(NaN), Float64Array.of(0), 1, 1, 't')).toThrow(InvalidArgumentError);
    expect(() => validateBox(Float64Array.of(Infinity), Float64Array.of(Infinity), 1, 1, 't')).toThrow(InvalidArgumentError);
    expect(() => validateBox(new Float64Array(3), new Float64Array(3), 2, 2, 't')).toThrow(/length/);
  });
});
