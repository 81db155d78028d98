/**
 * IDX files (the format MNIST is distributed in, http://yann.lecun.com/exdb/mnist/): a 4-byte
 * magic number 0x00 0x00 <type> <rank>, then `rank` big-endian uint32 dimensions, then the data in
 * C order. MNIST uses type 0x08 (unsigned byte): labels are rank 1 (magic 0x00000801), images
 * rank 3 (magic 0x00000803). Files are checked exactly — a truncated download or a file with
 * trailing bytes is rejected rather than read as garbage.
 */
import { DataFormatError } from '../errors.js';

/** IDX element type code for unsigned bytes, the only type MNIST-family files use. */
export const IDX_UBYTE = 0x08;

export interface IdxTensor {
  dims: number[];
  /** A view into the input bytes (no copy), length = product of dims. */
  data: Uint8Array;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/**
 * Parses an unsigned-byte IDX file. `name` (a file name or URL) goes into every error message.
 * `expectedRank`, when given, is enforced (1 for labels, 3 for images).
 */
export function parseIdx(bytes: Uint8Array, name: string, expectedRank?: number): IdxTensor {
  if (bytes.length < 4) {
    throw new DataFormatError(`${name}: truncated IDX file: ${bytes.length} bytes, too short for the 4-byte magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2]!;
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = bytes[0] === 0x1f && bytes[1] === 0x8b ? ': the file is gzip-compressed, decompress it first' : ': not an IDX file';
    throw new DataFormatError(`${name}: bad IDX magic number ${hex(magic)} (expected 0x000008NN)${hint}`);
  }
  if (type !== IDX_UBYTE) {
    throw new DataFormatError(`${name}: bad IDX magic number ${hex(magic)}: element type 0x${type.toString(16)} is not supported (only unsigned byte, 0x08)`);
  }
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new DataFormatError(
      `${name}: bad IDX magic number ${hex(magic)}: rank ${rank}, expected ${expectedRank} (magic ${hex(0x800 | expectedRank)})`,
    );
  }
  if (rank === 0) throw new DataFormatError(`${name}: IDX file declares rank 0`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DataFormatError(`${name}: truncated IDX header: expected ${headerBytes} bytes for ${rank} dimensions, got ${bytes.length}`);
  }
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const expected = headerBytes + count;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes after data';
    throw new DataFormatError(
      `${name}: ${what}: dims [${dims.join(', ')}] need ${expected} bytes (header ${headerBytes} + data ${count}), file has ${bytes.length}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes, expected) };
}
