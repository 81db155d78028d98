import { describe, expect, it } from 'vitest';
import { DataFormatError } from '@minmax/core';
import { encodeDigits } from '../../scripts/make-digits.mjs';
import { digitPixels, digitsAsFloat, parseDigits } from './digits.js';

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe('digits.bin', () => {
  const bytes = encodeDigits(100);

  it('round-trips the first MNIST test digits written by the build script', () => {
    const set = parseDigits(toArrayBuffer(bytes));
    expect(set).toMatchObject({ count: 100, rows: 28, cols: 28 });
    // The well-known start of the MNIST test labels.
    expect(Array.from(set.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    expect(bytes.length).toBe(12 + 100 + 100 * 784);
    const seven = digitPixels(set, 0);
    expect(seven.length).toBe(784);
    expect(Math.max(...seven)).toBe(255);
    expect(seven[0]).toBe(0);
  });

  it('scales pixels by 1/255 like torchvision ToTensor', () => {
    const set = parseDigits(toArrayBuffer(bytes));
    const x = digitsAsFloat(set, 3, 2);
    expect(x.length).toBe(2 * 784);
    const raw = set.pixels.subarray(3 * 784, 5 * 784);
    for (let i = 0; i < x.length; i++) expect(x[i]).toBe(Math.fround(raw[i] / 255));
    expect(() => digitsAsFloat(set, 99, 2)).toThrow(RangeError);
  });

  it('rejects a wrong magic, a truncated file and non-digit labels with the reason', () => {
    const bad = new Uint8Array(bytes);
    bad[0] = 0x58;
    expect(() => parseDigits(toArrayBuffer(bad))).toThrow(/magic 'XMDG'/);
    expect(() => parseDigits(toArrayBuffer(bytes.subarray(0, 5000)), 'd.bin')).toThrow(DataFormatError);
    expect(() => parseDigits(toArrayBuffer(bytes.subarray(0, 5000)), 'd.bin')).toThrow(/d\.bin: 5000 bytes, but 100 digits of 28×28 need 78512/);
    expect(() => parseDigits(new ArrayBuffer(4))).toThrow(/shorter than the 12-byte header/);
    const label = new Uint8Array(bytes);
    label[12 + 3] = 10;
    expect(() => parseDigits(toArrayBuffer(label))).toThrow(/label 10 of digit 3/);
  });
});
