/**
 * What each epoch reports on the test set (tutorial ch. 3/4 logs): clean error and loss, and the
 * robust figure that fits the method: PGD error (standard, pgd, fgsm-rs; tutorial ch. 4 logs
 * PGD-20 at ε 0.1, α 0.01), IBP-certified error at the target ε with the box not clamped (ibp,
 * crown-ibp; §5.6), or the exact robust error of the linear model (ch. 2).
 */
import { evaluate } from '../attacks/evaluate.js';
import { Pgd } from '../attacks/pgd.js';
import { batches, subset, type Dataset } from '../data/dataset.js';
import { certifiedErrorWith } from './certify.js';
import type { Network } from '../ir/network.js';
import type { GradientModel } from '../model.js';
import { classCount, createGradientModel } from '../runtime/ort-model.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import type { Runtime } from '../runtime/runtime.js';
import type { TrainConfig } from './config.js';
import { buildBoundModel } from './graphs/bound-model.js';
import { countBinaryWrong, sum } from './metrics.js';
import type { LinearRobustMethod } from './methods/linear.js';
import { ParamSession } from './param-session.js';

export type RobustKind = 'pgd' | 'certified' | 'exact';

export interface EpochMetrics {
  testError: number;
  testLoss: number;
  testN: number;
  robustError?: number;
  robustLoss?: number;
  robustKind?: RobustKind;
  robustN?: number;
}

export interface EvalHooks {
  onProgress?: ProgressCallback;
  signal?: CancelSignal;
}

export class EpochEvaluator {
  private constructor(
    private readonly config: TrainConfig,
    private readonly test: Dataset,
    private readonly runtime: Runtime,
    private readonly net: Network,
    private readonly certifier: ParamSession | undefined,
    private readonly linear: LinearRobustMethod | undefined,
    private readonly inputShape: readonly number[],
    private readonly classes: number,
  ) {}

  /** `linear`: the linear-robust method's session, reused for its evaluation. */
  static async create(runtime: Runtime, net: Network, config: TrainConfig, test: Dataset, linear?: LinearRobustMethod): Promise<EpochEvaluator> {
    const limited = config.evaluation.testLimit !== undefined ? subset(test, config.evaluation.testLimit) : test;
    const classes = limited.numClasses;
    if (config.method === 'linear-robust') return new EpochEvaluator(config, limited, runtime, net, undefined, linear, net.inputShape, classes);
    const bound = config.method === 'ibp' || config.method === 'crown-ibp';
    const certifier = bound ? await ParamSession.create(runtime, net, buildBoundModel(net, { method: 'ibp', gradients: false })) : undefined;
    return new EpochEvaluator(config, limited, runtime, net, certifier, undefined, net.inputShape, classCount(net));
  }

  async run(hooks: EvalHooks = {}): Promise<EpochMetrics> {
    if (this.linear) return this.runLinear();
    // Weights are fixed during the evaluation: a snapshot model (initializer weights) runs faster.
    const model = await createGradientModel(this.runtime, this.net);
    try {
      return await this.runWith(model, hooks);
    } finally {
      await model.dispose();
    }
  }

  private async runWith(model: GradientModel, hooks: EvalHooks): Promise<EpochMetrics> {
    const onProgress = hooks.onProgress ? (e: Parameters<ProgressCallback>[0]) => hooks.onProgress?.({ ...e, task: e.task === 'eval' ? 'eval:clean' : e.task }) : undefined;
    const clean = await evaluate(model, this.test, [], { perExample: true, onProgress, signal: hooks.signal });
    const losses = clean.perExample?.losses.clean ?? new Float32Array(0);
    const out: EpochMetrics = { testError: clean.errors.clean, testLoss: clean.n > 0 ? sum(losses) / clean.n : NaN, testN: clean.n };
    const e = this.config.evaluation;
    const limit = e.robustLimit ?? this.test.n;
    if (this.certifier) {
      if (limit === 0) return out;
      const r = await this.certified(hooks);
      return { ...out, robustError: r.error, robustKind: 'certified', robustN: r.n };
    }
    if (limit > 0 && e.pgdSteps > 0) {
      const pgd = new Pgd({ eps: this.config.eps, alpha: e.pgdAlpha, steps: e.pgdSteps });
      const r = await evaluate(model, this.test, [{ name: 'pgd', attack: pgd }], { limit, onProgress: hooks.onProgress, signal: hooks.signal });
      return { ...out, robustError: r.errors.pgd, robustKind: 'pgd', robustN: r.n };
    }
    return out;
  }

  /** IBP-certified error at the target ε, box x ± ε not clamped (the tutorial's ch. 4 figure). */
  private certified(hooks: EvalHooks): Promise<{ error: number; n: number }> {
    return certifiedErrorWith(this.certifier as ParamSession, this.inputShape, this.classes, this.test, {
      eps: this.config.eps,
      limit: this.config.evaluation.robustLimit,
      onProgress: hooks.onProgress,
      signal: hooks.signal,
    });
  }

  private async runLinear(): Promise<EpochMetrics> {
    const lin = this.linear as LinearRobustMethod;
    let wrong = 0;
    let loss = 0;
    let rWrong = 0;
    let rLoss = 0;
    for (const b of batches(this.test, { batchSize: 1000 })) {
      const c = await lin.run(b.x, b.y, b.n, 0, false);
      wrong += countBinaryWrong(c.robust, b.y, b.n);
      loss += sum(c.losses);
      if (this.config.eps > 0) {
        const r = await lin.run(b.x, b.y, b.n, this.config.eps, false);
        rWrong += countBinaryWrong(r.robust, b.y, b.n);
        rLoss += sum(r.losses);
      }
    }
    const n = this.test.n;
    const out: EpochMetrics = { testError: wrong / n, testLoss: loss / n, testN: n };
    return this.config.eps > 0 ? { ...out, robustError: rWrong / n, robustLoss: rLoss / n, robustKind: 'exact', robustN: n } : out;
  }

  /** Robust accuracy of PGD (random start) on the guard's held-out slice (fgsm-rs). */
  async guardAccuracy(heldOut: Dataset, seed: number): Promise<number> {
    const g = this.config.guard;
    const pgd = new Pgd({ eps: this.config.eps, alpha: g.alpha, steps: g.steps, randomStart: true, seed });
    const model = await createGradientModel(this.runtime, this.net);
    try {
      const r = await evaluate(model, heldOut, [{ name: 'pgd', attack: pgd }]);
      return 1 - r.errors.pgd;
    } finally {
      await model.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.certifier?.dispose();
  }
}
