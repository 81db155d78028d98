/** Cast between float types: the gradient is cast back to the input's type (the reverse pass only
 *  reaches a Cast whose input is a float tensor). */
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const castVjp: VjpRule = (ctx) => {
  const X = inputAt(ctx, 0);
  const g = outputGrad(ctx);
  return [g.dtype === X.dtype ? g : ctx.b.cast(g, X.dtype)];
};
