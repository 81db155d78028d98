import { describe, expect, it } from 'vitest';
import { Rng } from '../data/rng.js';
import { UnsupportedOpError } from '../errors.js';
import { forward64 } from '../ir/forward.js';
import { conformanceNetworks, NetBuilder } from '../bounds/random-network.js';
import { chainForward, reluChain, reluDepth } from './relu-chain.js';
import { chainInterval, intervalSpecBound } from './interval.js';

describe('reluChain', () => {
  it('computes the same function as the float64 reference forward pass (dense, conv, affine, avgpool, reshape)', () => {
    const rng = new Rng(7);
    for (const { name, net } of conformanceNetworks(rng)) {
      const chain = reluChain(net);
      for (let s = 0; s < 5; s++) {
        const x = Float64Array.from({ length: chain.inputSize }, () => rng.normal());
        const want = forward64(net, x, 1);
        const got = chainForward(chain, x);
        expect(got.length, name).toBe(want.length);
        for (let i = 0; i < want.length; i++) expect(got[i], `${name} output ${i}`).toBeCloseTo(want[i]!, 10);
      }
    }
  });

  it('folds consecutive linear layers into one segment per ReLU layer', () => {
    const rng = new Rng(1);
    const net = new NetBuilder(rng, [1, 6, 6]).affine([]).conv(2, [3, 3]).flatten().dense(5).relu().dense(4).relu().relu().dense(3).build();
    const chain = reluChain(net);
    // affine∘conv∘flatten∘dense | relu | dense | relu | (identity) | relu | dense
    expect(reluDepth(chain)).toBe(3);
    expect(chain.segments.map((s) => [s.map.rows, s.map.cols])).toEqual([[5, 36], [4, 5], [4, 4], [3, 4]]);
    expect(chain.preactLayers).toEqual([3, 5, 6]);
  });

  it('refuses max pooling', () => {
    const net = new NetBuilder(new Rng(2), [1, 4, 4]).flatten().dense(4).relu().reshape([1, 2, 2]).maxpool([2, 2]).build();
    expect(() => reluChain(net)).toThrow(UnsupportedOpError);
  });
});

describe('chain interval bounds', () => {
  it('contain every sampled point, and the margin bound is ≤ every sampled margin', () => {
    const rng = new Rng(3);
    for (const { name, net } of conformanceNetworks(rng)) {
      const chain = reluChain(net);
      const center = Float64Array.from({ length: chain.inputSize }, () => rng.normal());
      const lower = center.map((v) => v - 0.3);
      const upper = center.map((v) => v + 0.3);
      const b = chainInterval(chain, lower, upper);
      const c = new Float64Array(chain.outputSize);
      c[0] = 1;
      c[chain.outputSize - 1] = -1;
      const spec = intervalSpecBound(chain, b, c, 0.25);
      for (let s = 0; s < 200; s++) {
        const x = center.map((v) => v + (rng.float() * 2 - 1) * 0.3);
        const y = chainForward(chain, x);
        for (let o = 0; o < y.length; o++) {
          expect(y[o]!, name).toBeGreaterThanOrEqual(b.output.lower[o]!);
          expect(y[o]!, name).toBeLessThanOrEqual(b.output.upper[o]!);
        }
        expect(y[0]! - y[chain.outputSize - 1]! + 0.25).toBeGreaterThanOrEqual(spec);
      }
    }
  });
});
