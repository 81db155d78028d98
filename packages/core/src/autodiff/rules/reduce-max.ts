/**
 * ReduceMax / ReduceMin: the gradient goes to the elements attaining the extremum, split evenly
 * among ties (torch.amax / amin semantics; without ties it is the usual one-hot argmax rule).
 */
import { nodeReduction, restoreReduced } from './reduction.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const reduceExtremumVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const g = outputGrad(ctx);
  const r = nodeReduction(ctx);
  if (r.noop) return [g];
  const X = inputAt(ctx, 0);
  const mask = b.cast(b.equal(X, restoreReduced(ctx, node.outputs[0], r)), X.dtype);
  const count = b.reduceSum(mask, r.axes, true);
  return [b.mul(b.div(restoreReduced(ctx, g, r), count), mask)];
};
