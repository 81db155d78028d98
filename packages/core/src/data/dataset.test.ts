import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { batchCount, batches, createDataset, type Dataset, exampleCount, subset } from './dataset.js';
import { Rng } from './rng.js';

/** 23 examples of shape [1, 2]; example i holds pixels (i, i + 0.5) and label i % 4. */
function toy(n = 23): Dataset {
  const images = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    images[2 * i] = i;
    images[2 * i + 1] = i + 0.5;
    labels[i] = i % 4;
  }
  return createDataset({ n, inputShape: [1, 2], images, labels, numClasses: 4 });
}

const all = (ds: Dataset, opts: Parameters<typeof batches>[1]) => [...batches(ds, opts)];

describe('batches', () => {
  it('yields file order in batches of batchSize with a short last batch', () => {
    const ds = toy();
    const bs = all(ds, { batchSize: 10 });
    expect(bs.map((b) => b.n)).toEqual([10, 10, 3]);
    expect(batchCount(ds, { batchSize: 10 })).toBe(3);
    expect(Array.from(bs[2]!.indices)).toEqual([20, 21, 22]);
    expect(Array.from(bs[2]!.y)).toEqual([0, 1, 2]);
    expect(Array.from(bs[2]!.x)).toEqual([20, 20.5, 21, 21.5, 22, 22.5]);
  });

  it('defaults to batches of 100', () => {
    expect(all(toy(250), {}).map((b) => b.n)).toEqual([100, 100, 50]);
  });

  it('honours dropLast and limit (limit is a file-order prefix, applied before shuffling)', () => {
    const ds = toy();
    expect(all(ds, { batchSize: 10, dropLast: true }).map((b) => b.n)).toEqual([10, 10]);
    expect(batchCount(ds, { batchSize: 10, dropLast: true })).toBe(2);
    expect(exampleCount(ds, { batchSize: 10, dropLast: true })).toBe(20);
    const limited = all(ds, { batchSize: 4, limit: 6, shuffle: true, seed: 3 });
    expect(limited.map((b) => b.n)).toEqual([4, 2]);
    const seen = limited.flatMap((b) => Array.from(b.indices)).sort((a, b) => a - b);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(exampleCount(ds, { limit: 1000 })).toBe(23);
  });

  it('shuffles deterministically per seed, visiting every example once with matching x and y', () => {
    const ds = toy();
    const a = all(ds, { batchSize: 5, shuffle: true, seed: 11 });
    const b = all(ds, { batchSize: 5, shuffle: true, seed: 11 });
    const c = all(ds, { batchSize: 5, shuffle: true, seed: 12 });
    const order = (bs: typeof a) => bs.flatMap((x) => Array.from(x.indices));
    expect(order(a)).toEqual(order(b));
    expect(order(a)).not.toEqual(order(c));
    expect(order(a)).not.toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect([...order(a)].sort((p, q) => p - q)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    for (const batch of a) {
      for (let k = 0; k < batch.n; k++) {
        const i = batch.indices[k]!;
        expect(batch.x[2 * k]).toBe(i);
        expect(batch.x[2 * k + 1]).toBe(i + 0.5);
        expect(batch.y[k]).toBe(i % 4);
      }
    }
    // The same permutation comes from an explicit generator with that seed.
    expect(order(all(ds, { batchSize: 5, shuffle: true, rng: new Rng(11) }))).toEqual(order(a));
  });

  it('gives the consumer a copy it may modify', () => {
    const ds = toy();
    const [first] = all(ds, { batchSize: 2 });
    first!.x[0] = -1;
    expect(ds.images[0]).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => all(toy(), { batchSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => all(toy(), { limit: -1 })).toThrow(InvalidArgumentError);
  });
});

describe('subset and createDataset', () => {
  it('selects by index list (in the given order) or by prefix length', () => {
    const ds = toy();
    const s = subset(ds, [5, 1]);
    expect(s.n).toBe(2);
    expect(Array.from(s.images)).toEqual([5, 5.5, 1, 1.5]);
    expect(Array.from(s.labels)).toEqual([1, 1]);
    const p = subset(ds, 3);
    expect(p.n).toBe(3);
    expect(Array.from(p.labels)).toEqual([0, 1, 2]);
    expect(subset(ds, 100).n).toBe(23);
    expect(() => subset(ds, [23])).toThrow(InvalidArgumentError);
  });

  it('validates sizes and labels', () => {
    expect(() => createDataset({ n: 2, inputShape: [2], images: new Float32Array(3), labels: new Int32Array(2), numClasses: 2 })).toThrow(
      /images have 3 values, expected/,
    );
    expect(() => createDataset({ n: 1, inputShape: [1], images: new Float32Array(1), labels: Int32Array.of(5), numClasses: 2 })).toThrow(
      /label 5 of example 0/,
    );
  });
});
