/**
 * Provably robust training (tutorial §5.6 for IBP; Zhang et al. 2020 for CROWN-IBP): the batch
 * mean of the robust cross-entropy CE(−m, y) of the margin lower bounds m at the scheduled ε,
 * optionally mixed with the clean loss (κ). CROWN-IBP mixes the CROWN and IBP bounds with
 * β = 1 − ε_t/ε (Zhang et al.: β ramps from 1 to 0 with the ε ramp); once β = 0 the cheaper
 * IBP-only graph runs, since the CROWN term has weight 0.
 */
import { INPUT_NAME, LABEL_NAME, LOSS_NAME } from '../../autodiff/graphs.js';
import type { Batch } from '../../data/dataset.js';
import type { Network } from '../../ir/network.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { TensorData } from '../../runtime/session.js';
import { toInt64 } from '../../runtime/validate.js';
import { BETA_NAME, buildBoundModel, EPS_NAME, KAPPA_NAME, MARGIN_NAME, type BoundMethod } from '../graphs/bound-model.js';
import { countUncertified, sum } from '../metrics.js';
import { floats, paramGrads, ParamSession } from '../param-session.js';
import type { StepContext, StepResult, TrainingMethod } from './types.js';

export class BoundMethodTrainer implements TrainingMethod {
  readonly trainErrorKind = 'not certified';

  private constructor(
    private readonly ibp: ParamSession,
    private readonly crown: ParamSession | undefined,
    private readonly classes: number,
    private readonly kappa: number,
    private readonly targetEps: number,
    private readonly inputShape: readonly number[],
  ) {}

  static async create(runtime: Runtime, net: Network, method: BoundMethod, classes: number, kappa: number, targetEps: number): Promise<BoundMethodTrainer> {
    const clean = kappa > 0;
    const ibp = await ParamSession.create(runtime, net, buildBoundModel(net, { method: 'ibp', gradients: true, clean }));
    const crown = method === 'crown-ibp' ? await ParamSession.create(runtime, net, buildBoundModel(net, { method, gradients: true, clean })) : undefined;
    return new BoundMethodTrainer(ibp, crown, classes, kappa, targetEps, net.inputShape.slice());
  }

  beginEpoch(): void {}

  /** β of CROWN-IBP at training radius `eps`. */
  beta(eps: number): number {
    if (!this.crown) return 0;
    return this.targetEps > 0 ? Math.min(1, Math.max(0, 1 - eps / this.targetEps)) : 1;
  }

  async step(batch: Batch, ctx: StepContext): Promise<StepResult> {
    const { x, y, n } = batch;
    const feeds: Record<string, TensorData> = {
      [INPUT_NAME]: { data: x, dims: [n, ...this.inputShape] },
      [LABEL_NAME]: { data: toInt64(y), dims: [n] },
      [EPS_NAME]: { data: Float32Array.of(ctx.eps), dims: [] },
    };
    if (this.kappa > 0) feeds[KAPPA_NAME] = { data: Float32Array.of(this.kappa), dims: [] };
    const beta = this.beta(ctx.eps);
    let session = this.ibp;
    if (this.crown && beta > 0) {
      session = this.crown;
      feeds[BETA_NAME] = { data: Float32Array.of(beta), dims: [] };
    }
    const fetches = [MARGIN_NAME, LOSS_NAME, ...session.params.map((p) => `grad:${p.name}`)];
    const r = await session.run(feeds, fetches);
    return {
      grads: paramGrads(r, session.params),
      lossSum: sum(floats(r, LOSS_NAME, n)),
      wrong: countUncertified(floats(r, MARGIN_NAME, n * this.classes), n, this.classes),
    };
  }

  async dispose(): Promise<void> {
    await Promise.all([this.ibp.dispose(), this.crown?.dispose()]);
  }
}
