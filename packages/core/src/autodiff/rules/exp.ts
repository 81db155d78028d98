/** Exp: ∂X = dY·Y (reusing the forward output, as PyTorch does). */
import { outputGrad, type VjpRule } from './types.js';

export const expVjp: VjpRule = (ctx) => [ctx.b.mul(outputGrad(ctx), ctx.node.outputs[0])];
