/**
 * The robustness specification folded into the last linear layer (tutorial §4.9,
 * `interval_based_bound` with C = −I, C[y] += 1): row j of the folded layer computes z_y − z_j, so
 * its weight is W_y − W_j and its bias b_y − b_j, per example. Row y is identically zero, so its
 * bound is exactly 0 and the tutorial's strict test "min_j bound < 0" is unaffected by it.
 * W_y is selected with a one-hot product (rather than Gather) so the selection is differentiable
 * with a symbolic batch size.
 */
import type { GraphBuilder, Value } from '../../autodiff/builder.js';
import { ShapeError } from '../../errors.js';

export interface FoldedSpec {
  /** [N, C, H]: W_y − W_j. */
  weight: Value;
  /** [N, C]: b_y − b_j. */
  bias: Value;
}

export function foldSpecification(b: GraphBuilder, weight: Value, bias: Value, label: Value): FoldedSpec {
  const classes = weight.shape[0];
  if (typeof classes !== 'number') throw new ShapeError('specification folding needs a static class count');
  const onehot = b.oneHot(label, classes, b.constant([0, 1], [2]), 1);
  const wy = b.matmul(onehot, weight);
  const by = b.matmul(onehot, bias);
  return { weight: b.sub(b.unsqueeze(wy, [1]), weight), bias: b.sub(b.unsqueeze(by, [1]), bias) };
}

/** Lower bounds [N, C] of the folded layer over a box (μ, r) [N, H]: Cμ − |C|r + c. */
export function foldedIntervalBound(b: GraphBuilder, spec: FoldedSpec, mu: Value, r: Value): Value {
  const at = (m: Value, v: Value): Value => b.squeeze(b.matmul(m, b.unsqueeze(v, [2])), [2]);
  return b.add(b.sub(at(spec.weight, mu), at(b.abs(spec.weight), r)), spec.bias);
}
