/**
 * Interval bound propagation (Gowal et al. 2018; tutorial §4.7 `bound_propagation`) as graph
 * nodes, so that training can differentiate through it. Boxes are carried as centre μ and radius
 * r ≥ 0 (l = μ − r, u = μ + r): for an affine map W, the tutorial's l' = W⁺l + W⁻u + b and
 * u' = W⁺u + W⁻l + b are exactly μ' = Wμ + b, r' = |W|r, which costs two products instead of four.
 * ReLU and max-pooling are monotone, so they map the endpoints. The arithmetic is the graph's
 * float type with round-to-nearest, like the tutorial's PyTorch code: these bounds are for
 * training and its per-epoch figures, not certificates (`bounds/` computes sound ones).
 */
import type { GraphBuilder, Value } from '../../autodiff/builder.js';
import type { ParamSource } from '../../autodiff/forward.js';
import { UnsupportedOpError } from '../../errors.js';
import type { Layer } from '../../ir/network.js';

/** A batch of boxes [N, ...shape]. */
export interface Box {
  mu: Value;
  r: Value;
}

export const boxLower = (b: GraphBuilder, x: Box): Value => b.sub(x.mu, x.r);
export const boxUpper = (b: GraphBuilder, x: Box): Value => b.add(x.mu, x.r);

function fromEndpoints(b: GraphBuilder, l: Value, u: Value): Box {
  const half = b.scalar(0.5);
  return { mu: b.mul(b.add(u, l), half), r: b.mul(b.sub(u, l), half) };
}

/** The box of one layer's output given the box of its input. */
export function emitIntervalLayer(b: GraphBuilder, layer: Layer, x: Box, param: ParamSource): Box {
  switch (layer.kind) {
    case 'dense': {
      const w = param(layer.weight);
      return { mu: b.gemm(x.mu, w, param(layer.bias), { transB: true }), r: b.gemm(x.r, b.abs(w), undefined, { transB: true }) };
    }
    case 'conv': {
      const w = param(layer.weight);
      const o = { strides: layer.strides, pads: layer.pads, dilations: layer.dilations };
      return { mu: b.conv(x.mu, w, param(layer.bias), o), r: b.conv(x.r, b.abs(w), undefined, o) };
    }
    case 'relu':
      return fromEndpoints(b, b.relu(boxLower(b, x)), b.relu(boxUpper(b, x)));
    case 'flatten':
      return { mu: b.flatten(x.mu, 1), r: b.flatten(x.r, 1) };
    case 'reshape':
      return { mu: b.reshape(x.mu, [0, ...layer.shape]), r: b.reshape(x.r, [0, ...layer.shape]) };
    case 'affine': {
      const s = param(layer.scale);
      return { mu: b.add(b.mul(x.mu, s), param(layer.shift)), r: b.mul(x.r, b.abs(s)) };
    }
    case 'avgpool': {
      // Non-negative weights: the centre and radius map like the input itself.
      const o = { kernel: layer.kernel, strides: layer.strides, pads: layer.pads, countIncludePad: layer.countIncludePad };
      return { mu: b.averagePool(x.mu, o), r: b.averagePool(x.r, o) };
    }
    case 'maxpool': {
      const o = { kernel: layer.kernel, strides: layer.strides, pads: layer.pads };
      return fromEndpoints(b, b.maxPool(boxLower(b, x), o)[0], b.maxPool(boxUpper(b, x), o)[0]);
    }
    default:
      throw new UnsupportedOpError((layer as Layer).kind, (layer as Layer).name, 'no interval rule');
  }
}

/** Boxes after every layer: result[0] is the input box, result[i + 1] the output of layers[i]. */
export function emitIntervalPropagation(b: GraphBuilder, layers: readonly Layer[], input: Box, param: ParamSource): Box[] {
  const out = [input];
  for (const layer of layers) out.push(emitIntervalLayer(b, layer, out[out.length - 1], param));
  return out;
}
