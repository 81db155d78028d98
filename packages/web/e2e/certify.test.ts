/**
 * The Certify panel of the built page in a real browser (Debian's Chromium, headless, driven by
 * playwright-core against `vite build` output on a local static server). Every value the page
 * shows is compared with the same core function run here in Node, as the CLI runs it:
 *   (a) IBP at ε = 0.1 on the tutorial's IBP-trained ConvNet verifies a test digit that
 *       `minmax verify --method ibp` verifies (and not one it does not), with the same margins;
 *       the IBP certified radius is verified at ε* and not at its upper end;
 *   (b) the exact MIP on the tutorial's `small` at ε = 0.02 (box clamped to [0,1], as in the
 *       tutorial) completes with the per-target optima of `minmax verify --method mip
 *       --per-target` (core's ExactVerifier.verifyMip with interval bounds), for a digit it
 *       verifies and for one it falsifies, whose counterexample is shown with the class ONNX
 *       Runtime gives it; and one stopped by its time limit reads "unknown", with the reason.
 * Screenshots go to packages/web/artifacts/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certify,
  createGradientModel,
  createRuntime,
  ExactVerifier,
  importOnnx,
  type ExampleCertificate,
  type GradientModel,
  type Network,
  type OrtModule,
} from '@minmax/core';
import { createWasmIntervalEngineSync } from '@minmax/bounds-wasm';
import { digitsAsFloat, parseDigits, type DigitSet } from '../src/data/digits.js';
import { artifacts, buildAndServe, tutorialModel, type Site } from './harness.js';

const ibpPath = tutorialModel('cnn_robust_ibp.onnx');
const smallPath = tutorialModel('small.onnx');
/** Digits of `small` at ε = 0.02 (clamped): 0 is verified by the MIP, 8 (a 5) is falsified for targets 2, 6 and 8. */
const MIP_VERIFIED = 0;
const MIP_FALSIFIED = 8;

let site: Site;
let digits: DigitSet;

beforeAll(async () => {
  site = await buildAndServe('minmax-web-certify-');
  digits = parseDigits(new Uint8Array(readFileSync(join(site.outDir, 'digits.bin'))).buffer);
});

afterAll(async () => {
  await site?.close();
});

const loadNet = (file: string): Network => importOnnx(new Uint8Array(readFileSync(file)));

/** `minmax verify --method ibp --index i`: core's certify on the WebAssembly engine, in Node. */
function cliIbp(net: Network, index: number, eps: number): { verified: boolean; margins: Float64Array } {
  const engine = createWasmIntervalEngineSync();
  try {
    const r = certify(net, digitsAsFloat(digits, index, 1), [digits.labels[index]], { norm: 'linf', eps }, { method: 'ibp', engine, clamp: false });
    return { verified: r.status[0] === 'verified', margins: Float64Array.from(r.margins) };
  } finally {
    engine.dispose();
  }
}

/** `minmax verify --method mip --per-target --index i --eps e --clamp`, in Node. */
async function cliMip(net: Network, index: number, eps: number): Promise<ExampleCertificate> {
  const runtime = await createRuntime(ortNode as unknown as OrtModule, { device: 'cpu', threads: 1 });
  const model: GradientModel = await createGradientModel(runtime, net);
  try {
    const verifier = await ExactVerifier.create(net, { model });
    return await verifier.verifyMip(digitsAsFloat(digits, index, 1), digits.labels[index], { eps, clamp: [0, 1], bounds: 'interval' });
  } finally {
    await model.dispose();
  }
}

async function openModel(page: Page, file: string): Promise<void> {
  const name = file.split('/').pop()!;
  await page.setInputFiles('#model-file', file);
  await page.waitForSelector(`.model-name:has-text("${name}")`);
  await page.waitForSelector('#gallery-summary:has-text("correct")');
}

async function selectDigit(page: Page, index: number): Promise<void> {
  await page.click(`.digit[data-index="${index}"]`);
  await page.waitForSelector(`#certify-context:has-text("test digit #${index} ")`);
}

async function setBox(page: Page, eps: number, clamp: boolean): Promise<void> {
  await page.fill('#certify-eps', String(eps));
  await page.setChecked('#certify-clamp', clamp);
}

