/**
 * A Network resolved for bound propagation: every layer's output shape and the geometry of its
 * convolution/pooling, validated once, shared by all engines so they agree on semantics (ONNX
 * opset-17 Conv/AveragePool with floor output sizes).
 */
import { InvalidArgumentError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Layer, Network, Param } from '../ir/network.js';
import { layerOutputShape, layerShapes } from '../ir/shapes.js';
import { MAX_DOT_LENGTH } from './float.js';

export interface ConvGeometry {
  readonly inC: number;
  readonly inH: number;
  readonly inW: number;
  readonly outC: number;
  readonly outH: number;
  readonly outW: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilationH: number;
  readonly dilationW: number;
}

export interface PoolGeometry {
  readonly channels: number;
  readonly inH: number;
  readonly inW: number;
  readonly outH: number;
  readonly outW: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
  /** Divisor is kH·kW (true) or the number of window cells inside the input (false). */
  readonly countIncludePad: boolean;
}

interface StepBase {
  /** Index into net.layers. */
  readonly layer: number;
  readonly name: string;
  readonly inSize: number;
  readonly outSize: number;
}

export interface DenseStep extends StepBase {
  readonly op: 'dense';
  readonly weight: Param;
  readonly bias: Param;
}
export interface ConvStep extends StepBase {
  readonly op: 'conv';
  readonly geometry: ConvGeometry;
  readonly weight: Param;
  readonly bias: Param;
}
export interface ReluStep extends StepBase {
  readonly op: 'relu';
}
/** scale/shift broadcast to the full per-example shape by `broadcastParam`. */
export interface AffineStep extends StepBase {
  readonly op: 'affine';
  readonly shape: readonly number[];
  readonly scale: Param;
  readonly shift: Param;
}
export interface AvgPoolStep extends StepBase {
  readonly op: 'avgpool';
  readonly geometry: PoolGeometry;
}
/** Flatten and Reshape: the row-major data is unchanged. */
export interface ReshapeStep extends StepBase {
  readonly op: 'reshape';
}

export type IntervalStep = DenseStep | ConvStep | ReluStep | AffineStep | AvgPoolStep | ReshapeStep;

export interface IntervalPlan {
  readonly inputShape: readonly number[];
  readonly inputSize: number;
  /** One step per layer, steps[i].layer === i. */
  readonly steps: readonly IntervalStep[];
  /** Output shape of each layer. */
  readonly shapes: readonly (readonly number[])[];
  readonly outputShape: readonly number[];
  readonly outputSize: number;
  /** Largest per-example tensor size (input or any layer output). */
  readonly maxSize: number;
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Rejects non-finite parameters: no sound bound exists through an infinite or NaN weight. */
export function assertFiniteParam(p: Param, layer: string): void {
  const d = p.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      throw new InvalidArgumentError(`layer '${layer}': parameter '${p.name}' has a non-finite value ${d[i]} at index ${i}`);
    }
  }
}

/**
 * `p` broadcast (ONNX multidirectional, right-aligned) to `shape`, as float64. Leading size-1
 * dimensions beyond the rank of `shape` are allowed (a batch dimension of 1).
 */
