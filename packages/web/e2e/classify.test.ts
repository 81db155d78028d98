/**
 * The built page in a real browser: Debian's Chromium (headless) driven by playwright-core
 * against `vite build` output on a local static server. Proves the page classifies MNIST digits
 * with a user-supplied ONNX model on both execution providers (WebAssembly, and WebGPU on
 * Chromium's SwiftShader adapter), that its logits match onnxruntime-node's on the same image,
 * that a malformed upload gets a plain-words error, and that no request leaves the page's origin.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsAsFloat, parseDigits, type DigitSet } from '../src/data/digits.js';
import { artifacts, buildAndServe, tutorialModel, type PageOptions, type Site } from './harness.js';

const cnnPath = tutorialModel('cnn.onnx');
const smallPath = tutorialModel('small.onnx');
const PAGE: PageOptions = { viewport: { width: 1280, height: 900 } };

interface RunResult {
  device: string;
  logits0: number[];
  /** Per-digit predictions shown in the gallery. */
  gallery: number[];
}

let site: Site;
let digits: DigitSet;
let reference: { logits: Float32Array; classes: number };
const results: Partial<Record<'wasm' | 'webgpu', RunResult>> = {};

beforeAll(async () => {
  site = await buildAndServe('minmax-web-e2e-', 'warn');

  // Reference: onnxruntime-node on the exact bytes the page serves.
  digits = parseDigits(new Uint8Array(readFileSync(join(site.outDir, 'digits.bin'))).buffer);
  const session = await ortNode.InferenceSession.create(cnnPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const input = new ortNode.Tensor('float32', digitsAsFloat(digits), [digits.count, 1, digits.rows, digits.cols]);
    const out = await session.run({ [session.inputNames[0]]: input });
    const logits = out[session.outputNames[0]].data as Float32Array;
    reference = { logits, classes: logits.length / digits.count };
  } finally {
    await session.release();
  }
});

afterAll(async () => {
  await site?.close();
});

async function uploadModel(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.setInputFiles('#model-file', file);
}

async function waitForGallery(page: Page): Promise<number[]> {
  await page.waitForSelector('#gallery-summary:has-text("correct")');
  return page.$$eval('.digit', (cells) => cells.map((c) => Number((c as HTMLElement).dataset.predicted)));
}

/** Clicks a gallery digit and returns the prediction panel's logits for it. */
async function pick(page: Page, index: number): Promise<{ predicted: number; logits: number[]; device: string }> {
  await page.click(`.digit[data-index="${index}"]`);
  const panel = await page.waitForSelector(`#prediction[data-index="${index}"][data-predicted]`);
  return panel.evaluate((el) => {
    const d = (el as HTMLElement).dataset;
    return { predicted: Number(d.predicted), logits: JSON.parse(d.logits ?? '[]') as number[], device: d.device ?? '' };
  });
}

function referenceRow(index: number): number[] {
  return Array.from(reference.logits.subarray(index * reference.classes, (index + 1) * reference.classes));
}

function referencePredictions(): number[] {
  return Array.from({ length: digits.count }, (_, i) => {
    const row = referenceRow(i);
    return row.indexOf(Math.max(...row));
  });
}

function expectClose(actual: number[], expected: number[], tol: number) {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]) / Math.max(1, Math.abs(expected[i]))));
  expect(worst).toBeLessThan(tol);
}

