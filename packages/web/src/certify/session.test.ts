/**
 * The certify worker's logic in Node, with onnxruntime-node standing in for onnxruntime-web (the
 * same ONNX Runtime API): margin bounds, LP / MIP certificates, counterexamples re-classified by
 * the uploaded file, and the certified radius, checked against the tutorial's published values
 * for its `small` network (/work/shared/tutorial-models/README.md) on the first test digit.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrtModule as CoreOrt } from '@minmax/core';
import { encodeDigits } from '../../scripts/make-digits.mjs';
import { digitsAsFloat, parseDigits, type DigitSet } from '../data/digits.js';
import { Classifier, type OrtModule as WebOrt } from '../runtime/classifier.js';
import type { Device as WebDevice } from '../runtime/device.js';
import { CancelledError, CertifySession, type CertifyPlatform } from './session.js';

const smallPath = fileURLToPath(new URL('../../../../../shared/tutorial-models/small.onnx', import.meta.url));

// Tests only: onnxruntime-node has the 'cpu' provider where the page's onnxruntime-web has 'wasm'.
const platform: CertifyPlatform = {
  ort: ortNode as unknown as CoreOrt,
  device: 'cpu',
  async openUploaded(bytes) {
    const c = await Classifier.create(ortNode as unknown as WebOrt, bytes, 'cpu' as WebDevice);
    return { logits: async (x) => (await c.run(x, 1)).logits, dispose: () => c.dispose() };
  },
};

let digits: DigitSet;
let session: CertifySession;
const never = { aborted: false };

beforeAll(() => {
  const bytes = encodeDigits(10);
  digits = parseDigits(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  session = CertifySession.open('small.onnx', new Uint8Array(readFileSync(smallPath)), platform);
});

afterAll(async () => {
  await session?.dispose();
});

const seven = () => ({ x: digitsAsFloat(digits, 0, 1), label: digits.labels[0]! });

describe('CertifySession on the tutorial network `small`, test digit 0 (a 7)', () => {
  it('describes the model', () => {
    expect(session.info).toEqual({ name: 'small.onnx', classes: 10, inputSize: 784, relus: 70 });
  });

  it('gives the tutorial’s interval margin bounds at ε = 0.02 on the clamped box', () => {
    const r = session.bounds({ ...seven(), eps: 0.02, clamp: true, method: 'ibp' }, { signal: never });
    const tutorial = [-7.426559, -2.0292485, -8.31501, -15.399408, 2.3813596, -10.803006, 5.575859, NaN, -13.850781, -11.277755];
    expect(r.label).toBe(7);
    expect(Number.isNaN(r.margins[7])).toBe(true);
    for (let t = 0; t < 10; t++) if (t !== 7) expect(r.margins[t]).toBeCloseTo(tutorial[t]!, 4);
    expect(r.status).toBe('not verified');
  });

  it('tightens with CROWN and α-CROWN (never looser than IBP)', () => {
    const q = { ...seven(), eps: 0.02, clamp: true };
    const ibp = session.bounds({ ...q, method: 'ibp' }, { signal: never });
    const crown = session.bounds({ ...q, method: 'crown' }, { signal: never });
    const alpha = session.bounds({ ...q, method: 'alpha-crown' }, { signal: never });
    for (let t = 0; t < 10; t++) {
      if (t === 7) continue;
      expect(alpha.margins[t]!).toBeGreaterThanOrEqual(crown.margins[t]! - 1e-9);
    }
    expect(crown.status).toBe('verified');
    expect(alpha.status).toBe('verified');
    expect(Math.min(...Array.from(crown.margins).filter((v) => !Number.isNaN(v)))).toBeGreaterThan(Math.min(...Array.from(ibp.margins).filter((v) => !Number.isNaN(v))));
  });

  it('reproduces the tutorial’s LP objectives at ε = 0.02 and verifies every target', async () => {
    const r = await session.exact({ ...seven(), eps: 0.02, clamp: true, method: 'lp', timeLimit: 0 }, { signal: never });
    const tutorial: Record<number, number> = { 0: 8.67912, 1: 12.233313, 2: 4.120828, 3: 1.857739, 4: 16.236514, 5: 7.964242, 6: 23.459304, 8: 6.10315, 9: 5.581247 };
    expect(r.status).toBe('verified');
    expect(r.predicted).toBe(7);
    expect(r.targets.map((t) => t.target)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9]);
    for (const t of r.targets) expect(t.objective).toBeCloseTo(tutorial[t.target]!, 5);
  });

  it('turns an LP point that is really adversarial into a counterexample the uploaded file confirms (ε = 0.1)', async () => {
    const r = await session.exact({ ...seven(), eps: 0.1, clamp: true, method: 'lp', timeLimit: 0 }, { signal: never });
    expect(r.status).toBe('falsified');
    // The tutorial: the LP point for target 2 (objective −26.119775) is still adversarial, class 2 wins.
    const t2 = r.targets.find((t) => t.target === 2)!;
    expect(t2.objective).toBeCloseTo(-26.119775, 5);
    expect(t2.status).toBe('falsified');
    const ce = t2.counterexample!;
    expect(ce.predicted).toBe(2);
    expect(ce.uploaded).toMatchObject({ predicted: 2 });
    // Inside the clamped box, float32.
    const { x } = seven();
    for (let i = 0; i < 784; i++) {
      expect(ce.x[i]!).toBeGreaterThanOrEqual(Math.max(0, x[i]! - 0.1) - 1e-7);
      expect(ce.x[i]!).toBeLessThanOrEqual(Math.min(1, x[i]! + 0.1) + 1e-7);
    }
    if ('logits' in ce.uploaded) for (let c = 0; c < 10; c++) expect(ce.uploaded.logits[c]).toBeCloseTo(ce.logits[c]!, 4);
  });

  it('finds the IBP certified radius to 1e-4: verified at it, not verified just above', async () => {
    const events: number[] = [];
    const r = await session.radius(
      { ...seven(), clamp: true, method: 'ibp', start: 0.1, tolerance: 1e-4 },
      { signal: never, onProgress: (e) => events.push(e.done) },
    );
    expect(r.outcome).toBe('converged');
    expect(r.upper! - r.radius).toBeLessThanOrEqual(1e-4);
    expect(r.radius).toBeGreaterThan(0);
    // ε = 0.02 is not IBP-verified (the bounds above), so the radius is below it.
    expect(r.radius).toBeLessThan(0.02);
    expect(session.bounds({ ...seven(), eps: r.radius, clamp: true, method: 'ibp' }, { signal: never }).status).toBe('verified');
    expect(session.bounds({ ...seven(), eps: r.upper!, clamp: true, method: 'ibp' }, { signal: never }).status).toBe('not verified');
    expect(events).toEqual(r.steps.map((_, i) => i + 1));
  });

  it('stops a radius search when cancelled', async () => {
    const signal = { aborted: false };
    const run = session.radius({ ...seven(), clamp: true, method: 'crown', start: 0.1, tolerance: 1e-4 }, { signal, onProgress: () => (signal.aborted = true) });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses an input of the wrong size in plain words', () => {
    expect(() => session.bounds({ x: new Float32Array(100), label: 1, eps: 0.1, clamp: false, method: 'ibp' }, { signal: never })).toThrow(
      /takes 784 input values; a digit has 100/,
    );
  });
});
