import { describe, expect, it } from 'vitest';
import { Rng } from '../data/rng.js';
import { Exact } from './exact.js';
import { addUp, dotErrorBound, dotErrorCoefficient, nextDown, nextUp, soundLower, soundUpper, subDown } from './float.js';

describe('nextUp / nextDown', () => {
  it('step to the adjacent float64 at the special values', () => {
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextUp(-0)).toBe(Number.MIN_VALUE);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
    expect(nextUp(-Number.MIN_VALUE)).toBe(-0);
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextDown(-1)).toBe(-1 - Number.EPSILON);
    expect(nextUp(Number.MAX_VALUE)).toBe(Infinity);
    expect(nextDown(Infinity)).toBe(Number.MAX_VALUE);
    expect(nextUp(-Infinity)).toBe(-Number.MAX_VALUE);
    expect(nextUp(Infinity)).toBe(Infinity);
    expect(nextDown(-Infinity)).toBe(-Infinity);
    expect(nextUp(NaN)).toBeNaN();
    // Carry from the low into the high 32-bit word.
    expect(nextUp(2 ** -1022 - Number.MIN_VALUE)).toBe(2 ** -1022);
  });

  it('return the nearest strictly larger / smaller float for random values', () => {
    const rng = new Rng(1);
    for (let k = 0; k < 2000; k++) {
      const x = (rng.float() - 0.5) * 2 ** (rng.int(2098) - 1074);
      const up = nextUp(x);
      const down = nextDown(x);
      expect(up).toBeGreaterThan(x);
      expect(down).toBeLessThan(x);
      // Nothing lies strictly between x and its neighbours: their midpoints round back to x or them.
      expect([x, up]).toContain(x + (up - x) / 2);
      expect([x, down]).toContain(x + (down - x) / 2);
    }
  });
});

describe('subDown / addUp', () => {
  it('are exact when the result is representable and outward otherwise', () => {
    const rng = new Rng(2);
    for (let k = 0; k < 2000; k++) {
      const a = rng.normal() * 2 ** (rng.int(40) - 20);
      const b = rng.float() * 2 ** (rng.int(40) - 20);
      const d = subDown(a, b);
      const s = addUp(a, b);
      const exactD = Exact.of(a).sub(Exact.of(b));
      const exactS = Exact.of(a).add(Exact.of(b));
      expect(exactD.geNumber(d)).toBe(true);
      expect(exactS.leNumber(s)).toBe(true);
      // Tight: one step further out would also be a bound, one step in would not.
      expect(exactD.geNumber(nextUp(d))).toBe(exactD.cmp(Exact.of(nextUp(d))) === 0);
      expect(exactS.leNumber(nextDown(s))).toBe(exactS.cmp(Exact.of(nextDown(s))) === 0);
    }
    expect(subDown(0.5, 0.25)).toBe(0.25);
    expect(subDown(Number.MAX_VALUE, -Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expect(addUp(-Number.MAX_VALUE, -Number.MAX_VALUE)).toBe(-Number.MAX_VALUE);
  });
});

describe('dot-product error bound', () => {
  it('κ_n = (n+1)·2⁻⁵³·(1+2⁻²⁰) is computed exactly', () => {
    for (const n of [0, 1, 7, 784, 3136, 2 ** 20, 2 ** 30]) {
      expect(dotErrorCoefficient(n) / 2 ** -53 / (n + 1)).toBe(1 + 2 ** -20);
    }
  });

  it('covers the worst-case error of recursive summation of rounded products', () => {
    const rng = new Rng(3);
    for (let k = 0; k < 300; k++) {
      const n = 1 + rng.int(60);
      const w = Array.from({ length: n }, () => rng.normal() * 2 ** (rng.int(60) - 30));
      const x = Array.from({ length: n }, () => rng.normal() * 2 ** (rng.int(60) - 30));
      const b = rng.normal();
      let s = b;
      let a = Math.abs(b);
      let exact = Exact.of(b);
      for (let j = 0; j < n; j++) {
        const t = w[j]! * x[j]!;
        s += t;
        a += Math.abs(t);
        exact = exact.add(Exact.of(w[j]!).mul(Exact.of(x[j]!)));
      }
      expect(exact.geNumber(soundLower(s, a, n))).toBe(true);
      expect(exact.leNumber(soundUpper(s, a, n))).toBe(true);
      expect(Math.abs(exact.sub(Exact.of(s)).toNumber())).toBeLessThanOrEqual(dotErrorBound(n, a));
    }
  });

  it('covers underflowing products through the subnormal term', () => {
    // 1e-200 · 1e-200 rounds to 0 while the exact product is positive.
    expect(1e-200 * 1e-200).toBe(0);
    expect(soundUpper(0, 0, 1)).toBeGreaterThan(0);
    expect(soundLower(0, 0, 1)).toBeLessThan(0);
  });

  it('turns overflow into infinite bounds', () => {
    expect(soundLower(Infinity, Infinity, 3)).toBe(-Infinity);
    expect(soundUpper(-Infinity, Infinity, 3)).toBe(Infinity);
    expect(soundLower(NaN, 1, 3)).toBe(-Infinity);
    expect(soundUpper(1, Infinity, 3)).toBe(Infinity);
  });
});
