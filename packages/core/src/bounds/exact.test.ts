import { describe, expect, it } from 'vitest';
import { Rng } from '../data/rng.js';
import { Exact } from './exact.js';

describe('Exact', () => {
  it('represents floats exactly, including subnormals and large values', () => {
    const rng = new Rng(4);
    const values = [0, -0, 1, -1, 0.1, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** -1022, Number.MAX_VALUE, 1e300, -3e-310];
    for (let k = 0; k < 500; k++) values.push(rng.normal() * 2 ** (rng.int(2000) - 1000));
    for (const v of values) {
      expect(Exact.of(v).toNumber()).toBe(v === 0 ? 0 : v);
      expect(Exact.of(v).cmp(Exact.of(v))).toBe(0);
    }
    expect(() => Exact.of(Infinity)).toThrow(RangeError);
  });

  it('adds, multiplies and divides without rounding', () => {
    // 0.1 + 0.2 ≠ 0.3 in floats, and exactly: the float 0.1 + the float 0.2 is not the float 0.3.
    const s = Exact.of(0.1).add(Exact.of(0.2));
    expect(s.cmp(Exact.of(0.3))).toBe(1);
    expect(s.cmp(Exact.of(0.1 + 0.2))).toBe(-1);
    // (1/3 as a division) · 3 = 1 exactly; 1e-200² is positive though it underflows in floats.
    expect(Exact.of(1).divInt(3).mul(Exact.of(3)).cmp(Exact.of(1))).toBe(0);
    expect(Exact.of(1e-200).mul(Exact.of(1e-200)).sign()).toBe(1);
    expect(Exact.of(2).divInt(6).add(Exact.of(1).divInt(4)).sub(Exact.of(7).divInt(12)).sign()).toBe(0);
    expect(Exact.of(-2).max(Exact.ZERO).sign()).toBe(0);
    expect(Exact.of(-2).min(Exact.of(1)).toNumber()).toBe(-2);
  });

  it('compares against floats including infinities', () => {
    const third = Exact.of(1).divInt(3);
    expect(third.leNumber(1 / 3)).toBe(false); // the float 1/3 is below the real 1/3
    expect(third.geNumber(1 / 3)).toBe(true);
    expect(third.leNumber(Infinity)).toBe(true);
    expect(third.geNumber(-Infinity)).toBe(true);
    expect(third.leNumber(-Infinity)).toBe(false);
    expect(third.leNumber(NaN)).toBe(false);
  });
});
