/**
 * Per-example shapes through a Network, with every parameter checked against the shape it is
 * applied to. All consumers (autodiff, bounds, MIP, export) rely on these checks instead of
 * re-validating, so a hand-built or deserialised network fails here with a ShapeError naming
 * the layer rather than deep inside ONNX Runtime.
 */
import { ShapeError } from '../errors.js';
import type { Layer, Network, Param } from './network.js';

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

function size(s: readonly number[]): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}

function checkParam(p: Param, layer: Layer, role: string): void {
  if (!p || !(p.data instanceof Float32Array) || !Array.isArray(p.shape)) {
    throw new ShapeError(`layer '${layer.name}' (${layer.kind}): ${role} is missing or not a float32 parameter`);
  }
  if (p.shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`layer '${layer.name}' (${layer.kind}): ${role} '${p.name}' has invalid shape ${fmt(p.shape)}`);
  }
  if (p.data.length !== size(p.shape)) {
    throw new ShapeError(
      `layer '${layer.name}' (${layer.kind}): ${role} '${p.name}' has ${p.data.length} values but shape ${fmt(p.shape)}`,
    );
  }
}

function checkPair(v: readonly number[], layer: Layer, what: string, min: number): void {
  if (!Array.isArray(v) || v.length !== 2 || v.some((d) => !Number.isInteger(d) || d < min)) {
    throw new ShapeError(`layer '${layer.name}' (${layer.kind}): invalid ${what} ${fmt(v ?? [])}`);
  }
}

function checkPads(p: readonly number[], layer: Layer): void {
  if (!Array.isArray(p) || p.length !== 4 || p.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`layer '${layer.name}' (${layer.kind}): invalid pads ${fmt(p ?? [])}`);
  }
}

/** ONNX Conv/Pool output extent (floor mode). */
function windowOut(n: number, k: number, s: number, p0: number, p1: number, d: number): number {
  return Math.floor((n + p0 + p1 - d * (k - 1) - 1) / s) + 1;
}

/** True when `p` (per-example affine operand) broadcasts against `shape` without growing it. */
function broadcastsInto(p: readonly number[], shape: readonly number[]): boolean {
  if (p.length > shape.length) return false;
  const off = shape.length - p.length;
  return p.every((d, i) => d === 1 || d === shape[off + i]);
}

