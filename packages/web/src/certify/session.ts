/**
 * One model opened for certification, inside the certify worker: the network as core imports it,
 * a WebAssembly bound engine (IBP / CROWN / α-CROWN through core's certify, as `minmax verify`
 * runs them), and — made on first use — the ONNX Runtime model and HiGHS verifier behind the
 * exact LP / MIP (as `minmax verify --method lp|mip`), plus the uploaded file itself in ONNX
 * Runtime, which re-classifies every counterexample. ONNX Runtime is injected: onnxruntime-web
 * in the worker, onnxruntime-node in tests.
 */
import {
  certify,
  createGradientModel,
  createRuntime,
  ExactVerifier,
  importOnnx,
  ShapeError,
  type CancelSignal,
  type Device,
  type ExampleCertificate,
  type GradientModel,
  type Network,
  type OrtModule,
  type ProgressCallback,
} from '@minmax/core';
import { createWasmIntervalEngineSync, type WasmIntervalEngine } from '@minmax/bounds-wasm';
import type { BoundResult, CertifyQuery, ExactArgs, ExactResult, OpenedModel, RadiusArgs, RadiusResult, TargetView, UploadedVerdict } from '../workers/certify-api.js';
import type { BoundMethod } from './methods.js';
import { certifiedRadius } from './radius.js';

/** The uploaded ONNX file as ONNX Runtime runs it: logits of one digit. */
export interface UploadedModel {
  logits(x: Float32Array): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export interface CertifyPlatform {
  ort: OrtModule;
  /** Execution provider for core's counterexample re-checks and attacks ('wasm' in a browser). */
  device: Device;
  openUploaded(bytes: Uint8Array): Promise<UploadedModel>;
}

export interface RunControl {
  signal: CancelSignal;
  onProgress?: ProgressCallback;
}

/** Thrown when a run stops because the page cancelled it. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

/** Same settings as the CLI's defaults (packages/cli/src/commands/bound-options.ts). */
const BOUND_OPTIONS = { intermediate: 'crown', slope: 'adaptive', alpha: { iterations: 20, lr: 0.1 } } as const;

/** Lets queued messages (a cancel) in between synchronous bound computations. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

export class CertifySession {
  private gradientModel: Promise<GradientModel> | undefined;
  private verifier: Promise<ExactVerifier> | undefined;
  private uploaded: Promise<UploadedModel> | undefined;
  private disposed = false;

  private constructor(
    readonly info: OpenedModel,
    readonly network: Network,
    private readonly bytes: Uint8Array,
    private readonly engine: WasmIntervalEngine,
    private readonly platform: CertifyPlatform,
  ) {}

  /** Imports the model; throws OnnxParseError / UnsupportedOpError / ShapeError in plain terms. */
  static open(name: string, bytes: Uint8Array, platform: CertifyPlatform): CertifySession {
    const network = importOnnx(bytes);
    const engine = createWasmIntervalEngineSync();
    try {
      const plan = engine.cached(network).plan;
      let relus = 0;
      plan.steps.forEach((s, i) => {
        if (s.op === 'relu') relus += plan.shapes[i]!.reduce((a, b) => a * b, 1);
      });
      const info: OpenedModel = { name, classes: plan.outputSize, inputSize: plan.inputSize, relus };
      return new CertifySession(info, network, bytes, engine, platform);
    } catch (err) {
      engine.dispose();
      throw err;
    }
  }

  private check(q: { x: Float32Array; label: number }): void {
    if (this.disposed) throw new CancelledError();
    if (q.x.length !== this.info.inputSize) {
      throw new ShapeError(`${this.info.name} takes ${this.info.inputSize} input values; a digit has ${q.x.length}`);
    }
    if (!(Number.isInteger(q.label) && q.label >= 0 && q.label < this.info.classes)) {
      throw new ShapeError(`${this.info.name} has ${this.info.classes} classes; the digit is labelled ${q.label}`);
    }
  }

  private certifyOnce(q: CertifyQuery, method: BoundMethod, ctl: RunControl, inner: boolean) {
    return certify(this.network, q.x, [q.label], { norm: 'linf', eps: q.eps }, {
      method,
      ...BOUND_OPTIONS,
      engine: this.engine,
      clamp: q.clamp,
      signal: ctl.signal,
      ...(inner && ctl.onProgress ? { onProgress: ctl.onProgress } : {}),
    });
  }

