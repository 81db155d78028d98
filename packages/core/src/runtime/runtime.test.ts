/**
 * createRuntime and the Session wrapper with onnxruntime-node: provider checks (this machine has
 * no CUDA binaries and no WebGPU adapter unless the test finds them), typed feeds and fetches,
 * and the typed errors for bad models, feeds and devices.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ExecutionProviderError, InvalidArgumentError, OnnxParseError, ShapeError } from '../errors.js';
import { DataType, type ModelProto } from '../onnx/types.js';
import { createRuntime, type Runtime } from './index.js';

/** y = x·w + b with w, b initializers; plus ArgMax(y) as int64, to exercise both element types. */
function affineModel(): ModelProto {
  return {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    metadataProps: [],
    graph: {
      name: 'affine',
      node: [
        { opType: 'MatMul', input: ['x', 'w'], output: ['xw'], name: 'mm', attribute: [] },
        { opType: 'Add', input: ['xw', 'b'], output: ['y'], name: 'add', attribute: [] },
        { opType: 'ArgMax', input: ['y'], output: ['k'], name: 'am', attribute: [{ name: 'axis', value: { type: 'int', i: 1 } }, { name: 'keepdims', value: { type: 'int', i: 0 } }] },
        { opType: 'Gather', input: ['y', 'idx'], output: ['g'], name: 'ga', attribute: [{ name: 'axis', value: { type: 'int', i: 1 } }] },
      ],
      initializer: [
        { name: 'w', dims: [2, 3], dataType: DataType.FLOAT, data: Float32Array.of(1, 0, -1, 2, 1, 0) },
        { name: 'b', dims: [3], dataType: DataType.FLOAT, data: Float32Array.of(0.5, 0, 0) },
      ],
      input: [
        { name: 'x', elemType: DataType.FLOAT, shape: ['N', 2] },
        { name: 'idx', elemType: DataType.INT64, shape: [1] },
      ],
      output: [
        { name: 'y', elemType: DataType.FLOAT, shape: ['N', 3] },
        { name: 'k', elemType: DataType.INT64, shape: ['N'] },
        { name: 'g', elemType: DataType.FLOAT, shape: ['N', 1] },
      ],
      valueInfo: [],
    },
  };
}

