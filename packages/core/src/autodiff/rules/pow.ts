/**
 * Pow: Y = A^B; ∂A = dY·B·A^(B−1), ∂B = dY·Y·ln A. As in PyTorch, ∂B is taken as 0 where A = 0
 * (the limit of Y·ln A for B > 0) instead of propagating 0·(−∞) = NaN.
 */
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const powVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const g = outputGrad(ctx);
  const A = inputAt(ctx, 0);
  const B = inputAt(ctx, 1);
  const Y = node.outputs[0];
  const what = `Pow '${node.name}'`;
  const zero = b.scalar(0, g.dtype);
  return [
    ctx.needs[0] ? sumToShape(b, b.mul(g, b.mul(B, b.pow(A, b.sub(B, b.scalar(1, B.dtype))))), A, what) : undefined,
    ctx.needs[1] ? sumToShape(b, b.where(b.equal(A, b.scalar(0, A.dtype)), zero, b.mul(g, b.mul(Y, b.log(A)))), B, what) : undefined,
  ];
};
