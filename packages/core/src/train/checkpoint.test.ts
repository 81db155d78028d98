import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { loadCheckpoint, saveCheckpoint, writeFileAtomic } from '../node/checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint, type TrainingCheckpoint } from './checkpoint.js';
import { resolveTrainConfig } from './config.js';

const sample = (): TrainingCheckpoint => ({
  config: resolveTrainConfig({ method: 'fgsm-rs', arch: 'mlp', epochs: 3 }),
  epochsDone: 2,
  params: { '1.weight': Float32Array.of(1.5, -2, Math.fround(0.1)), '1.bias': Float32Array.of(3) },
  optimizer: { step: 7, tensors: { 'adam.m:1.bias': Float32Array.of(0.25), 'adam.v:1.bias': Float32Array.of(1e-9) } },
  shuffleState: [1, 2, 3, 4294967295],
  history: [],
  seconds: 12.5,
  guardAccuracy: 0.75,
});

describe('training checkpoints', () => {
  it('encode → decode is the identity, bit for bit', () => {
    const c = sample();
    const d = decodeCheckpoint(encodeCheckpoint(c));
    expect(d).toEqual(c);
    expect(d.params['1.weight']).toEqual(c.params['1.weight']);
  });

  it('malformed bytes are DataFormatErrors naming the problem', () => {
    const bytes = encodeCheckpoint(sample());
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4), 'x.ckpt')).toThrow(/x\.ckpt: tensor .* runs past the end/);
    const bad = bytes.slice();
    bad[0] = 0;
    expect(() => decodeCheckpoint(bad)).toThrow(DataFormatError);
  });

  it('are written atomically: no temporary files are left and the target holds the new bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minmax-ckpt-'));
    const file = join(dir, 'run.onnx.ckpt');
    expect(loadCheckpoint(file)).toBeUndefined();
    saveCheckpoint(file, sample());
    const next = { ...sample(), epochsDone: 3 };
    saveCheckpoint(file, next);
    expect(loadCheckpoint(file)?.epochsDone).toBe(3);
    expect(readdirSync(dir)).toEqual(['run.onnx.ckpt']);
    writeFileAtomic(join(dir, 'a.bin'), Uint8Array.of(1, 2, 3));
    expect(Array.from(readFileSync(join(dir, 'a.bin')))).toEqual([1, 2, 3]);
  });
});
