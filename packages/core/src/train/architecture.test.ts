import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import type { Layer, Network } from '../ir/network.js';
import { importOnnx } from '../onnx/import.js';
import { ARCHITECTURES, buildNetwork, formatArchitecture, parseArchitecture } from './architecture.js';

const tutorial = (file: string): Network => importOnnx(new Uint8Array(readFileSync(new URL(`../../../../../shared/tutorial-models/${file}`, import.meta.url))));

/** Kinds, parameter names and shapes, strides and pads: everything but the weight values. */
const signature = (net: Network) =>
  net.layers.map((l: Layer) => ({
    kind: l.kind,
    ...(l.kind === 'dense' || l.kind === 'conv' ? { weight: [l.weight.name, ...l.weight.shape], bias: [l.bias.name, ...l.bias.shape] } : {}),
    ...(l.kind === 'conv' ? { strides: l.strides, pads: l.pads, dilations: l.dilations } : {}),
  }));

describe('architectures', () => {
  it.each([
    ['mlp', 'dnn2.onnx'],
    ['dnn4', 'dnn4.onnx'],
    ['small', 'small.onnx'],
    ['cnn', 'cnn.onnx'],
    ['cnn', 'cnn_robust.onnx'],
    ['cnn-ibp', 'cnn_robust_ibp.onnx'],
  ])('%s has the layer shapes and parameter names of the released %s', (name, file) => {
    const ours = buildNetwork(name);
    const theirs = tutorial(file);
    expect(ours.inputShape).toEqual(theirs.inputShape);
    expect(signature(ours)).toEqual(signature(theirs));
  });

  it('compact specs, MLP shorthand and JSON parse to the same architecture and round-trip', () => {
    const cnn = parseArchitecture('cnn');
    expect(parseArchitecture(formatArchitecture(cnn))).toEqual(cnn);
    expect(parseArchitecture('in1x28x28, conv32k3p1, relu, conv32k3s2p1, relu, conv64k3p1, relu, conv64k3s2p1, relu, flatten, dense100, relu, dense10')).toEqual(cnn);
    expect(parseArchitecture('784-200-10')).toEqual(parseArchitecture('flatten,dense200,relu,dense10'));
    expect(parseArchitecture('{"input":[1,28,28],"layers":[{"kind":"flatten"},{"kind":"dense","out":10}]}')).toEqual(parseArchitecture('flatten,dense10'));
    expect(parseArchitecture('in3x8x8,conv4k3,maxpool2,flatten,fc10').layers[1]).toEqual({ kind: 'maxpool', kernel: 2, stride: 2 });
    for (const n of Object.keys(ARCHITECTURES)) expect(() => buildNetwork(n)).not.toThrow();
  });

  it('rejects unknown tokens and shapes that do not fit, naming the problem', () => {
    expect(() => parseArchitecture('conv32k3,softmax')).toThrow(/unknown layer token 'softmax'/);
    expect(() => buildNetwork('conv8k3,dense10')).toThrow(/add 'flatten'/);
    expect(() => buildNetwork('flatten,dense10,conv2k3')).toThrow(InvalidArgumentError);
    expect(() => buildNetwork('in1x4x4,conv2k5,flatten,dense2')).toThrow(/does not fit/);
    expect(() => parseArchitecture('')).toThrow(InvalidArgumentError);
  });

  it('PyTorch-default init: U(±1/√fan_in) for weights and biases, seeded', () => {
    const a = buildNetwork('cnn', { seed: 7 });
    const b = buildNetwork('cnn', { seed: 7 });
    const c = buildNetwork('cnn', { seed: 8 });
    for (const [i, l] of a.layers.entries()) {
      if (l.kind !== 'conv' && l.kind !== 'dense') continue;
      const fanIn = l.weight.shape.slice(1).reduce((x, d) => x * d, 1);
      const bound = 1 / Math.sqrt(fanIn);
      for (const p of [l.weight, l.bias]) {
        let sum = 0;
        let sq = 0;
        let max = 0;
        for (const v of p.data) {
          max = Math.max(max, Math.abs(v));
          sum += v;
          sq += v * v;
        }
        expect(max).toBeLessThanOrEqual(bound);
        if (p.data.length > 1000) {
          // Uniform(−B, B): mean 0, variance B²/3.
          expect(Math.abs(sum / p.data.length)).toBeLessThan(0.05 * bound);
          expect(sq / p.data.length / (bound * bound / 3)).toBeCloseTo(1, 1);
        }
      }
      const lb = b.layers[i];
      const lc = c.layers[i];
      if (lb.kind === l.kind && lc.kind === l.kind && (lb.kind === 'conv' || lb.kind === 'dense') && (lc.kind === 'conv' || lc.kind === 'dense')) {
        expect(lb.weight.data).toEqual(l.weight.data);
        expect(lc.weight.data).not.toEqual(l.weight.data);
      }
    }
  });
});
