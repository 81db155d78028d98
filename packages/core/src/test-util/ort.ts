/**
 * Test helpers shared by the ONNX import/export tests: run ONNX bytes in onnxruntime-node
 * (1 thread, sessions released after the file's tests) and compare outputs.
 */
import * as ort from 'onnxruntime-node';
import { afterAll, expect } from 'vitest';

/** Returns a runner whose sessions are released when the calling test file finishes. */
export function ortRunner(): (bytes: Uint8Array, x: Float32Array, dims: number[]) => Promise<Float32Array> {
  const sessions: ort.InferenceSession[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.release();
  });
  return async (bytes, x, dims) => {
    const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    sessions.push(s);
    const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, dims) });
    return out[s.outputNames[0]].data as Float32Array;
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
