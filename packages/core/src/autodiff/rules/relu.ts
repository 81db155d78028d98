/** Relu: ∂X = dY where X > 0, else 0 (gradient 0 at X = 0, like PyTorch's threshold_backward). */
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const reluVjp: VjpRule = (ctx) => {
  const { b } = ctx;
  const X = inputAt(ctx, 0);
  const g = outputGrad(ctx);
  return [b.where(b.greater(X, b.scalar(0, X.dtype)), g, b.scalar(0, g.dtype))];
};
