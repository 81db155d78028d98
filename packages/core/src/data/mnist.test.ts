import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { mnistFromIdx } from './mnist.js';

function idx(dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const v = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('mnistFromIdx', () => {
  it('scales pixels by 1/255 into [N, 1, rows, cols] and keeps labels', () => {
    const ds = mnistFromIdx(idx([2, 2, 2], [0, 255, 51, 128, 1, 2, 3, 4]), idx([2], [7, 2]), 'tiny');
    expect(ds.n).toBe(2);
    expect(ds.inputShape).toEqual([1, 2, 2]);
    expect(ds.numClasses).toBe(10);
    expect(Array.from(ds.labels)).toEqual([7, 2]);
    expect(ds.images[0]).toBe(0);
    expect(ds.images[1]).toBe(1);
    expect(ds.images[2]).toBe(Math.fround(0.2));
    expect(ds.images[3]).toBe(Math.fround(128 / 255));
  });

  it('rejects image/label count mismatches and non-digit labels', () => {
    expect(() => mnistFromIdx(idx([2, 1, 1], [0, 0]), idx([3], [1, 2, 3]), 'mm')).toThrow(/mm images has 2 images but mm labels has 3 labels/);
    expect(() => mnistFromIdx(idx([1, 1, 1], [0]), idx([1], [10]), 'mm')).toThrow(DataFormatError);
  });

  it('rejects swapped files by rank', () => {
    expect(() => mnistFromIdx(idx([1], [3]), idx([1, 1, 1], [0]), { images: 'lbl.idx', labels: 'img.idx' })).toThrow(/lbl\.idx: bad IDX magic number 0x00000801/);
  });
});
