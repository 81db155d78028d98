/**
 * Issue 4's acceptance figures that need the whole MNIST test set, on the WebAssembly engine:
 * IBP-certified errors of the tutorial's chapter-4 networks (ε-box not clamped, as chapter 4 does),
 * exactly as published (../shared/tutorial-models/README.md). Also: CROWN certifies at least as
 * many images as IBP on dnn4 and the ConvNet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { certify, certifyDataset, importOnnx, type Dataset, type Network } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWasmIntervalEngine, type WasmIntervalEngine } from './engine.js';

const dir = new URL('../../../../shared/tutorial-models/', import.meta.url);
let test: Dataset;
let engine: WasmIntervalEngine;

function load(name: string): Network {
  const file = new URL(`${name}.onnx`, dir);
  expect(existsSync(file), `${file.pathname} (the tutorial's released models must be beside the repo)`).toBe(true);
  return importOnnx(new Uint8Array(readFileSync(file)));
}

beforeAll(async () => {
  test = await loadMnist('test');
  engine = await createWasmIntervalEngine();
});

afterAll(() => engine.dispose());

describe('IBP-certified error on the 10,000 MNIST test images (tutorial chapter 4)', () => {
  for (const [model, eps, expected] of [
    ['cnn_robust_ibp', 0.1, 0.0967],
    ['cnn_robust', 1e-4, 0.0261],
    ['cnn_robust', 5e-4, 0.6985],
  ] as const) {
    it(`${model} at ε = ${eps}: ${expected}`, () => {
      const r = certifyDataset(load(model), test, { norm: 'linf', eps }, { method: 'ibp', engine });
      expect(r.n).toBe(10_000);
      expect(Math.abs(r.certifiedError - expected)).toBeLessThanOrEqual(1e-4 * expected);
    });
  }
});

describe('crown versus ibp on the deeper networks (ε = 0.01, clamped)', () => {
  for (const [model, n] of [['dnn4', 40], ['cnn', 2]] as const) {
    it(`${model}: crown never below ibp per margin, certifies at least as many`, () => {
      const net = load(model);
      const x = test.images.subarray(0, n * 784);
      const y = test.labels.subarray(0, n);
      const ibp = certify(net, x, y, { norm: 'linf', eps: 0.01 }, { method: 'ibp', engine, clamp: true });
      const crown = certify(net, x, y, { norm: 'linf', eps: 0.01 }, { method: 'crown', engine, clamp: true });
      for (let i = 0; i < ibp.margins.length; i++) expect(crown.margins[i]!).toBeGreaterThanOrEqual(ibp.margins[i]!);
      expect(crown.verified).toBeGreaterThanOrEqual(ibp.verified);
      if (model === 'dnn4') expect(crown.verified).toBeGreaterThan(ibp.verified);
    });
  }
});
