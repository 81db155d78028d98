/**
 * Attacks and evaluation against an analytic GradientModel written here: a linear softmax
 * classifier z = Wx + b whose objectives and input gradients have closed forms
 * (∇ₓ CE = Wᵀ(softmax(z) − e_y), ∇ₓ(z_t − z_y) = Wᵀ(e_t − e_y), ...), checked against central
 * finite differences, so every expectation below is independent of the product's own code.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../data/rng.js';
import { createDataset } from '../data/dataset.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { GradientModel, LossAndGrad, Objective } from '../model.js';
import type { ProgressEvent } from '../progress.js';
import { createAttack } from './registry.js';
import { evaluate } from './evaluate.js';
import { Fgsm } from './fgsm.js';
import { Pgd } from './pgd.js';
import { PgdL2 } from './pgd-l2.js';
import { argmaxRows } from './predict.js';

const INPUT_SHAPE = [1, 2, 3];
const D = 6;
const C = 4;

class LinearSoftmax implements GradientModel {
  readonly inputShape = INPUT_SHAPE;
  readonly numClasses = C;
  gradCalls = 0;
  constructor(
    readonly W: Float64Array, // [C, D]
    readonly b: Float64Array, // [C]
  ) {}

  logits64(x: ArrayLike<number>, n: number): Float64Array {
    const z = new Float64Array(n * C);
    for (let k = 0; k < n; k++)
      for (let c = 0; c < C; c++) {
        let s = this.b[c]!;
        for (let i = 0; i < D; i++) s += this.W[c * D + i]! * x[k * D + i]!;
        z[k * C + c] = s;
      }
    return z;
  }

  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    return Float32Array.from(this.logits64(x, n));
  }

  /** Per-example objective and dObjective/dz (the coefficient vector c with ∇ₓ = Wᵀc). */
  objective(z: Float64Array, y: number, kind: Objective['kind'], t: number): { loss: number; dz: number[] } {
    const dz = new Array<number>(C).fill(0);
    if (kind === 'ce') {
      const m = Math.max(...z);
      const e = Array.from(z, (v) => Math.exp(v - m));
      const s = e.reduce((a, v) => a + v, 0);
      for (let c = 0; c < C; c++) dz[c] = e[c]! / s - (c === y ? 1 : 0);
      return { loss: m + Math.log(s) - z[y]!, dz };
    }
    if (kind === 'margin') {
      let j = -1;
      for (let c = 0; c < C; c++) if (c !== y && (j < 0 || z[c]! > z[j]!)) j = c;
      dz[j] = 1;
      dz[y] = -1;
      return { loss: z[j]! - z[y]!, dz };
    }
    if (kind === 'targeted') {
      dz[t] += 1;
      dz[y] -= 1;
      return { loss: z[t]! - z[y]!, dz };
    }
    let s = 0;
    for (let c = 0; c < C; c++) {
      dz[c] = c === t ? 1 : -1;
      if (c !== t) s += z[c]!;
    }
    return { loss: z[t]! - s, dz };
  }

  async lossAndGrad(x: Float32Array, n: number, labels: Int32Array, objective: Objective, targets?: Int32Array): Promise<LossAndGrad> {
    this.gradCalls++;
    const z = this.logits64(x, n);
    const scale = (objective.reduction ?? 'mean') === 'mean' ? 1 / n : 1;
    const losses = new Float32Array(n);
    const grad = new Float32Array(n * D);
    for (let k = 0; k < n; k++) {
      const { loss, dz } = this.objective(z.subarray(k * C, (k + 1) * C), labels[k]!, objective.kind, targets?.[k] ?? -1);
      losses[k] = loss;
      for (let i = 0; i < D; i++) {
        let g = 0;
        for (let c = 0; c < C; c++) g += this.W[c * D + i]! * dz[c]!;
        grad[k * D + i] = g * scale;
      }
    }
    return { logits: Float32Array.from(z), losses, grad };
  }

  async dispose(): Promise<void> {}
}

function randomModel(seed: number, scale = 1): LinearSoftmax {
  const r = new Rng(seed);
  return new LinearSoftmax(
    Float64Array.from({ length: C * D }, () => r.normal() * scale),
    Float64Array.from({ length: C }, () => r.normal() * 0.1),
  );
}

