/**
 * The tutorial's results table (ch. 3/4 §6, ch. 2 §3.4) as reproduction targets: for every model,
 * the recipe that trains it, the figures the tutorial published, and the acceptance bounds of
 * minmax's training issue; and the evaluation that measures a trained model the way the
 * tutorial did (MNIST test set in file order, ε = 0.1: clean, FGSM, PGD-40 with α 0.01 from δ = 0
 * without clipping, IBP-certified error with the box not clamped).
 */
import { evaluate } from '../attacks/evaluate.js';
import { Fgsm } from '../attacks/fgsm.js';
import { Pgd } from '../attacks/pgd.js';
import { batches, type Dataset } from '../data/dataset.js';
import type { Network } from '../ir/network.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import { createGradientModel } from '../runtime/ort-model.js';
import type { Runtime } from '../runtime/runtime.js';
import { ibpCertifiedError } from './certify.js';
import type { TrainConfigInput } from './config.js';
import { digitSubset } from './data.js';
import { linearLayer } from './graphs/linear.js';
import { LinearRobustMethod } from './methods/linear.js';
import { countBinaryWrong } from './metrics.js';

export type TutorialMetric = 'clean' | 'fgsm' | 'pgd' | 'certified';

export interface ReproduceTarget {
  /** Row name, also the file name under models/ (`${model}.onnx`). */
  model: 'mlp' | 'cnn' | 'cnn-pgd' | 'cnn-ibp' | 'cnn-fgsm-rs';
  description: string;
  recipe: TrainConfigInput;
  /** The tutorial's published figures (§6), when it has this model. */
  tutorial?: Partial<Record<TutorialMetric, number>> & { name: string };
  /** Acceptance: upper bounds on the error rates (full test set). */
  accept: Partial<Record<TutorialMetric, number>>;
}

export const REPRODUCTION_TARGETS: readonly ReproduceTarget[] = [
  {
    model: 'mlp',
    description: 'MLP 784-200-10, standard training (SGD 0.1, 10 epochs)',
    recipe: { method: 'standard', arch: 'mlp' },
    tutorial: { name: 'model_dnn_2', clean: 0.0285, fgsm: 0.9259, pgd: 0.9637, certified: 1 },
    accept: { clean: 0.03 },
  },
  {
    model: 'cnn',
    description: 'ConvNet (strides 1,2,1,2), standard training (SGD 0.1 → 0.01 after epoch 5, 10 epochs)',
    recipe: { method: 'standard', arch: 'cnn' },
    tutorial: { name: 'model_cnn', clean: 0.0105, fgsm: 0.4173, pgd: 0.7432, certified: 1 },
    accept: { clean: 0.012 },
  },
  {
    model: 'cnn-pgd',
    description: 'ConvNet, PGD adversarial training (ε 0.1, α 0.01, 20 steps; SGD 0.1 → 0.01, 10 epochs)',
    recipe: { method: 'pgd', arch: 'cnn' },
    tutorial: { name: 'model_cnn_robust', clean: 0.0085, fgsm: 0.0258, pgd: 0.0286, certified: 1 },
    accept: { clean: 0.012, pgd: 0.035 },
  },
  {
    model: 'cnn-ibp',
    description: 'ConvNet (strides 2,1,1,2), IBP training (ε ramped linearly per batch from 0 after epoch 1 to 0.1 at epoch 11, SGD 0.1, 25 epochs)',
    // The tutorial's per-epoch list jumps from ε 0.01 to 0.05 at epoch 6; with our initialisation
    // (seed 0) that jump collapsed the network to uniform predictions (loss ln 10 from then on),
    // the failure the tutorial warns of for an unramped start. The same ramp, reaching 0.05 and
    // 0.1 at the same epochs, made smooth per batch (as Gowal et al. 2018 ramp), trains through.
    recipe: { method: 'ibp', arch: 'cnn-ibp', epsSchedule: { kind: 'ramp', eps: 0.1, start: 1, end: 11 } },
    tutorial: { name: 'model_cnn_robust_2', clean: 0.0515, fgsm: 0.0754, pgd: 0.0779, certified: 0.0967 },
    accept: { clean: 0.06, certified: 0.105 },
  },
  {
    model: 'cnn-fgsm-rs',
    description: 'ConvNet, fast FGSM training with random start (ε 0.1, α 0.125; Adam, one-cycle 5e-3, 10 epochs)',
    recipe: { method: 'fgsm-rs', arch: 'cnn' },
    accept: { pgd: 0.04 },
  },
];

