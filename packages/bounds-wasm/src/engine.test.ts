import { readFileSync } from 'node:fs';
import { intervalConformanceCases, importOnnx, linfBox, tutorialIbpFixtures } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { describe, expect, it } from 'vitest';
import { createWasmIntervalEngine, createWasmIntervalEngineSync } from './engine.js';

const modelDir = new URL('../../../../shared/tutorial-models/', import.meta.url);

const fixtures = tutorialIbpFixtures(await loadMnist('test'), (file) => importOnnx(new Uint8Array(readFileSync(new URL(file, modelDir)))));

describe('wasm interval engine: conformance', () => {
  for (const c of intervalConformanceCases(() => createWasmIntervalEngine(), { fixtures })) it(c.name, c.run);
});

describe('wasm interval engine: memory', () => {
  it('grows linear memory at most once per prepared network and never during ibp', () => {
    const engine = createWasmIntervalEngineSync();
    const net = fixtures[1]!.network;
    const before = engine.memoryStats();
    const prepared = engine.prepare(net, { maxBatch: 4 });
    const afterPrepare = engine.memoryStats();
    expect(afterPrepare.growCount - before.growCount).toBeLessThanOrEqual(1);
    expect(afterPrepare.usedBytes).toBeGreaterThan(0);
    const box = linfBox(new Float32Array(4 * 784).fill(0.5), 0.05, { clamp: [0, 1] });
    for (let k = 0; k < 3; k++) prepared.ibp(box.lower, box.upper, 4, { layers: 'all' });
    prepared.ibp(box.lower.subarray(0, 784), box.upper.subarray(0, 784), 1);
    expect(engine.memoryStats()).toEqual(afterPrepare);
    prepared.dispose();
    expect(engine.memoryStats().usedBytes).toBe(before.usedBytes);
    // The freed block is reused: preparing again does not grow memory.
    const again = engine.prepare(net, { maxBatch: 4 });
    expect(engine.memoryStats().growCount).toBe(afterPrepare.growCount);
    again.dispose();
    engine.dispose();
    expect(() => engine.memoryStats()).toThrow(/disposed/);
  });

  it('frees the temporary block of a one-off linear()', () => {
    const engine = createWasmIntervalEngineSync();
    const map = { weight: new Float64Array(12).fill(1), bias: new Float64Array(3), outDim: 3, inDim: 4 };
    const box = new Float64Array(8);
    engine.linear(map, box, box, 2);
    const stats = engine.memoryStats();
    engine.linear(map, box, box, 2);
    expect(engine.memoryStats()).toEqual({ ...stats, usedBytes: 0 });
    engine.dispose();
  });
});