/** Shape after one layer applied to a per-example input of shape `inShape`. */
export function layerOutputShape(layer: Layer, inShape: readonly number[]): number[] {
  const ctx = `layer '${layer.name}' (${layer.kind})`;
  switch (layer.kind) {
    case 'dense': {
      checkParam(layer.weight, layer, 'weight');
      checkParam(layer.bias, layer, 'bias');
      if (layer.weight.shape.length !== 2) throw new ShapeError(`${ctx}: weight ${fmt(layer.weight.shape)} must be [out, in]`);
      const [out, inF] = layer.weight.shape;
      if (inShape.length !== 1 || inShape[0] !== inF) {
        throw new ShapeError(`${ctx}: weight ${fmt(layer.weight.shape)} needs input [N, ${inF}], got [N, ${inShape.join(', ')}]`);
      }
      if (layer.bias.shape.length !== 1 || layer.bias.shape[0] !== out) {
        throw new ShapeError(`${ctx}: bias ${fmt(layer.bias.shape)} does not match weight ${fmt(layer.weight.shape)}`);
      }
      return [out];
    }
    case 'conv': {
      checkParam(layer.weight, layer, 'weight');
      checkParam(layer.bias, layer, 'bias');
      checkPair(layer.strides, layer, 'strides', 1);
      checkPair(layer.dilations, layer, 'dilations', 1);
      checkPads(layer.pads, layer);
      const w = layer.weight.shape;
      if (w.length !== 4) throw new ShapeError(`${ctx}: weight ${fmt(w)} must be [outC, inC, kH, kW]`);
      if (inShape.length !== 3 || inShape[0] !== w[1]) {
        throw new ShapeError(`${ctx}: weight ${fmt(w)} needs input [N, ${w[1]}, H, W], got [N, ${inShape.join(', ')}]`);
      }
      if (layer.bias.shape.length !== 1 || layer.bias.shape[0] !== w[0]) {
        throw new ShapeError(`${ctx}: bias ${fmt(layer.bias.shape)} does not match weight ${fmt(w)}`);
      }
      const [s0, s1] = layer.strides;
      const [d0, d1] = layer.dilations;
      const p = layer.pads;
      const oh = windowOut(inShape[1], w[2], s0, p[0], p[2], d0);
      const ow = windowOut(inShape[2], w[3], s1, p[1], p[3], d1);
      if (oh < 1 || ow < 1) throw new ShapeError(`${ctx}: empty output ${oh}x${ow} on input [N, ${inShape.join(', ')}]`);
      return [w[0], oh, ow];
    }
    case 'avgpool':
    case 'maxpool': {
      checkPair(layer.kernel, layer, 'kernel', 1);
      checkPair(layer.strides, layer, 'strides', 1);
      checkPads(layer.pads, layer);
      if (inShape.length !== 3) throw new ShapeError(`${ctx}: needs input [N, C, H, W], got [N, ${inShape.join(', ')}]`);
      const [k0, k1] = layer.kernel;
      const p = layer.pads;
      // ONNX Runtime (and the spec's reference) require each pad to be smaller than the kernel.
      if (p[0] >= k0 || p[2] >= k0 || p[1] >= k1 || p[3] >= k1) {
        throw new ShapeError(`${ctx}: pads ${fmt(p)} must be smaller than the kernel ${fmt(layer.kernel)}`);
      }
      const oh = windowOut(inShape[1], k0, layer.strides[0], p[0], p[2], 1);
      const ow = windowOut(inShape[2], k1, layer.strides[1], p[1], p[3], 1);
      if (oh < 1 || ow < 1) throw new ShapeError(`${ctx}: empty output ${oh}x${ow} on input [N, ${inShape.join(', ')}]`);
      return [inShape[0], oh, ow];
    }
    case 'relu':
      return inShape.slice();
    case 'flatten':
      return [size(inShape)];
    case 'reshape': {
      if (!Array.isArray(layer.shape) || layer.shape.length === 0 || layer.shape.some((d) => !Number.isInteger(d) || d < 1)) {
        throw new ShapeError(`${ctx}: invalid target shape ${fmt(layer.shape ?? [])}`);
      }
      if (size(layer.shape) !== size(inShape)) {
        throw new ShapeError(`${ctx}: cannot reshape [N, ${inShape.join(', ')}] to [N, ${layer.shape.join(', ')}]`);
      }
      return layer.shape.slice();
    }
    case 'affine': {
      checkParam(layer.scale, layer, 'scale');
      checkParam(layer.shift, layer, 'shift');
      for (const [p, role] of [[layer.scale, 'scale'], [layer.shift, 'shift']] as const) {
        if (!broadcastsInto(p.shape, inShape)) {
          throw new ShapeError(`${ctx}: ${role} ${fmt(p.shape)} does not broadcast against [N, ${inShape.join(', ')}]`);
        }
      }
      return inShape.slice();
    }
    default: {
      const unknown = layer as { kind?: unknown; name?: unknown };
      throw new ShapeError(`layer '${String(unknown.name)}': unknown kind '${String(unknown.kind)}'`);
    }
  }
}

/** Per-example shapes: index 0 is the input shape, index i the shape after layer i − 1. */
export function layerShapes(net: Network): number[][] {
  if (!Array.isArray(net.inputShape) || net.inputShape.length === 0 || net.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`invalid network input shape [${(net.inputShape ?? []).join(', ')}]`);
  }
  const shapes: number[][] = [net.inputShape.slice()];
  for (const layer of net.layers) shapes.push(layerOutputShape(layer, shapes[shapes.length - 1]));
  return shapes;
}

/** Per-example output shape. */
export function outputShape(net: Network): number[] {
  const s = layerShapes(net);
  return s[s.length - 1];
}

/** Number of outputs per example (the logit count for a classifier). */
export function outputSize(net: Network): number {
  return size(outputShape(net));
}

/** Number of elements in a per-example shape. */
export function shapeSize(shape: readonly number[]): number {
  return size(shape);
}
