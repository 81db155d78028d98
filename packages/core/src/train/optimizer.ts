/**
 * SGD (momentum, Nesterov, L2 weight decay) and Adam with PyTorch's update rules (torch.optim,
 * 1.x), updating Param buffers in place. The state (step count and per-parameter buffers) can be
 * exported and restored, so a resumed run continues with exactly the same updates.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Param } from '../ir/network.js';

export interface SgdOptions {
  kind: 'sgd';
  momentum?: number;
  /** L2 penalty added to the gradient (torch's weight_decay). */
  weightDecay?: number;
  nesterov?: boolean;
}

export interface AdamOptions {
  kind: 'adam';
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** L2 penalty added to the gradient (torch.optim.Adam's weight_decay, not AdamW's). */
  weightDecay?: number;
}

export type OptimizerOptions = SgdOptions | AdamOptions;

/** Exported optimiser state: the step count and named buffers (e.g. 'momentum:0.weight'). */
export interface OptimizerState {
  step: number;
  tensors: Record<string, Float32Array>;
}

export interface Optimizer {
  readonly options: Readonly<Required<SgdOptions> | Required<AdamOptions>>;
  /** One update of every parameter with its gradient at learning rate `lr`. */
  step(params: readonly Param[], grads: Readonly<Record<string, Float32Array>>, lr: number): void;
  state(): OptimizerState;
  load(state: OptimizerState): void;
}

const inRange = (v: number, lo: number, hi: number, what: string, closedHi = false): number => {
  if (!(typeof v === 'number' && v >= lo && (closedHi ? v <= hi : v < hi))) throw new InvalidArgumentError(`${what} must be in [${lo}, ${hi}${closedHi ? ']' : ')'}, got ${v}`);
  return v;
};

function gradOf(p: Param, grads: Readonly<Record<string, Float32Array>>): Float32Array {
  const g = grads[p.name];
  if (!g || g.length !== p.data.length) throw new InvalidArgumentError(`gradient of '${p.name}' missing or of length ${g?.length} (parameter has ${p.data.length} values)`);
  return g;
}

function checkLr(lr: number): void {
  if (!(Number.isFinite(lr) && lr >= 0)) throw new InvalidArgumentError(`learning rate must be a finite number ≥ 0, got ${lr}`);
}

class Sgd implements Optimizer {
  readonly options: Required<SgdOptions>;
  private steps = 0;
  private readonly buf = new Map<string, Float32Array>();

  constructor(o: SgdOptions) {
    this.options = {
      kind: 'sgd',
      momentum: inRange(o.momentum ?? 0, 0, 1, 'SGD momentum'),
      weightDecay: inRange(o.weightDecay ?? 0, 0, Infinity, 'weight decay'),
      nesterov: o.nesterov ?? false,
    };
    if (this.options.nesterov && this.options.momentum === 0) throw new InvalidArgumentError('Nesterov SGD needs momentum > 0');
  }

  step(params: readonly Param[], grads: Readonly<Record<string, Float32Array>>, lr: number): void {
    checkLr(lr);
    const { momentum: mu, weightDecay: wd, nesterov } = this.options;
    for (const p of params) {
      const g = gradOf(p, grads);
      const w = p.data;
      if (mu === 0) {
        for (let i = 0; i < w.length; i++) w[i] -= lr * (g[i] + wd * w[i]);
        continue;
      }
      // torch: the buffer starts as a copy of the first gradient (no dampening), then b ← μb + g.
      let b = this.buf.get(p.name);
      const first = !b;
      if (!b) {
        b = new Float32Array(w.length);
        this.buf.set(p.name, b);
      }
      for (let i = 0; i < w.length; i++) {
        const d = g[i] + wd * w[i];
        const bi = first ? d : mu * b[i] + d;
        b[i] = bi;
        w[i] -= lr * (nesterov ? d + mu * Math.fround(bi) : Math.fround(bi));
      }
    }
    this.steps++;
  }

  state(): OptimizerState {
    const tensors: Record<string, Float32Array> = {};
    for (const [k, v] of this.buf) tensors[`momentum:${k}`] = v.slice();
    return { step: this.steps, tensors };
  }

  load(s: OptimizerState): void {
    this.steps = s.step;
    this.buf.clear();
    for (const [k, v] of Object.entries(s.tensors)) if (k.startsWith('momentum:')) this.buf.set(k.slice(9), v.slice());
  }
}

class Adam implements Optimizer {
  readonly options: Required<AdamOptions>;
  private steps = 0;
  private readonly m = new Map<string, Float32Array>();
  private readonly v = new Map<string, Float32Array>();

  constructor(o: AdamOptions) {
    this.options = {
      kind: 'adam',
      beta1: inRange(o.beta1 ?? 0.9, 0, 1, 'Adam beta1'),
      beta2: inRange(o.beta2 ?? 0.999, 0, 1, 'Adam beta2'),
      eps: inRange(o.eps ?? 1e-8, 0, Infinity, 'Adam eps'),
      weightDecay: inRange(o.weightDecay ?? 0, 0, Infinity, 'weight decay'),
    };
  }

  step(params: readonly Param[], grads: Readonly<Record<string, Float32Array>>, lr: number): void {
    checkLr(lr);
    const { beta1, beta2, eps, weightDecay: wd } = this.options;
    const t = ++this.steps;
    // torch.optim.Adam (1.x): p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps).
    const c1 = 1 - beta1 ** t;
    const c2 = Math.sqrt(1 - beta2 ** t);
    const stepSize = lr / c1;
    for (const p of params) {
      const g = gradOf(p, grads);
      const w = p.data;
      let m = this.m.get(p.name);
      let v = this.v.get(p.name);
      if (!m || !v) {
        m = new Float32Array(w.length);
        v = new Float32Array(w.length);
        this.m.set(p.name, m);
        this.v.set(p.name, v);
      }
      for (let i = 0; i < w.length; i++) {
        const d = g[i] + wd * w[i];
        m[i] = beta1 * m[i] + (1 - beta1) * d;
        v[i] = beta2 * v[i] + (1 - beta2) * d * d;
        w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / c2 + eps);
      }
    }
  }

  state(): OptimizerState {
    const tensors: Record<string, Float32Array> = {};
    for (const [k, v] of this.m) tensors[`adam.m:${k}`] = v.slice();
    for (const [k, v] of this.v) tensors[`adam.v:${k}`] = v.slice();
    return { step: this.steps, tensors };
  }

  load(s: OptimizerState): void {
    this.steps = s.step;
    this.m.clear();
    this.v.clear();
    for (const [k, v] of Object.entries(s.tensors)) {
      if (k.startsWith('adam.m:')) this.m.set(k.slice(7), v.slice());
      else if (k.startsWith('adam.v:')) this.v.set(k.slice(7), v.slice());
    }
  }
}

export function createOptimizer(options: OptimizerOptions): Optimizer {
  switch (options?.kind) {
    case 'sgd':
      return new Sgd(options);
    case 'adam':
      return new Adam(options);
    default:
      throw new InvalidArgumentError(`unknown optimizer '${String((options as { kind?: unknown })?.kind)}' (expected sgd or adam)`);
  }
}
