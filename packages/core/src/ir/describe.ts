/**
 * A plain-data summary of a Network for `minmax info` and the web UI: per-layer shapes,
 * parameter counts and a one-line human description of each layer's hyperparameters.
 */
import type { Layer, LayerKind, Network } from './network.js';
import { layerShapes } from './shapes.js';

export interface LayerDescription {
  name: string;
  kind: LayerKind;
  /** Per-example output shape (batch excluded). */
  outputShape: number[];
  /** Number of scalar parameters in this layer. */
  params: number;
  /** Human-readable hyperparameters, e.g. "1→32, 3×3, stride 1, pad 1". */
  detail: string;
}

export interface NetworkDescription {
  inputName: string;
  outputName: string;
  inputShape: number[];
  outputShape: number[];
  layers: LayerDescription[];
  paramCount: number;
  /** Layer count per kind. */
  ops: Partial<Record<LayerKind, number>>;
  /** Total number of ReLU units (the binaries an exact MILP encoding needs). */
  reluUnits: number;
  metadata: Record<string, string>;
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function padText(p: readonly number[]): string {
  if (p.every((v) => v === p[0])) return `${p[0]}`;
  return `[${p.join(', ')}]`;
}

function pairText(p: readonly number[]): string {
  return p[0] === p[1] ? `${p[0]}` : `${p[0]}×${p[1]}`;
}

function detail(layer: Layer, inShape: number[], outShape: number[]): string {
  switch (layer.kind) {
    case 'dense':
      return `${layer.weight.shape[1]} → ${layer.weight.shape[0]}`;
    case 'conv': {
      const [o, i, kh, kw] = layer.weight.shape;
      let s = `${i}→${o}, ${kh}×${kw}, stride ${pairText(layer.strides)}, pad ${padText(layer.pads)}`;
      if (layer.dilations.some((d) => d !== 1)) s += `, dilation ${pairText(layer.dilations)}`;
      return s;
    }
    case 'avgpool':
    case 'maxpool': {
      let s = `${layer.kernel[0]}×${layer.kernel[1]}, stride ${pairText(layer.strides)}, pad ${padText(layer.pads)}`;
      if (layer.kind === 'avgpool' && layer.pads.some((p) => p !== 0)) {
        s += layer.countIncludePad ? ', pad counted' : ', pad not counted';
      }
      return s;
    }
    case 'relu':
      return `${size(outShape)} units`;
    case 'flatten':
      return `[${inShape.join(', ')}] → [${outShape.join(', ')}]`;
    case 'reshape':
      return `[${inShape.join(', ')}] → [${layer.shape.join(', ')}]`;
    case 'affine':
      return `x·scale[${layer.scale.shape.join(', ')}] + shift[${layer.shift.shape.join(', ')}]`;
  }
}

function paramsOf(layer: Layer): number {
  switch (layer.kind) {
    case 'dense':
    case 'conv':
      return layer.weight.data.length + layer.bias.data.length;
    case 'affine':
      return layer.scale.data.length + layer.shift.data.length;
    default:
      return 0;
  }
}

/** Summarises a network; throws ShapeError if its parameters do not fit together. */
export function describeNetwork(net: Network): NetworkDescription {
  const shapes = layerShapes(net);
  const ops: Partial<Record<LayerKind, number>> = {};
  let paramCount = 0;
  let reluUnits = 0;
  const layers = net.layers.map((layer, i): LayerDescription => {
    const params = paramsOf(layer);
    paramCount += params;
    ops[layer.kind] = (ops[layer.kind] ?? 0) + 1;
    if (layer.kind === 'relu') reluUnits += size(shapes[i + 1]);
    return {
      name: layer.name,
      kind: layer.kind,
      outputShape: shapes[i + 1].slice(),
      params,
      detail: detail(layer, shapes[i], shapes[i + 1]),
    };
  });
  return {
    inputName: net.inputName,
    outputName: net.outputName,
    inputShape: net.inputShape.slice(),
    outputShape: shapes[shapes.length - 1].slice(),
    layers,
    paramCount,
    ops,
    reluUnits,
    metadata: { ...net.metadata },
  };
}
