/**
 * The tutorial's certificate tables (ch. 3; ../shared/tutorial-models/README.md) for `small` on
 * MNIST test image 0 (a 7): LP relaxation objectives with interval bounds from the clamped box at
 * ε = 0.1 and 0.02, MILP objectives at ε = 0.05 and 0.1, and the LP of `dnn4` at ε = 0.01, all to
 * 1e-4. Every ε = 0.1 counterexample is re-checked here in an independent ONNX Runtime session of
 * the original ONNX file: inside the clamped box, and the target class really beats the 7.
 * The MILPs use LP-tightened bounds (same optimum, fewer binaries: see properties.test.ts).
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradientModel } from '../model.js';
import { loadMnist } from '../node/mnist.js';
import { importOnnx } from '../onnx/import.js';
import { createGradientModel, createRuntime, type Runtime, type Session } from '../runtime/index.js';
import type { ExampleCertificate } from './certificate.js';
import { ExactVerifier } from './verifier.js';

const models = new URL('../../../../../shared/tutorial-models/', import.meta.url);
const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, models)));

const TARGETS = [0, 1, 2, 3, 4, 5, 6, 8, 9];
const TABLE = {
  milp05: [5.810042236946861, 10.836173372728197, 2.039339255684599, 0.018872730723538567, 13.52836423718531, 5.146072840088203, 20.45439065167794, 3.5428745576535814, 4.274027214275465],
  milp10: [-2.545012509042315, 3.043376725812322, -4.966118334049208, -7.309837079755624, 4.741011344284811, -4.870590800081836, 7.980441149609722, -6.9536251954142365, -3.314370640372009],
  lp10: [-27.882328, -21.163017, -26.119775, -33.87016, -20.043131, -40.825229, -24.755466, -37.712046, -32.456353],
  lp02: [8.679119731697458, 12.233313266959202, 4.120827654631229, 1.857739424985871, 16.236514322580383, 7.964241745873003, 23.459304334257965, 6.10314963105955, 5.581247281946292],
  dnn4lp01: [5.480101103982182, 2.196709825912893, 0.4646296745679468, -2.264958127925656, 9.8073503196978, 1.4951834763453595, 12.835283301376197, -0.39325769328255866, -1.9890586254866953],
};

let runtime: Runtime;
let x0: Float32Array;
let small: { model: GradientModel; verifier: ExactVerifier; session: Session };

beforeAll(async () => {
  runtime = await createRuntime(ort, { device: 'cpu', threads: 1 });
  const test = await loadMnist('test');
  expect(test.labels[0]).toBe(7);
  x0 = test.images.slice(0, 784);
  const net = importOnnx(bytes('small.onnx'));
  const model = await createGradientModel(runtime, net);
  small = { model, verifier: await ExactVerifier.create(net, { model }), session: await runtime.createSession(bytes('small.onnx')) };
});
afterAll(async () => {
  await small?.model.dispose();
  await small?.session.dispose();
});

function expectObjectives(c: ExampleCertificate, want: readonly number[]): void {
  expect(c.targets.map((t) => t.target)).toEqual(TARGETS);
  c.targets.forEach((t, k) => expect(Math.abs(t.objective - want[k]!), `target ${t.target}: ${t.objective} vs ${want[k]}`).toBeLessThan(1e-4));
}

describe('tutorial ch. 3: LP relaxation, interval bounds from the clamped box', () => {
  it('small, ε = 0.1: all 9 objectives; none is a proof, and the t = 2 LP point is a real adversarial example', async () => {
    const c = await small.verifier.verifyLp(x0, 7, { eps: 0.1, clamp: [0, 1], bounds: 'interval' });
    expectObjectives(c, TABLE.lp10);
    expect(c.targets.every((t) => t.status !== 'verified')).toBe(true);
    // The tutorial: feeding the relaxed z[0] for t = 2 through the network, class 2 wins.
    const t2 = c.targets.find((t) => t.target === 2)!;
    expect(t2.status).toBe('falsified');
    expect(t2.counterexample!.predicted).toBe(2);
  });

  it('small, ε = 0.02: all 9 objectives, all positive: verified by the LP alone', async () => {
    const c = await small.verifier.verifyLp(x0, 7, { eps: 0.02, clamp: [0, 1], bounds: 'interval' });
    expectObjectives(c, TABLE.lp02);
    expect(c.status).toBe('verified');
    for (const t of c.targets) expect(t.bound).toBeGreaterThan(0);
  });

  it('dnn4, ε = 0.01: all 9 objectives', async () => {
    const net = importOnnx(bytes('dnn4.onnx'));
    const model = await createGradientModel(runtime, net);
    try {
      const v = await ExactVerifier.create(net, { model });
      const c = await v.verifyLp(x0, 7, { eps: 0.01, clamp: [0, 1], bounds: 'interval' });
      expectObjectives(c, TABLE.dnn4lp01);
    } finally {
      await model.dispose();
    }
  });
});

describe('tutorial ch. 3: MILP (Tjeng et al. big-M)', () => {
  it('small, ε = 0.05: all 9 optima; every target verified (certified robust)', async () => {
    const c = await small.verifier.verifyMip(x0, 7, { eps: 0.05, clamp: [0, 1], bounds: 'lp' });
    expectObjectives(c, TABLE.milp05);
    expect(c.status).toBe('verified');
  });

  it('small, ε = 0.1: all 9 optima; 1, 4, 6 verified, the others falsified by counterexamples ONNX Runtime confirms', async () => {
    const c = await small.verifier.verifyMip(x0, 7, { eps: 0.1, clamp: [0, 1], bounds: 'lp' });
    expectObjectives(c, TABLE.milp10);
    expect(c.status).toBe('falsified');
    for (const t of c.targets) {
      expect(t.status, `target ${t.target}`).toBe([1, 4, 6].includes(t.target) ? 'verified' : 'falsified');
      if (t.status !== 'falsified') continue;
      const x = t.counterexample!.x;
      for (let i = 0; i < 784; i++) {
        expect(Math.abs(x[i]! - x0[i]!)).toBeLessThanOrEqual(0.1);
        expect(x[i]!).toBeGreaterThanOrEqual(0);
        expect(x[i]!).toBeLessThanOrEqual(1);
      }
      // An independent session of the original ONNX file, not the verifier's own.
      const out = await small.session.run({ input: { data: x, dims: [1, 1, 28, 28] } });
      const z = out.logits!.data as Float32Array;
      expect(z[t.target]!, `target ${t.target}`).toBeGreaterThan(z[7]!);
    }
  });
});
