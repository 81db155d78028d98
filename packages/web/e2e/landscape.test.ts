/**
 * The loss-landscape and results panels in a real browser: Debian's Chromium (headless) driven by
 * playwright-core against `vite build` output on a local static server. On test digit 0 (a 7) at
 * ε = 0.1 the standard ConvNet's loss surface climbs far above the PGD-trained ConvNet's (the
 * property core's own landscape test checks), both surfaces are drawn side by side, the page's
 * clean and peak losses match core's lossLandscape run in Node on onnxruntime-node (the CLI's code
 * path), Cancel stops a large grid part-way, and the WebGPU provider gives the same picture. The
 * results panel says how to run the reproduction while there is no results.json and shows its rows
 * once there is one. No request leaves the page's origin.
 *
 * Models: minmax's bundled standard ConvNet (models/cnn.onnx) or the tutorial's cnn.onnx uploaded;
 * compared with the bundled PGD-trained ConvNet when the build has it (the default choice), else
 * the tutorial's cnn_robust.onnx uploaded as the comparison (test inputs only).
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGradientModel, createRuntime, importOnnx, lossLandscape, type OrtModule } from '@minmax/core';
import { digitsAsFloat, parseDigits, type DigitSet } from '../src/data/digits.js';
import { parseResults } from '../src/results/results.js';
import { artifacts, buildAndServe, type PageOptions, type Site } from './harness.js';
import { chooseModel, openModel, type ModelChoice } from './models.js';

const DIGIT = 0;
const LABEL = 7;
const EPS = 0.1;
const RESOLUTION = 31;
/** `minmax reproduce --quick --only mlp,linear-standard,linear-robust` output, when it has been run here. */
const DEV_RESULTS = '/tmp/results-dev.json';
// beforeAll deletes the build's results.json, so the results panel's fetch of it 404s until the test writes one.
const PAGE: PageOptions = { allow404: true };

interface Surface {
  model: string;
  clean: number;
  min: number;
  max: number;
}

let site: Site;
let digits: DigitSet;
let standard: ModelChoice;
let robust: ModelChoice;

beforeAll(async () => {
  site = await buildAndServe('minmax-web-landscape-e2e-');
  // The build bundles docs/results.json when the reproduction has been run; start without it.
  rmSync(join(site.outDir, 'results.json'), { force: true });
  digits = parseDigits(new Uint8Array(readFileSync(join(site.outDir, 'digits.bin'))).buffer);
  standard = chooseModel(site.outDir, 'ConvNet (standard)', 'cnn.onnx');
  robust = chooseModel(site.outDir, 'ConvNet (PGD-trained)', 'cnn_robust.onnx');
});

afterAll(async () => {
  await site?.close();
});

/** core's lossLandscape in Node on onnxruntime-node's CPU provider, as `minmax landscape` runs it. */
async function nodeReference(bytes: Uint8Array, resolution: number) {
  const runtime = await createRuntime(ortNode as unknown as OrtModule, { device: 'cpu', threads: 1 });
  const model = await createGradientModel(runtime, importOnnx(bytes));
  try {
    return await lossLandscape(model, digitsAsFloat(digits, DIGIT, 1), LABEL, { eps: EPS, resolution, seed: 0 });
  } finally {
    await model.dispose();
  }
}

async function pickDigit(page: Page): Promise<void> {
  await page.click(`.digit[data-index="${DIGIT}"]`);
  await page.waitForSelector(`#landscape[data-index="${DIGIT}"]`);
  expect(digits.labels[DIGIT]).toBe(LABEL);
}

/** Chooses the robust ConvNet as the comparison: the default when bundled, else the tutorial's file uploaded. */
async function compareWithRobust(page: Page): Promise<void> {
  if (robust.catalogName) {
    expect(await page.inputValue('#landscape-compare')).toBe(`bundled:${robust.catalogName}`);
  } else {
    expect(await page.inputValue('#landscape-compare')).toBe('none');
    await page.setInputFiles('#landscape-compare-file', robust.upload as string);
    await expect.poll(() => page.inputValue('#landscape-compare')).toBe(`file:${robust.shown}`);
  }
}

async function surfaces(page: Page): Promise<Surface[]> {
  return page.$$eval('#landscape-stats tbody tr', (rows) =>
    rows.map((r) => {
      const d = (r as HTMLElement).dataset;
      return { model: d.model ?? '', clean: Number(d.clean), min: Number(d.min), max: Number(d.max) };
    }),
  );
}

