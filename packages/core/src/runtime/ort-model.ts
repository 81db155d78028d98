/**
 * The product GradientModel: ONNX Runtime running the graphs `autodiff/graphs.ts` emits — one
 * logits session and one input-gradient session per objective, each built on first use.
 * The model evaluates the network as it was when created (parameters are snapshotted), so a
 * session built later never sees weights that changed in between.
 */
import { buildInputGradModel, buildLogitsModel, GRAD_NAME, INPUT_NAME, LABEL_NAME, LOGITS_NAME, LOSS_NAME, TARGET_NAME } from '../autodiff/graphs.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Layer, Network, Param } from '../ir/network.js';
import { outputShape } from '../ir/shapes.js';
import { isTargeted, type GradientModel, type LossAndGrad, type Objective, type ObjectiveKind, type Reduction } from '../model.js';
import type { Runtime } from './runtime.js';
import type { Session, TensorData } from './session.js';
import { checkBatch, checkClasses, toInt64 } from './validate.js';

export interface GradientModelOptions {
  /**
   * Largest batch one ORT run sees (default 1024); larger batches run in slices, bounding
   * activation memory. Slices of a mean-reduced objective run the sum-reduced graph and are
   * scaled by 1/N once, so the result is the gradient of the mean over the whole batch.
   */
  maxBatch?: number;
}

const OBJECTIVES: readonly ObjectiveKind[] = ['ce', 'margin', 'targeted', 'targeted-sum'];
const REDUCTIONS: readonly Reduction[] = ['mean', 'sum'];

export function checkObjective(objective: Objective): Required<Objective> {
  if (!objective || !OBJECTIVES.includes(objective.kind)) {
    throw new InvalidArgumentError(`unknown objective '${String(objective?.kind)}' (expected ${OBJECTIVES.join(', ')})`);
  }
  const reduction = objective.reduction ?? 'mean';
  if (!REDUCTIONS.includes(reduction)) throw new InvalidArgumentError(`unknown reduction '${String(reduction)}' (expected mean or sum)`);
  return { kind: objective.kind, reduction };
}

/** The number of classes of a network whose per-example output is [C]; ShapeError otherwise. */
export function classCount(net: Network): number {
  const out = outputShape(net);
  if (out.length !== 1) throw new ShapeError(`network output [${out.join(', ')}] is not [classes]; end the network with a dense or flatten layer`);
  return out[0];
}

function isParam(v: unknown): v is Param {
  return typeof v === 'object' && v !== null && (v as Param).data instanceof Float32Array && Array.isArray((v as Param).shape);
}

/** A copy of the network whose parameter buffers are private to the caller. */
export function snapshotNetwork(net: Network): Network {
  const layers = net.layers.map((l) => {
    const c: Record<string, unknown> = { ...l };
    for (const [k, v] of Object.entries(l)) if (isParam(v)) c[k] = { name: v.name, shape: v.shape.slice(), data: v.data.slice() };
    return c as unknown as Layer;
  });
  return { ...net, inputShape: net.inputShape.slice(), layers, metadata: { ...net.metadata } };
}

