import { describe, expect, it } from 'vitest';
import { centreOfMass, DIGIT_SIZE, EmptyDrawingError, inkFromRgba, preprocessDrawing, toPixelBytes } from './preprocess.js';

const W = 280;
const H = 280;

/** A round pen of radius r dragged along the points, antialiased by 4×4 supersampling, as a canvas would. */
function stroke(points: Array<[number, number]>, r: number, width = W, height = H): Float32Array {
  const ink = new Float32Array(width * height);
  const distToPath = (x: number, y: number) => {
    let best = Infinity;
    for (let k = 0; k + 1 < points.length; k++) {
      const [ax, ay] = points[k];
      const [bx, by] = points[k + 1];
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
      best = Math.min(best, Math.hypot(x - ax - t * dx, y - ay - t * dy));
    }
    return best;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hit = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (distToPath(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4) <= r) hit++;
      ink[y * width + x] = hit / 16;
    }
  }
  return ink;
}

function inkBounds(image: Float32Array): { x0: number; x1: number; y0: number; y1: number } {
  let x0 = DIGIT_SIZE;
  let x1 = -1;
  let y0 = DIGIT_SIZE;
  let y1 = -1;
  for (let y = 0; y < DIGIT_SIZE; y++) {
    for (let x = 0; x < DIGIT_SIZE; x++) {
      if (image[y * DIGIT_SIZE + x] <= 0) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return { x0, x1, y0, y1 };
}

describe('preprocessDrawing', () => {
  it('turns an off-centre "7"-like stroke into a 28×28 digit with its mass at the centre, ink in [0, 1]', () => {
    // Top bar and a diagonal, drawn in the top-left corner of the canvas.
    const ink = stroke([[20, 30], [130, 30], [60, 170]], 9);
    const out = preprocessDrawing(ink, W, H);
    expect(out).toHaveLength(DIGIT_SIZE * DIGIT_SIZE);
    for (const v of out) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    const com = centreOfMass(out, DIGIT_SIZE, DIGIT_SIZE);
    expect(com).not.toBeNull();
    expect(Math.abs(com!.x - 13.5)).toBeLessThan(0.5);
    expect(Math.abs(com!.y - 13.5)).toBeLessThan(0.5);
    // The stroke's middle is solid ink, its edges antialiased.
    expect(Math.max(...out)).toBeGreaterThan(0.9);
    expect(out.some((v) => v > 0.05 && v < 0.95)).toBe(true);
  });

  it('fits the longer side into 20 px and keeps the aspect ratio', () => {
    // A vertical bar: 160 px tall, 20 px wide → 20 px tall, about 2.5 px wide.
    const ink = new Float32Array(W * H);
    for (let y = 50; y < 210; y++) for (let x = 100; x < 120; x++) ink[y * W + x] = 1;
    const out = preprocessDrawing(ink, W, H);
    const b = inkBounds(out);
    const tall = b.y1 - b.y0 + 1;
    const wide = b.x1 - b.x0 + 1;
    expect(tall).toBeGreaterThanOrEqual(20);
    expect(tall).toBeLessThanOrEqual(21);
    expect(wide).toBeLessThanOrEqual(4);
    // Total ink is the bar's area scaled by (20/160)²: area averaging neither loses nor invents ink.
    const mass = out.reduce((a, v) => a + v, 0);
    expect(mass).toBeCloseTo(160 * 20 * (20 / 160) ** 2, 1);
    const com = centreOfMass(out, DIGIT_SIZE, DIGIT_SIZE)!;
    expect(Math.abs(com.x - 13.5)).toBeLessThan(0.5);
    expect(Math.abs(com.y - 13.5)).toBeLessThan(0.5);
  });

  it('centres a lopsided shape by its mass, not by its bounding box', () => {
    // An "L": heavy bottom bar, so the mass sits below the box centre and the box is pushed up.
    const ink = stroke([[60, 40], [60, 220], [220, 220]], 12);
    const out = preprocessDrawing(ink, W, H);
    const com = centreOfMass(out, DIGIT_SIZE, DIGIT_SIZE)!;
    expect(Math.abs(com.x - 13.5)).toBeLessThan(0.5);
    expect(Math.abs(com.y - 13.5)).toBeLessThan(0.5);
    const b = inkBounds(out);
    expect((b.y0 + b.y1) / 2).toBeLessThan(13.5 - 1);
  });

  it('rejects an empty drawing, and a few stray specks of fuzz, in plain words', () => {
    expect(() => preprocessDrawing(new Float32Array(W * H), W, H)).toThrow(EmptyDrawingError);
    expect(() => preprocessDrawing(new Float32Array(W * H), W, H)).toThrow('The drawing is empty: draw a digit in the box first.');
    const fuzz = new Float32Array(W * H);
    fuzz[1000] = 0.02;
    expect(() => preprocessDrawing(fuzz, W, H)).toThrow(EmptyDrawingError);
  });

  it('handles a dot smaller than the 20 px box by scaling it up', () => {
    const ink = new Float32Array(W * H);
    ink[140 * W + 140] = 1;
    const out = preprocessDrawing(ink, W, H);
    const com = centreOfMass(out, DIGIT_SIZE, DIGIT_SIZE)!;
    expect(Math.abs(com.x - 13.5)).toBeLessThan(0.5);
    expect(Math.abs(com.y - 13.5)).toBeLessThan(0.5);
    expect(Math.max(...out)).toBe(1);
  });
});

describe('inkFromRgba and toPixelBytes', () => {
  it('reads ink from the alpha channel and writes DigitSet bytes', () => {
    const rgba = new Uint8ClampedArray([0, 0, 0, 0, 24, 28, 56, 255, 24, 28, 56, 128]);
    const ink = inkFromRgba(rgba, 3, 1);
    expect(Array.from(ink)).toEqual([0, 1, 128 / 255].map((v) => Math.fround(v)));
    expect(Array.from(toPixelBytes([0, 0.5, 1, 1.2, -0.1]))).toEqual([0, 128, 255, 255, 0]);
    expect(() => inkFromRgba(rgba, 2, 2)).toThrow(RangeError);
  });
});
