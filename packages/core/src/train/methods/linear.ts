/**
 * The chapter-2 linear classifier on digits 0 vs 1: the batch mean of the exact robust logistic
 * loss L(ỹ(wᵀx + b) − ε‖w‖₁) (ε = 0: standard logistic regression). The training error counts
 * the robust logit's sign errors, which for ε > 0 is the error under the optimal attack.
 */
import { INPUT_NAME, LABEL_NAME, LOSS_NAME } from '../../autodiff/graphs.js';
import type { Batch } from '../../data/dataset.js';
import type { Network } from '../../ir/network.js';
import type { Runtime } from '../../runtime/runtime.js';
import { toInt64 } from '../../runtime/validate.js';
import { EPS_NAME } from '../graphs/bound-model.js';
import { buildLinearModel, ROBUST_LOGITS_NAME } from '../graphs/linear.js';
import { countBinaryWrong, sum } from '../metrics.js';
import { floats, paramGrads, ParamSession } from '../param-session.js';
import type { StepContext, StepResult, TrainingMethod } from './types.js';

export class LinearRobustMethod implements TrainingMethod {
  readonly trainErrorKind: string;

  private constructor(
    readonly session: ParamSession,
    private readonly inputShape: readonly number[],
    robust: boolean,
  ) {
    this.trainErrorKind = robust ? 'robust' : 'clean';
  }

  static async create(runtime: Runtime, net: Network, robust: boolean): Promise<LinearRobustMethod> {
    return new LinearRobustMethod(await ParamSession.create(runtime, net, buildLinearModel(net)), net.inputShape.slice(), robust);
  }

  beginEpoch(): void {}

  /** Per-example robust logits and losses at radius `eps` (evaluation uses this too). */
  async run(x: Float32Array, y: Int32Array, n: number, eps: number, grads: boolean) {
    const fetches = [ROBUST_LOGITS_NAME, LOSS_NAME, ...(grads ? this.session.params.map((p) => `grad:${p.name}`) : [])];
    const r = await this.session.run(
      {
        [INPUT_NAME]: { data: x, dims: [n, ...this.inputShape] },
        [LABEL_NAME]: { data: toInt64(y), dims: [n] },
        [EPS_NAME]: { data: Float32Array.of(eps), dims: [] },
      },
      fetches,
    );
    return { robust: floats(r, ROBUST_LOGITS_NAME, n), losses: floats(r, LOSS_NAME, n), grads: grads ? paramGrads(r, this.session.params) : {} };
  }

  async step(batch: Batch, ctx: StepContext): Promise<StepResult> {
    const r = await this.run(batch.x, batch.y, batch.n, ctx.eps, true);
    return { grads: r.grads, lossSum: sum(r.losses), wrong: countBinaryWrong(r.robust, batch.y, batch.n) };
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}
