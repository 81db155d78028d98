/** Log: ∂X = dY / X. */
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const logVjp: VjpRule = (ctx) => [ctx.b.div(outputGrad(ctx), inputAt(ctx, 0))];
