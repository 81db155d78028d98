/**
 * The CROWN bound of CROWN-IBP (Zhang et al., "Towards Stable and Efficient Training of
 * Verifiably Robust Neural Networks", ICLR 2020) as graph nodes: a lower bound on the folded
 * specification C·f(x) over the input box, by one backward pass of linear relaxations that uses
 * IBP's pre-activation bounds for every ReLU.
 *
 * Backward pass (Zhang et al. 2018, CROWN, Thm 3.2): with Λ [N, C, ...] the coefficients of the
 * current layer's output and l ≤ z ≤ u its ReLU's pre-activation bounds,
 *   ReLU: unstable (l < 0 < u) units are relaxed by  α z ≤ relu(z) ≤ d (z − l),  d = u/(u − l),
 *         α = 1 if u > −l else 0 (CROWN's adaptive lower slope); stable units are exact.
 *         A lower bound takes the lower line where Λ > 0 and the upper line where Λ < 0:
 *         Λ ← Λ⁺α + Λ⁻d, bias += Σ Λ⁻·(−d l).
 *   dense / conv (affine maps): bias += Λ·b, Λ ← ΛW (ConvTranspose for conv).
 *   affine:  bias += Σ Λ·shift, Λ ← Λ·scale.   flatten / reshape: Λ reshaped back.
 * At the input box (μ₀, r₀): lower = Σ Λμ₀ − Σ|Λ|r₀ + bias.
 * Every step is differentiable almost everywhere, so training sees the gradient of the bound
 * itself (the slopes d, α depend on the parameters through l and u, as in CROWN-IBP).
 */
import type { GraphBuilder, Value } from '../../autodiff/builder.js';
import type { ParamSource } from '../../autodiff/forward.js';
import { ShapeError, UnsupportedOpError } from '../../errors.js';
import type { Layer } from '../../ir/network.js';
import { boxLower, boxUpper, type Box } from './interval.js';
import type { FoldedSpec } from './spec.js';

const staticDims = (v: Value, what: string): number[] => {
  const dims = v.shape.slice(1);
  if (dims.some((d) => typeof d !== 'number')) throw new ShapeError(`CROWN: ${what} has a symbolic shape [${v.shape.join(', ')}]`);
  return dims as number[];
};

/** Reshape `v` to [N, ...rest] with N the (symbolic) batch size of `like`, so later broadcasts
 *  between values of the same batch stay provably shape-compatible. */
function batchReshape(b: GraphBuilder, v: Value, like: Value, rest: readonly number[]): Value {
  const n = b.gather(b.shapeOf(like), b.int64s([0]), 0);
  return b.reshape(v, b.concat([n, b.int64s(rest)], 0));
}

/** Σ over every axis from 2 on: [N, C, ...] → [N, C]. */
function sumTail(b: GraphBuilder, v: Value): Value {
  const rank = v.shape.length;
  if (rank === 2) return v;
  return b.reduceSum(v, Array.from({ length: rank - 2 }, (_, i) => i + 2), false);
}

interface Relaxation {
  /** Λ⁺ multiplier. */
  alpha: Value;
  /** Λ⁻ multiplier. */
  slope: Value;
  /** Upper-line intercept −d·l (0 on stable units). */
  intercept: Value;
}

function reluRelaxation(b: GraphBuilder, pre: Box): Relaxation {
  const l = boxLower(b, pre);
  const u = boxUpper(b, pre);
  const zero = b.scalar(0);
  const one = b.scalar(1);
  const dead = b.not(b.greater(u, zero));
  const active = b.not(b.less(l, zero));
  const width = b.sub(u, l);
  // Only unstable units (width > 0 there) use d; elsewhere the denominator is a harmless 1.
  const d = b.div(u, b.where(b.greater(width, zero), width, one));
  const slope = b.where(dead, zero, b.where(active, one, d));
  const alpha = b.where(dead, zero, b.where(active, one, b.where(b.greater(u, b.neg(l)), one, zero)));
  const intercept = b.where(dead, zero, b.where(active, zero, b.neg(b.mul(d, l))));
  return { alpha, slope, intercept };
}