  /** Lower bounds of z_y − z_t over the box, by ibp / crown / alpha-crown. */
  bounds(q: CertifyQuery & { method: BoundMethod }, ctl: RunControl): BoundResult {
    this.check(q);
    const r = this.certifyOnce(q, q.method, ctl, true);
    if (r.n === 0) throw new CancelledError();
    const margins = Float64Array.from(r.margins.subarray(0, r.classes));
    margins[q.label] = NaN;
    return { kind: 'bounds', method: q.method, eps: q.eps, clamp: q.clamp, label: q.label, margins, status: r.status[0]!, seconds: r.seconds };
  }

  /** The largest ε the bound method verifies, by bisection (see radius.ts). */
  async radius(a: RadiusArgs, ctl: RunControl): Promise<RadiusResult> {
    this.check(a);
    const t0 = performance.now();
    const search = await certifiedRadius(
      async (eps) => {
        await yieldToEvents();
        if (ctl.signal.aborted) return false;
        return this.certifyOnce({ ...a, eps }, a.method, ctl, false).status[0] === 'verified';
      },
      {
        start: a.start,
        tolerance: a.tolerance,
        signal: ctl.signal,
        onStep: (p) =>
          ctl.onProgress?.({
            task: `radius:${a.method}`,
            done: p.step,
            total: p.total,
            unit: 'steps',
            info: { eps: p.eps, verified: p.verified ? 1 : 0, lo: p.lo, ...(p.hi !== null ? { hi: p.hi } : {}) },
          }),
      },
    );
    // A step cut short by the cancel answered "not verified" without computing; drop it.
    if (ctl.signal.aborted) throw new CancelledError();
    return {
      method: a.method,
      clamp: a.clamp,
      label: a.label,
      radius: search.radius,
      upper: search.upper,
      tolerance: a.tolerance,
      steps: search.steps,
      outcome: search.outcome,
      seconds: (performance.now() - t0) / 1000,
    };
  }

  private exactVerifier(): Promise<ExactVerifier> {
    this.gradientModel ??= createRuntime(this.platform.ort, { device: this.platform.device, threads: 1 }).then((rt) => createGradientModel(rt, this.network));
    this.verifier ??= this.gradientModel.then((model) => ExactVerifier.create(this.network, { model }));
    // A failed start (e.g. HiGHS could not load) is retried by the next run.
    this.verifier.catch(() => {
      this.verifier = undefined;
      this.gradientModel = undefined;
    });
    return this.verifier;
  }

  private async uploadedVerdict(x: Float32Array): Promise<UploadedVerdict> {
    try {
      this.uploaded ??= this.platform.openUploaded(this.bytes);
      const logits = await (await this.uploaded).logits(x);
      return { predicted: argmax(logits), logits };
    } catch (err) {
      this.uploaded = undefined;
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Per-target LP or MIP certificates with interval big-M bounds, as `minmax verify --method lp|mip --per-target`. */
  async exact(a: ExactArgs, ctl: RunControl): Promise<ExactResult> {
    this.check(a);
    const verifier = await this.exactVerifier();
    if (ctl.signal.aborted) throw new CancelledError();
    const options = {
      eps: a.eps,
      ...(a.clamp ? { clamp: [0, 1] as const } : {}),
      bounds: 'interval' as const,
      ...(a.timeLimit > 0 ? { timeLimit: a.timeLimit } : {}),
      signal: ctl.signal,
      ...(ctl.onProgress ? { onProgress: ctl.onProgress } : {}),
    };
    const c: ExampleCertificate = a.method === 'lp' ? await verifier.verifyLp(a.x, a.label, options) : await verifier.verifyMip(a.x, a.label, options);
    if (ctl.signal.aborted) throw new CancelledError();
    const targets: TargetView[] = [];
    for (const t of c.targets) {
      const ce = t.counterexample;
      targets.push({
        target: t.target,
        status: t.status,
        objective: t.objective,
        bound: t.bound,
        by: t.by,
        seconds: t.seconds,
        ...(t.gap !== undefined ? { gap: t.gap } : {}),
        ...(t.note ? { note: t.note } : {}),
        ...(ce ? { counterexample: { x: ce.x, predicted: ce.predicted, logits: ce.logits, uploaded: await this.uploadedVerdict(ce.x) } } : {}),
      });
    }
    return {
      kind: 'exact',
      method: a.method,
      eps: a.eps,
      clamp: a.clamp,
      label: c.label,
      predicted: c.predicted,
      status: c.status,
      targets,
      unstable: [...c.unstable],
      seconds: c.seconds,
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.engine.dispose();
    const model = this.gradientModel;
    const uploaded = this.uploaded;
    await Promise.allSettled([model?.then((m) => m.dispose()), uploaded?.then((u) => u.dispose())]);
  }
}
