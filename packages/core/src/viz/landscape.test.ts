/**
 * The loss landscape on the tutorial's released ConvNets (test image 0, ε = 0.1): the grid's
 * centre is the clean loss, every point is the cross-entropy of the real network at
 * x + u·r + v·sign(∇) (re-computed independently here), the standard network's loss climbs along
 * the gradient sign far above the PGD-trained one's (the tutorial's two figures), and the surface
 * figure draws both.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import type { GradientModel } from '../model.js';
import { loadMnist } from '../node/mnist.js';
import { importOnnx } from '../onnx/import.js';
import { createGradientModel, createRuntime } from '../runtime/index.js';
import { crossEntropy } from '../attacks/objective.js';
import { lossLandscape, type LossLandscape } from './landscape.js';
import { coolwarm, lossSurfaceFigure } from './surface.js';

const models = resolve(import.meta.dirname, '../../../../../shared/tutorial-models');
let standard: GradientModel;
let robust: GradientModel;
let x: Float32Array;
let label: number;
let L1: LossLandscape;
let L2: LossLandscape;

beforeAll(async () => {
  const runtime = await createRuntime(ort, { device: 'cpu', threads: 1 });
  const load = (f: string) => createGradientModel(runtime, importOnnx(new Uint8Array(readFileSync(`${models}/${f}.onnx`))));
  [standard, robust] = await Promise.all([load('cnn'), load('cnn_robust')]);
  const test = await loadMnist('test');
  x = test.images.slice(0, 784);
  label = test.labels[0];
  L1 = await lossLandscape(standard, x, label, { resolution: 11, seed: 3 });
  L2 = await lossLandscape(robust, x, label, { resolution: 11, seed: 3 });
});
afterAll(async () => {
  await standard?.dispose();
  await robust?.dispose();
});

describe('lossLandscape', () => {
  it('is the cross-entropy of the real network at every grid point', async () => {
    const n = L1.resolution;
    expect(L1.coords[0]).toBeCloseTo(-0.1, 12);
    expect(L1.coords[n - 1]).toBeCloseTo(0.1, 12);
    expect(L1.coords[(n - 1) / 2]).toBeCloseTo(0, 12);
    expect(L1.loss[((n - 1) / 2) * n + (n - 1) / 2]).toBeCloseTo(L1.clean, 5);
    for (const [row, col] of [[0, 0], [10, 3], [7, 10], [2, 9]]) {
      const p = new Float32Array(784);
      for (let i = 0; i < 784; i++) p[i] = x[i] + L1.coords[col] * L1.randomSign[i] + L1.coords[row] * L1.gradientSign[i];
      const z = await standard.logits(p, 1);
      expect(L1.loss[row * n + col]).toBeCloseTo(crossEntropy(z, 0, 10, label), 9);
    }
    expect(L1.gradientSign.every((v) => v === 1 || v === -1 || v === 0)).toBe(true);
    expect(L1.randomSign.every((v) => v === 1 || v === -1)).toBe(true);
    expect(L1.cancelled).toBe(false);
  });

  it('climbs along the gradient sign on the standard ConvNet and stays flat on the PGD-trained one', () => {
    const n = L1.resolution;
    const mid = (n - 1) / 2;
    expect(L1.loss[(n - 1) * n + mid]).toBeGreaterThan(1);
    expect(L1.loss[(n - 1) * n + mid]).toBeGreaterThan(100 * L1.loss[mid * n + n - 1]);
    expect(L2.max).toBeLessThan(0.01);
    expect(L1.max).toBeGreaterThan(100 * L2.max);
  });

  it('is deterministic for a seed, and the seed picks the random direction', async () => {
    const again = await lossLandscape(standard, x, label, { resolution: 3, seed: 3 });
    expect(Array.from(again.randomSign)).toEqual(Array.from(L1.randomSign));
    const other = await lossLandscape(standard, x, label, { resolution: 3, seed: 4 });
    expect(Array.from(other.randomSign)).not.toEqual(Array.from(L1.randomSign));
  });

  it('stops when cancelled, leaving the points not reached NaN', async () => {
    let calls = 0;
    const signal = { get aborted() { return calls > 0; } };
    const r = await lossLandscape(standard, x, label, { resolution: 5, batchSize: 10, signal, onProgress: () => calls++ });
    expect(r.cancelled).toBe(true);
    expect(Number.isFinite(r.loss[9])).toBe(true);
    expect(Number.isNaN(r.loss[10])).toBe(true);
  });

  it('rejects bad arguments with typed errors', async () => {
    await expect(lossLandscape(standard, x, label, { eps: -0.1 })).rejects.toThrow(InvalidArgumentError);
    await expect(lossLandscape(standard, x, label, { eps: NaN })).rejects.toThrow(/eps/);
    await expect(lossLandscape(standard, x, label, { resolution: 1 })).rejects.toThrow(/resolution/);
    await expect(lossLandscape(standard, x.subarray(0, 100), label)).rejects.toThrow(/100 values/);
    await expect(lossLandscape(standard, x, 10)).rejects.toThrow(/label 10/);
  });
});

describe('lossSurfaceFigure', () => {
  it('draws one shaded surface per model side by side', () => {
    const r = lossSurfaceFigure([{ title: 'cnn', landscape: L1 }, { title: 'cnn robust', landscape: L2 }], { width: 300, height: 280 });
    expect(r.width).toBe(600);
    expect(r.height).toBe(280);
    // Both panels are coloured by the coolwarm map: reddish peaks and bluish floors in each.
    for (const [x0, x1] of [[0, 300], [300, 600]]) {
      let red = 0;
      let blue = 0;
      for (let y = 0; y < r.height; y++)
        for (let px = x0; px < x1; px++) {
          const i = 4 * (y * r.width + px);
          const [R, , B] = [r.data[i], r.data[i + 1], r.data[i + 2]];
          if (R > B + 60) red++;
          if (B > R + 60) blue++;
        }
      expect(red).toBeGreaterThan(50);
      expect(blue).toBeGreaterThan(50);
    }
  });

  it('coolwarm runs blue → grey → red', () => {
    expect(coolwarm(0)).toEqual([59, 76, 192]);
    expect(coolwarm(0.5)).toEqual([221, 221, 221]);
    expect(coolwarm(1)).toEqual([180, 4, 38]);
    expect(coolwarm(NaN)).toEqual([59, 76, 192]);
  });
});
