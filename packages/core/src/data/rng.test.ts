import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { Rng } from './rng.js';

describe('Rng (xoshiro128**)', () => {
  it('matches the reference xoshiro128** outputs for state [1, 2, 3, 4]', () => {
    // First outputs of the C reference implementation (also rand_xoshiro's test vector).
    const r = Rng.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('seeds its state with SplitMix32 (values from an independent Python implementation)', () => {
    const r = new Rng(42);
    expect(r.state()).toEqual([551831576, 144025891, 322543647, 3034809370]);
    expect(Array.from({ length: 3 }, () => r.nextUint32())).toEqual([660444221, 3652823732, 77672526]);
  });

  it('is deterministic per seed and distinct across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xa = Array.from({ length: 10 }, () => a.float());
    expect(Array.from({ length: 10 }, () => b.float())).toEqual(xa);
    expect(Array.from({ length: 10 }, () => c.float())).not.toEqual(xa);
    expect(new Rng(2 ** 32).state()).not.toEqual(new Rng(0).state());
    expect(new Rng(-1).state()).not.toEqual(new Rng(1).state());
  });

  it('clone continues the same stream independently', () => {
    const a = new Rng(3);
    a.normal();
    const b = a.clone();
    expect([a.normal(), a.float(), a.int(10)]).toEqual([b.normal(), b.float(), b.int(10)]);
  });

  it('has plausible uniform and normal moments', () => {
    const r = new Rng(1);
    const m = 200_000;
    let s = 0;
    let s2 = 0;
    let g = 0;
    let g2 = 0;
    let inRange = true;
    for (let i = 0; i < m; i++) {
      const u = r.float();
      inRange &&= u >= 0 && u < 1;
      s += u;
      s2 += u * u;
      const z = r.normal();
      g += z;
      g2 += z * z;
    }
    expect(inRange).toBe(true);
    expect(s / m).toBeCloseTo(0.5, 2);
    expect(s2 / m - (s / m) ** 2).toBeCloseTo(1 / 12, 2);
    expect(g / m).toBeCloseTo(0, 2);
    expect(g2 / m).toBeCloseTo(1, 1);
  });

  it('int is unbiased over a non-power-of-two range and permutation is a permutation', () => {
    const r = new Rng(5);
    const counts = new Array(3).fill(0);
    for (let i = 0; i < 30_000; i++) counts[r.int(3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const p = r.permutation(1000);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('rejects bad seeds and bounds', () => {
    expect(() => new Rng(0.5)).toThrow(InvalidArgumentError);
    expect(() => new Rng(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => new Rng(1).int(0)).toThrow(InvalidArgumentError);
    expect(() => Rng.fromState([0, 0, 0, 0])).toThrow(InvalidArgumentError);
  });
});
