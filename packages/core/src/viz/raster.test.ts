import { describe, expect, it } from 'vitest';
import { attackGrid } from './attack-grid.js';
import { foldText, textWidth } from './font.js';
import { diverging, grayscale, Raster } from './raster.js';

describe('figures', () => {
  it('draws text pixels in the requested colour and folds symbols to ASCII', () => {
    const r = new Raster(80, 20);
    r.text(40, 2, 'ε=0.1', 1, [255, 0, 0]);
    let red = 0;
    for (let i = 0; i < r.width * r.height; i++) if (r.data[4 * i] === 255 && r.data[4 * i + 1] === 0) red++;
    expect(red).toBeGreaterThan(20);
    expect(foldText('pgd ℓ∞ ε=0.1 α=0.01')).toBe('pgd LINF EPS=0.1 A=0.01');
    expect(textWidth('ab', 2)).toBe(22);
  });

  it('maps values to grey and to a diverging blue–white–red scale', () => {
    expect(grayscale(-1)).toEqual([0, 0, 0]);
    expect(grayscale(2)).toEqual([255, 255, 255]);
    const d = diverging(0.1);
    expect(d(0)).toEqual([255, 255, 255]);
    expect(d(0.1)).toEqual([255, 0, 0]);
    expect(d(-0.5)).toEqual([0, 0, 255]);
  });

  it('lays out one row per example with clean, adversarial and perturbation cells', () => {
    const clean = new Float32Array(16).fill(0.5);
    const adv = clean.map((v, i) => v + (i % 2 ? 0.1 : -0.1));
    const g = attackGrid([{ clean, adversarial: adv, label: 1, cleanPrediction: 1, adversarialPrediction: 2 }], { width: 4, height: 4, perturbationLimit: 0.1, scale: 2 });
    expect(g.width).toBe(3 * 8 + 4 * 10);
    // Perturbation cell: +ε is pure red, −ε pure blue.
    const px = (x: number, y: number) => Array.from(g.data.subarray(4 * (y * g.width + x), 4 * (y * g.width + x) + 3));
    const x0 = 3 * 10 + 2 * 8;
    const y0 = 22 + 22;
    expect(px(x0, y0)).toEqual([0, 0, 255]);
    expect(px(x0 + 2, y0)).toEqual([255, 0, 0]);
    expect(() => attackGrid([], { width: 4, height: 4, perturbationLimit: 0.1 })).toThrow();
  });
});
