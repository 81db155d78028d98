import { describe, expect, it } from 'vitest';
import { digitsAsFloat, type DigitSet } from '../data/digits.js';
import { appendDigit, relabelDrawings } from './drawn-digits.js';

const set: DigitSet = { count: 2, rows: 2, cols: 2, labels: new Uint8Array([7, 2]), pixels: new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]) };

describe('drawn digits', () => {
  it('appends a drawing after the test digits without touching them', () => {
    const next = appendDigit(set, new Uint8Array([255, 0, 0, 255]), 4);
    expect(next.count).toBe(3);
    expect(Array.from(next.labels)).toEqual([7, 2, 4]);
    expect(Array.from(digitsAsFloat(next, 2, 1))).toEqual([1, 0, 0, 1]);
    expect(Array.from(digitsAsFloat(next, 0, 2))).toEqual(Array.from(digitsAsFloat(set)));
    expect(set.count).toBe(2);
    expect(() => appendDigit(set, new Uint8Array(3), 0)).toThrow(RangeError);
  });

  it('relabels only the drawings, and returns the same set when nothing changes', () => {
    const withDrawing = appendDigit(set, new Uint8Array(4), 4);
    expect(relabelDrawings(withDrawing, 2, () => 4)).toBe(withDrawing);
    const relabelled = relabelDrawings(withDrawing, 2, () => 9);
    expect(Array.from(relabelled.labels)).toEqual([7, 2, 9]);
    expect(Array.from(withDrawing.labels)).toEqual([7, 2, 4]);
  });
});
