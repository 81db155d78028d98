/** Transpose by perm p: ∂X = transpose(dY, p⁻¹). */
import { getInts } from '../attributes.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const transposeVjp: VjpRule = (ctx) => {
  const X = inputAt(ctx, 0);
  const rank = X.shape.length;
  const perm = getInts(ctx.node, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const inverse = new Array<number>(rank);
  perm.forEach((p, i) => (inverse[p] = i));
  return [ctx.b.transpose(outputGrad(ctx), inverse)];
};
