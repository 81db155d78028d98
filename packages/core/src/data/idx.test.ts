import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { parseIdx } from './idx.js';

/** An IDX file with the given magic bytes, dims and data. */
function idx(type: number, dims: number[], data: number[], rank = dims.length): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const v = new DataView(out.buffer);
  out[2] = type;
  out[3] = rank;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a DataFormatError');
};

describe('parseIdx', () => {
  it('reads big-endian dims and the data in C order', () => {
    const bytes = idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    const t = parseIdx(bytes, 'a.idx', 3);
    expect(t.dims).toEqual([2, 2, 3]);
    expect(Array.from(t.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    const big = idx(0x08, [300], new Array(300).fill(9));
    expect(parseIdx(big, 'b', 1).dims).toEqual([300]);
  });

  it('works on a view into a larger buffer', () => {
    const inner = idx(0x08, [3], [7, 8, 9]);
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    expect(Array.from(parseIdx(outer.subarray(5), 'view', 1).data)).toEqual([7, 8, 9]);
  });

  it('rejects a bad magic number with the file name', () => {
    const gz = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
    const m = message(() => parseIdx(gz, 'train-labels.gz', 1));
    expect(m).toContain('train-labels.gz');
    expect(m).toContain('bad IDX magic number 0x1f8b0800');
    expect(m).toContain('gzip-compressed');
    expect(message(() => parseIdx(idx(0x0d, [1], [0, 0, 0, 0]), 'floats', 1))).toContain('element type 0xd');
  });

  it('rejects a rank that does not match (labels file given as images)', () => {
    const m = message(() => parseIdx(idx(0x08, [3], [1, 2, 3]), 'labels-idx1', 3));
    expect(m).toContain('labels-idx1');
    expect(m).toContain('0x00000801');
    expect(m).toContain('expected 3');
  });

  it('rejects truncated files with expected and actual sizes', () => {
    const full = idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const m = message(() => parseIdx(full.subarray(0, full.length - 3), 'imgs', 3));
    expect(m).toContain('imgs: truncated');
    expect(m).toContain('need 24 bytes');
    expect(m).toContain('file has 21');
    expect(message(() => parseIdx(full.subarray(0, 10), 'imgs', 3))).toContain('truncated IDX header: expected 16 bytes');
    expect(message(() => parseIdx(new Uint8Array([0, 0]), 'tiny'))).toContain('truncated');
  });

  it('rejects trailing bytes (exact length check)', () => {
    const bytes = new Uint8Array([...idx(0x08, [2], [1, 2]), 99]);
    expect(message(() => parseIdx(bytes, 'long', 1))).toContain('trailing bytes after data: dims [2] need 10 bytes');
  });
});
