/**
 * An in-memory labelled image dataset and its batch iterator. Everything that walks a dataset
 * (evaluation, training, the CLI, the web app) goes through `batches`, so batch order — file
 * order, or a seeded shuffle — is defined in one place and is reproducible.
 */
import { InvalidArgumentError } from '../errors.js';
import { Rng } from './rng.js';

export interface Dataset {
  /** Number of examples. */
  n: number;
  /** Per-example shape, e.g. [1, 28, 28]. */
  inputShape: number[];
  /** [n, ...inputShape], C order, pixel values in [0, 1]. */
  images: Float32Array;
  /** [n], each in [0, numClasses). */
  labels: Int32Array;
  numClasses: number;
}

export const exampleSize = (inputShape: readonly number[]): number => inputShape.reduce((a, b) => a * b, 1);

/** Builds a dataset after checking that the arrays agree with n, inputShape and numClasses. */
export function createDataset(parts: Dataset): Dataset {
  const { n, inputShape, images, labels, numClasses } = parts;
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`dataset size must be a non-negative integer, got ${n}`);
  if (!inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError(`dataset inputShape must be positive integers, got [${inputShape.join(', ')}]`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new InvalidArgumentError(`numClasses must be a positive integer, got ${numClasses}`);
  const size = exampleSize(inputShape);
  if (images.length !== n * size) {
    throw new InvalidArgumentError(`dataset images have ${images.length} values, expected n·∏inputShape = ${n}·${size} = ${n * size}`);
  }
  if (labels.length !== n) throw new InvalidArgumentError(`dataset has ${labels.length} labels, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < 0 || l >= numClasses) throw new InvalidArgumentError(`label ${l} of example ${i} is outside [0, ${numClasses})`);
  }
  return { n, inputShape: [...inputShape], images, labels, numClasses };
}

/**
 * A dataset of the chosen examples, copied, in the given order. `selection` is either a list of
 * example indices or a count `limit` meaning the first `limit` examples in file order (views, no
 * copy, since a prefix is contiguous).
 */
export function subset(ds: Dataset, selection: ArrayLike<number> | number): Dataset {
  const size = exampleSize(ds.inputShape);
  if (typeof selection === 'number') {
    if (!Number.isInteger(selection) || selection < 0) throw new InvalidArgumentError(`subset limit must be a non-negative integer, got ${selection}`);
    const m = Math.min(selection, ds.n);
    return { ...ds, inputShape: [...ds.inputShape], n: m, images: ds.images.subarray(0, m * size), labels: ds.labels.subarray(0, m) };
  }
  const m = selection.length;
  const images = new Float32Array(m * size);
  const labels = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const i = selection[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= ds.n) throw new InvalidArgumentError(`subset index ${i} is outside [0, ${ds.n})`);
    images.set(ds.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = ds.labels[i]!;
  }
  return { ...ds, inputShape: [...ds.inputShape], n: m, images, labels };
}

export interface Batch {
  /** [n, ...inputShape], a fresh copy the consumer may modify. */
  x: Float32Array;
  /** [n] labels. */
  y: Int32Array;
  n: number;
  /** [n] the dataset index of each example. */
  indices: Int32Array;
}

export interface BatchOptions {
  /** Examples per batch; default 100 (the tutorial's loaders). */
  batchSize?: number;
  /** Visit examples in a seeded random order instead of file order; default false. */
  shuffle?: boolean;
  /** Seed of the shuffle; default 0. Ignored when `rng` is given. */
  seed?: number;
  /** A generator to draw the shuffle from (e.g. one stream across the epochs of a training run). */
  rng?: Rng;
  /** Use only the first `limit` examples in file order (applied before shuffling). */
  limit?: number;
  /** Drop a final batch smaller than batchSize; default false. */
  dropLast?: boolean;
}

interface ResolvedBatching {
  batchSize: number;
  count: number;
  dropLast: boolean;
}

function resolve(ds: Dataset, opts: BatchOptions): ResolvedBatching {
  const batchSize = opts.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`batchSize must be a positive integer, got ${batchSize}`);
  const limit = opts.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new InvalidArgumentError(`limit must be a non-negative integer, got ${limit}`);
  }
  return { batchSize, count: Math.min(ds.n, limit ?? ds.n), dropLast: opts.dropLast ?? false };
}

/** How many batches `batches(ds, opts)` yields (for progress totals). */
export function batchCount(ds: Dataset, opts: BatchOptions = {}): number {
  const { batchSize, count, dropLast } = resolve(ds, opts);
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/** How many examples `batches(ds, opts)` yields in total. */
export function exampleCount(ds: Dataset, opts: BatchOptions = {}): number {
  const { batchSize, count, dropLast } = resolve(ds, opts);
  return dropLast ? Math.floor(count / batchSize) * batchSize : count;
}

/**
 * Iterates over one epoch in batches. Without shuffling the order is file order, so batch 0 of
 * the MNIST test set is the tutorial's `X, y` (its loaders use shuffle=False for test). With
 * shuffling the order is a uniformly random permutation determined by `seed` (or `rng`).
 */
export function* batches(ds: Dataset, opts: BatchOptions = {}): Generator<Batch> {
  const { batchSize, count, dropLast } = resolve(ds, opts);
  const size = exampleSize(ds.inputShape);
  let order: Int32Array;
  if (opts.shuffle) {
    order = (opts.rng ?? new Rng(opts.seed ?? 0)).permutation(count);
  } else {
    order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
  }
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    if (n < batchSize && dropLast) return;
    const indices = order.slice(start, start + n);
    const x = new Float32Array(n * size);
    const y = new Int32Array(n);
    if (!opts.shuffle) {
      x.set(ds.images.subarray(start * size, (start + n) * size));
      y.set(ds.labels.subarray(start, start + n));
    } else {
      for (let k = 0; k < n; k++) {
        const i = indices[k]!;
        x.set(ds.images.subarray(i * size, (i + 1) * size), k * size);
        y[k] = ds.labels[i]!;
      }
    }
    yield { x, y, n, indices };
  }
}
