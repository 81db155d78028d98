import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { batches } from '../data/dataset.js';
import { DataFormatError, InvalidArgumentError } from '../errors.js';
import { loadMnist, mnistDataDir } from './mnist.js';

const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

describe('loadMnist', () => {
  it('loads the real test set: 10,000 images in file order, starting 7 2 1 0 4 1 4 9 5 9', async () => {
    const ds = await loadMnist('test');
    expect(ds.n).toBe(10_000);
    expect(ds.inputShape).toEqual([1, 28, 28]);
    expect(ds.images.length).toBe(10_000 * 784);
    expect(ds.numClasses).toBe(10);
    expect(Array.from(ds.labels.subarray(0, 18))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of ds.images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
    const counts = new Array(10).fill(0);
    for (const l of ds.labels) counts[l]++;
    expect(counts[0]).toBe(980);
    expect(counts[1]).toBe(1135);
    // The tutorial's test batch 0 is the first 100 images.
    const first = batches(ds).next().value!;
    expect(first.n).toBe(100);
    expect(first.y[0]).toBe(7);
    expect(await loadMnist('test')).toBe(ds);
  });

  it('loads the real training set: 60,000 images', async () => {
    const ds = await loadMnist('train');
    expect(ds.n).toBe(60_000);
    expect(ds.images.length).toBe(60_000 * 784);
    expect(Array.from(ds.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });

  it('reads gzip-compressed files from a custom directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'minmax-mnist-'));
    temps.push(dir);
    const src = mnistDataDir();
    for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      await writeFile(path.join(dir, `${f}.gz`), gzipSync(await readFile(path.join(src, f)), { level: 1 }));
    }
    const ds = await loadMnist('test', { dir });
    expect(ds.n).toBe(10_000);
    expect(ds.labels[0]).toBe(7);
  });

  it('reports missing and truncated files with their paths', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'minmax-mnist-'));
    temps.push(dir);
    await expect(loadMnist('test', { dir })).rejects.toThrow(InvalidArgumentError);
    await expect(loadMnist('validation' as never)).rejects.toThrow(/'train' or 'test'/);
    const src = mnistDataDir();
    const images = await readFile(path.join(src, 't10k-images-idx3-ubyte'));
    await writeFile(path.join(dir, 't10k-images-idx3-ubyte'), images.subarray(0, 1000));
    await writeFile(path.join(dir, 't10k-labels-idx1-ubyte'), await readFile(path.join(src, 't10k-labels-idx1-ubyte')));
    const err = await loadMnist('test', { dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as Error).message).toContain(path.join(dir, 't10k-images-idx3-ubyte'));
    expect((err as Error).message).toContain('need 7840016 bytes');
    expect((err as Error).message).toContain('file has 1000');
  });
});