/** Clicks a method and waits until the panel is idle with that column filled. */
async function compute(page: Page, method: string, timeout = 60_000): Promise<void> {
  await page.click(`.method-button[data-method="${method}"]`);
  await page.waitForSelector(`#certify[data-state="idle"] tfoot td[data-method="${method}"][data-status]:not([data-status=""])`, { timeout });
}

async function column(page: Page, method: string): Promise<Record<number, { value: number; state: string }>> {
  return page.$$eval(`#certify-table tbody td[data-method="${method}"]`, (cells) =>
    Object.fromEntries(
      cells.map((c) => {
        const d = (c as HTMLElement).dataset;
        return [Number(d.target), { value: Number(d.value), state: d.state ?? '' }];
      }),
    ),
  );
}

function expectClose(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(tol);
}

describe('Certify panel in Chromium', () => {
  it('(a) IBP at ε = 0.1 verifies an IBP-trained ConvNet on a digit the CLI verifies, and finds its certified radius', async () => {
    const net = loadNet(ibpPath);
    // The CLI (`verify --method ibp --eps 0.1 --limit 20`) verifies 18 of the first 20 digits; not 8 and 18.
    const verifiedIndex = 3;
    const failedIndex = 8;
    const ok = cliIbp(net, verifiedIndex, 0.1);
    expect(ok.verified).toBe(true);
    expect(cliIbp(net, failedIndex, 0.1).verified).toBe(false);

    await site.withPage({}, async (page) => {
      await openModel(page, ibpPath);
      await selectDigit(page, verifiedIndex);
      await setBox(page, 0.1, false);
      await compute(page, 'ibp');
      await expect.poll(() => page.getAttribute('#certify-status', 'data-status')).toBe('verified');
      const label = digits.labels[verifiedIndex];
      const ibp = await column(page, 'ibp');
      expect(Object.keys(ibp).map(Number)).toEqual([...Array(10).keys()].filter((t) => t !== label));
      for (const [t, cell] of Object.entries(ibp)) {
        expect(cell.state).toBe('proven');
        expectClose(cell.value, ok.margins[Number(t)]!, 1e-9);
      }
      // CROWN and α-CROWN are at least as tight as IBP here.
      await compute(page, 'crown');
      await compute(page, 'alpha-crown');
      const crown = await column(page, 'crown');
      const alpha = await column(page, 'alpha-crown');
      for (const t of Object.keys(ibp)) expect(alpha[Number(t)]!.value).toBeGreaterThanOrEqual(crown[Number(t)]!.value - 1e-9);

      // Certified radius by IBP: bisection to 1e-4, checked against core in Node at both ends.
      await page.click('#certify-radius button[data-method="ibp"]');
      await page.click('#certify-radius-run');
      const result = page.locator('#certify-radius-result[data-outcome]');
      await result.waitFor({ timeout: 60_000 });
      expect(await result.getAttribute('data-outcome')).toBe('converged');
      const r = Number(await result.getAttribute('data-radius'));
      const upper = Number(await result.getAttribute('data-upper'));
      expect(upper - r).toBeLessThanOrEqual(1e-4);
      expect(r).toBeGreaterThanOrEqual(0.1);
      expect(cliIbp(net, verifiedIndex, r).verified).toBe(true);
      expect(cliIbp(net, verifiedIndex, upper).verified).toBe(false);
      await page.locator('#certify').screenshot({ path: join(artifacts, 'certify-ibp.png') });

      // A digit IBP does not verify at ε = 0.1.
      await selectDigit(page, failedIndex);
      expect(await page.getAttribute('#certify-status', 'data-status')).toBe('none');
      await compute(page, 'ibp');
      await expect.poll(() => page.getAttribute('#certify-status', 'data-status')).toBe('not verified');

      // A long job stops on Cancel: α-CROWN radius search, cancelled after its first step.
      await page.click('#certify-radius button[data-method="alpha-crown"]');
      await page.click('#certify-radius-run');
      await page.waitForSelector('#certify-progress-text:has-text("Step")', { timeout: 60_000 });
      await page.click('#certify-cancel');
      await page.waitForSelector('#certify[data-state="idle"]', { timeout: 30_000 });
      expect(await page.textContent('#certify-progress-text')).toBe('Cancelled.');
      expect(await page.getAttribute('#certify-radius-result', 'data-outcome')).toBeNull();
    });
  }, 400_000);

  it('(b) the MIP on `small` (ε = 0.02, clamped) gives the CLI’s per-target optima, and shows a confirmed counterexample', async () => {
    const net = loadNet(smallPath);
    const reference = new Map<number, ExampleCertificate>();
    for (const index of [MIP_VERIFIED, MIP_FALSIFIED]) reference.set(index, await cliMip(net, index, 0.02));
    expect(reference.get(MIP_VERIFIED)!.status).toBe('verified');
    expect(reference.get(MIP_FALSIFIED)!.status).toBe('falsified');

    await site.withPage({}, async (page) => {
      await openModel(page, smallPath);
      await setBox(page, 0.02, true);
      for (const index of [MIP_VERIFIED, MIP_FALSIFIED]) {
        await selectDigit(page, index);
        await setBox(page, 0.02, true);
        await compute(page, 'mip', 240_000);
        const cert = reference.get(index)!;
        const mip = await column(page, 'mip');
        expect(Object.keys(mip).map(Number)).toEqual(cert.targets.map((t) => t.target));
        for (const t of cert.targets) {
          expect(mip[t.target]!.state).toBe(t.status === 'verified' ? 'proven' : t.status);
          expectClose(mip[t.target]!.value, t.objective, 1e-5);
        }
        await expect.poll(() => page.getAttribute('#certify-status', 'data-status')).toBe(cert.status === 'verified' ? 'verified' : 'not verified');
        if (index === MIP_VERIFIED) {
          expect(await page.isHidden('#certify-counterexample')).toBe(true);
          continue;
        }
        // The counterexample: re-checked by core in ONNX Runtime and by the uploaded file itself.
        expect(await page.getAttribute('#certify-status', 'data-falsified')).toBe('true');
        const ce = page.locator('#certify-counterexample');
        await ce.waitFor({ state: 'visible' });
        const target = Number(await ce.getAttribute('data-target'));
        const falsified = cert.targets.filter((t) => t.status === 'falsified').map((t) => t.target);
        expect(falsified).toContain(target);
        const predicted = Number(await ce.getAttribute('data-predicted'));
        expect(predicted).not.toBe(digits.labels[index]);
        expect(await ce.getAttribute('data-uploaded-predicted')).toBe(String(predicted));
        expect(await page.textContent('#certify-ce-uploaded')).toContain(`class ${predicted}`);
        const canvas = await page.$eval('#certify-ce-image', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
        expect(canvas).toEqual([28, 28]);
        // The other methods fill the rest of the tutorial's table.
        for (const m of ['ibp', 'crown', 'alpha-crown', 'lp']) await compute(page, m);
        await page.locator('#certify').screenshot({ path: join(artifacts, 'certify-mip.png') });
        // Another falsified target's counterexample, by clicking its red cell.
        const other = falsified.find((t) => t !== target)!;
        await page.click(`#certify-table td[data-method="mip"][data-target="${other}"] button`);
        await expect.poll(() => ce.getAttribute('data-target')).toBe(String(other));
      }

      // A MIP stopped by its time limit is unknown, and the page says why.
      await selectDigit(page, MIP_VERIFIED);
      await setBox(page, 0.05, true);
      await page.fill('#certify-time-limit', '0.05');
      await compute(page, 'mip', 240_000);
      await expect.poll(() => page.getAttribute('#certify-status', 'data-status')).toBe('unknown');
      expect(await page.textContent('#certify-status')).toContain('(time limit)');
      const mip = await column(page, 'mip');
      expect(Object.values(mip).some((c) => c.state === 'unknown')).toBe(true);
      expect(Object.values(mip).every((c) => c.state === 'unknown' || c.state === 'proven')).toBe(true);
      await page.locator('#certify').screenshot({ path: join(artifacts, 'certify-unknown.png') });
    });
  }, 600_000);

  it('made no request outside its own origin', () => {
    expect(site.offOrigin).toEqual([]);
    expect(site.server.requested.some((p) => /\/assets\/highs-[\w-]+\.wasm$/.test(p))).toBe(true);
  });
});
