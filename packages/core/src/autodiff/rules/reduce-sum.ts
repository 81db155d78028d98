/** ReduceSum: every reduced element receives the gradient of its sum: ∂X = expand(dY). */
import { nodeReduction, restoreReduced } from './reduction.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const reduceSumVjp: VjpRule = (ctx) => {
  const g = outputGrad(ctx);
  const r = nodeReduction(ctx);
  if (r.noop) return [g, undefined];
  const X = inputAt(ctx, 0);
  return [ctx.b.expand(restoreReduced(ctx, g, r), ctx.b.shapeOf(X)), undefined];
};
