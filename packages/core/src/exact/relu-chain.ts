/**
 * A Network as the alternation the MIP/LP encodings need: affine map → ReLU → affine map → … →
 * affine map. Every run of linear layers between two ReLUs (dense, conv unrolled to sparse rows,
 * affine normalisation, average pooling, flatten/reshape as the identity on row-major data) is
 * composed into one sparse map, so a normalisation layer in front of the first Linear costs no
 * variables. Max pooling is refused: it needs its own disjunctive encoding.
 */
import { InvalidArgumentError, UnsupportedOpError } from '../errors.js';
import type { Network } from '../ir/network.js';
import {
  assertFiniteParam,
  broadcastParam,
  planIntervalNetwork,
  type AffineStep,
  type AvgPoolStep,
  type ConvStep,
  type DenseStep,
} from '../bounds/plan.js';
import { CsrBuilder, denseToCsr, identityCsr, multiplyCsr, multiplyVector, type Csr } from './sparse.js';

/** y = A x + b. */
export interface AffineSegment {
  readonly map: Csr;
  readonly bias: Float64Array;
}

export interface ReluChain {
  readonly inputShape: readonly number[];
  readonly inputSize: number;
  readonly outputSize: number;
  /**
   * segments[k] maps activation k (k = 0: the input; k ≥ 1: the output of ReLU layer k−1) to the
   * pre-activation of ReLU layer k, and the last one to the network output.
   */
  readonly segments: readonly AffineSegment[];
  /** Index into net.layers of each ReLU layer (for mapping bounds computed per network layer). */
  readonly reluLayers: readonly number[];
  /** Index into net.layers of the layer whose output is the pre-activation of each ReLU layer (−1: the input). */
  readonly preactLayers: readonly number[];
}

/** Number of ReLU layers. */
export const reluDepth = (chain: ReluChain): number => chain.segments.length - 1;

function denseMap(s: DenseStep): AffineSegment {
  assertFiniteParam(s.weight, s.name);
  assertFiniteParam(s.bias, s.name);
  return { map: denseToCsr(s.weight.data, s.outSize, s.inSize), bias: Float64Array.from(s.bias.data) };
}

function convMap(s: ConvStep): AffineSegment {
  assertFiniteParam(s.weight, s.name);
  assertFiniteParam(s.bias, s.name);
  const g = s.geometry;
  const w = s.weight.data;
  const b = new CsrBuilder(s.inSize);
  const bias = new Float64Array(s.outSize);
  let row = 0;
  for (let o = 0; o < g.outC; o++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        bias[row++] = s.bias.data[o]!;
        // Column order ci, ky, kx is ascending in the input index (CHW, strides and dilations ≥ 1).
        for (let ci = 0; ci < g.inC; ci++) {
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
            if (iy < 0 || iy >= g.inH) continue;
            for (let kx = 0; kx < g.kW; kx++) {
              const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
              if (ix < 0 || ix >= g.inW) continue;
              b.push((ci * g.inH + iy) * g.inW + ix, w[((o * g.inC + ci) * g.kH + ky) * g.kW + kx]!);
            }
          }
        }
        b.endRow();
      }
    }
  }
  return { map: b.build(), bias };
}

function affineMap(s: AffineStep): AffineSegment {
  assertFiniteParam(s.scale, s.name);
  assertFiniteParam(s.shift, s.name);
  const scale = broadcastParam(s.scale, s.shape, s.name);
  const shift = broadcastParam(s.shift, s.shape, s.name);
  const b = new CsrBuilder(s.inSize);
  for (let i = 0; i < s.outSize; i++) {
    b.push(i, scale[i]!);
    b.endRow();
  }
  return { map: b.build(), bias: shift };
}

function avgPoolMap(s: AvgPoolStep): AffineSegment {
  const g = s.geometry;
  const b = new CsrBuilder(s.inSize);
  for (let c = 0; c < g.channels; c++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const cells: number[] = [];
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = oy * g.strideH - g.padTop + ky;
          if (iy < 0 || iy >= g.inH) continue;
          for (let kx = 0; kx < g.kW; kx++) {
            const ix = ox * g.strideW - g.padLeft + kx;
            if (ix >= 0 && ix < g.inW) cells.push((c * g.inH + iy) * g.inW + ix);
          }
        }
        const div = g.countIncludePad ? g.kH * g.kW : cells.length;
        for (const cell of cells) b.push(cell, 1 / div);
        b.endRow();
      }
    }
  }
  return { map: b.build(), bias: new Float64Array(s.outSize) };
}

/** (B, c) ∘ (A, a) = (B·A, B·a + c). */
function compose(outer: AffineSegment, inner: AffineSegment): AffineSegment {
  return { map: multiplyCsr(outer.map, inner.map), bias: multiplyVector(outer.map, inner.bias, outer.bias) };
}

/** Builds the chain; throws UnsupportedOpError for layers without an exact linear/ReLU encoding. */
export function reluChain(net: Network): ReluChain {
  const plan = planIntervalNetwork(net);
  if (net.layers.some((l) => l.kind === 'maxpool')) {
    const l = net.layers.find((x) => x.kind === 'maxpool')!;
    throw new UnsupportedOpError('MaxPool', l.name, 'exact verification encodes dense, conv, relu, flatten, reshape, affine and avgpool layers');
  }
  const segments: AffineSegment[] = [];
  const reluLayers: number[] = [];
  const preactLayers: number[] = [];
  let size = plan.inputSize;
  let current: AffineSegment | undefined;
  for (const step of plan.steps) {
    let next: AffineSegment | undefined;
    switch (step.op) {
      case 'dense':
        next = denseMap(step);
        break;
      case 'conv':
        next = convMap(step);
        break;
      case 'affine':
        next = affineMap(step);
        break;
      case 'avgpool':
        next = avgPoolMap(step);
        break;
      case 'reshape':
        break;
      case 'relu':
        segments.push(current ?? { map: identityCsr(size), bias: new Float64Array(size) });
        reluLayers.push(step.layer);
        preactLayers.push(step.layer - 1);
        current = undefined;
        break;
    }
    if (next) current = current ? compose(next, current) : next;
    size = step.outSize;
  }
  segments.push(current ?? { map: identityCsr(size), bias: new Float64Array(size) });
  if (plan.outputSize === 0) throw new InvalidArgumentError('network has an empty output');
  return { inputShape: plan.inputShape, inputSize: plan.inputSize, outputSize: plan.outputSize, segments, reluLayers, preactLayers };
}

/** Forward pass through the chain in float64 (an independent check of the encoding). */
export function chainForward(chain: ReluChain, x: ArrayLike<number>): Float64Array {
  let a: ArrayLike<number> = x;
  const k = chain.segments.length;
  for (let i = 0; i < k; i++) {
    const s = chain.segments[i]!;
    const y = multiplyVector(s.map, a, s.bias);
    if (i < k - 1) for (let j = 0; j < y.length; j++) y[j] = Math.max(0, y[j]!);
    a = y;
  }
  return a as Float64Array;
}
