/**
 * Issue 4's acceptance on the tutorial's released networks, with the plain-TS reference engine
 * (the WebAssembly engine runs the 10,000-image IBP figures in @minmax/bounds-wasm):
 * the interval-based margin vector of `small`; CROWN certifies at least as many images as IBP,
 * strictly more on `small` and `dnn2` at small ε; α-CROWN is never below CROWN; no PGD attack
 * beats a certificate; sampled points of the input set never leave the bounds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttack } from '../attacks/registry.js';
import { Rng } from '../data/rng.js';
import type { Dataset } from '../data/dataset.js';
import { forwardLayers64 } from '../ir/forward.js';
import type { Network } from '../ir/network.js';
import { loadMnist } from '../node/mnist.js';
import { importOnnx } from '../onnx/import.js';
import { createGradientModel, createRuntime, type Runtime } from '../runtime/index.js';
import { certify } from './certify.js';
import { layerBounds, specificationBounds } from './crown/api.js';
import { logitSpec, marginSpec } from './crown/spec.js';
import { linfBox } from './input-set.js';
import { createReferenceIntervalEngine } from './reference-engine.js';
import type { KernelIntervalEngine } from './kernel-engine.js';

const dir = resolve(import.meta.dirname, '../../../../../shared/tutorial-models');
let test: Dataset;
let engine: KernelIntervalEngine;
let runtime: Runtime;
const nets: Record<string, Network> = {};

function load(name: string): Network {
  const file = `${dir}/${name}.onnx`;
  expect(existsSync(file), `${file} (the tutorial's released models must be beside the repo)`).toBe(true);
  return (nets[name] ??= importOnnx(new Uint8Array(readFileSync(file))));
}

const images = (n: number) => test.images.subarray(0, n * 784);
const labels = (n: number) => test.labels.subarray(0, n);

beforeAll(async () => {
  test = await loadMnist('test');
  engine = createReferenceIntervalEngine();
  runtime = await createRuntime(ort, { device: 'cpu', threads: 1 });
});

afterAll(() => engine.dispose());

describe('tutorial figures', () => {
  it('reproduces the interval-based margin vector of `small` on test image 0 at ε = 0.02 (clamped box)', () => {
    const expected = [-7.426559, -2.0292485, -8.31501, -15.399408, 2.3813596, -10.803006, 5.575859, 0, -13.850781, -11.277755];
    const r = certify(load('small'), images(1), labels(1), { norm: 'linf', eps: 0.02 }, { method: 'ibp', engine, clamp: true });
    expect(test.labels[0]).toBe(7);
    expected.forEach((v, t) => {
      const got = r.margins[t]!;
      if (v === 0) expect(got).toBe(0);
      else expect(Math.abs(got - v)).toBeLessThanOrEqual(1e-4 * Math.abs(v));
    });
  });
});

describe('orderings of the methods', () => {
  for (const name of ['small', 'dnn2']) {
    for (const eps of [0.01, 0.02]) {
      it(`${name}, ε = ${eps}: crown certifies at least as many images as ibp (strictly more), per margin never below it`, () => {
        const n = name === 'small' ? 200 : 60;
        const net = load(name);
        const ibp = certify(net, images(n), labels(n), { norm: 'linf', eps }, { method: 'ibp', engine, clamp: true });
        const crown = certify(net, images(n), labels(n), { norm: 'linf', eps }, { method: 'crown', engine, clamp: true });
        for (let i = 0; i < ibp.margins.length; i++) expect(crown.margins[i]!).toBeGreaterThanOrEqual(ibp.margins[i]!);
        for (let i = 0; i < n; i++) if (ibp.status[i] === 'verified') expect(crown.status[i]).toBe('verified');
        expect(crown.verified).toBeGreaterThan(ibp.verified);
      });
    }
  }

  it('alpha-crown is never below crown, per margin, and certifies at least as many images', () => {
    const net = load('small');
    const n = 25;
    const eps = 0.04;
    const crown = certify(net, images(n), labels(n), { norm: 'linf', eps }, { method: 'crown', engine, clamp: true });
    const alpha = certify(net, images(n), labels(n), { norm: 'linf', eps }, { method: 'alpha-crown', engine, clamp: true });
    for (let i = 0; i < crown.margins.length; i++) expect(alpha.margins[i]!).toBeGreaterThanOrEqual(crown.margins[i]!);
    expect(alpha.verified).toBeGreaterThanOrEqual(crown.verified);
    expect(alpha.margins.some((v, i) => v > crown.margins[i]! + 1e-6)).toBe(true);
  });
});

describe('certificates hold', () => {
  it('no PGD attack (random restarts, clipped to the box) finds an adversarial example for a verified image', async () => {
    for (const [name, eps] of [['small', 0.03], ['dnn2', 0.03]] as const) {
      const net = load(name);
      const n = 60;
      const r = certify(net, images(n), labels(n), { norm: 'linf', eps }, { method: 'crown', engine, clamp: true });
      const model = await createGradientModel(runtime, net);
      try {
        // The margin objective pushes straight at the certified quantity; restarts start inside the box.
        const attack = createAttack('pgd', { eps, alpha: eps / 8, steps: 30, clip: true, objective: 'margin', restarts: 3, randomStart: true, seed: 1 });
        const res = await attack.run(model, { x: images(n), y: labels(n) });
        let broken = 0;
        for (let i = 0; i < n; i++) {
          if (r.status[i] === 'verified') expect(res.success[i], `${name} image ${i} is verified but PGD flipped it`).toBe(0);
          else if (res.success[i]) broken++;
        }
        expect(r.verified).toBeGreaterThan(0);
        // The attack has teeth: it breaks some of the images that are not verified.
        expect(broken).toBeGreaterThan(0);
      } finally {
        await model.dispose();
      }
    }
  });

  it('sampled points of the input set never leave the CROWN bounds of any layer or logit (dnn2, image 0, ε = 0.1 clamped)', () => {
    const net = load('dnn2');
    const box = linfBox(images(1), 0.1, { clamp: [0, 1] });
    const layers = layerBounds(engine, net, box.lower, box.upper, { method: 'crown', allNeurons: true });
    const spec = logitSpec(10);
    const logits = specificationBounds(engine, net, box.lower, box.upper, spec, 20, { method: 'alpha-crown', alpha: { iterations: 5 } });
    const margins = specificationBounds(engine, net, box.lower, box.upper, marginSpec(10, 7), 9, { method: 'crown' });
    const rng = new Rng(3);
    const x = new Float64Array(784);
    const outside: string[] = [];
    const check = (v: number, lo: number, hi: number, what: string): void => {
      if (!(v >= lo && v <= hi)) outside.push(`${what}: ${v} not in [${lo}, ${hi}]`);
    };
    for (let k = 0; k < 300; k++) {
      for (let j = 0; j < 784; j++) {
        const t = k < 100 ? (rng.float() < 0.5 ? 0 : 1) : rng.float();
        x[j] = box.lower[j]! + (box.upper[j]! - box.lower[j]!) * t;
      }
      const acts = forwardLayers64(net, x, 1).slice(1);
      acts.forEach((a, li) => {
        for (let i = 0; i < a.length; i++) check(a[i]!, layers[li]!.lower[i]!, layers[li]!.upper[i]!, `point ${k} layer ${li} unit ${i}`);
      });
      const z = acts[acts.length - 1]!;
      for (let i = 0; i < 10; i++) check(z[i]!, logits.lower[2 * i]!, -logits.lower[2 * i + 1]!, `point ${k} logit ${i}`);
      let r = 0;
      for (let t = 0; t < 10; t++) if (t !== 7) check(z[7]! - z[t]!, margins.lower[r++]!, Infinity, `point ${k} margin 7−${t}`);
    }
    expect(outside).toEqual([]);
  });
});