/** Size of the figure and how many of its pixels are the surfaces' warm (high-loss) and cool colours. */
async function figurePixels(page: Page) {
  return page.$eval('#landscape-figure', (el) => {
    const canvas = el as HTMLCanvasElement;
    if (canvas.width === 0) return { width: 0, height: 0, warm: [0, 0], cool: [0, 0] };
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    const half = canvas.width / 2;
    const warm = [0, 0];
    const cool = [0, 0];
    for (let i = 0; i < data.length; i += 4) {
      const side = (i / 4) % canvas.width < half ? 0 : 1;
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r > 120 && r - b > 60 && r - g > 60) warm[side]++;
      if (b > 100 && b - r > 40) cool[side]++;
    }
    return { width: canvas.width, height: canvas.height, warm, cool };
  });
}

async function draw(page: Page, resolution: number): Promise<void> {
  await page.fill('#landscape-eps', String(EPS));
  await page.fill('#landscape-resolution', String(resolution));
  await page.click('#landscape-run');
  await page.waitForSelector('#landscape[data-state="done"]', { timeout: 120_000 });
}

describe('results panel in Chromium', () => {
  it('says how to run the reproduction without results.json, and shows its rows with one', async () => {
    const results = existsSync(DEV_RESULTS) ? JSON.parse(readFileSync(DEV_RESULTS, 'utf8')) : null;
    await site.withPage(PAGE, async (page) => {
      await page.waitForSelector('#results[data-state="absent"]');
      expect(await page.textContent('#results-absent')).toContain('pnpm cli reproduce');

      // The reproduction's JSON as `minmax reproduce` wrote it here, else one in its format.
      const written = results ?? {
        generatedAt: '2026-11-25',
        command: 'minmax reproduce --quick',
        device: 'cpu',
        rows: [{ model: 'mlp', clean: 0.02, fgsm: 0.966, pgd: 0.984, certified: 1, n: 500, file: 'models/mlp.onnx', tutorial: { name: 'model_dnn_2', clean: 0.0285, fgsm: 0.9259, pgd: 0.9637, certified: 1 } }],
        linear: [{ model: 'linear-robust', clean: 0.003783, attacked: 0.024586, n: 2115, file: 'models/linear-robust.onnx', tutorial: { clean: 8 / 2115, attacked: 53 / 2115 } }],
      };
      if (results) copyFileSync(DEV_RESULTS, join(site.outDir, 'results.json'));
      else writeFileSync(join(site.outDir, 'results.json'), JSON.stringify(written));
      const parsed = parseResults(written);
      await page.reload();
      await page.waitForSelector('#results[data-state="shown"]');

      const shown = await page.$$eval('#results-table tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim() ?? '')));
      expect(shown).toHaveLength(parsed.rows.length);
      const mlp = parsed.rows[0];
      const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(2)}%`);
      // model | clean minmax, tutorial | FGSM … | PGD-40 … | IBP-certified … | images
      expect(shown[0][0]).toContain(mlp.model);
      expect(shown[0][0]).toContain(mlp.tutorial?.name ?? '');
      expect(shown[0].slice(1, 9)).toEqual([mlp.clean, mlp.tutorial?.clean, mlp.fgsm, mlp.tutorial?.fgsm, mlp.pgd, mlp.tutorial?.pgd, mlp.certified, mlp.tutorial?.certified].map(pct));
      expect(shown[0][9]).toBe(mlp.n.toLocaleString('en-US'));
      const heads = await page.$$eval('#results-table thead th', (ths) => ths.map((t) => t.textContent));
      expect(heads).toEqual(expect.arrayContaining(['clean', 'FGSM', 'PGD-40', 'IBP-certified', 'minmax', 'tutorial']));

      const linear = await page.$$eval('#results-linear tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim() ?? '')));
      expect(await page.$$eval('#results-linear tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.model))).toEqual(parsed.linear.map((r) => r.model));
      const l0 = parsed.linear[0];
      expect(linear[0].slice(1, 5)).toEqual([l0.clean, l0.tutorial?.clean, l0.attacked, l0.tutorial?.attacked].map(pct));
      expect(await page.textContent('#results-meta')).toContain(parsed.command);
      await page.locator('#results').screenshot({ path: join(artifacts, 'results.png') });
    });
  });
});

describe('loss landscape panel in Chromium', () => {
  it('draws the standard ConvNet’s cliff beside the PGD-trained ConvNet’s plateau, on WebAssembly', async () => {
    const [refStandard, refRobust] = [await nodeReference(standard.bytes, RESOLUTION), await nodeReference(robust.bytes, RESOLUTION)];
    await site.withPage(PAGE, async (page) => {
      await openModel(page, standard);
      await pickDigit(page);
      expect(await page.inputValue('#landscape-eps')).toBe('0.1');
      expect(await page.inputValue('#landscape-resolution')).toBe('31');
      await compareWithRobust(page);
      await draw(page, RESOLUTION);

      const [a, b] = await surfaces(page);
      expect([a.model, b.model]).toEqual([standard.shown, robust.shown]);
      // The tutorial's figures: the standard model's loss climbs along the gradient sign, the robust one's stays flat.
      expect(a.max).toBeGreaterThan(1);
      expect(b.max).toBeLessThan(0.01);
      expect(a.max).toBeGreaterThan(100 * b.max);
      // Same numbers as core in Node (ORT's wasm and CPU kernels differ in the last float32 bits).
      expect(a.clean).toBeCloseTo(refStandard.clean, 4);
      expect(Math.abs(a.max - refStandard.max) / refStandard.max).toBeLessThan(0.02);
      expect(Math.abs(b.max - refRobust.max) / refRobust.max).toBeLessThan(0.1);
      expect(a.min).toBeLessThanOrEqual(a.clean + 1e-9);

      const figure = await figurePixels(page);
      expect([figure.width, figure.height]).toEqual([840, 400]);
      // Each panel is coloured by its own range: both surfaces are drawn, warm and cool.
      for (const side of [0, 1]) {
        expect(figure.warm[side]).toBeGreaterThan(200);
        expect(figure.cool[side]).toBeGreaterThan(200);
      }
      expect(await page.textContent('#landscape-verdict')).toMatch(/highest loss is [\d,]+× /);
      expect(await page.textContent('#landscape-meta')).toContain('ε = 0.1 · 31×31 points per model');
      await page.locator('#landscape').screenshot({ path: join(artifacts, 'landscape.png') });

      // The open model alone.
      await page.selectOption('#landscape-compare', 'none');
      await draw(page, 11);
      expect((await surfaces(page)).map((s) => s.model)).toEqual([standard.shown]);
      expect((await figurePixels(page)).width).toBe(420);
    });
  }, 240_000);

  it('shows progress and stops on Cancel; explains bad settings', async () => {
    await site.withPage(PAGE, async (page) => {
      await openModel(page, standard);
      await pickDigit(page);
      await page.fill('#landscape-resolution', '101');
      await page.click('#landscape-run');
      await page.waitForSelector('#landscape[data-state="running"]');
      await expect.poll(async () => Number(await page.getAttribute('#landscape', 'data-points-done')), { timeout: 60_000 }).toBeGreaterThanOrEqual(128);
      expect(await page.textContent('#landscape-progress-text')).toMatch(/^\d+ \/ \d+ points$/);
      await page.click('#landscape-cancel');
      await page.waitForSelector('#landscape[data-state="cancelled"]', { timeout: 30_000 });
      expect(Number(await page.getAttribute('#landscape', 'data-points-done'))).toBeLessThan(101 * 101);
      expect((await figurePixels(page)).width).toBe(0);
      expect(await page.textContent('#landscape-verdict')).toContain('Cancelled');

      await page.fill('#landscape-eps', '0');
      await page.click('#landscape-run');
      await page.waitForSelector('#landscape[data-state="error"]');
      expect(await page.textContent('#landscape-error strong')).toBe('Check the landscape settings.');
      expect(await page.textContent('#landscape-error')).toContain('ε must be a number greater than 0');
    });
  }, 180_000);

  it('draws the same surfaces on WebGPU (SwiftShader)', async () => {
    await site.withPage({ ...PAGE, args: ['--enable-unsafe-webgpu'] }, async (page) => {
      await expect.poll(() => page.getAttribute('#device-status', 'data-device')).toBe('webgpu');
      await openModel(page, standard);
      await pickDigit(page);
      await compareWithRobust(page);
      await draw(page, 11);
      const [a, b] = await surfaces(page);
      expect(a.max).toBeGreaterThan(100 * b.max);
      expect(await page.textContent('#landscape-meta')).toContain('WebGPU');
      expect((await figurePixels(page)).width).toBe(840);
      await page.locator('#landscape').screenshot({ path: join(artifacts, 'landscape-webgpu.png') });
    });
  }, 240_000);

  it('made no request outside its own origin', () => {
    expect(site.seen.some((u) => /\/assets\/landscape\.worker-[\w-]+\.js$/.test(u))).toBe(true);
    expect(site.seen.some((u) => u === `${site.server.origin}/results.json`)).toBe(true);
    expect(site.offOrigin).toEqual([]);
  });
});
