/** Identity: ∂X = dY. */
import { outputGrad, type VjpRule } from './types.js';

export const identityVjp: VjpRule = (ctx) => [outputGrad(ctx)];
