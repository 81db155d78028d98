/**
 * `minmax train` and `minmax reproduce` as a user runs them (the built bin in a child process):
 * JSON output contract, a run killed with SIGKILL after a checkpoint and resumed ending with the
 * weights of an uninterrupted run, and reproduce's table on the tutorial's released MLP (which
 * must show the tutorial's own figures) and on a freshly trained linear model.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { importOnnx, readTrainingMetadata, type Network } from '@minmax/core';

const bin = resolve(import.meta.dirname, '../../dist/main.js');
const models = resolve(import.meta.dirname, '../../../../../shared/tutorial-models');
const tmp = mkdtempSync(join(tmpdir(), 'minmax-train-'));

async function minmax(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [bin, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const load = (file: string): Network => importOnnx(new Uint8Array(readFileSync(file)));
const params = (net: Network): Record<string, number[]> =>
  Object.fromEntries(net.layers.flatMap((l) => (l.kind === 'dense' || l.kind === 'conv' ? [l.weight, l.bias] : [])).map((p) => [p.name, Array.from(p.data)]));

describe('minmax train', () => {
  it('--json prints one line per epoch and ends with {out, epochs, testError, seconds}; the ONNX file carries the training metadata', async () => {
    const out = join(tmp, 'linear.onnx');
    const r = await minmax('train', '--arch', 'linear', '--method', 'linear-robust', '--eps', '0.2', '--epochs', '2', '--threads', '1', '--out', out, '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].epoch).toBe(1);
    expect(lines[1].robustKind).toBe('exact');
    const last = lines[2];
    expect(Object.keys(last)).toEqual(['out', 'epochs', 'testError', 'seconds']);
    expect(last.out).toBe(out);
    expect(last.epochs).toBe(2);
    expect(last.testError).toBeLessThan(0.02);
    const meta = readTrainingMetadata(load(out));
    expect(meta?.method).toBe('linear-robust');
    expect(meta?.eps).toBe(0.2);
    expect(meta?.history?.map((h) => h.epoch)).toEqual([1, 2]);
    expect(existsSync(`${out}.ckpt`)).toBe(false);
  });

  it('a run killed after a checkpoint and resumed with --resume ends with the weights of an uninterrupted run', async () => {
    const args = ['--arch', 'conv8k3s2p1,relu,flatten,dense10', '--method', 'standard', '--epochs', '4', '--train-limit', '3000', '--eval-limit', '100', '--eval-robust-limit', '0', '--threads', '1'];
    const full = join(tmp, 'full.onnx');
    expect((await minmax('train', ...args, '--out', full)).code).toBe(0);

    const killed = join(tmp, 'killed.onnx');
    const child = spawn('node', [bin, 'train', ...args, '--out', killed], { stdio: 'ignore' });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const ckpt = `${killed}.ckpt`;
    while (!existsSync(ckpt)) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(killed)).toBe(false);

    const resumed = await minmax('train', ...args, '--out', killed, '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from .*killed\.onnx\.ckpt after epoch [123]/);
    expect(params(load(killed))).toEqual(params(load(full)));
    expect(readTrainingMetadata(load(killed))?.history?.map((h) => h.trainLoss)).toEqual(readTrainingMetadata(load(full))?.history?.map((h) => h.trainLoss));
  });

  it('bad options are one clear line', async () => {
    const r = await minmax('train', '--arch', 'cnn', '--method', 'adversarial', '--out', join(tmp, 'x.onnx'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown method 'adversarial'/);
    const s = await minmax('train', '--arch', 'conv8k3,softmax', '--method', 'standard', '--out', join(tmp, 'x.onnx'));
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/unknown layer token 'softmax'/);
  });
});

describe('minmax reproduce', () => {
  it("--quick --json evaluates the models it finds: the tutorial's released MLP shows the tutorial's figures", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minmax-models-'));
    copyFileSync(join(models, 'dnn2.onnx'), join(dir, 'mlp.onnx'));
    copyFileSync(join(tmp, 'linear.onnx'), join(dir, 'linear-robust.onnx'));
    const report = join(dir, 'report.md');
    const r = await minmax('reproduce', '--quick', '--json', '--models', dir, '--only', 'mlp,cnn,linear-robust', '--limit', '200', '--threads', '2', '--results', report);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // --results writes the markdown report and the same figures as JSON beside it.
    expect(readFileSync(report, 'utf8')).toContain('| `mlp` |');
    const written = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(written.rows).toEqual(j.rows);
    expect(written.linear).toEqual(j.linear);
    expect(written.rows[0].tutorial).toMatchObject({ clean: 0.0285 });
    expect(j.rows.map((x: { model: string }) => x.model)).toEqual(['mlp', 'cnn']);
    const mlp = j.rows[0];
    expect(mlp.n).toBe(200);
    expect(mlp.clean).toBeLessThan(0.06);
    expect(mlp.fgsm).toBeGreaterThan(0.85);
    expect(mlp.pgd).toBeGreaterThan(0.9);
    expect(mlp.certified).toBe(1);
    expect(mlp.file).toBe(join(dir, 'mlp.onnx'));
    expect(j.rows[1]).toMatchObject({ model: 'cnn', missing: true, clean: null });
    expect(j.linear[0].model).toBe('linear-robust');
    expect(j.linear[0].attacked).toBeLessThan(0.06);
    expect(j.linear[0].n).toBe(2115);
  });
});
