/** Sqrt: ∂X = dY / (2·Y) (PyTorch's formulation from the forward output). */
import { outputGrad, type VjpRule } from './types.js';

export const sqrtVjp: VjpRule = (ctx) => {
  const { b } = ctx;
  const Y = ctx.node.outputs[0];
  return [b.div(outputGrad(ctx), b.mul(Y, b.scalar(2, Y.dtype)))];
};
