/**
 * A GradientModel over a network whose weights are changing: the attacks of adversarial
 * training (the inner maximisation must see the weights of the current step) and the per-epoch
 * evaluation use it. Unlike runtime/createGradientModel, which snapshots the parameters, every
 * run feeds the current Param buffers (graphs from `graphs/live.ts`).
 */
import { GRAD_NAME, INPUT_NAME, LABEL_NAME, LOGITS_NAME, LOSS_NAME, TARGET_NAME } from '../autodiff/graphs.js';
import { InvalidArgumentError } from '../errors.js';
import type { Network } from '../ir/network.js';
import { isTargeted, type GradientModel, type LossAndGrad, type Objective } from '../model.js';
import { checkObjective, classCount } from '../runtime/ort-model.js';
import type { Runtime } from '../runtime/runtime.js';
import type { TensorData } from '../runtime/session.js';
import { checkBatch, checkClasses, toInt64 } from '../runtime/validate.js';
import { buildLiveInputGradModel, buildLiveLogitsModel } from './graphs/live.js';
import { floats, ParamSession } from './param-session.js';

export class LiveGradientModel implements GradientModel {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  private logitsSession: Promise<ParamSession> | undefined;
  private readonly gradSessions = new Map<string, Promise<ParamSession>>();
  private disposed = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly net: Network,
  ) {
    this.inputShape = Object.freeze(net.inputShape.slice());
    this.numClasses = classCount(net);
  }

  private live(): void {
    if (this.disposed) throw new InvalidArgumentError('LiveGradientModel used after dispose()');
  }

  private input(x: Float32Array, n: number): TensorData {
    return { data: x, dims: [n, ...this.inputShape] };
  }

  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    this.live();
    checkBatch(x, n, this.inputShape);
    if (n === 0) return new Float32Array(0);
    this.logitsSession ??= ParamSession.create(this.runtime, this.net, buildLiveLogitsModel(this.net));
    const r = await (await this.logitsSession).run({ [INPUT_NAME]: this.input(x, n) }, [LOGITS_NAME]);
    return floats(r, LOGITS_NAME, n * this.numClasses);
  }

  async lossAndGrad(x: Float32Array, n: number, labels: Int32Array, objective: Objective, targets?: Int32Array): Promise<LossAndGrad> {
    this.live();
    const obj = checkObjective(objective);
    checkBatch(x, n, this.inputShape);
    checkClasses('labels', labels, n, this.numClasses);
    const feeds: Record<string, TensorData> = { [INPUT_NAME]: this.input(x, n), [LABEL_NAME]: { data: toInt64(labels), dims: [n] } };
    if (isTargeted(obj.kind)) {
      if (!targets) throw new InvalidArgumentError(`objective '${obj.kind}' needs targets`);
      feeds[TARGET_NAME] = { data: toInt64(checkClasses('targets', targets, n, this.numClasses)), dims: [n] };
    }
    const key = `${obj.kind}/${obj.reduction}`;
    let s = this.gradSessions.get(key);
    if (!s) {
      s = ParamSession.create(this.runtime, this.net, buildLiveInputGradModel(this.net, obj));
      this.gradSessions.set(key, s);
    }
    const r = await (await s).run(feeds, [LOGITS_NAME, LOSS_NAME, GRAD_NAME]);
    const size = this.inputShape.reduce((a, d) => a * d, 1);
    return { logits: floats(r, LOGITS_NAME, n * this.numClasses), losses: floats(r, LOSS_NAME, n), grad: floats(r, GRAD_NAME, n * size) };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const pending = [...this.gradSessions.values(), ...(this.logitsSession ? [this.logitsSession] : [])];
    const settled = await Promise.allSettled(pending);
    await Promise.all(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.dispose()] : [])));
  }
}
