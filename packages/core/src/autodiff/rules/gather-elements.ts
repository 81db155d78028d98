/** GatherElements: Y[i] = X[…, I[i], …]; ∂X scatters dY back to the gathered positions, adding
 *  where an element was gathered more than once. */
import { getInt } from '../attributes.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const gatherElementsVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const X = inputAt(ctx, 0);
  const I = inputAt(ctx, 1);
  return [b.scatterElements(b.zerosLike(X), I, outputGrad(ctx), getInt(node, 'axis', 0), 'add'), undefined];
};
