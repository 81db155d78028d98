/**
 * The CLI as a user runs it: the built bin (`dist/main.js`, built by turbo before tests) in a
 * child process, checking stdout, stderr and exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../dist/main.js');
const models = resolve(import.meta.dirname, '../../../../shared/tutorial-models');
const fixtures = resolve(import.meta.dirname, '../../core/fixtures/onnx');
const tmp = mkdtempSync(join(tmpdir(), 'minmax-cli-'));

async function minmax(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [bin, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('minmax CLI', () => {
  it('info prints layers, shapes, parameter count and ops', async () => {
    const r = await minmax('info', '--model', `${models}/small.onnx`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('input [N, 1, 28, 28] → output [N, 10]');
    expect(r.stdout).toContain('40,480 parameters');
    expect(r.stdout).toMatch(/dense×3/);
    const j = JSON.parse((await minmax('info', '--model', `${models}/cnn.onnx`, '--json')).stdout);
    expect(j.paramCount).toBe(379_702);
    expect(j.ops).toEqual({ conv: 4, relu: 5, flatten: 1, dense: 2 });
  });

  it('eval --json prints one JSON object with the error rates', async () => {
    const r = await minmax('eval', '--model', `${models}/dnn2.onnx`, '--attacks', 'clean,fgsm,pgd,pgd-l2', '--limit', '200', '--steps', '10', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.n).toBe(200);
    expect(j.eps).toBe(0.1);
    expect(Object.keys(j.errors)).toEqual(['clean', 'fgsm', 'pgd', 'pgd-l2']);
    expect(j.errors.clean).toBeLessThan(0.1);
    expect(j.errors.pgd).toBeGreaterThan(0.8);
    expect(j.errors.pgd).toBeGreaterThanOrEqual(j.errors.clean);
    expect(j.seconds).toBeGreaterThan(0);
  });

  it('eval prints a table', async () => {
    const r = await minmax('eval', '--model', `${models}/cnn_robust.onnx`, '--attacks', 'clean,fgsm', '--limit', '100');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/clean\s+0\.\d{4}/);
    expect(r.stdout).toMatch(/fgsm\s+fgsm ℓ∞ ε=0\.1.*0\.\d{4}/);
  });

  it('attack writes a PNG grid and reports the flip; targeted attacks reach the target', async () => {
    const out = join(tmp, 'grid.png');
    const r = await minmax('attack', '--model', `${models}/dnn2.onnx`, '--attack', 'pgd', '--index', '0-2', '--out', out, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.examples.map((e: { index: number }) => e.index)).toEqual([0, 1, 2]);
    expect(j.examples[0].label).toBe(7);
    for (const e of j.examples) expect(e.linf).toBeLessThanOrEqual(0.1 + 1e-6);
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBeGreaterThan(3 * 28 * 6);
    expect(png.height).toBeGreaterThan(3 * 28 * 6);
    const t = await minmax('attack', '--model', `${models}/dnn2.onnx`, '--index', '0', '--target', '3', '--eps', '0.2', '--json');
    const e = JSON.parse(t.stdout).examples[0];
    expect(e.adversarial).toBe(3);
    expect(e.success).toBe(true);
  });

  it('landscape draws the standard and robust surfaces and reports the climb along the gradient', async () => {
    const out = join(tmp, 'landscape.png');
    const r = await minmax('landscape', '--model', `${models}/cnn.onnx,${models}/cnn_robust.onnx`, '--resolution', '9', '--out', out, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.label).toBe(7);
    expect(j.models).toHaveLength(2);
    const [standard, robust] = j.models;
    expect(standard.alongGradient).toHaveLength(9);
    expect(standard.alongGradient[8]).toBeGreaterThan(1);
    expect(robust.max).toBeLessThan(0.01);
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBe(2 * png.height * (420 / 400));
    const bad = await minmax('landscape', '--model', `${models}/cnn.onnx`, '--eps', '-1');
    expect(bad.code).toBe(2);
  });

  it('bad input is one clear line and a non-zero exit', async () => {
    const missing = await minmax('eval', '--model', join(tmp, 'nope.onnx'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`minmax eval: model file not found: ${join(tmp, 'nope.onnx')}`);

    const garbage = join(tmp, 'garbage.onnx');
    writeFileSync(garbage, 'this is not a model');
    const bad = await minmax('info', '--model', garbage);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^minmax info: .*garbage\.onnx: malformed ONNX/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);

    const unsupported = await minmax('info', '--model', `${fixtures}/unsupported_sigmoid.onnx`);
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toMatch(/unsupported op Sigmoid \(node '.+'\)/);

    const neg = await minmax('eval', '--model', `${models}/small.onnx`, '--eps', '-0.1');
    expect(neg.code).toBe(2);
    expect(neg.stderr.trim()).toBe('minmax eval: --eps must be ≥ 0, got -0.1');

    const nan = await minmax('eval', '--model', `${models}/small.onnx`, '--eps', 'abc');
    expect(nan.code).toBe(2);
    expect(nan.stderr).toContain("--eps must be a number, got 'abc'");

    const unknown = await minmax('eval', '--model', `${models}/small.onnx`, '--attacks', 'clean,deepfool');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown attack 'deepfool'");

    const cuda = await minmax('eval', '--model', `${models}/small.onnx`, '--device', 'cuda', '--limit', '10');
    expect(cuda.code).toBe(1);
    expect(cuda.stderr).toMatch(/cuda/i);
    expect(cuda.stderr).toMatch(/install/i);

    const index = await minmax('attack', '--model', `${models}/small.onnx`, '--index', '10000');
    expect(index.code).toBe(2);
    expect(index.stderr).toContain('out of range');
  });
});
