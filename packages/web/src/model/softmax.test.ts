import { describe, expect, it } from 'vitest';
import { argmax, softmax } from './softmax.js';

describe('softmax / argmax', () => {
  it('matches the definition and sums to one', () => {
    const z = [1, 2, 3];
    const e = z.map(Math.exp);
    const s = e.reduce((a, b) => a + b);
    const p = softmax(z);
    p.forEach((v, i) => expect(v).toBeCloseTo(e[i] / s, 15));
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 15);
  });

  it('stays finite for logits in the thousands (interval-bound scale)', () => {
    const p = softmax(new Float32Array([3000, 2999, -2500]));
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(p[2]).toBe(0);
    expect(Array.from(p).every(Number.isFinite)).toBe(true);
  });

  it('argmax takes the first maximum and reads a row of a batch', () => {
    expect(argmax([0, 5, 5, 1])).toBe(1);
    const batch = new Float32Array([9, 0, 0, /* row 1 */ 0, 1, 7]);
    expect(argmax(batch, 0, 3)).toBe(0);
    expect(argmax(batch, 3, 3)).toBe(2);
  });
});