class OrtGradientModel implements GradientModel {
  readonly inputShape: readonly number[];
  private readonly perExample: number;
  private logitsSession: Promise<Session> | undefined;
  private readonly gradSessions = new Map<string, Promise<Session>>();
  private disposed = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly net: Network,
    readonly numClasses: number,
    private readonly maxBatch: number,
  ) {
    this.inputShape = Object.freeze(net.inputShape.slice());
    this.perExample = net.inputShape.reduce((a, d) => a * d, 1);
  }

  private live(): void {
    if (this.disposed) throw new InvalidArgumentError('GradientModel used after dispose()');
  }

  /** Caches the promise so concurrent first calls share one session; a failed build is forgotten. */
  private cached(slot: Map<string, Promise<Session>>, key: string, build: () => Promise<Session>): Promise<Session> {
    let p = slot.get(key);
    if (!p) {
      p = build();
      slot.set(key, p);
      p.catch(() => slot.delete(key));
    }
    return p;
  }

  private getLogitsSession(): Promise<Session> {
    if (!this.logitsSession) {
      const p = this.runtime.createSession(buildLogitsModel(this.net));
      this.logitsSession = p;
      p.catch(() => {
        if (this.logitsSession === p) this.logitsSession = undefined;
      });
    }
    return this.logitsSession;
  }

  private getGradSession(kind: ObjectiveKind, reduction: Reduction): Promise<Session> {
    // NCHWc convolution kernels exist in the CPU provider only (x86); elsewhere ConvTranspose stays.
    const convGradients = this.runtime.device === 'cpu' ? 'conv' : 'convTranspose';
    return this.cached(this.gradSessions, `${kind}/${reduction}`, () => this.runtime.createSession(buildInputGradModel(this.net, { kind, reduction }, { convGradients })));
  }

  private inputFeed(x: Float32Array, start: number, m: number): TensorData {
    return { data: x.subarray(start * this.perExample, (start + m) * this.perExample), dims: [m, ...this.inputShape] };
  }

  private checkOut(name: string, t: TensorData, want: number): Float32Array {
    if (!(t.data instanceof Float32Array) || t.data.length !== want) {
      throw new ShapeError(`ONNX Runtime returned '${name}' with dims [${t.dims.join(', ')}], expected ${want} float32 values`);
    }
    return t.data;
  }

  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    this.live();
    checkBatch(x, n, this.inputShape);
    const C = this.numClasses;
    if (n === 0) return new Float32Array(0);
    const session = await this.getLogitsSession();
    if (n <= this.maxBatch) {
      const r = await session.run({ [INPUT_NAME]: this.inputFeed(x, 0, n) }, [LOGITS_NAME]);
      return this.checkOut(LOGITS_NAME, r[LOGITS_NAME], n * C);
    }
    const out = new Float32Array(n * C);
    for (let start = 0; start < n; start += this.maxBatch) {
      const m = Math.min(this.maxBatch, n - start);
      const r = await session.run({ [INPUT_NAME]: this.inputFeed(x, start, m) }, [LOGITS_NAME]);
      out.set(this.checkOut(LOGITS_NAME, r[LOGITS_NAME], m * C), start * C);
    }
    return out;
  }

  async lossAndGrad(x: Float32Array, n: number, labels: Int32Array, objective: Objective, targets?: Int32Array): Promise<LossAndGrad> {
    this.live();
    const { kind, reduction } = checkObjective(objective);
    checkBatch(x, n, this.inputShape);
    checkClasses('labels', labels, n, this.numClasses);
    const targeted = isTargeted(kind);
    if (targeted) {
      if (!targets) throw new InvalidArgumentError(`objective '${kind}' needs targets`);
      checkClasses('targets', targets, n, this.numClasses);
    }
    const C = this.numClasses;
    const per = this.perExample;
    if (n === 0) return { logits: new Float32Array(0), losses: new Float32Array(0), grad: new Float32Array(0) };
    const sliced = n > this.maxBatch;
    const session = await this.getGradSession(kind, sliced ? 'sum' : reduction);
    const runSlice = async (start: number, m: number): Promise<LossAndGrad> => {
      const feeds: Record<string, TensorData> = {
        [INPUT_NAME]: this.inputFeed(x, start, m),
        [LABEL_NAME]: { data: toInt64(labels.subarray(start, start + m)), dims: [m] },
      };
      if (targeted) feeds[TARGET_NAME] = { data: toInt64((targets as Int32Array).subarray(start, start + m)), dims: [m] };
      const r = await session.run(feeds, [LOGITS_NAME, LOSS_NAME, GRAD_NAME]);
      return {
        logits: this.checkOut(LOGITS_NAME, r[LOGITS_NAME], m * C),
        losses: this.checkOut(LOSS_NAME, r[LOSS_NAME], m),
        grad: this.checkOut(GRAD_NAME, r[GRAD_NAME], m * per),
      };
    };
    // One run: ORT's freshly allocated output buffers are the result (no copy).
    if (!sliced) return runSlice(0, n);
    const result: LossAndGrad = { logits: new Float32Array(n * C), losses: new Float32Array(n), grad: new Float32Array(n * per) };
    for (let start = 0; start < n; start += this.maxBatch) {
      const m = Math.min(this.maxBatch, n - start);
      const r = await runSlice(start, m);
      result.logits.set(r.logits, start * C);
      result.losses.set(r.losses, start);
      result.grad.set(r.grad, start * per);
    }
    if (reduction === 'mean') {
      const s = 1 / n;
      for (let i = 0; i < result.grad.length; i++) result.grad[i] *= s;
    }
    return result;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const pending = [...this.gradSessions.values()];
    if (this.logitsSession) pending.push(this.logitsSession);
    this.gradSessions.clear();
    this.logitsSession = undefined;
    const settled = await Promise.allSettled(pending);
    await Promise.all(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.dispose()] : [])));
  }
}

/**
 * A GradientModel for `net` on `runtime`. Validates the network's shapes now (ShapeError); ORT
 * sessions are created on first use of each objective. Call dispose() to release them.
 */
export async function createGradientModel(runtime: Runtime, net: Network, opts: GradientModelOptions = {}): Promise<GradientModel> {
  const maxBatch = opts.maxBatch ?? 1024;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new InvalidArgumentError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const numClasses = classCount(net);
  return new OrtGradientModel(runtime, snapshotNetwork(net), numClasses, maxBatch);
}