function randomBatch(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const r = new Rng(seed);
  return { x: Float32Array.from({ length: n * D }, () => r.float()), y: Int32Array.from({ length: n }, () => r.int(C)) };
}

const linf = (d: Float32Array, k: number) => Math.max(...Array.from(d.subarray(k * D, (k + 1) * D), Math.abs));
const l2 = (d: Float32Array, k: number) => Math.hypot(...Array.from(d.subarray(k * D, (k + 1) * D)));

describe('the analytic test model', () => {
  it('has input gradients equal to central finite differences for every objective', async () => {
    const model = randomModel(1);
    const { x, y } = randomBatch(3, 2);
    const targets = Int32Array.of(0, 1, 2);
    const x64 = Float64Array.from(x);
    for (const kind of ['ce', 'margin', 'targeted', 'targeted-sum'] as const) {
      const { grad } = await model.lossAndGrad(x, 3, y, { kind, reduction: 'sum' }, targets);
      for (let k = 0; k < 3; k++)
        for (let i = 0; i < D; i++) {
          const f = (h: number) => {
            const xp = Float64Array.from(x64);
            xp[k * D + i]! += h;
            const z = model.logits64(xp, 3).subarray(k * C, (k + 1) * C);
            return model.objective(z, y[k]!, kind, targets[k]!).loss;
          };
          const h = 1e-6;
          expect(grad[k * D + i]).toBeCloseTo((f(h) - f(-h)) / (2 * h), 5);
        }
    }
  });
});

describe('FGSM', () => {
  it('equals the closed form δ = ε·sign(Wᵀ(softmax(Wx + b) − e_y)) on a linear model', async () => {
    const model = randomModel(3);
    const { x, y } = randomBatch(20, 4);
    const eps = 0.1;
    const r = await new Fgsm({ eps }).run(model, { x, y });
    const z = model.logits64(x, 20);
    for (let k = 0; k < 20; k++) {
      const { dz } = model.objective(z.subarray(k * C, (k + 1) * C), y[k]!, 'ce', -1);
      for (let i = 0; i < D; i++) {
        let g = 0;
        for (let c = 0; c < C; c++) g += model.W[c * D + i]! * dz[c]!;
        expect(r.delta[k * D + i]).toBe(Math.fround(eps) * Math.sign(g));
        expect(r.adversarial[k * D + i]).toBe(Math.fround(x[k * D + i]! + r.delta[k * D + i]!));
      }
    }
    expect(model.gradCalls).toBe(1);
    // The reported losses are the CE at x + δ, which FGSM increases on a linear model.
    const clean = await model.lossAndGrad(x, 20, y, { kind: 'ce' });
    const adv = await model.lossAndGrad(r.adversarial, 20, y, { kind: 'ce' });
    for (let k = 0; k < 20; k++) {
      expect(r.losses[k]).toBeCloseTo(adv.losses[k]!, 5);
      expect(adv.losses[k]).toBeGreaterThan(clean.losses[k]!);
    }
  });

  it('does not clip x + δ to [0, 1] by default (tutorial convention) and does when asked', async () => {
    const model = randomModel(5);
    const { x, y } = randomBatch(10, 6);
    const free = await new Fgsm({ eps: 0.3 }).run(model, { x, y });
    expect(Math.min(...free.adversarial)).toBeLessThan(0);
    expect(Math.max(...free.adversarial)).toBeGreaterThan(1);
    const clipped = await new Fgsm({ eps: 0.3, clip: true }).run(model, { x, y });
    expect(Math.min(...clipped.adversarial)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...clipped.adversarial)).toBeLessThanOrEqual(1);
  });
});