export function broadcastParam(p: Param, shape: readonly number[], layer: string): Float64Array {
  const ps = p.shape.slice();
  while (ps.length > shape.length && ps[0] === 1) ps.shift();
  if (ps.length > shape.length || prod(p.shape) !== p.data.length) {
    throw new ShapeError(`layer '${layer}': parameter '${p.name}' of shape ${fmt(p.shape)} does not broadcast to ${fmt(shape)}`);
  }
  const aligned = new Array<number>(shape.length - ps.length).fill(1).concat(ps);
  const strides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (aligned[d] === shape[d]) strides[d] = stride;
    else if (aligned[d] !== 1) {
      throw new ShapeError(`layer '${layer}': parameter '${p.name}' of shape ${fmt(p.shape)} does not broadcast to ${fmt(shape)}`);
    }
    stride *= aligned[d]!;
  }
  const size = prod(shape);
  const out = new Float64Array(size);
  const idx = new Array<number>(shape.length).fill(0);
  let src = 0;
  for (let i = 0; i < size; i++) {
    out[i] = p.data[src]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      src += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      src -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

function planLayer(layer: Layer, index: number, inShape: readonly number[]): { step: IntervalStep; shape: number[] } {
  if (layer.kind === 'maxpool') {
    throw new UnsupportedOpError(
      'MaxPool',
      layer.name,
      'interval/linear bound propagation supports dense, conv, relu, flatten, reshape, affine and avgpool layers',
    );
  }
  // The IR's shape inference validates every parameter and window against its input.
  const shape = layerOutputShape(layer, inShape);
  const base = { layer: index, name: layer.name, inSize: prod(inShape), outSize: prod(shape) };
  switch (layer.kind) {
    case 'dense':
      if (base.inSize > MAX_DOT_LENGTH) throw new ShapeError(`layer '${layer.name}': ${base.inSize} inputs exceed the supported ${MAX_DOT_LENGTH}`);
      return { step: { ...base, op: 'dense', weight: layer.weight, bias: layer.bias }, shape };
    case 'conv': {
      const [outC, inC, kH, kW] = layer.weight.shape as [number, number, number, number];
      if (inC * kH * kW > MAX_DOT_LENGTH) throw new ShapeError(`layer '${layer.name}': conv fan-in exceeds ${MAX_DOT_LENGTH}`);
      const geometry: ConvGeometry = {
        inC, inH: inShape[1]!, inW: inShape[2]!, outC, outH: shape[1]!, outW: shape[2]!, kH, kW,
        strideH: layer.strides[0], strideW: layer.strides[1],
        padTop: layer.pads[0], padLeft: layer.pads[1],
        dilationH: layer.dilations[0], dilationW: layer.dilations[1],
      };
      return { step: { ...base, op: 'conv', geometry, weight: layer.weight, bias: layer.bias }, shape };
    }
    case 'relu':
      return { step: { ...base, op: 'relu' }, shape };
    case 'flatten':
    case 'reshape':
      return { step: { ...base, op: 'reshape' }, shape };
    case 'affine':
      return { step: { ...base, op: 'affine', shape: inShape.slice(), scale: layer.scale, shift: layer.shift }, shape };
    case 'avgpool': {
      // layerOutputShape enforces pads < kernel, so every window holds an input cell (divisor > 0).
      if (layer.kernel[0] * layer.kernel[1] > MAX_DOT_LENGTH) throw new ShapeError(`layer '${layer.name}': avgpool window exceeds ${MAX_DOT_LENGTH}`);
      const geometry: PoolGeometry = {
        channels: inShape[0]!, inH: inShape[1]!, inW: inShape[2]!, outH: shape[1]!, outW: shape[2]!,
        kH: layer.kernel[0], kW: layer.kernel[1],
        strideH: layer.strides[0], strideW: layer.strides[1],
        padTop: layer.pads[0], padLeft: layer.pads[1],
        countIncludePad: layer.countIncludePad,
      };
      return { step: { ...base, op: 'avgpool', geometry }, shape };
    }
  }
}

/** Resolves shapes and geometry of every layer; throws ShapeError/UnsupportedOpError on the first bad layer. */
export function planIntervalNetwork(net: Network): IntervalPlan {
  const inputShape = layerShapes({ ...net, layers: [] })[0]!;
  const steps: IntervalStep[] = [];
  const shapes: number[][] = [];
  let shape: readonly number[] = inputShape;
  let maxSize = prod(inputShape);
  net.layers.forEach((layer, i) => {
    const planned = planLayer(layer, i, shape);
    steps.push(planned.step);
    shapes.push(planned.shape);
    shape = planned.shape;
    maxSize = Math.max(maxSize, planned.step.outSize);
  });
  return { inputShape, inputSize: prod(inputShape), steps, shapes, outputShape: shape.slice(), outputSize: prod(shape), maxSize };
}

/**
 * Everything about a plan except parameter values: two plans with the same signature can share
 * prepared working memory, and parameters can be re-read from one into the other.
 */
export function planSignature(plan: IntervalPlan): string {
  return JSON.stringify([
    plan.inputShape,
    plan.steps.map((s) => [s.op, s.inSize, s.outSize, 'geometry' in s ? s.geometry : null, plan.shapes[s.layer]]),
  ]);
}

/**
 * Re-plans `net` for a network prepared as `prepared`, to re-read its parameters; the structure
 * must not have changed (prepared working memory is sized for it).
 */
export function replan(net: Network, prepared: IntervalPlan): IntervalPlan {
  const plan = planIntervalNetwork(net);
  if (planSignature(plan) !== planSignature(prepared)) {
    throw new ShapeError(`network '${net.outputName}' changed structure since it was prepared; prepare it again`);
  }
  return plan;
}
