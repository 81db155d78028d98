/** Abs: ∂X = dY·sign(X) (0 at X = 0, PyTorch's subgradient choice). */
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const absVjp: VjpRule = (ctx) => [ctx.b.mul(outputGrad(ctx), ctx.b.sign(inputAt(ctx, 0)))];
