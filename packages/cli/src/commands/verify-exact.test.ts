/**
 * `minmax verify --method lp|mip|complete` and `minmax vnnlib` as a user runs them: the built bin
 * in a child process (see cli.test.ts), on the tutorial's `small` network.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../dist/main.js');
const models = resolve(import.meta.dirname, '../../../../../shared/tutorial-models');
const vnnlib = resolve(import.meta.dirname, '../../../core/fixtures/vnnlib');
const tmp = mkdtempSync(join(tmpdir(), 'minmax-exact-'));

async function minmax(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [bin, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const LP02 = [8.679119731697458, 12.233313266959202, 4.120827654631229, 1.857739424985871, 16.236514322580383, 7.964241745873003, 23.459304334257965, 6.10314963105955, 5.581247281946292];

describe('minmax verify (exact methods)', () => {
  it('--method lp --per-target --json prints the per-target objectives and statuses of the tutorial', async () => {
    const r = await minmax('verify', '--model', `${models}/small.onnx`, '--method', 'lp', '--eps', '0.02', '--clamp', '--index', '0', '--per-target', '--json', '--threads', '1');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.index).toBe(0);
    expect(j.label).toBe(7);
    expect(Object.keys(j.targets)).toEqual(['0', '1', '2', '3', '4', '5', '6', '8', '9']);
    Object.values(j.targets as Record<string, { objective: number; status: string }>).forEach((t, k) => {
      expect(t.status).toBe('verified');
      expect(Math.abs(t.objective - LP02[k]!)).toBeLessThan(1e-4);
    });
  });

  it('--method lp prints a per-target table for one image, with counterexamples where the LP point is adversarial', async () => {
    const r = await minmax('verify', '--model', `${models}/small.onnx`, '--method', 'lp', '--eps', '0.1', '--clamp', '--index', '0', '--threads', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/image 0, label 7, predicted 7: falsified/);
    expect(r.stdout).toMatch(/\n\s+2\s+-26\.11977\d\s+-26\.11977\d\s+falsified\s+lp\s/);
    expect(r.stdout).toMatch(/verified 0, falsified 1, unknown 0 of 1/);
  });

  it('--method complete over several images prints the counts and the certified error (--json)', async () => {
    const r = await minmax('verify', '--model', `${models}/small.onnx`, '--method', 'complete', '--eps', '0.02', '--clamp', '--limit', '4', '--time-limit', '60', '--json', '--threads', '1');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.n).toBe(4);
    expect(j.verified + j.falsified + j.unknown).toBe(4);
    expect(j.unknown).toBe(0);
    expect(j.certifiedError).toBeCloseTo((4 - j.verified) / 4, 12);
  });

  it('rejects inconsistent options with a usage error', async () => {
    const r = await minmax('verify', '--model', `${models}/small.onnx`, '--method', 'mip', '--per-target');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--per-target needs --index/);
    const b = await minmax('verify', '--model', `${models}/small.onnx`, '--method', 'lp', '--index', '0', '--bounds', 'zonotope');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--bounds must be interval, crown or lp/);
  });
});

describe('minmax vnnlib', () => {
  it('proves a property (unsat) and writes the result file', async () => {
    const out = join(tmp, 'unsat.txt');
    const r = await minmax('vnnlib', '--onnx', `${models}/small.onnx`, '--vnnlib', `${vnnlib}/mnist_small_img0_eps0.02.vnnlib`, '--timeout', '120', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('unsat\n');
    expect(readFileSync(out, 'utf8')).toBe('unsat\n');
  });

  it('finds a violation (sat) with a witness inside the box whose outputs violate the property', async () => {
    const out = join(tmp, 'sat.txt');
    const r = await minmax('vnnlib', '--onnx', `${models}/small.onnx`, '--vnnlib', `${vnnlib}/mnist_small_img0_eps0.1.vnnlib`, '--timeout', '120', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('sat');
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(r.stdout);
    const values = (name: string): number[] => [...text.matchAll(new RegExp(`\\(${name}_(\\d+) ([^)]+)\\)`, 'g'))].map((m) => Number(m[2]));
    const x = values('X');
    const y = values('Y');
    expect(x).toHaveLength(784);
    expect(y).toHaveLength(10);
    const prop = readFileSync(`${vnnlib}/mnist_small_img0_eps0.1.vnnlib`, 'utf8');
    for (const m of prop.matchAll(/\(assert \(<= X_(\d+) ([^)]+)\)\)/g)) expect(x[Number(m[1])]!).toBeLessThanOrEqual(Number(m[2]));
    for (const m of prop.matchAll(/\(assert \(>= X_(\d+) ([^)]+)\)\)/g)) expect(x[Number(m[1])]!).toBeGreaterThanOrEqual(Number(m[2]));
    expect(y.some((v, j) => j !== 7 && v >= y[7]!)).toBe(true);
  });

  it('runs an instances CSV and prints a summary table; a broken instance is reported as error', async () => {
    const csv = join(tmp, 'instances.csv');
    writeFileSync(
      csv,
      [`${models}/small.onnx,${vnnlib}/mnist_small_img0_eps0.02.vnnlib,120`, `${models}/small.onnx,${vnnlib}/mnist_small_img0_eps0.1.vnnlib,120`, `${models}/small.onnx,missing.vnnlib,10`].join('\n') + '\n',
    );
    const results = join(tmp, 'results.csv');
    const r = await minmax('vnnlib', '--instances', csv, '--out', results);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/eps0\.02\.vnnlib\s+120\s+unsat/);
    expect(r.stdout).toMatch(/eps0\.1\.vnnlib\s+120\s+sat/);
    expect(r.stdout).toMatch(/missing\.vnnlib\s+10\s+error/);
    expect(r.stdout).toMatch(/unsat 1, sat 1, error 1 of 3/);
    expect(readFileSync(results, 'utf8').split('\n')[0]).toBe('onnx,vnnlib,result,seconds');
  });

  it('reports a malformed property with its position', async () => {
    const bad = join(tmp, 'bad.vnnlib');
    writeFileSync(bad, '(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (<= X_0 1)\n');
    const r = await minmax('vnnlib', '--onnx', `${models}/small.onnx`, '--vnnlib', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.vnnlib:3:1: '\(' opened here is never closed/);
  });
});
