/** ReduceMean: ∂X = expand(dY / count), count = product of the reduced sizes (from Shape at run
 *  time when one is symbolic). */
import { dimsProduct } from '../dims.js';
import { nodeReduction, restoreReduced } from './reduction.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const reduceMeanVjp: VjpRule = (ctx) => {
  const { b } = ctx;
  const g = outputGrad(ctx);
  const r = nodeReduction(ctx);
  if (r.noop) return [g];
  const X = inputAt(ctx, 0);
  const count = dimsProduct(b, X, r.axes, g.dtype);
  return [b.expand(b.div(restoreReduced(ctx, g, r), count), b.shapeOf(X))];
};
