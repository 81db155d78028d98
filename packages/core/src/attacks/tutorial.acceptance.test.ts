/**
 * The foundation issue's acceptance: the tutorial's published attack figures, reproduced from its
 * released networks on the FULL 10,000-image MNIST test set (../shared/tutorial-models/README.md),
 * through the whole product path: ONNX import → autodiff gradient graphs → ONNX Runtime → attacks
 * → evaluate. Tolerances are the README's; centres are the PyTorch float32 CPU figures where the
 * README gives them (FGSM on confident standard nets depends on softmax rounding).
 *
 * The restarts check (10 restarts × 40 steps on all 10,000 images) is the slowest test of the
 * suite and has its own time limit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset.js';
import type { GradientModel } from '../model.js';
import { loadMnist } from '../node/mnist.js';
import { importOnnx } from '../onnx/import.js';
import { createGradientModel, createRuntime, type Runtime } from '../runtime/index.js';
import { evaluate } from './evaluate.js';
import { createAttack } from './registry.js';

const dir = resolve(import.meta.dirname, '../../../../../shared/tutorial-models');
let runtime: Runtime;
let test: Dataset;
const open: GradientModel[] = [];

async function load(name: string): Promise<GradientModel> {
  const file = `${dir}/${name}.onnx`;
  expect(existsSync(file), `${file} (the tutorial's released models must be beside the repo)`).toBe(true);
  const m = await createGradientModel(runtime, importOnnx(new Uint8Array(readFileSync(file))));
  open.push(m);
  return m;
}

const fgsm = () => ({ name: 'fgsm', attack: createAttack('fgsm', { eps: 0.1 }) });
const pgd = () => ({ name: 'pgd', attack: createAttack('pgd', { eps: 0.1, alpha: 0.01, steps: 40 }) });

beforeAll(async () => {
  runtime = await createRuntime(ort, { device: 'cpu', threads: 2 });
  test = await loadMnist('test');
  expect(test.n).toBe(10_000);
});
afterAll(async () => {
  for (const m of open) await m.dispose();
});

describe('tutorial attack figures on 10,000 MNIST test images', () => {
  it('dnn2: clean 0.0285, FGSM 0.926 ± 0.003, PGD-40 0.9637 ± 0.003, PGD-ℓ2 (ε 2) 0.9232 ± 0.005', async () => {
    const model = await load('dnn2');
    const l2 = { name: 'pgd-l2', attack: createAttack('pgd-l2', { eps: 2, alpha: 0.1, steps: 40 }) };
    const r = await evaluate(model, test, [fgsm(), pgd(), l2]);
    expect(r.n).toBe(10_000);
    expect(r.errors.clean).toBeCloseTo(0.0285, 4);
    expect(Math.abs(r.errors.fgsm - 0.926)).toBeLessThanOrEqual(0.003);
    expect(Math.abs(r.errors.pgd - 0.9637)).toBeLessThanOrEqual(0.003);
    expect(Math.abs(r.errors['pgd-l2'] - 0.9232)).toBeLessThanOrEqual(0.005);
  });

  it('cnn_robust (PGD-trained): clean 0.0085, FGSM 0.0258 ± 0.0005, PGD-40 0.0286 ± 0.0005', async () => {
    const r = await evaluate(await load('cnn_robust'), test, [fgsm(), pgd()]);
    expect(r.errors.clean).toBeCloseTo(0.0085, 4);
    expect(Math.abs(r.errors.fgsm - 0.0258)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(r.errors.pgd - 0.0286)).toBeLessThanOrEqual(0.0005);
  });

  it('cnn_robust_ibp (IBP-trained): clean 0.0515, FGSM 0.0754 ± 0.0005, PGD-40 0.0779 ± 0.0005', async () => {
    const r = await evaluate(await load('cnn_robust_ibp'), test, [fgsm(), pgd()]);
    expect(r.errors.clean).toBeCloseTo(0.0515, 4);
    expect(Math.abs(r.errors.fgsm - 0.0754)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(r.errors.pgd - 0.0779)).toBeLessThanOrEqual(0.0005);
  });

  let cnnPgd: number | undefined;
  it('cnn (standard): clean 0.0105, PGD-40 0.751 ± 0.01', async () => {
    const model = await load('cnn');
    const r = await evaluate(model, test, [pgd()]);
    expect(r.errors.clean).toBeCloseTo(0.0105, 4);
    expect(Math.abs(r.errors.pgd - 0.751)).toBeLessThanOrEqual(0.01);
    cnnPgd = r.errors.pgd;
  });

  // 10 × 40 steps over the full set: ~9 minutes on 2 cores, hence its own time limit.
  it('cnn: PGD with 10 random restarts is at least the single-start PGD error, and 0.7648 ± 0.01', { timeout: 2_400_000 }, async () => {
    const model = await load('cnn');
    const single = cnnPgd ?? (await evaluate(model, test, [pgd()])).errors.pgd;
    const restarts = { name: 'pgd-restarts', attack: createAttack('pgd-restarts', { eps: 0.1, alpha: 0.01, steps: 40, restarts: 10, seed: 0 }) };
    const r = await evaluate(model, test, [restarts]);
    expect(r.n).toBe(10_000);
    expect(r.errors['pgd-restarts']).toBeGreaterThanOrEqual(single);
    // Measured 0.7702 against single-start 0.7502; the tutorial's 0.7648 with the same ±0.01 as its single-start figure.
    expect(Math.abs(r.errors['pgd-restarts'] - 0.7648)).toBeLessThanOrEqual(0.01);
  });
});
