import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { isTargeted, type Objective, type ObjectiveKind } from '../model.js';
import { runGraph, type RefTensor } from '../onnx/interpreter.js';
import { DataType } from '../onnx/types.js';
import { fdGradient, makeRng, maxRelError, runOrt, uniform } from '../test-util/autodiff.js';
import { GraphBuilder, type FloatType } from './builder.js';
import { grad } from './grad.js';
import { emitObjective } from './objectives.js';

const N = 4;
const C = 5;

function objectiveModel(objective: Objective, floatType: FloatType) {
  const b = new GraphBuilder({ floatType });
  const z = b.input('z', ['N', C]);
  const y = b.input('y', ['N'], DataType.INT64);
  const t = isTargeted(objective.kind) ? b.input('t', ['N'], DataType.INT64) : undefined;
  const { losses, total } = emitObjective(b, z, y, objective, t);
  const [g] = grad(b, total, [z]);
  b.output('losses', losses);
  b.output('total', total);
  b.output('g', g);
  return b.toModel();
}

/** The objectives' definitions in model.ts, computed directly. */
function expected(kind: ObjectiveKind, z: number[], y: number, t: number): number {
  switch (kind) {
    case 'ce': {
      const m = Math.max(...z);
      return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[y];
    }
    case 'margin':
      return Math.max(...z.filter((_, j) => j !== y)) - z[y];
    case 'targeted':
      return z[t] - z[y];
    case 'targeted-sum':
      return z[t] - z.reduce((s, v, j) => (j === t ? s : s + v), 0);
  }
}

describe('objectives', () => {
  const rng = makeRng(99);
  // Example 0 has its true class as the largest logit (margin negative), the others random.
  const logits = uniform(rng, N * C, -3, 3);
  logits[0 * C + 2] = 5;
  const labels = [2, 0, 4, 1];
  const targets = [3, 1, 0, 1]; // the last one equals its label: targeted loss 0
  const feeds = (): Record<string, RefTensor> => ({
    z: { dims: [N, C], data: Float64Array.from(logits) },
    y: { dims: [N], data: BigInt64Array.from(labels, BigInt) },
    t: { dims: [N], data: BigInt64Array.from(targets, BigInt) },
  });

  for (const kind of ['ce', 'margin', 'targeted', 'targeted-sum'] as const)
    for (const reduction of ['mean', 'sum'] as const)
      it(`${kind} (${reduction}): values, gradient vs FD, ORT float32`, async () => {
        const objective: Objective = { kind, reduction };
        const model = objectiveModel(objective, 'float64');
        const f = feeds();
        if (!isTargeted(kind)) delete f.t;
        const out = runGraph(model, f);
        const want = labels.map((y, i) => expected(kind, logits.slice(i * C, (i + 1) * C), y, targets[i]));
        expect(out.losses.dims).toEqual([N]);
        expect(maxRelError(out.losses.data as Float64Array, want)).toBeLessThan(1e-12);
        const sum = want.reduce((a, v) => a + v, 0);
        expect((out.total.data as Float64Array)[0]).toBeCloseTo(reduction === 'mean' ? sum / N : sum, 12);
        expect(maxRelError(out.g.data as Float64Array, fdGradient(model, f, 'z', 'total'))).toBeLessThan(1e-7);

        const ort = await runOrt(objectiveModel(objective, 'float32'), f);
        expect(maxRelError(ort.losses, out.losses.data as Float64Array)).toBeLessThan(1e-5);
        expect(maxRelError(ort.g, out.g.data as Float64Array)).toBeLessThan(1e-6);
      });

  it('default reduction is the mean', () => {
    const f = feeds();
    delete f.t;
    const mean = runGraph(objectiveModel({ kind: 'ce' }, 'float64'), f).total.data[0];
    const explicit = runGraph(objectiveModel({ kind: 'ce', reduction: 'mean' }, 'float64'), f).total.data[0];
    expect(mean).toBe(explicit);
  });

  it('targeted objectives without targets are an InvalidArgumentError', () => {
    const b = new GraphBuilder();
    const z = b.input('z', ['N', C]);
    const y = b.input('y', ['N'], DataType.INT64);
    expect(() => emitObjective(b, z, y, { kind: 'targeted' })).toThrow(InvalidArgumentError);
  });

  it('ce in ORT float32 rounds its logit gradient like PyTorch (fixture from torch cross_entropy backward)', async () => {
    const fx = JSON.parse(readFileSync(new URL('./fixtures/ce-grad-torch.json', import.meta.url), 'utf8')) as {
      n: number; classes: number; logits: number[]; labels: number[]; loss: number; grad: number[];
    };
    const b = new GraphBuilder();
    const z = b.input('z', ['N', fx.classes]);
    const y = b.input('y', ['N'], DataType.INT64);
    const { total } = emitObjective(b, z, y, { kind: 'ce' });
    const [g] = grad(b, total, [z]);
    b.output('total', total);
    b.output('g', g);
    const out = await runOrt(b.toModel(), {
      z: { dims: [fx.n, fx.classes], data: Float64Array.from(fx.logits) },
      y: { dims: [fx.n], data: BigInt64Array.from(fx.labels, BigInt) },
    });
    // Where p_y rounds to 1, PyTorch's gradient is exactly 0 (the FGSM quirk the tutorial numbers
    // depend on); the same zeros must appear here, every other entry within a few float32 ulps
    // (LogSoftmax implementations differ slightly) plus an ulp of 1/N where −1/N + p_y/N cancels,
    // and most entries bit for bit.
    const zeros = (a: ArrayLike<number>): number[] => Array.from(a).flatMap((v, i) => (v === 0 ? [i] : []));
    expect(zeros(out.g)).toEqual(zeros(fx.grad));
    expect(zeros(fx.grad).length).toBeGreaterThan(0);
    let identical = 0;
    for (let i = 0; i < fx.grad.length; i++) {
      expect(Math.abs(out.g[i] - fx.grad[i])).toBeLessThanOrEqual(8 * 2 ** -24 * Math.abs(fx.grad[i]) + 2 ** -22 / fx.n);
      if (out.g[i] === fx.grad[i]) identical++;
    }
    expect(identical / fx.grad.length).toBeGreaterThan(0.5);
    expect(Math.abs(out.total[0] - fx.loss)).toBeLessThanOrEqual(1e-6 * fx.loss);
  });
});