describe('web page in Chromium', () => {
  it('classifies with a dropped-in ONNX model on WebAssembly, matching onnxruntime-node', async () => {
    // No --enable-unsafe-webgpu: headless Chromium offers no adapter, so the page falls back to wasm.
    results.wasm = await site.withPage(PAGE, async (page) => {
      const status = page.locator('#device-status');
      await expect.poll(() => status.getAttribute('data-device')).toBe('wasm');
      expect(await page.isDisabled('button[data-device="webgpu"]')).toBe(true);
      await uploadModel(page, cnnPath);
      const gallery = await waitForGallery(page);
      await pick(page, 5);
      const first = await pick(page, 0);
      expect(await status.textContent()).toContain('Running on WebAssembly');
      expect(await page.textContent('#minmax-support')).toBeTruthy();
      await page.screenshot({ path: join(artifacts, 'wasm.png'), fullPage: true });

      expect(digits.labels[0]).toBe(7);
      expect(first.device).toBe('wasm');
      expect(first.predicted).toBe(7);
      expectClose(first.logits, referenceRow(0), 1e-5);
      return { device: first.device, logits0: first.logits, gallery };
    });
    expect(results.wasm.gallery).toEqual(referencePredictions());
  });

  it('gives the same predictions on WebGPU (SwiftShader) and can switch back to wasm', async () => {
    results.webgpu = await site.withPage({ ...PAGE, args: ['--enable-unsafe-webgpu'] }, async (page) => {
      const status = page.locator('#device-status');
      await expect.poll(() => status.getAttribute('data-device')).toBe('webgpu');
      await uploadModel(page, cnnPath);
      const gallery = await waitForGallery(page);
      const first = await pick(page, 0);
      expect(await status.textContent()).toContain('Running on WebGPU');
      await page.screenshot({ path: join(artifacts, 'webgpu.png'), fullPage: true });

      await page.click('button[data-device="wasm"]');
      await page.waitForSelector('#prediction[data-device="wasm"][data-index="0"][data-predicted]');
      expect(await page.getAttribute('#prediction', 'data-predicted')).toBe('7');
      expect(await status.getAttribute('data-device')).toBe('wasm');
      return { device: first.device, logits0: first.logits, gallery };
    });
    expect(results.webgpu.device).toBe('webgpu');
    expect(results.webgpu.logits0.indexOf(Math.max(...results.webgpu.logits0))).toBe(7);
    expect(results.webgpu.gallery).toEqual(results.wasm?.gallery);
    expectClose(results.webgpu.logits0, referenceRow(0), 1e-4);
  });

  it('explains a malformed upload in plain words', async () => {
    await site.withPage(PAGE, async (page) => {
      const truncated = readFileSync(cnnPath).subarray(0, 5000);
      await uploadModel(page, { name: 'truncated.onnx', mimeType: 'application/octet-stream', buffer: truncated });
      const error = page.locator('#model-error');
      await error.waitFor({ state: 'visible' });
      expect(await error.locator('strong').textContent()).toBe('This file is not a valid ONNX model.');
      expect(await error.textContent()).toContain('truncated.onnx');
      await page.screenshot({ path: join(artifacts, 'malformed.png'), fullPage: true });
      expect(await page.getAttribute('#prediction', 'data-predicted')).toBeNull();

      await uploadModel(page, { name: 'notes.onnx', mimeType: 'text/plain', buffer: Buffer.from('just some notes, not a network\n') });
      await expect.poll(() => error.textContent()).toContain('notes.onnx');
      expect(await error.locator('strong').textContent()).toBe('This file is not a valid ONNX model.');

      // A valid model afterwards clears the error.
      await uploadModel(page, cnnPath);
      await waitForGallery(page);
      expect(await error.isHidden()).toBe(true);
    });
  });

  it('opens the first model listed in models/models.json on its own', async () => {
    // This build replaces the generated list with one entry, the tutorial's small MLP.
    copyFileSync(smallPath, join(site.outDir, 'models', 'small.onnx'));
    writeFileSync(join(site.outDir, 'models', 'models.json'), JSON.stringify({ models: [{ name: 'Tutorial MLP', file: 'small.onnx' }] }));
    await site.withPage(PAGE, async (page) => {
      await page.waitForSelector('.catalog-list button:has-text("Tutorial MLP")');
      await waitForGallery(page);
      expect(await page.textContent('.model-name')).toContain('Tutorial MLP');
      expect(await page.textContent('#minmax-support')).toContain('3 dense, 2 relu');
      const first = await pick(page, 0);
      expect(first.predicted).toBe(7);
    });
    expect(site.server.requested).toContain('/models/small.onnx');
  });

  it('made no request outside its own origin', () => {
    expect(site.seen.some((u) => /\/assets\/ort-wasm-simd-threaded\.jsep-[\w-]+\.wasm$/.test(u))).toBe(true);
    expect(site.offOrigin).toEqual([]);
    expect(site.server.requested).toContain('/digits.bin');
    expect(site.server.requested).toContain('/models/models.json');
  });
});
