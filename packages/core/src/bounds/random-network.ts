/**
 * Small random networks covering every layer kind bound propagation supports, for the
 * conformance suite: each layer's output shape comes from the shared plan, so builders only say
 * what to append. Parameters are float32 like imported networks.
 */
import type { Rng } from '../data/rng.js';
import type { Layer, Network, Param } from '../ir/network.js';
import { planIntervalNetwork } from './plan.js';

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

export class NetBuilder {
  readonly layers: Layer[] = [];
  private count = 0;

  constructor(
    private readonly rng: Rng,
    readonly inputShape: number[],
  ) {}

  /** Current per-example shape (after the last layer). */
  get shape(): readonly number[] {
    return planIntervalNetwork(this.build()).outputShape;
  }

  private param(kind: string, shape: number[], scale: number): Param {
    const data = new Float32Array(prod(shape));
    for (let i = 0; i < data.length; i++) {
      // Some exact zeros: sign-dependent selection must treat w = 0 like any other weight.
      data[i] = this.rng.float() < 0.05 ? 0 : this.rng.normal() * scale;
    }
    return { name: `p${this.count}.${kind}`, shape, data };
  }

  private name(kind: string): string {
    return `${kind}_${this.count++}`;
  }

  dense(out: number): this {
    const inp = prod(this.shape);
    const name = this.name('dense');
    this.layers.push({ kind: 'dense', name, weight: this.param('weight', [out, inp], 1 / Math.sqrt(inp)), bias: this.param('bias', [out], 0.1) });
    return this;
  }

  conv(
    outC: number,
    kernel: [number, number],
    strides: [number, number] = [1, 1],
    pads: [number, number, number, number] = [0, 0, 0, 0],
    dilations: [number, number] = [1, 1],
  ): this {
    const inC = this.shape[0]!;
    const fanIn = inC * kernel[0] * kernel[1];
    const name = this.name('conv');
    this.layers.push({
      kind: 'conv',
      name,
      weight: this.param('weight', [outC, inC, kernel[0], kernel[1]], 1 / Math.sqrt(fanIn)),
      bias: this.param('bias', [outC], 0.1),
      strides,
      pads,
      dilations,
    });
    return this;
  }

  relu(): this {
    this.layers.push({ kind: 'relu', name: this.name('relu') });
    return this;
  }

  flatten(): this {
    this.layers.push({ kind: 'flatten', name: this.name('flatten') });
    return this;
  }

  reshape(shape: number[]): this {
    this.layers.push({ kind: 'reshape', name: this.name('reshape'), shape });
    return this;
  }

  /** scale/shift of the given (broadcastable) shape; scales may be negative. */
  affine(paramShape: number[]): this {
    const name = this.name('affine');
    this.layers.push({ kind: 'affine', name, scale: this.param('scale', paramShape, 1), shift: this.param('shift', paramShape, 0.5) });
    return this;
  }

  avgpool(kernel: [number, number], strides: [number, number], pads: [number, number, number, number], countIncludePad: boolean): this {
    this.layers.push({ kind: 'avgpool', name: this.name('avgpool'), kernel, strides, pads, countIncludePad });
    return this;
  }

  maxpool(kernel: [number, number]): this {
    this.layers.push({ kind: 'maxpool', name: this.name('maxpool'), kernel, strides: kernel, pads: [0, 0, 0, 0], countIncludePad: false });
    return this;
  }

  build(): Network {
    return { inputName: 'input', inputShape: this.inputShape.slice(), outputName: 'logits', layers: this.layers.slice(), metadata: {} };
  }
}

/** Named small networks: an MLP, and conv nets exercising stride, asymmetric padding, dilation, pooling, affine, reshape. */
export function conformanceNetworks(rng: Rng): { name: string; net: Network }[] {
  const mlp = new NetBuilder(rng, [7]).dense(9).relu().dense(5).relu().dense(3).build();
  const conv = new NetBuilder(rng, [2, 7, 7])
    .affine([2, 1, 1])
    .conv(3, [3, 3], [2, 2], [1, 1, 1, 1])
    .relu()
    .conv(4, [2, 2], [1, 1], [0, 1, 1, 0])
    .relu()
    .avgpool([2, 2], [1, 1], [1, 1, 0, 0], false)
    .flatten()
    .dense(6)
    .relu()
    .dense(3)
    .build();
  const mixed = new NetBuilder(rng, [1, 8, 6])
    .conv(2, [3, 2], [1, 2], [2, 1, 0, 1], [2, 1])
    .affine([2, 6, 4])
    .relu()
    .avgpool([3, 3], [2, 2], [1, 1, 1, 1], true)
    .flatten()
    .affine([])
    .dense(5)
    .relu()
    .reshape([5, 1, 1])
    .conv(3, [1, 1])
    .flatten()
    .build();
  return [
    { name: 'mlp', net: mlp },
    { name: 'conv (stride 2, padding, avgpool, per-channel affine)', net: conv },
    { name: 'mixed (dilation, asymmetric padding, count_include_pad, reshape, scalar affine)', net: mixed },
  ];
}

/** A wider MLP (MNIST-sized input) for engine agreement where exact arithmetic would be slow. */
export function wideNetwork(rng: Rng): Network {
  return new NetBuilder(rng, [1, 28, 28]).flatten().dense(64).relu().dense(33).relu().dense(10).build();
}
