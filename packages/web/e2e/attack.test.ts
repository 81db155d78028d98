/**
 * The attack panel in a real browser: Debian's Chromium (headless) driven by playwright-core
 * against `vite build` output on a local static server, on WebAssembly and on WebGPU
 * (SwiftShader). PGD ℓ∞ at ε = 0.1 on test digit 0 (a 7) flips the standard ConvNet's prediction
 * and leaves the PGD-trained ConvNet's alone; the page's result matches core's attack run in
 * Node on onnxruntime-node (the CLI's code path); targeted PGD, ℓ2 PGD and FGSM run from the same
 * panel; Cancel stops a long attack part-way; and no request leaves the page's origin.
 *
 * Models: minmax's own ConvNets when the build bundled them (models/cnn.onnx, models/cnn-pgd.onnx),
 * else the tutorial's released cnn.onnx / cnn_robust.onnx, uploaded like a user would (test
 * inputs only: the product never reads /work/shared).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttack, createGradientModel, createRuntime, importOnnx, type OrtModule } from '@minmax/core';
import { digitsAsFloat, parseDigits, type DigitSet } from '../src/data/digits.js';
import { artifacts, buildAndServe, tutorialModel, type Site } from './harness.js';
import { chooseModel, openModel, type ModelChoice } from './models.js';

const DIGIT = 0;
const LABEL = 7;
const EPS = 0.1;
// 40 ConvNet gradient steps on SwiftShader's software WebGPU take ~20–30 s on a busy 2-core machine.
const ATTACK_TIMEOUT = 150_000;

interface AttackReadout {
  state: string;
  cleanPred: number;
  advPred: number;
  success: boolean;
  cancelled: boolean;
  linf: number;
  l2: number;
  device: string;
  stepsDone: number;
  meta: string;
}

let site: Site;
let digits: DigitSet;
let standard: ModelChoice;
let robust: ModelChoice;

beforeAll(async () => {
  site = await buildAndServe('minmax-web-attack-e2e-', 'warn');
  digits = parseDigits(new Uint8Array(readFileSync(join(site.outDir, 'digits.bin'))).buffer);
  standard = chooseModel(site.outDir, 'ConvNet (standard)', 'cnn.onnx');
  robust = chooseModel(site.outDir, 'ConvNet (PGD-trained)', 'cnn_robust.onnx');
});

afterAll(async () => {
  await site?.close();
});

/** The same attack through core in Node on onnxruntime-node's CPU provider, as `minmax attack` runs it. */
async function nodeReference(bytes: Uint8Array, options: Parameters<typeof createAttack>[1]) {
  const runtime = await createRuntime(ortNode as unknown as OrtModule, { device: 'cpu', threads: 1 });
  const model = await createGradientModel(runtime, importOnnx(bytes));
  try {
    const x = digitsAsFloat(digits, DIGIT, 1);
    const clean = await model.logits(x, 1);
    const r = await createAttack('pgd', options).run(model, { x, y: Int32Array.of(LABEL) });
    return { clean: Array.from(clean), prediction: r.predictions[0], success: r.success[0] === 1 };
  } finally {
    await model.dispose();
  }
}

async function readAttack(page: Page): Promise<AttackReadout> {
  return page.$eval('#attack', (el) => {
    const d = (el as HTMLElement).dataset;
    return {
      state: d.state ?? '',
      cleanPred: Number(d.cleanPred),
      advPred: Number(d.advPred),
      success: d.success === 'true',
      cancelled: d.cancelled === 'true',
      linf: Number(d.linf),
      l2: Number(d.l2),
      device: d.device ?? '',
      stepsDone: Number(d.stepsDone),
      meta: document.getElementById('attack-meta')?.textContent ?? '',
    };
  });
}

/** Sets PGD ℓ∞ at ε 0.1 (α 0.01, 40 steps: the defaults) and runs it to the end. */
async function runPgd(page: Page, target?: number): Promise<AttackReadout> {
  await page.click('button[data-method="pgd"]');
  await page.fill('#attack-eps', String(EPS));
  expect(await page.inputValue('#attack-alpha')).toBe('0.01');
  expect(await page.inputValue('#attack-steps')).toBe('40');
  if (target === undefined) await page.check('#attack-untargeted');
  else {
    await page.selectOption('#attack-target', String(target));
    expect(await page.isChecked('#attack-targeted')).toBe(true);
  }
  await page.click('#attack-run');
  await page.waitForSelector('#attack[data-state="done"]', { timeout: ATTACK_TIMEOUT });
  return readAttack(page);
}

