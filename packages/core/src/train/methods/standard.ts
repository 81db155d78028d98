/** Standard training: the batch-mean cross-entropy (tutorial `epoch` with an optimiser). */
import type { Batch } from '../../data/dataset.js';
import type { Network } from '../../ir/network.js';
import { createParamGradSession, type ParamGradSession } from '../../runtime/param-grad.js';
import type { Runtime } from '../../runtime/runtime.js';
import { countWrong, sum } from '../metrics.js';
import type { StepResult, TrainingMethod } from './types.js';

export class StandardMethod implements TrainingMethod {
  readonly trainErrorKind = 'clean';

  private constructor(
    private readonly session: ParamGradSession,
    private readonly classes: number,
  ) {}

  static async create(runtime: Runtime, net: Network, classes: number): Promise<StandardMethod> {
    return new StandardMethod(await createParamGradSession(runtime, net, { kind: 'ce', reduction: 'mean' }), classes);
  }

  beginEpoch(): void {}

  async step(batch: Batch): Promise<StepResult> {
    const r = await this.session.run(batch.x, batch.n, batch.y);
    return { grads: r.grads, lossSum: sum(r.losses), wrong: countWrong(r.logits, batch.y, batch.n, this.classes) };
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}
