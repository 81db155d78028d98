/**
 * Training checkpoints on disk. Writes are atomic: the bytes go to a temporary file in the same
 * directory, are flushed to disk, and the file is renamed over the target, so a run killed at any
 * moment leaves either the previous checkpoint or the new one, never a torn file.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type TrainingCheckpoint } from '../train/checkpoint.js';

/** Writes `bytes` to `file` atomically (temporary file + fsync + rename). */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
}

/** The checkpoint file kept beside a training output: FILE.onnx → FILE.onnx.ckpt. */
export const checkpointPath = (out: string): string => `${out}.ckpt`;

export function saveCheckpoint(file: string, checkpoint: TrainingCheckpoint): void {
  writeFileAtomic(file, encodeCheckpoint(checkpoint));
}

/** The checkpoint in `file`, or undefined when there is none. DataFormatError when it is not one. */
export function loadCheckpoint(file: string): TrainingCheckpoint | undefined {
  if (!existsSync(file)) return undefined;
  return decodeCheckpoint(new Uint8Array(readFileSync(file)), file);
}