async function pickDigit(page: Page): Promise<void> {
  await page.click(`.digit[data-index="${DIGIT}"]`);
  await page.waitForSelector(`#attack[data-index="${DIGIT}"]`);
  expect(digits.labels[DIGIT]).toBe(LABEL);
}

function expectClose(actual: number[], expected: number[], tol: number) {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]) / Math.max(1, Math.abs(expected[i]))));
  expect(worst).toBeLessThan(tol);
}

async function cleanLogitsShown(page: Page): Promise<number[]> {
  // The prediction panel's logits come from the inference worker's own session: a second opinion on the attack worker's "before".
  return page.$eval('#prediction', (el) => JSON.parse((el as HTMLElement).dataset.logits ?? '[]') as number[]);
}

describe('attack panel in Chromium', () => {
  it('PGD ℓ∞ ε=0.1 flips the standard ConvNet and not the PGD-trained one, on WebAssembly', async () => {
    const [refStandard, refRobust, refTargeted] = await Promise.all([
      nodeReference(standard.bytes, { eps: EPS, alpha: 0.01, steps: 40, clip: false }),
      nodeReference(robust.bytes, { eps: EPS, alpha: 0.01, steps: 40, clip: false }),
      nodeReference(standard.bytes, { eps: EPS, alpha: 0.01, steps: 40, clip: false, objective: 'targeted', target: 2 }),
    ]);
    await site.withPage({}, async (page) => {
      await openModel(page, standard);
      await pickDigit(page);
      const flipped = await runPgd(page);
      expect(flipped).toMatchObject({ state: 'done', device: 'wasm', cleanPred: LABEL, success: true, cancelled: false });
      expect(flipped.advPred).not.toBe(LABEL);
      expect(flipped.advPred).toBe(refStandard.prediction);
      expect(flipped.linf).toBeGreaterThan(EPS - 1e-6);
      expect(flipped.linf).toBeLessThanOrEqual(EPS + 1e-6);
      expect(flipped.meta).toContain('pgd ℓ∞ ε=0.1 α=0.01 steps=40');
      expect(await page.textContent('#attack-verdict')).toContain(`Prediction flipped: ${LABEL} → ${flipped.advPred}`);
      expectClose(await cleanLogitsShown(page), refStandard.clean, 1e-4);
      await page.locator('#attack').screenshot({ path: join(artifacts, 'attack.png') });
      await page.screenshot({ path: join(artifacts, 'attack-page.png'), fullPage: true });

      // Targeted: make it a 2. Core in Node says whether that is reachable; the page must agree.
      const targeted = await runPgd(page, 2);
      expect(targeted.success).toBe(refTargeted.success);
      expect(targeted.advPred).toBe(refTargeted.prediction);
      expect(targeted.meta).toContain('target=2');

      // The other two attacks run through the same worker: ℓ2 PGD stays in its ball, FGSM takes one ε step.
      await page.check('#attack-untargeted');
      await page.click('button[data-method="pgd-l2"]');
      expect([await page.inputValue('#attack-eps'), await page.inputValue('#attack-alpha')]).toEqual(['2', '0.1']);
      expect(await page.isHidden('#attack-clip')).toBe(true);
      await page.click('#attack-run');
      await page.waitForSelector('#attack[data-state="done"]', { timeout: ATTACK_TIMEOUT });
      const l2 = await readAttack(page);
      expect(l2.meta).toContain('pgd-l2 ℓ2 ε=2 α=0.1 steps=40');
      expect(l2.l2).toBeLessThanOrEqual(2 + 1e-4);
      expect(l2.cleanPred).toBe(LABEL);

      await page.click('button[data-method="fgsm"]');
      expect(await page.isHidden('#attack-steps')).toBe(true);
      await page.click('#attack-run');
      await page.waitForSelector('#attack[data-state="done"]');
      const fgsm = await readAttack(page);
      expect(fgsm.meta).toContain('fgsm ℓ∞ ε=0.1 α=0.1 steps=1');
      expect(fgsm.linf).toBeCloseTo(EPS, 5);

      await openModel(page, robust);
      await page.waitForSelector('#attack[data-state="idle"]');
      await pickDigit(page);
      const held = await runPgd(page);
      expect(held).toMatchObject({ state: 'done', device: 'wasm', cleanPred: LABEL, advPred: LABEL, success: false });
      expect(held.advPred).toBe(refRobust.prediction);
      expect(held.linf).toBeLessThanOrEqual(EPS + 1e-6);
      expect(await page.textContent('#attack-verdict')).toContain(`The prediction held: still ${LABEL}`);
      await page.locator('#attack').screenshot({ path: join(artifacts, 'attack-robust.png') });
    });
  }, 240_000);

  it('shows progress and stops a long attack on Cancel', async () => {
    await site.withPage({}, async (page) => {
      await openModel(page, standard);
      await pickDigit(page);
      await page.click('button[data-method="pgd"]');
      await page.fill('#attack-steps', '5000');
      await page.click('#attack-run');
      await page.waitForSelector('#attack[data-state="running"]');
      await expect.poll(async () => (await readAttack(page)).stepsDone, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
      expect(Number(await page.getAttribute('#attack-progress', 'max'))).toBe(5000);
      expect(await page.textContent('#attack-progress-text')).toMatch(/^\d+ \/ 5000 steps$/);
      await page.click('#attack-cancel');
      await page.waitForSelector('#attack[data-state="cancelled"]', { timeout: 30_000 });
      const stopped = await readAttack(page);
      expect(stopped.cancelled).toBe(true);
      expect(stopped.stepsDone).toBeLessThan(5000);
      expect(stopped.linf).toBeLessThanOrEqual(EPS + 1e-6);
      expect(await page.textContent('#attack-verdict')).toContain('cancelled early');

      // Settings core would reject are explained before anything runs.
      await page.fill('#attack-eps', '0');
      await page.click('#attack-run');
      await page.waitForSelector('#attack[data-state="error"]');
      expect(await page.textContent('#attack-error strong')).toBe('Check the attack settings.');
      expect(await page.textContent('#attack-error')).toContain('ε must be a number greater than 0');
    });
  });

  it('attacks on WebGPU (SwiftShader) with the same outcome', async () => {
    await site.withPage({ args: ['--enable-unsafe-webgpu'] }, async (page) => {
      await expect.poll(() => page.getAttribute('#device-status', 'data-device')).toBe('webgpu');
      await openModel(page, standard);
      await pickDigit(page);
      const flipped = await runPgd(page);
      expect(flipped).toMatchObject({ state: 'done', device: 'webgpu', cleanPred: LABEL, success: true });
      expect(flipped.advPred).not.toBe(LABEL);
      expect(flipped.linf).toBeLessThanOrEqual(EPS + 1e-6);
      await page.locator('#attack').screenshot({ path: join(artifacts, 'attack-webgpu.png') });

      await openModel(page, robust);
      await pickDigit(page);
      const held = await runPgd(page);
      expect(held).toMatchObject({ state: 'done', device: 'webgpu', cleanPred: LABEL, advPred: LABEL, success: false });
    });
  }, 360_000);

  it('made no request outside its own origin', () => {
    expect(site.seen.some((u) => /\/assets\/attack\.worker-[\w-]+\.js$/.test(u))).toBe(true);
    expect(site.seen.some((u) => /\/assets\/ort-wasm-simd-threaded\.jsep-[\w-]+\.wasm$/.test(u))).toBe(true);
    expect(site.offOrigin).toEqual([]);
    if (standard.catalogName) expect(site.server.requested).toContain('/models/cnn.onnx');
  });
});

describe('test inputs', () => {
  it('has the tutorial networks to fall back on', () => {
    expect(existsSync(tutorialModel('cnn.onnx')) && existsSync(tutorialModel('cnn_robust.onnx'))).toBe(true);
  });
});