export interface LinearTarget {
  model: 'linear-standard' | 'linear-robust';
  description: string;
  recipe: TrainConfigInput;
  /** Tutorial §3.4: clean test error and error under the optimal ε = 0.2 attack. */
  tutorial: { clean: number; attacked: number };
  accept: { attackedAtLeast?: number; attackedAtMost?: number };
}

export const LINEAR_TARGETS: readonly LinearTarget[] = [
  {
    model: 'linear-standard',
    description: 'linear classifier, 0 vs 1, logistic loss (SGD 1.0, 10 epochs)',
    recipe: { method: 'linear-robust', arch: 'linear', eps: 0 },
    tutorial: { clean: 2 / 2115, attacked: 1789 / 2115 },
    accept: { attackedAtLeast: 0.8 },
  },
  {
    model: 'linear-robust',
    description: 'linear classifier, 0 vs 1, exact robust logistic loss at ε 0.2 (SGD 0.1, 20 epochs)',
    recipe: { method: 'linear-robust', arch: 'linear', eps: 0.2 },
    tutorial: { clean: 8 / 2115, attacked: 53 / 2115 },
    accept: { attackedAtMost: 0.03 },
  },
];

export interface TutorialFigures {
  clean: number;
  fgsm: number;
  pgd: number;
  certified: number;
  /** Test images evaluated. */
  n: number;
  seconds: number;
}

export interface RowEvalOptions {
  eps?: number;
  /** First `limit` test images (file order); default all. */
  limit?: number;
  pgdSteps?: number;
  onProgress?: ProgressCallback;
  signal?: CancelSignal;
}

/** The tutorial's four figures for a 10-class MNIST network. */
export async function evaluateTutorialRow(runtime: Runtime, net: Network, test: Dataset, o: RowEvalOptions = {}): Promise<TutorialFigures> {
  const eps = o.eps ?? 0.1;
  const start = performance.now();
  const model = await createGradientModel(runtime, net);
  try {
    const attacks = [
      { name: 'fgsm', attack: new Fgsm({ eps }) },
      { name: 'pgd', attack: new Pgd({ eps, alpha: 0.01, steps: o.pgdSteps ?? 40 }) },
    ];
    const r = await evaluate(model, test, attacks, { limit: o.limit, onProgress: o.onProgress, signal: o.signal });
    const cert = await ibpCertifiedError(runtime, net, test, { eps, limit: o.limit, onProgress: o.onProgress, signal: o.signal });
    return { clean: r.errors.clean, fgsm: r.errors.fgsm, pgd: r.errors.pgd, certified: cert.error, n: r.n, seconds: (performance.now() - start) / 1000 };
  } finally {
    await model.dispose();
  }
}

export interface LinearFigures {
  clean: number;
  /** Error under the optimal ℓ∞ attack δ* = −ỹ ε sign(w), applied explicitly (not clipped, as the tutorial). */
  attacked: number;
  n: number;
}

/** Clean error and error under the optimal attack of a ch. 2 linear model on the 0/1 test digits. */
export async function evaluateLinearRow(runtime: Runtime, net: Network, test: Dataset, eps = 0.2): Promise<LinearFigures> {
  const data = digitSubset(test);
  const w = linearLayer(net).weight.data;
  const method = await LinearRobustMethod.create(runtime, net, false);
  try {
    let wrong = 0;
    let attacked = 0;
    const size = w.length;
    for (const b of batches(data, { batchSize: 1000 })) {
      wrong += countBinaryWrong((await method.run(b.x, b.y, b.n, 0, false)).robust, b.y, b.n);
      const xAdv = new Float32Array(b.x.length);
      for (let i = 0; i < b.n; i++) {
        const s = 2 * b.y[i]! - 1;
        for (let k = 0; k < size; k++) xAdv[i * size + k] = b.x[i * size + k]! - s * eps * Math.sign(w[k]!);
      }
      attacked += countBinaryWrong((await method.run(xAdv, b.y, b.n, 0, false)).robust, b.y, b.n);
    }
    return { clean: wrong / data.n, attacked: attacked / data.n, n: data.n };
  } finally {
    await method.dispose();
  }
}

/** Whether `figures` meet the target's acceptance bounds (undefined where there is no bound). */
export function acceptance(target: ReproduceTarget, figures: Partial<Record<TutorialMetric, number>>): Partial<Record<TutorialMetric, boolean>> {
  const out: Partial<Record<TutorialMetric, boolean>> = {};
  for (const [k, bound] of Object.entries(target.accept) as [TutorialMetric, number][]) {
    const v = figures[k];
    if (v !== undefined) out[k] = v <= bound;
  }
  return out;
}
