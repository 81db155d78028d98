/** Neg: ∂X = −dY. */
import { outputGrad, type VjpRule } from './types.js';

export const negVjp: VjpRule = (ctx) => [ctx.b.neg(outputGrad(ctx))];