/**
 * Lower bounds [N, C] of spec·f(x) by CROWN. `layers` are the network's layers before the last
 * (dense) one, whose specification-folded form is `spec`; `boxes[i]` is the IBP box of the input
 * of layers[i] (boxes[0] = the input box).
 */
export function emitCrownBound(b: GraphBuilder, layers: readonly Layer[], boxes: readonly Box[], spec: FoldedSpec, param: ParamSource): Value {
  const classes = spec.weight.shape[1];
  if (typeof classes !== 'number') throw new ShapeError('CROWN: symbolic class count');
  let lambda = spec.weight;
  let bias = spec.bias;
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const input = boxes[i];
    switch (layer.kind) {
      case 'relu': {
        const { alpha, slope, intercept } = reluRelaxation(b, input);
        const at = (v: Value): Value => b.unsqueeze(v, [1]);
        const pos = b.relu(lambda);
        const neg = b.sub(lambda, pos);
        bias = b.add(bias, sumTail(b, b.mul(neg, at(intercept))));
        lambda = b.add(b.mul(pos, at(alpha)), b.mul(neg, at(slope)));
        break;
      }
      case 'dense': {
        bias = b.add(bias, b.matmul(lambda, param(layer.bias)));
        lambda = b.matmul(lambda, param(layer.weight));
        break;
      }
      case 'conv': {
        const outDims = staticDims(lambda, 'conv coefficients').slice(1);
        const inDims = staticDims(input.mu, 'conv input');
        if (outDims.length !== 3) throw new ShapeError(`CROWN: conv layer '${layer.name}' output is not [C, H, W]`);
        bias = b.add(bias, b.matmul(b.reduceSum(lambda, [3, 4], false), param(layer.bias)));
        const flat = b.reshape(lambda, [-1, ...outDims]);
        // output_padding recovers the input rows a strided conv's floor division dropped.
        const [sh, sw] = layer.strides;
        const [kh, kw] = layer.weight.shape.slice(2);
        const [dh, dw] = layer.dilations;
        const [pt, pl, pb, pr] = layer.pads;
        const full = (o: number, s: number, k: number, d: number, p0: number, p1: number): number => (o - 1) * s - p0 - p1 + (k - 1) * d + 1;
        const outputPadding = [inDims[1] - full(outDims[1], sh, kh, dh, pt, pb), inDims[2] - full(outDims[2], sw, kw, dw, pl, pr)];
        const back = b.convTranspose(flat, param(layer.weight), undefined, { strides: layer.strides, pads: layer.pads, dilations: layer.dilations, outputPadding });
        lambda = batchReshape(b, back, spec.bias, [classes, ...inDims]);
        break;
      }
      case 'flatten':
      case 'reshape':
        lambda = b.reshape(lambda, [0, 0, ...staticDims(input.mu, `${layer.kind} input`)]);
        break;
      case 'affine': {
        bias = b.add(bias, sumTail(b, b.mul(lambda, param(layer.shift))));
        lambda = b.mul(lambda, param(layer.scale));
        break;
      }
      default:
        throw new UnsupportedOpError(layer.kind, layer.name, 'CROWN-IBP training supports dense, conv, relu, flatten, reshape and affine layers');
    }
  }
  const x = boxes[0];
  const perExample = staticDims(x.mu, 'input');
  const size = perExample.reduce((a, d) => a * d, 1);
  const coeffs = b.reshape(lambda, [0, 0, size]);
  const col = (v: Value): Value => b.reshape(v, [0, size, 1]);
  const dot = (m: Value, v: Value): Value => b.squeeze(b.matmul(m, col(v)), [2]);
  return b.add(b.sub(dot(coeffs, x.mu), dot(b.abs(coeffs), x.r)), bias);
}
