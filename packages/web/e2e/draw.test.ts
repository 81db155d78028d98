/**
 * Drawing a digit in the built page (Debian's Chromium, headless, WebAssembly): strokes made with
 * the mouse on the draw panel's canvas, pressed "Use", become the selected digit, and the bundled
 * standard ConvNet (models/cnn.onnx) reads a vertical stroke as 1 and an ellipse as 0. Also: an
 * empty canvas is refused in plain words, the drawing's label is said to be the model's
 * prediction, and no request leaves the page's origin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDigits } from '../src/data/digits.js';
import { parseCatalog } from '../src/model/catalog.js';
import { artifacts, buildAndServe, type Site } from './harness.js';

const MODEL = 'ConvNet (standard)';

let site: Site;
let testDigits: number;

beforeAll(async () => {
  // The build always ships results.json (the reproduction's, else the not-run marker), so the results
  // panel's fetch never 404s and the page's console must stay free of errors, 404s included.
  site = await buildAndServe('minmax-web-draw-e2e-');
  testDigits = parseDigits(new Uint8Array(readFileSync(join(site.outDir, 'digits.bin'))).buffer).count;
  const listed = parseCatalog(JSON.parse(readFileSync(join(site.outDir, 'models', 'models.json'), 'utf8')));
  expect(listed.map((e) => e.name)).toContain(MODEL);
});

afterAll(async () => {
  await site?.close();
});

/** Drags the mouse through `points`, given in the canvas's own 0..1 coordinates. */
async function drawStroke(page: Page, points: Array<[number, number]>): Promise<void> {
  const box = await page.locator('#draw-canvas').boundingBox();
  if (!box) throw new Error('the drawing canvas is not visible');
  const at = ([u, v]: [number, number]) => [box.x + u * box.width, box.y + v * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

/** Presses Use and waits for the prediction of drawing number `index` in the digit set. */
async function useDrawing(page: Page, index: number): Promise<number> {
  await page.click('#draw-use');
  const panel = await page.waitForSelector(`#prediction[data-index="${index}"][data-predicted]`);
  return Number(await panel.getAttribute('data-predicted'));
}

describe('drawing a digit in Chromium', () => {
  it('reads a drawn 1 and a drawn 0 with the bundled ConvNet on WebAssembly', async () => {
    // No --enable-unsafe-webgpu: headless Chromium offers no adapter, so the page runs on wasm.
    await site.withPage({}, async (page) => {
      await page.click(`.catalog-list button:has-text("${MODEL}")`);
      await page.waitForSelector(`.model-name:has-text("${MODEL}")`);
      await page.waitForSelector('#gallery-summary:has-text("correct")');
      await page.waitForSelector('body[data-busy="false"]');
      expect(await page.getAttribute('#prediction', 'data-device')).toBe('wasm');

      // Nothing drawn yet: Use says so in plain words and changes nothing.
      await page.click('#draw-use');
      await expect.poll(() => page.textContent('#draw-status')).toBe('The drawing is empty: draw a digit in the box first.');
      expect(await page.getAttribute('#prediction', 'data-index')).toBe('0');

      // A "1": one vertical stroke, slightly slanted as hands draw it.
      await drawStroke(page, [[0.52, 0.15], [0.5, 0.5], [0.48, 0.85]]);
      const one = await useDrawing(page, testDigits);
      expect(one).toBe(1);
      expect(await page.locator('.digit').count()).toBe(testDigits + 1);
      expect(await page.textContent('#draw-status')).toContain('take the model’s prediction, 1, as its label');
      await page.locator('#draw').screenshot({ path: join(artifacts, 'draw-1.png') });

      // A "0": an ellipse, taller than wide, closed.
      await page.click('#draw-clear');
      const ellipse: Array<[number, number]> = Array.from({ length: 41 }, (_, k) => {
        const t = (2 * Math.PI * k) / 40 - Math.PI / 2;
        return [0.5 + 0.22 * Math.cos(t), 0.5 + 0.34 * Math.sin(t)];
      });
      await drawStroke(page, ellipse);
      const zero = await useDrawing(page, testDigits + 1);
      expect(zero).toBe(0);
      expect(await page.locator('.digit').count()).toBe(testDigits + 2);
      expect(await page.textContent('#draw-status')).toContain('take the model’s prediction, 0, as its label');
      await page.screenshot({ path: join(artifacts, 'draw.png'), fullPage: true });

      // The test digits are untouched: picking one still shows its own prediction.
      await page.click('.digit[data-index="0"]');
      await page.waitForSelector('#prediction[data-index="0"][data-predicted]');
    });
    expect(site.seen.length).toBeGreaterThan(0);
    expect(site.offOrigin).toEqual([]);
  });
});
