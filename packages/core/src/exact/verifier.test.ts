/**
 * The complete verifier and property checking end to end on the tutorial's `small` network, and
 * the guarantees that matter most: time limits and interrupts end a solve with `unknown`, never a
 * false `verified`, and every `falsified` carries a point ONNX Runtime confirms.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradientModel } from '../model.js';
import { loadMnist } from '../node/mnist.js';
import { importOnnx } from '../onnx/import.js';
import { createGradientModel, createRuntime } from '../runtime/index.js';
import { parseVnnlib } from '../vnnlib/parse.js';
import { ExactVerifier } from './verifier.js';

const models = new URL('../../../../../shared/tutorial-models/', import.meta.url);
const fixtures = new URL('../../fixtures/vnnlib/', import.meta.url);

let model: GradientModel;
let verifier: ExactVerifier;
let images: Float32Array;
let labels: Int32Array;

beforeAll(async () => {
  const runtime = await createRuntime(ort, { device: 'cpu', threads: 1 });
  const net = importOnnx(new Uint8Array(readFileSync(new URL('small.onnx', models))));
  model = await createGradientModel(runtime, net);
  verifier = await ExactVerifier.create(net, { model });
  const test = await loadMnist('test');
  images = test.images.slice(0, 784 * 20);
  labels = test.labels.slice(0, 20);
});
afterAll(async () => {
  await model?.dispose();
});

const image = (i: number): Float32Array => images.subarray(i * 784, (i + 1) * 784);

describe('complete verifier', () => {
  it('image 0: verified at ε = 0.02 without a MIP, falsified at ε = 0.1 by an attack ONNX Runtime confirms', async () => {
    const safe = await verifier.verifyComplete(image(0), 7, { eps: 0.02, clamp: [0, 1] });
    expect(safe.status).toBe('verified');
    expect(safe.targets.every((t) => t.status === 'verified' && ['interval', 'lp'].includes(t.by))).toBe(true);
    const unsafe = await verifier.verifyComplete(image(0), 7, { eps: 0.1, clamp: [0, 1] });
    expect(unsafe.status).toBe('falsified');
    const c = unsafe.targets.find((t) => t.status === 'falsified')!.counterexample!;
    const z = await model.logits(c.x, 1);
    expect(Math.max(...Array.from(z).filter((_, j) => j !== 7))).toBeGreaterThan(z[7]!);
    for (let i = 0; i < 784; i++) expect(Math.abs(c.x[i]! - image(0)[i]!)).toBeLessThanOrEqual(0.1);
  });

  it('decides the first images at ε = 0.05 and agrees with the exact MIP where both decide', async () => {
    for (let i = 1; i < 4; i++) {
      const c = await verifier.verifyComplete(image(i), labels[i]!, { eps: 0.05, clamp: [0, 1], exampleTimeLimit: 120 });
      expect(c.status, `image ${i}`).not.toBe('unknown');
      for (const t of c.targets) {
        if (t.status === 'verified') expect(t.bound, `image ${i} target ${t.target}`).toBeGreaterThan(0);
        if (t.status === 'falsified') {
          const z = await model.logits(t.counterexample!.x, 1);
          expect(z[t.target]!).toBeGreaterThan(z[labels[i]!]!);
        }
      }
    }
  });
});

describe('limits and interrupts', () => {
  it('a time limit ends MIPs as unknown with the gap, never verified', async () => {
    const t0 = performance.now();
    const c = await verifier.verifyMip(image(0), 7, { eps: 0.1, clamp: [0, 1], targets: [4], timeLimit: 0.05 });
    expect((performance.now() - t0) / 1000).toBeLessThan(20);
    const t = c.targets[0]!;
    expect(t.status).toBe('unknown');
    expect(t.note).toBe('time limit');
    expect(t.bound).toBeLessThan(4.741);
  });

  it('a cancel signal interrupts a solve in progress (HiGHS callbacks)', async () => {
    const t0 = performance.now();
    // A signal that becomes true while the synchronous solve runs, as a worker's shared flag would.
    const signal = { get aborted(): boolean { return performance.now() - t0 > 700; } };
    // Target 4 needs several seconds of branch-and-bound to prove (optimum 4.741).
    const c = await verifier.verifyMip(image(0), 7, { eps: 0.1, clamp: [0, 1], bounds: 'interval', targets: [4], signal });
    expect((performance.now() - t0) / 1000).toBeLessThan(3);
    expect(c.targets[0]!.status).toBe('unknown');
    expect(c.targets[0]!.note).toBe('interrupted');
  });
});

describe('properties (VNNLIB cases)', () => {
  it('the ε = 0.05 robustness property of image 0 holds (unsat); ε = 0.1 is violated with a confirmed witness (sat)', async () => {
    const holds = parseVnnlib(readFileSync(new URL('mnist_small_img0_eps0.05.vnnlib', fixtures), 'utf8'));
    const r = await verifier.checkProperty(holds.cases, { timeout: 300 });
    expect(r.verdict).toBe('unsat');
    expect(r.cases.every((c) => c.status === 'unsat')).toBe(true);
    const violated = parseVnnlib(readFileSync(new URL('mnist_small_img0_eps0.1.vnnlib', fixtures), 'utf8'));
    const s = await verifier.checkProperty(violated.cases, { timeout: 300 });
    expect(s.verdict).toBe('sat');
    const w = s.witness!;
    const c = violated.cases[w.case]!;
    for (let i = 0; i < 784; i++) {
      expect(w.x[i]!).toBeGreaterThanOrEqual(c.inputLower[i]!);
      expect(w.x[i]!).toBeLessThanOrEqual(c.inputUpper[i]!);
    }
    const z = await model.logits(w.x, 1);
    expect(Array.from(z)).toEqual(Array.from(w.y));
    for (const row of c.output) expect(Array.from(row.c).reduce((a, v, j) => a + v * z[j]!, row.offset)).toBeLessThanOrEqual(0);
  });
});