describe('PGD ℓ∞', () => {
  it('stays in the ε-ball, and in the domain when clipping, from zero and random starts', async () => {
    const model = randomModel(7, 3);
    const { x, y } = randomBatch(16, 8);
    for (const opts of [{}, { randomStart: true }, { clip: true }, { clip: true, randomStart: true, restarts: 3 }]) {
      const eps = 0.15;
      const r = await new Pgd({ eps, alpha: 0.05, steps: 12, ...opts }).run(model, { x, y });
      for (let k = 0; k < 16; k++) expect(linf(r.delta, k)).toBeLessThanOrEqual(Math.fround(eps));
      if ('clip' in opts) for (const v of r.adversarial) expect(v >= 0 && v <= 1).toBe(true);
    }
  });

  it('follows the tutorial iteration δ ← clamp(δ + α·sign(∇), −ε, ε) step by step', async () => {
    const model = randomModel(9, 2);
    const { x, y } = randomBatch(8, 10);
    const eps = 0.1;
    const alpha = 0.03;
    const steps = 6;
    const delta = new Float32Array(8 * D);
    for (let s = 0; s < steps; s++) {
      const xa = Float32Array.from(x, (v, i) => v + delta[i]!);
      const { grad } = await model.lossAndGrad(xa, 8, y, { kind: 'ce' });
      for (let i = 0; i < delta.length; i++) {
        delta[i] = Math.min(Math.max(Math.fround(delta[i]! + Math.fround(alpha) * Math.sign(grad[i]!)), -Math.fround(eps)), Math.fround(eps));
      }
    }
    const r = await new Pgd({ eps, alpha, steps }).run(model, { x, y });
    expect(Array.from(r.delta)).toEqual(Array.from(delta));
  });

  it('reaches the exact optimum of a targeted linear objective: δ* = ε·sign(w_t − w_y)', async () => {
    const model = randomModel(11);
    const { x, y } = randomBatch(12, 12);
    const t = 2;
    const eps = 0.2;
    const r = await new Pgd({ eps, alpha: 0.05, steps: 10, objective: 'targeted', target: t }).run(model, { x, y });
    const z = model.logits64(x, 12);
    for (let k = 0; k < 12; k++) {
      const yk = y[k]!;
      let l1 = 0;
      for (let i = 0; i < D; i++) {
        const w = model.W[t * D + i]! - model.W[yk * D + i]!;
        l1 += Math.abs(w);
        if (yk !== t) expect(r.delta[k * D + i]).toBe(Math.fround(eps) * Math.sign(w));
      }
      // max over the box of z_t − z_y = (z_t − z_y)(x) + ε‖w_t − w_y‖₁
      expect(r.losses[k]).toBeCloseTo(z[k * C + t]! - z[k * C + yk]! + eps * l1, 4);
    }
  });

  it('marks targeted success exactly where the prediction is the target (and the label is not)', async () => {
    const model = randomModel(13);
    const { x, y } = randomBatch(40, 14);
    const targets = Int32Array.from({ length: 40 }, (_, k) => k % C);
    for (const objective of ['targeted', 'targeted-sum'] as const) {
      const hits: number[] = [];
      for (const eps of [0.05, 3]) {
        const r = await new Pgd({ eps, alpha: eps / 4, steps: 8, objective }).run(model, { x, y, targets });
        for (let k = 0; k < 40; k++) {
          expect(r.success[k]).toBe(Number(r.predictions[k] === targets[k] && targets[k] !== y[k]));
        }
        hits.push(r.success.reduce((a, v) => a + v, 0));
      }
      // A larger budget reaches the target for more examples.
      expect(hits[1]).toBeGreaterThan(hits[0]!);
    }
    expect(Array.from(argmaxRows(new Float32Array([1, 3, 3, 0]), 1, 4))).toEqual([1]);
  });

  it('never lowers the per-example objective by adding restarts (same seed), and reports the kept δ', async () => {
    // A steep model so that different random starts climb to different box vertices.
    const model = randomModel(15, 8);
    const { x, y } = randomBatch(64, 16);
    const opts = { eps: 0.3, alpha: 0.02, steps: 5, randomStart: true, seed: 42 };
    const one = await new Pgd({ ...opts, restarts: 1 }).run(model, { x, y });
    const many = await new Pgd({ ...opts, restarts: 6 }).run(model, { x, y });
    let improved = 0;
    for (let k = 0; k < 64; k++) {
      expect(many.losses[k]).toBeGreaterThanOrEqual(one.losses[k]!);
      if (many.losses[k]! > one.losses[k]! + 1e-6) improved++;
    }
    expect(improved).toBeGreaterThan(0);
    const check = await model.lossAndGrad(many.adversarial, 64, y, { kind: 'ce' });
    for (let k = 0; k < 64; k++) expect(many.losses[k]).toBeCloseTo(check.losses[k]!, 4);
    // The same seed gives the same result; reset() restarts the stream.
    const attack = new Pgd({ ...opts, restarts: 2 });
    const a = await attack.run(model, { x, y });
    const b = await attack.run(model, { x, y });
    attack.reset();
    const c = await attack.run(model, { x, y });
    expect(Array.from(c.delta)).toEqual(Array.from(a.delta));
    expect(Array.from(b.delta)).not.toEqual(Array.from(a.delta));
  });

  it('stops early on cancellation with a feasible δ, and reports progress per step', async () => {
    const model = randomModel(17);
    const { x, y } = randomBatch(4, 18);
    const events: ProgressEvent[] = [];
    const signal = { aborted: false };
    const r = await new Pgd({ steps: 10, restarts: 2 }).run(model, {
      x,
      y,
      signal,
      onProgress: (e) => {
        events.push(e);
        if (e.done === 3) signal.aborted = true;
      },
    });
    expect(r.cancelled).toBe(true);
    expect(events.map((e) => e.done)).toEqual([1, 2, 3]);
    expect(events[0]).toMatchObject({ task: 'attack:pgd', total: 20, unit: 'steps' });
    for (let k = 0; k < 4; k++) expect(linf(r.delta, k)).toBeLessThanOrEqual(Math.fround(0.1));
  });
});

