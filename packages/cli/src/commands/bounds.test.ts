/**
 * `minmax verify` (bound methods) and `minmax bounds` as a user runs them: the built bin in a child
 * process, checking stdout, stderr and exit codes.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../dist/main.js');
const models = resolve(import.meta.dirname, '../../../../../shared/tutorial-models');

async function minmax(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [bin, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('minmax bounds', () => {
  it('--json prints the IBP logit bounds of the tutorial (dnn2, image 0, ε = 0.1, clamped) and the margins', async () => {
    const r = await minmax('bounds', '--model', `${models}/dnn2.onnx`, '--index', '0', '--eps', '0.1', '--method', 'ibp', '--clamp', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['lower', 'upper', 'margins']);
    const lower = [-20.794655, -23.554483, -17.501461, -16.71551, -32.42357, -22.67279, -30.79689, -14.9981, -23.627762, -24.76149];
    const upper = [18.328127, 14.5928, 26.335987, 28.887863, 18.655684, 28.70531, 11.502836, 32.54162, 24.40407, 25.302904];
    lower.forEach((v, i) => expect(Math.abs(j.lower[i] - v)).toBeLessThanOrEqual(1e-4 * Math.abs(v)));
    upper.forEach((v, i) => expect(Math.abs(j.upper[i] - v)).toBeLessThanOrEqual(1e-4 * Math.abs(v)));
    expect(Object.keys(j.margins)).toEqual(['0', '1', '2', '3', '4', '5', '6', '8', '9']);
    // The folded margin bound is at least the difference of the logit bounds.
    for (const t of Object.keys(j.margins)) expect(j.margins[t]).toBeGreaterThanOrEqual(j.lower[7] - j.upper[Number(t)] - 1e-9);
  });

  it('crown proves what ibp cannot (small, ε = 0.02) and prints a table', async () => {
    const ibp = JSON.parse((await minmax('bounds', '--model', `${models}/small.onnx`, '--eps', '0.02', '--clamp', '--json')).stdout);
    const crown = JSON.parse((await minmax('bounds', '--model', `${models}/small.onnx`, '--eps', '0.02', '--clamp', '--method', 'crown', '--json')).stdout);
    for (const t of Object.keys(ibp.margins)) expect(crown.margins[t]).toBeGreaterThanOrEqual(ibp.margins[t]);
    expect(Object.values(ibp.margins).some((m) => (m as number) < 0)).toBe(true);
    expect(Object.values(crown.margins).every((m) => (m as number) > 0)).toBe(true);
    const text = await minmax('bounds', '--model', `${models}/small.onnx`, '--eps', '0.02', '--clamp', '--method', 'alpha-crown', '--alpha-iterations', '5');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/class\s+lower\s+upper/);
    expect(text.stdout).toContain('verified: no input of the box changes the prediction');
  });
});

describe('minmax verify (bound methods)', () => {
  it('--json prints model, method, eps, n, certifiedError, seconds; threads do not change the result', async () => {
    const args = ['verify', '--model', `${models}/cnn_robust_ibp.onnx`, '--method', 'ibp', '--limit', '600', '--json'];
    const one = await minmax(...args, '--threads', '1');
    const two = await minmax(...args, '--threads', '2');
    expect(one.code).toBe(0);
    const a = JSON.parse(one.stdout);
    expect(Object.keys(a)).toEqual(['model', 'method', 'eps', 'n', 'certifiedError', 'seconds']);
    expect(a).toMatchObject({ method: 'ibp', eps: 0.1, n: 600 });
    expect(a.certifiedError).toBeGreaterThan(0.02);
    expect(a.certifiedError).toBeLessThan(0.3);
    expect(JSON.parse(two.stdout).certifiedError).toBe(a.certifiedError);
  });

  it('crown certifies more than ibp (small, ε = 0.02, clamped); one image prints its margins', async () => {
    const run = async (method: string) =>
      JSON.parse((await minmax('verify', '--model', `${models}/small.onnx`, '--method', method, '--eps', '0.02', '--clamp', '--limit', '100', '--json')).stdout);
    const ibp = await run('ibp');
    const crown = await run('crown');
    expect(crown.certifiedError).toBeLessThan(ibp.certifiedError);
    const one = await minmax('verify', '--model', `${models}/small.onnx`, '--method', 'crown', '--eps', '0.02', '--clamp', '--index', '0');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('image 0, label 7: verified');
    expect(one.stdout).toMatch(/certified error 0\.0000 \(0 of 1 not verified/);
  });

  it('bad options and files fail with one line and the right exit code', async () => {
    const unknown = await minmax('verify', '--model', `${models}/small.onnx`, '--method', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/unknown method 'nope'/);
    const slope = await minmax('bounds', '--model', `${models}/small.onnx`, '--method', 'crown', '--slope', 'steep');
    expect(slope.code).toBe(2);
    expect(slope.stderr).toMatch(/--slope must be adaptive or wong-kolter/);
    const missing = await minmax('verify', '--method', 'crown');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--model is required/);
    const file = await minmax('bounds', '--model', '/nonexistent/model.onnx');
    expect(file.code).toBe(1);
    expect(file.stderr.trim()).toBe('minmax bounds: model file not found: /nonexistent/model.onnx');
  });
});