/** Whether onnxruntime-node's optional CUDA provider library was installed next to its binding. */
function cudaBinariesInstalled(): boolean {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('onnxruntime-node/package.json'));
  return existsSync(join(root, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'));
}

describe('createRuntime', () => {
  it('cpu runtime runs sessions from a ModelProto or bytes', async () => {
    const rt = await createRuntime(ort, { threads: 1 });
    expect(rt.device).toBe('cpu');
    const s = await rt.createSession(affineModel());
    expect([...s.inputNames].sort()).toEqual(['idx', 'x']);
    const out = await s.run({ x: { data: Float32Array.of(1, 2, -1, 0), dims: [2, 2] }, idx: { data: BigInt64Array.of(-1n), dims: [1] } });
    expect(Array.from(out.y.data as Float32Array)).toEqual([5.5, 2, -1, -0.5, 0, 1]);
    expect(out.y.dims).toEqual([2, 3]);
    expect(Array.from(out.k.data as BigInt64Array)).toEqual([0n, 2n]);
    expect(Array.from(out.g.data as Float32Array)).toEqual([-1, 1]);
    const only = await s.run({ x: { data: Float32Array.of(1, 1), dims: [1, 2] }, idx: { data: BigInt64Array.of(0n), dims: [1] } }, ['k']);
    expect(Object.keys(only)).toEqual(['k']);
    await s.dispose();
    await s.dispose();
    await expect(s.run({})).rejects.toThrow(InvalidArgumentError);
  });

  it('feeds that are views into a larger buffer are read from their offset', async () => {
    const rt = await createRuntime(ort, { threads: 1 });
    const s = await rt.createSession(affineModel());
    const big = Float32Array.of(9, 9, 9, 1, 2, -1, 0, 9);
    const out = await s.run({ x: { data: big.subarray(3, 7), dims: [2, 2] }, idx: { data: BigInt64Array.of(0n), dims: [1] } }, ['y']);
    expect(Array.from(out.y.data as Float32Array)).toEqual([5.5, 2, -1, -0.5, 0, 1]);
    await s.dispose();
  });

  it('bad feeds raise typed errors before reaching ORT', async () => {
    const rt = await createRuntime(ort, { threads: 1 });
    const s = await rt.createSession(affineModel());
    const idx = { data: BigInt64Array.of(0n), dims: [1] };
    await expect(s.run({ x: { data: new Float32Array(3), dims: [2, 2] }, idx })).rejects.toThrow(ShapeError);
    await expect(s.run({ idx })).rejects.toThrow(/missing feed 'x'/);
    await expect(s.run({ x: { data: new Float32Array(2), dims: [1, 2] }, idx, extra: idx })).rejects.toThrow(/'extra' is not a session input/);
    await expect(s.run({ x: { data: new Float32Array(2), dims: [1, 2] }, idx }, ['nope'])).rejects.toThrow(InvalidArgumentError);
    await s.dispose();
  });

  it('a model ORT rejects is an OnnxParseError', async () => {
    const rt = await createRuntime(ort, { threads: 1 });
    await expect(rt.createSession(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(OnnxParseError);
    const m = affineModel();
    m.graph.initializer[0].dims = [3, 2];
    await expect(rt.createSession(m)).rejects.toThrow(OnnxParseError);
  });

  it("'cuda' without onnxruntime-node's CUDA binaries is an ExecutionProviderError saying how to install them", async () => {
    if (cudaBinariesInstalled()) {
      // Binaries present: the provider either works or fails for a GPU/driver reason, still typed.
      const made: Runtime | unknown = await createRuntime(ort, { device: 'cuda' }).catch((e: unknown) => e);
      if (made instanceof Error) expect(made).toBeInstanceOf(ExecutionProviderError);
      else expect((made as Runtime).device).toBe('cuda');
      return;
    }
    const err = await createRuntime(ort, { device: 'cuda' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionProviderError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12/);
    expect(msg).toMatch(/--onnxruntime-node-install=cuda12/);
    expect(msg).toMatch(/onlyBuiltDependencies/);
    expect(msg).toMatch(/Failed to load shared library/);
  });

  it("'wasm' in onnxruntime-node points to onnxruntime-web / device cpu", async () => {
    const err = await createRuntime(ort, { device: 'wasm' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionProviderError);
    expect((err as Error).message).toMatch(/onnxruntime-web.*device 'cpu'/);
  });

  it("'webgpu' either runs or fails with ExecutionProviderError asking for a GPU adapter", async () => {
    const made: Runtime | unknown = await createRuntime(ort, { device: 'webgpu' }).catch((e: unknown) => e);
    if (made instanceof Error) {
      expect(made).toBeInstanceOf(ExecutionProviderError);
      expect(made.message).toMatch(/GPU adapter/);
    } else {
      const s = await (made as Runtime).createSession(affineModel());
      const out = await s.run({ x: { data: Float32Array.of(1, 2), dims: [1, 2] }, idx: { data: BigInt64Array.of(0n), dims: [1] } }, ['y']);
      expect(Array.from(out.y.data as Float32Array)).toEqual([5.5, 2, -1]);
      await s.dispose();
    }
  });

  it('an unknown device, a bad thread count or a non-boolean spinWait is an InvalidArgumentError', async () => {
    await expect(createRuntime(ort, { device: 'tpu' as never })).rejects.toThrow(InvalidArgumentError);
    await expect(createRuntime(ort, { threads: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(createRuntime(ort, { threads: 1.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(createRuntime(ort, { spinWait: 'yes' as never })).rejects.toThrow(InvalidArgumentError);
  });

  it('runs sessions with intra-op spin-waiting on (ORT default) and off (minmax default)', async () => {
    for (const spinWait of [true, false, undefined]) {
      const rt = await createRuntime(ort, { threads: 1, spinWait });
      const s = await rt.createSession(affineModel());
      const out = await s.run({ x: { data: Float32Array.of(1, 2), dims: [1, 2] }, idx: { data: BigInt64Array.of(0n), dims: [1] } }, ['y']);
      expect(Array.from(out.y.data as Float32Array)).toEqual([5.5, 2, -1]);
      await s.dispose();
    }
  });
});