describe('PGD ℓ2', () => {
  it('follows the tutorial pgd_l2 order (normalised step, clip to [0, 1], rescale to the ball)', async () => {
    const model = randomModel(19, 2);
    const { x, y } = randomBatch(10, 20);
    const eps = 0.5;
    const alpha = 0.2;
    const delta = new Float64Array(10 * D);
    for (let s = 0; s < 7; s++) {
      const { grad } = await model.lossAndGrad(Float32Array.from(x, (v, i) => v + delta[i]!), 10, y, { kind: 'ce' });
      for (let k = 0; k < 10; k++) {
        const g = Array.from(grad.subarray(k * D, (k + 1) * D));
        const gn = Math.hypot(...g);
        for (let i = 0; i < D; i++) {
          const j = k * D + i;
          delta[j] = delta[j]! + (alpha * g[i]!) / gn;
          delta[j] = Math.min(Math.max(delta[j]!, -x[j]!), 1 - x[j]!);
        }
        const dn = Math.hypot(...delta.subarray(k * D, (k + 1) * D));
        for (let i = 0; i < D; i++) delta[k * D + i]! *= eps / Math.max(dn, eps);
      }
    }
    const r = await new PgdL2({ eps, alpha, steps: 7 }).run(model, { x, y });
    for (let i = 0; i < delta.length; i++) expect(r.delta[i]).toBeCloseTo(delta[i]!, 5);
    for (let k = 0; k < 10; k++) expect(l2(r.delta, k)).toBeLessThanOrEqual(eps);
    for (const v of r.adversarial) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('reaches the targeted optimum δ* = ε·(w_t − w_y)/‖w_t − w_y‖₂ without clipping', async () => {
    const model = randomModel(21);
    const { x, y } = randomBatch(6, 22);
    const t = 1;
    const eps = 0.7;
    const r = await new PgdL2({ eps, alpha: 0.5, steps: 4, clip: false, objective: 'targeted', target: t }).run(model, { x, y });
    for (let k = 0; k < 6; k++) {
      if (y[k] === t) continue;
      const w = Array.from({ length: D }, (_, i) => model.W[t * D + i]! - model.W[y[k]! * D + i]!);
      const wn = Math.hypot(...w);
      for (let i = 0; i < D; i++) expect(r.delta[k * D + i]).toBeCloseTo((eps * w[i]!) / wn, 5);
    }
  });

  it('produces no NaN when gradients are exactly zero', async () => {
    const model = new LinearSoftmax(new Float64Array(C * D), Float64Array.of(0, 1, 2, 3));
    const { x, y } = randomBatch(5, 23);
    for (const randomStart of [false, true]) {
      const r = await new PgdL2({ randomStart }).run(model, { x, y });
      for (const arr of [r.delta, r.adversarial, r.logits, r.losses]) expect(arr.every(Number.isFinite)).toBe(true);
      if (!randomStart) expect(r.delta.every((v) => v === 0)).toBe(true);
      for (let k = 0; k < 5; k++) expect(l2(r.delta, k)).toBeLessThanOrEqual(2);
    }
  });

  it('draws random starts inside the ℓ2 ball', async () => {
    const model = randomModel(25);
    const { x, y } = randomBatch(50, 26);
    const r = await new PgdL2({ eps: 0.4, steps: 0, randomStart: true, clip: false }).run(model, { x, y });
    const norms = Array.from({ length: 50 }, (_, k) => l2(r.delta, k));
    expect(Math.max(...norms)).toBeLessThanOrEqual(0.4);
    expect(Math.min(...norms)).toBeGreaterThan(0);
  });
});

describe('validation and the registry', () => {
  it('rejects negative or NaN ε and other bad options with InvalidArgumentError', () => {
    expect(() => new Pgd({ eps: -0.1 })).toThrow(InvalidArgumentError);
    expect(() => new Fgsm({ eps: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => new PgdL2({ alpha: -1 })).toThrow(InvalidArgumentError);
    expect(() => new Pgd({ steps: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new Pgd({ restarts: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Pgd({ target: 3 })).toThrow(/targeted objective/);
    expect(() => createAttack('pgd', { clip: 'yes' } as never)).toThrow(/boolean/);
  });

  it('rejects bad batches', async () => {
    const model = randomModel(27);
    const { x, y } = randomBatch(2, 28);
    await expect(new Pgd().run(model, { x: x.subarray(1), y })).rejects.toThrow(ShapeError);
    await expect(new Pgd().run(model, { x, y: Int32Array.of(0, 9) })).rejects.toThrow(InvalidArgumentError);
    await expect(new Pgd().run(model, { x: Float32Array.from(x, (v, i) => (i === 3 ? Number.NaN : v)), y })).rejects.toThrow(/not finite/);
    await expect(new Pgd({ objective: 'targeted' }).run(model, { x, y })).rejects.toThrow(/needs a target/);
  });

  it('builds every tutorial attack by name with its defaults', () => {
    expect(createAttack('fgsm').config).toMatchObject({ threat: { norm: 'linf', eps: 0.1 }, alpha: 0.1, steps: 1, clip: false });
    expect(createAttack('pgd').config).toMatchObject({ threat: { eps: 0.1 }, alpha: 0.01, steps: 40, restarts: 1, randomStart: false, clip: false });
    expect(createAttack('pgd-l2').config).toMatchObject({ threat: { norm: 'l2', eps: 2, domain: [0, 1] }, alpha: 0.1, steps: 40, clip: true });
    expect(createAttack('pgd-restarts').config).toMatchObject({ restarts: 10, randomStart: true, steps: 40 });
    expect(createAttack('pgd-targeted', { target: 2 }).config).toMatchObject({ threat: { eps: 0.2 }, objective: { kind: 'targeted', reduction: 'mean' }, target: 2 });
    expect(createAttack('pgd-targeted-sum', { target: 0 }).config.objective.kind).toBe('targeted-sum');
    expect(createAttack('pgd', { steps: 20 }).describe()).toBe('pgd ℓ∞ ε=0.1 α=0.01 steps=20');
    expect(createAttack('fgsm', { eps: 0.3 }).config.alpha).toBe(0.3);
    expect(() => createAttack('cw')).toThrow(/unknown attack 'cw'; known attacks: fgsm, pgd/);
    expect(() => createAttack('fgsm', { steps: 3 })).toThrow(/no option 'steps'/);
    expect(() => createAttack('pgd', { epsilon: 0.1 })).toThrow(/no option 'epsilon'/);
  });
});

describe('evaluate', () => {
  const model = randomModel(31, 4);
  const n = 45;
  const r = new Rng(32);
  const images = Float32Array.from({ length: n * D }, () => r.float());
  // Labels = the model's clean predictions except every 5th, so the clean error is exactly 9/45.
  const clean = argmaxRows(Float32Array.from(model.logits64(images, n)), n, C);
  const labels = Int32Array.from(clean, (p, k) => (k % 5 === 0 ? (p + 1) % C : p));
  const ds = createDataset({ n, inputShape: INPUT_SHAPE, images, labels, numClasses: C });

  it('reports clean and per-attack error rates over batches in file order', async () => {
    const events: ProgressEvent[] = [];
    const attacks = [
      { name: 'fgsm', attack: createAttack('fgsm', { eps: 0.05 }) },
      { name: 'pgd', attack: createAttack('pgd', { eps: 0.05, steps: 5 }) },
    ];
    const res = await evaluate(model, ds, attacks, { batchSize: 10, perExample: true, onProgress: (e) => events.push(e) });
    expect(res.n).toBe(45);
    expect(res.cancelled).toBe(false);
    expect(res.errors.clean).toBeCloseTo(9 / 45, 12);
    // Independent recount: run each attack on the whole set at once (sign steps ignore batch composition).
    for (const { name, attack } of attacks) {
      attack.reset();
      const full = await attack.run(model, { x: images, y: labels });
      let wrong = 0;
      for (let k = 0; k < n; k++) wrong += Number(full.predictions[k] !== labels[k]);
      expect(res.errors[name]).toBeCloseTo(wrong / n, 12);
      expect(Array.from(res.perExample!.predictions[name]!)).toEqual(Array.from(full.predictions));
    }
    expect(res.errors.pgd).toBeGreaterThanOrEqual(res.errors.clean!);
    expect(Array.from(res.perExample!.indices)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(Array.from(res.perExample!.predictions.clean!)).toEqual(Array.from(clean));
    const evalEvents = events.filter((e) => e.task === 'eval');
    expect(evalEvents.map((e) => e.done)).toEqual([10, 20, 30, 40, 45]);
    expect(evalEvents.at(-1)).toMatchObject({ total: 45, unit: 'examples', info: res.errors });
    expect(events.some((e) => e.task === 'eval:pgd' && e.unit === 'steps')).toBe(true);
  });

  it('honours limit and stops at a batch boundary when cancelled', async () => {
    const limited = await evaluate(model, ds, [], { batchSize: 4, limit: 10 });
    expect(limited.n).toBe(10);
    let wrong = 0;
    for (let k = 0; k < 10; k++) wrong += Number(clean[k] !== labels[k]);
    expect(limited.errors).toEqual({ clean: wrong / 10 });
    const signal = { aborted: false };
    const res = await evaluate(model, ds, [{ name: 'pgd', attack: createAttack('pgd') }], {
      batchSize: 10,
      signal,
      perExample: true,
      onProgress: (e) => {
        if (e.task === 'eval' && e.done === 20) signal.aborted = true;
      },
    });
    expect(res.cancelled).toBe(true);
    expect(res.n).toBe(20);
    expect(res.perExample!.labels.length).toBe(20);
  });

  it('rejects duplicate names and mismatched models', async () => {
    const a = createAttack('fgsm');
    await expect(evaluate(model, ds, [{ name: 'clean', attack: a }])).rejects.toThrow(InvalidArgumentError);
    await expect(evaluate(model, ds, [{ name: 'x', attack: a }, { name: 'x', attack: a }])).rejects.toThrow(InvalidArgumentError);
    const other = createDataset({ n: 1, inputShape: [5], images: new Float32Array(5), labels: Int32Array.of(0), numClasses: C });
    await expect(evaluate(model, other, [])).rejects.toThrow(ShapeError);
  });
});

describe('argmaxRows', () => {
  it('breaks ties towards the lowest index and treats NaN as the maximum, like torch.max', () => {
    expect(Array.from(argmaxRows(Float32Array.of(2, 5, 5, 1, 0, 0, 0, 0, 1, Number.NaN, 9, 9), 3, 4))).toEqual([1, 0, 1]);
  });
});
