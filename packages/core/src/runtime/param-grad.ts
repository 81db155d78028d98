/**
 * Parameter gradients for training: one ORT session of `buildParamGradModel`, whose parameters are
 * graph inputs, so an optimiser step only feeds new weight tensors instead of rebuilding a session.
 * By default each run reads the network's Param buffers as they are at that moment (an optimiser
 * updating them in place is picked up); explicit overrides may be passed per call.
 */
import { buildParamGradModel, INPUT_NAME, LABEL_NAME, LOGITS_NAME, LOSS_NAME, paramGradName, TARGET_NAME } from '../autodiff/graphs.js';
import { networkParams } from '../autodiff/forward.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Network, Param } from '../ir/network.js';
import { isTargeted, type Objective } from '../model.js';
import { checkObjective, classCount } from './ort-model.js';
import type { Runtime } from './runtime.js';
import type { Session, TensorData } from './session.js';
import { checkBatch, checkClasses, toInt64 } from './validate.js';

export interface ParamGradResult {
  /** [N, classes] logits. */
  logits: Float32Array;
  /** [N] per-example objective values. */
  losses: Float32Array;
  /** Gradient of the reduced objective for each parameter, keyed by Param.name, in the parameter's shape. */
  grads: Record<string, Float32Array>;
}

export interface ParamGradSession {
  readonly objective: Required<Objective>;
  /** Parameters fed on every run, in graph-input order. */
  readonly params: readonly Param[];
  run(x: Float32Array, n: number, labels: Int32Array, targets?: Int32Array, overrides?: Record<string, Float32Array>): Promise<ParamGradResult>;
  dispose(): Promise<void>;
}

class OrtParamGradSession implements ParamGradSession {
  private disposed = false;

  constructor(
    private readonly session: Session,
    private readonly net: Network,
    readonly objective: Required<Objective>,
    readonly params: readonly Param[],
    private readonly numClasses: number,
  ) {}

  async run(x: Float32Array, n: number, labels: Int32Array, targets?: Int32Array, overrides: Record<string, Float32Array> = {}): Promise<ParamGradResult> {
    if (this.disposed) throw new InvalidArgumentError('ParamGradSession used after dispose()');
    checkBatch(x, n, this.net.inputShape);
    if (n === 0) throw new InvalidArgumentError('parameter gradients need a non-empty batch');
    checkClasses('labels', labels, n, this.numClasses);
    const feeds: Record<string, TensorData> = {
      [INPUT_NAME]: { data: x, dims: [n, ...this.net.inputShape] },
      [LABEL_NAME]: { data: toInt64(labels), dims: [n] },
    };
    if (isTargeted(this.objective.kind)) {
      if (!targets) throw new InvalidArgumentError(`objective '${this.objective.kind}' needs targets`);
      feeds[TARGET_NAME] = { data: toInt64(checkClasses('targets', targets, n, this.numClasses)), dims: [n] };
    }
    for (const name of Object.keys(overrides)) {
      if (!this.params.some((p) => p.name === name)) throw new InvalidArgumentError(`override '${name}' is not a parameter of the network`);
    }
    for (const p of this.params) {
      const data = overrides[p.name] ?? p.data;
      if (!(data instanceof Float32Array) || data.length !== p.data.length) {
        throw new ShapeError(`parameter '${p.name}' [${p.shape.join(', ')}] needs ${p.data.length} float32 values, got ${data?.length}`);
      }
      feeds[p.name] = { data, dims: p.shape };
    }
    const fetches = [LOGITS_NAME, LOSS_NAME, ...this.params.map((p) => paramGradName(p.name))];
    const r = await this.session.run(feeds, fetches);
    const grads: Record<string, Float32Array> = {};
    for (const p of this.params) grads[p.name] = r[paramGradName(p.name)].data as Float32Array;
    return { logits: r[LOGITS_NAME].data as Float32Array, losses: r[LOSS_NAME].data as Float32Array, grads };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.dispose();
  }
}

/** A parameter-gradient session for `net` and `objective` (created now; dispose() releases it). */
export async function createParamGradSession(runtime: Runtime, net: Network, objective: Objective): Promise<ParamGradSession> {
  const obj = checkObjective(objective);
  const numClasses = classCount(net);
  const params = networkParams(net);
  const session = await runtime.createSession(buildParamGradModel(net, obj));
  const fed = new Set(session.inputNames);
  const missing = params.filter((p) => !fed.has(p.name)).map((p) => p.name);
  if (missing.length > 0) {
    await session.dispose();
    throw new ShapeError(`parameter-gradient graph lacks inputs for ${missing.join(', ')}`);
  }
  return new OrtParamGradSession(session, net, obj, params, numClasses);
}
