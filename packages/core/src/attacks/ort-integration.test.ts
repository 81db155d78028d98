/**
 * Attacks end to end on a real network: the tutorial's PGD-trained CNN (cnn_robust.onnx) imported
 * from ONNX and run by ONNX Runtime through createGradientModel, on the first 200 MNIST test
 * images. Expected misclassified examples come from the tutorial's own PyTorch definitions of
 * fgsm / pgd_linf / pgd_l2 run on the same weights and images (float32, CPU); robust models are
 * not sensitive to float rounding (reference §8.1), so the sets should match.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subset, type Dataset } from '../data/dataset.js';
import type { GradientModel } from '../model.js';
import { loadMnist } from '../node/mnist.js';
import { importOnnx } from '../onnx/import.js';
import { createGradientModel, createRuntime } from '../runtime/index.js';
import { evaluate } from './evaluate.js';
import { createAttack } from './registry.js';

const modelPath = resolve(import.meta.dirname, '../../../../../shared/tutorial-models/cnn_robust.onnx');

/** Indices (among the first 200 test images) the PyTorch reference misclassifies. */
const REFERENCE = {
  clean: [115],
  fgsm: [18, 115],
  pgd: [18, 92, 115, 158], // ε 0.1, α 0.01, 20 steps (same set at 40 steps)
  'pgd-l2': [18, 62, 92, 115, 158], // ε 2, α 0.1, 10 steps, clipped
};

let model: GradientModel;
let data: Dataset;

beforeAll(async () => {
  const runtime = await createRuntime(ort, { device: 'cpu', threads: 1 });
  model = await createGradientModel(runtime, importOnnx(new Uint8Array(readFileSync(modelPath))));
  data = subset(await loadMnist('test'), 200);
});
afterAll(async () => {
  await model?.dispose();
});

describe('attacks on cnn_robust through ONNX Runtime', () => {
  it('misclassify the same examples as the tutorial code under FGSM, PGD and PGD-ℓ2', async () => {
    const res = await evaluate(
      model,
      data,
      [
        { name: 'fgsm', attack: createAttack('fgsm') },
        { name: 'pgd', attack: createAttack('pgd', { steps: 20 }) },
        { name: 'pgd-l2', attack: createAttack('pgd-l2', { steps: 10 }) },
      ],
      { perExample: true },
    );
    expect(res.n).toBe(200);
    for (const [name, wrong] of Object.entries(REFERENCE)) {
      const pred = res.perExample!.predictions[name]!;
      const got = Array.from(pred.keys()).filter((k) => pred[k] !== data.labels[k]);
      expect(got, name).toEqual(wrong);
      expect(res.errors[name]).toBeCloseTo(wrong.length / 200, 12);
    }
  });

  it('keeps PGD iterates in the ε-ball and restarts never lower the per-example loss', async () => {
    const x = data.images.subarray(0, 20 * 784);
    const y = data.labels.subarray(0, 20);
    const opts = { steps: 5, alpha: 0.025, randomStart: true, seed: 1 };
    const one = await createAttack('pgd', { ...opts, restarts: 1 }).run(model, { x, y });
    const three = await createAttack('pgd-restarts', { ...opts, restarts: 3 }).run(model, { x, y });
    for (let k = 0; k < 20; k++) expect(three.losses[k]).toBeGreaterThanOrEqual(one.losses[k]!);
    for (const r of [one, three]) {
      let m = 0;
      for (const v of r.delta) m = Math.max(m, Math.abs(v));
      expect(m).toBeLessThanOrEqual(Math.fround(0.1));
    }
  });
});
