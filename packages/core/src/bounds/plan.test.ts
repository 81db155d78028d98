import { describe, expect, it } from 'vitest';
import { Rng } from '../data/rng.js';
import { ShapeError, UnsupportedOpError } from '../errors.js';
import { layerShapes } from '../ir/shapes.js';
import { forwardLayers64 } from '../ir/forward.js';
import { exactForward } from './exact-network.js';
import { broadcastParam, planIntervalNetwork, planSignature } from './plan.js';
import { conformanceNetworks, NetBuilder } from './random-network.js';

describe('planIntervalNetwork', () => {
  it('agrees with the IR shape inference on every conformance network', () => {
    for (const { net } of conformanceNetworks(new Rng(5))) {
      const plan = planIntervalNetwork(net);
      expect(plan.shapes).toEqual(layerShapes(net).slice(1));
      expect(plan.maxSize).toBe(Math.max(...layerShapes(net).map((s) => s.reduce((a, b) => a * b, 1))));
    }
  });

  it('gives the exact forward pass the semantics of the independent float64 forward pass (ir/forward.ts)', () => {
    const rng = new Rng(6);
    for (const { net } of conformanceNetworks(new Rng(5))) {
      const size = net.inputShape.reduce((a, b) => a * b, 1);
      const x = Float64Array.from({ length: size }, () => rng.float());
      const exact = exactForward(net, x);
      const float = forwardLayers64(net, x, 1).slice(1);
      exact.forEach((acts, li) => {
        const f = float[li]!;
        expect(acts.length).toBe(f.length);
        const scale = 1 + Math.max(...Array.from(f, Math.abs));
        acts.forEach((v, k) => expect(Math.abs(v.toNumber() - f[k]!)).toBeLessThan(1e-12 * scale));
      });
    }
  });

  it('rejects maxpool and malformed layers with typed errors', () => {
    const rng = new Rng(7);
    expect(() => planIntervalNetwork(new NetBuilder(rng, [1, 4, 4]).maxpool([2, 2]).build())).toThrow(UnsupportedOpError);
    expect(() => planIntervalNetwork(new NetBuilder(rng, [6]).reshape([4, -1]).build())).toThrow(ShapeError);
    const pool = new NetBuilder(rng, [1, 4, 4]).avgpool([2, 2], [1, 1], [2, 0, 0, 0], false).layers;
    expect(() => planIntervalNetwork({ inputName: 'x', inputShape: [1, 4, 4], outputName: 'y', layers: pool, metadata: {} })).toThrow(/pads/);
    expect(() => planIntervalNetwork(new NetBuilder(rng, [1, 2, 2]).conv(1, [3, 3]).build())).toThrow(ShapeError);
  });

  it('signature depends on structure, not parameter values', () => {
    const a = new NetBuilder(new Rng(8), [1, 5, 5]).conv(2, [3, 3], [2, 2], [1, 1, 1, 1]).flatten().dense(3).build();
    const b = new NetBuilder(new Rng(9), [1, 5, 5]).conv(2, [3, 3], [2, 2], [1, 1, 1, 1]).flatten().dense(3).build();
    const c = new NetBuilder(new Rng(8), [1, 5, 5]).conv(2, [3, 3], [1, 1], [1, 1, 1, 1]).flatten().dense(3).build();
    expect(planSignature(planIntervalNetwork(a))).toBe(planSignature(planIntervalNetwork(b)));
    expect(planSignature(planIntervalNetwork(a))).not.toBe(planSignature(planIntervalNetwork(c)));
  });
});

describe('broadcastParam', () => {
  const p = (shape: number[], data: number[]) => ({ name: 'p', shape, data: Float32Array.from(data) });
  it('broadcasts scalars, per-channel and full shapes (ONNX right alignment)', () => {
    expect(Array.from(broadcastParam(p([], [2]), [2, 1, 2], 'l'))).toEqual([2, 2, 2, 2]);
    expect(Array.from(broadcastParam(p([2, 1, 1], [1, 3]), [2, 1, 2], 'l'))).toEqual([1, 1, 3, 3]);
    expect(Array.from(broadcastParam(p([1, 2, 1, 1], [1, 3]), [2, 1, 2], 'l'))).toEqual([1, 1, 3, 3]);
    expect(Array.from(broadcastParam(p([2], [5, 6]), [2, 1, 2], 'l'))).toEqual([5, 6, 5, 6]);
    expect(Array.from(broadcastParam(p([2, 1, 2], [1, 2, 3, 4]), [2, 1, 2], 'l'))).toEqual([1, 2, 3, 4]);
  });
  it('rejects shapes that do not broadcast', () => {
    expect(() => broadcastParam(p([3], [1, 2, 3]), [2, 1, 2], 'l')).toThrow(ShapeError);
    expect(() => broadcastParam(p([2, 2, 1, 1], [1, 2, 3, 4]), [2, 1, 2], 'l')).toThrow(ShapeError);
  });
});
