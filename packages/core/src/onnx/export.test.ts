import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { forward64 } from '../ir/forward.js';
import { makeRng as rng } from '../test-util/autodiff.js';
import { maxAbs, maxAbsDiff, ortRunner } from '../test-util/ort.js';
import type { Network } from '../ir/network.js';
import { exportOnnx, saveOnnx } from './export.js';
import { importOnnx } from './import.js';
import { decodeModel } from './proto.js';

const TUTORIAL = new URL('../../../../../shared/tutorial-models/', import.meta.url);
const FIXTURES = new URL('../../fixtures/onnx/', import.meta.url);

const runOrt = ortRunner();

function input(net: Network, n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n * net.inputShape.reduce((a, b) => a * b, 1) }, () => r());
}

describe('exportOnnx / saveOnnx', () => {
  for (const name of ['dnn2', 'dnn4', 'small', 'cnn', 'cnn_robust_ibp']) {
    it(`${name}: exported bytes give the original model's logits in plain ONNX Runtime`, async () => {
      const original = new Uint8Array(readFileSync(new URL(`${name}.onnx`, TUTORIAL)));
      const net = importOnnx(original);
      net.metadata = { 'minmax.source': name, 'minmax.epsilon': '0.1' };
      const exported = saveOnnx(net);
      for (const n of [1, 3]) {
        const x = input(net, n, 11 + n);
        const a = await runOrt(original, x, [n, ...net.inputShape]);
        const b = await runOrt(exported, x, [n, ...net.inputShape]);
        expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-6 * Math.max(1, maxAbs(a)));
      }
      const back = importOnnx(exported);
      expect(back.metadata).toEqual(net.metadata);
      expect(back.layers).toEqual(net.layers);
    });
  }

  it('writes opset 17, IR 8, producer minmax, a symbolic batch and metadata_props', () => {
    const net = importOnnx(new Uint8Array(readFileSync(new URL('dnn2.onnx', TUTORIAL))));
    net.metadata = { a: '1', b: 'two' };
    const m = decodeModel(saveOnnx(net));
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(m.producerName).toBe('minmax');
    expect(m.graph.input).toEqual([{ name: 'input', elemType: 1, shape: ['N', 1, 28, 28] }]);
    expect(m.graph.output).toEqual([{ name: 'logits', elemType: 1, shape: ['N', 10] }]);
    expect(m.metadataProps).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'two' },
    ]);
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Flatten', 'Gemm', 'Relu', 'Gemm']);
    expect(m.graph.initializer.map((t) => t.name).sort()).toEqual(['1.bias', '1.weight', '3.bias', '3.weight']);
  });

  const fixtureNames = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((n) => JSON.parse(readFileSync(new URL(`${n}.json`, FIXTURES), 'utf8')).expect === 'supported');
  for (const name of fixtureNames) {
    it(`fixture ${name}: export runs in ORT, matches forward64, and re-imports to the same layers`, async () => {
      const net = importOnnx(new Uint8Array(readFileSync(new URL(`${name}.onnx`, FIXTURES))));
      const exported = saveOnnx(net);
      const x = input(net, 3, 5);
      const ref = forward64(net, x, 3);
      const got = await runOrt(exported, x, [3, ...net.inputShape]);
      expect(maxAbsDiff(got, ref)).toBeLessThan(1e-5 * Math.max(1, maxAbs(ref)));
      expect(importOnnx(exported).layers).toEqual(net.layers);
    });
  }

  it('reshape layers export as Reshape [-1, ...shape] and an empty network as Identity', async () => {
    const net: Network = {
      inputName: 'x',
      inputShape: [2, 3, 4],
      outputName: 'y',
      layers: [
        { kind: 'reshape', name: 'r', shape: [6, 4] },
        { kind: 'relu', name: 'relu' },
      ],
      metadata: {},
    };
    const m = exportOnnx(net);
    const shapeInit = m.graph.initializer.find((t) => t.name === 'r.shape')!;
    expect(Array.from(shapeInit.data as BigInt64Array, Number)).toEqual([-1, 6, 4]);
    const x = Float32Array.from({ length: 48 }, (_, i) => i - 20);
    const y = await runOrt(saveOnnx(net), x, [2, 2, 3, 4]);
    expect(Array.from(y)).toEqual(Array.from(x, (v) => Math.max(v, 0)));
    const empty: Network = { ...net, layers: [] };
    expect(Array.from(await runOrt(saveOnnx(empty), x, [2, 2, 3, 4]))).toEqual(Array.from(x));
  });

  it('rejects inconsistent networks', () => {
    const w = { name: 'w', shape: [2, 3], data: new Float32Array(6) };
    const bad: Network = {
      inputName: 'x',
      inputShape: [4],
      outputName: 'y',
      layers: [{ kind: 'dense', name: 'd', weight: w, bias: { name: 'b', shape: [2], data: new Float32Array(2) } }],
      metadata: {},
    };
    expect(() => exportOnnx(bad)).toThrow(ShapeError);
    const clash: Network = {
      ...bad,
      inputShape: [3],
      layers: [
        { kind: 'dense', name: 'd1', weight: { name: 'w', shape: [3, 3], data: new Float32Array(9) }, bias: { name: 'b', shape: [3], data: new Float32Array(3) } },
        { kind: 'dense', name: 'd2', weight: { name: 'w', shape: [3, 3], data: new Float32Array(9) }, bias: { name: 'b2', shape: [3], data: new Float32Array(3) } },
      ],
    };
    expect(() => exportOnnx(clash)).toThrow(InvalidArgumentError);
  });
});
