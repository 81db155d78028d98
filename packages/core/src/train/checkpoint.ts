/**
 * The state of a training run at an epoch boundary, and its byte encoding. Everything that
 * influences later epochs is in it (weights, optimiser buffers and step count, the shuffle
 * generator's state, the fgsm-rs guard's last accuracy), so a run resumed from it computes
 * exactly what the uninterrupted run computes (random streams of attacks are derived from the
 * seed and the epoch). Platform-free: '@minmax/core/node' writes it to disk atomically.
 *
 * Encoding: the ASCII magic "MINMAXCK", a little-endian uint32 format version and uint32 header
 * length, a UTF-8 JSON header, zero padding to a multiple of 4, then the float32 tensors (little
 * endian) in the order the header lists them.
 */
import { DataFormatError } from '../errors.js';
import type { TrainConfig } from './config.js';
import type { OptimizerState } from './optimizer.js';
import type { EpochRecord } from './trainer.js';

export const CHECKPOINT_FORMAT = 1;
const MAGIC = 'MINMAXCK';

export interface TrainingCheckpoint {
  config: TrainConfig;
  /** Epochs completed. */
  epochsDone: number;
  /** Parameters after the last completed epoch, by Param.name. */
  params: Record<string, Float32Array>;
  optimizer: OptimizerState;
  /** xoshiro128** state of the shuffle generator at the start of the next epoch. */
  shuffleState: [number, number, number, number];
  history: EpochRecord[];
  /** Training seconds so far (wall clock, summed over sessions). */
  seconds: number;
  /** fgsm-rs guard: robust accuracy on the held-out slice after the last completed epoch. */
  guardAccuracy?: number;
  /** Why the run stopped before its last epoch, if it did. */
  stopped?: string;
}

interface Header extends Omit<TrainingCheckpoint, 'params' | 'optimizer'> {
  optimizerStep: number;
  tensors: { key: string; length: number }[];
}

export function encodeCheckpoint(c: TrainingCheckpoint): Uint8Array {
  const tensors: { key: string; data: Float32Array }[] = [
    ...Object.entries(c.params).map(([k, data]) => ({ key: `param:${k}`, data })),
    ...Object.entries(c.optimizer.tensors).map(([k, data]) => ({ key: `optim:${k}`, data })),
  ];
  const header: Header = {
    config: c.config,
    epochsDone: c.epochsDone,
    shuffleState: c.shuffleState,
    history: c.history,
    seconds: c.seconds,
    ...(c.guardAccuracy !== undefined ? { guardAccuracy: c.guardAccuracy } : {}),
    ...(c.stopped !== undefined ? { stopped: c.stopped } : {}),
    optimizerStep: c.optimizer.step,
    tensors: tensors.map((t) => ({ key: t.key, length: t.data.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((16 + json.length) / 4) * 4;
  const total = start + 4 * tensors.reduce((a, t) => a + t.data.length, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 8; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, CHECKPOINT_FORMAT, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, 16);
  let off = start;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(off + 4 * i, t.data[i]!, true);
    off += 4 * t.data.length;
  }
  return bytes;
}

export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): TrainingCheckpoint {
  if (bytes.length < 16 || String.fromCharCode(...bytes.subarray(0, 8)) !== MAGIC) throw new DataFormatError(`${source}: not a minmax training checkpoint (bad magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_FORMAT) throw new DataFormatError(`${source}: checkpoint format ${version} is not supported (expected ${CHECKPOINT_FORMAT})`);
  const len = view.getUint32(12, true);
  if (16 + len > bytes.length) throw new DataFormatError(`${source}: truncated header (${len} bytes declared, ${bytes.length - 16} present)`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + len))) as Header;
  } catch (e) {
    throw new DataFormatError(`${source}: header is not valid JSON (${(e as Error).message})`);
  }
  let off = Math.ceil((16 + len) / 4) * 4;
  const params: Record<string, Float32Array> = {};
  const optim: Record<string, Float32Array> = {};
  for (const t of header.tensors ?? []) {
    if (off + 4 * t.length > bytes.length) throw new DataFormatError(`${source}: tensor '${t.key}' at byte ${off} runs past the end of the file (${bytes.length} bytes)`);
    const data = new Float32Array(t.length);
    for (let i = 0; i < t.length; i++) data[i] = view.getFloat32(off + 4 * i, true);
    off += 4 * t.length;
    if (t.key.startsWith('param:')) params[t.key.slice(6)] = data;
    else if (t.key.startsWith('optim:')) optim[t.key.slice(6)] = data;
    else throw new DataFormatError(`${source}: unknown tensor '${t.key}'`);
  }
  if (off !== bytes.length) throw new DataFormatError(`${source}: ${bytes.length - off} trailing bytes`);
  const { tensors: _t, optimizerStep, ...rest } = header;
  return { ...rest, params, optimizer: { step: optimizerStep, tensors: optim } };
}
