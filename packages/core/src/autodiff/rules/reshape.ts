/** Reshape, Flatten, Squeeze, Unsqueeze only relabel the row-major element order: ∂X = dY
 *  reshaped back to X's shape. A shape known while building (all static but a leading batch
 *  dimension shared with dY) is passed as a constant (0 = copy dY's dimension), so ORT's shape
 *  inference keeps the static shape downstream; otherwise X's runtime Shape. */
import type { Value } from '../builder.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const reshapeVjp: VjpRule = (ctx) => {
  const { b } = ctx;
  const x: Value = inputAt(ctx, 0);
  const g = outputGrad(ctx);
  const rest = x.shape.slice(1);
  const leadingShared = x.shape.length > 0 && g.shape.length > 0 && x.shape[0] === g.shape[0];
  if (leadingShared && rest.every((d) => typeof d === 'number' && d > 0)) return [b.reshape(g, [0, ...(rest as number[])]), undefined];
  return [b.reshape(g, b.shapeOf(x)), undefined];
};
