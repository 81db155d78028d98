import { describe, expect, it } from 'vitest';
import { linfDistance, perturbationImage, toPixels } from './image.js';

describe('counterexample images', () => {
  it('turns inputs into display bytes, clipping outside [0,1]', () => {
    expect(Array.from(toPixels([0, 0.5, 1, -0.1, 1.2]))).toEqual([0, 128, 255, 0, 255]);
  });

  it('colours the perturbation red for +ε, blue for −ε and white for none', () => {
    const clean = [0.5, 0.5, 0.5, 0.5];
    const x = [0.75, 0.25, 0.5, 0.625];
    const r = perturbationImage(x, clean, 0.25, 2, 2);
    const px = (i: number) => Array.from(r.data.subarray(4 * i, 4 * i + 3));
    expect(r.width).toBe(2);
    expect(px(0)).toEqual([255, 0, 0]);
    expect(px(1)).toEqual([0, 0, 255]);
    expect(px(2)).toEqual([255, 255, 255]);
    expect(px(3)).toEqual([255, 128, 128]);
    expect(linfDistance(x, clean)).toBe(0.25);
  });

  it('refuses images of the wrong size', () => {
    expect(() => perturbationImage([0, 1], [0, 1], 0.1, 2, 2)).toThrow(/2×2/);
  });
});
