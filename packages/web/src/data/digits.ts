/**
 * The gallery's digits: a slice of the MNIST test set in the compact `digits.bin` layout written
 * by scripts/make-digits.mjs (magic 'MMDG', u32 count, u16 rows, u16 cols, u8 labels, u8 pixels).
 */
import { DataFormatError } from '@minmax/core';

export interface DigitSet {
  count: number;
  rows: number;
  cols: number;
  labels: Uint8Array;
  /** count·rows·cols bytes, 0..255, image-major then row-major. */
  pixels: Uint8Array;
}

const MAGIC = 'MMDG';
const HEADER_BYTES = 12;

export function parseDigits(buffer: ArrayBuffer, source = 'digits.bin'): DigitSet {
  if (buffer.byteLength < HEADER_BYTES) {
    throw new DataFormatError(`${source}: ${buffer.byteLength} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  }
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== MAGIC) throw new DataFormatError(`${source}: magic '${magic}', expected '${MAGIC}'`);
  const count = view.getUint32(4, true);
  const rows = view.getUint16(8, true);
  const cols = view.getUint16(10, true);
  const expected = HEADER_BYTES + count + count * rows * cols;
  if (buffer.byteLength !== expected) {
    throw new DataFormatError(
      `${source}: ${buffer.byteLength} bytes, but ${count} digits of ${rows}×${cols} need ${expected}`,
    );
  }
  const labels = new Uint8Array(buffer, HEADER_BYTES, count);
  for (let i = 0; i < count; i++) {
    if (labels[i] > 9) throw new DataFormatError(`${source}: label ${labels[i]} of digit ${i} is not a digit class`);
  }
  return { count, rows, cols, labels, pixels: new Uint8Array(buffer, HEADER_BYTES + count, count * rows * cols) };
}

/** Pixels of digits [start, start+n) scaled to [0,1] (x/255, torchvision's ToTensor), batch-major. */
export function digitsAsFloat(set: DigitSet, start = 0, n = set.count - start): Float32Array {
  if (start < 0 || n < 0 || start + n > set.count) {
    throw new RangeError(`digits [${start}, ${start + n}) outside 0..${set.count}`);
  }
  const size = set.rows * set.cols;
  const out = new Float32Array(n * size);
  const src = set.pixels.subarray(start * size, (start + n) * size);
  for (let i = 0; i < src.length; i++) out[i] = src[i] / 255;
  return out;
}

export function digitPixels(set: DigitSet, index: number): Uint8Array {
  const size = set.rows * set.cols;
  return set.pixels.subarray(index * size, (index + 1) * size);
}

export async function fetchDigits(url: string): Promise<DigitSet> {
  const response = await fetch(url);
  if (!response.ok) throw new DataFormatError(`${url}: HTTP ${response.status} ${response.statusText}`);
  return parseDigits(await response.arrayBuffer(), url);
}
