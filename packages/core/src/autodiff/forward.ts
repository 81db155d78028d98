/**
 * The forward pass of a `Network` as graph nodes: one op (or Mul+Add for affine) per layer, with
 * parameters supplied by the caller as initializers or graph inputs.
 */
import { ShapeError } from '../errors.js';
import type { Layer, Network, Param } from '../ir/network.js';
import type { GraphBuilder, Value } from './builder.js';
import { shapeStr } from './shapes.js';

export type ParamSource = (p: Param) => Value;

/** Parameters of a layer in a fixed order (weight, bias / scale, shift). */
export function layerParams(layer: Layer): Param[] {
  switch (layer.kind) {
    case 'dense':
    case 'conv':
      return [layer.weight, layer.bias];
    case 'affine':
      return [layer.scale, layer.shift];
    default:
      return [];
  }
}

/** Every parameter of the network once, in layer order. */
export function networkParams(net: Network): Param[] {
  const seen = new Set<string>();
  const out: Param[] = [];
  for (const l of net.layers)
    for (const p of layerParams(l))
      if (!seen.has(p.name)) {
        seen.add(p.name);
        out.push(p);
      }
  return out;
}

export function emitLayer(b: GraphBuilder, layer: Layer, x: Value, param: ParamSource): Value {
  try {
    switch (layer.kind) {
      case 'dense':
        if (x.shape.length !== 2) throw new ShapeError(`input ${shapeStr(x.shape)} is not [N, features]`);
        return b.gemm(x, param(layer.weight), param(layer.bias), { transB: true });
      case 'conv':
        return b.conv(x, param(layer.weight), param(layer.bias), { strides: layer.strides, pads: layer.pads, dilations: layer.dilations });
      case 'relu':
        return b.relu(x);
      case 'flatten':
        return b.flatten(x, 1);
      case 'reshape':
        if (layer.shape.some((d) => d === 0 || d < -1)) throw new ShapeError(`invalid target shape ${shapeStr(layer.shape)}`);
        // 0 keeps the runtime batch size.
        return b.reshape(x, [0, ...layer.shape]);
      case 'affine':
        return b.add(b.mul(x, param(layer.scale)), param(layer.shift));
      case 'avgpool':
        return b.averagePool(x, { kernel: layer.kernel, strides: layer.strides, pads: layer.pads, countIncludePad: layer.countIncludePad });
      case 'maxpool':
        return b.maxPool(x, { kernel: layer.kernel, strides: layer.strides, pads: layer.pads })[0];
    }
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`layer '${layer.name}' (${layer.kind}): ${e.message}`);
    throw e;
  }
}

/** Emits all layers on `input` [N, ...net.inputShape]; returns the last layer's output. */
export function emitNetwork(b: GraphBuilder, net: Network, input: Value, param: ParamSource): Value {
  let x = input;
  for (const layer of net.layers) x = emitLayer(b, layer, x, param);
  return x;
}
