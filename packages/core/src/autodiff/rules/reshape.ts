/** Reshape, Flatten, Squeeze, Unsqueeze only relabel the row-major element order: ∂X = dY
 *  reshaped back to X's shape. */
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const reshapeVjp: VjpRule = (ctx) => [ctx.b.reshape(outputGrad(ctx), ctx.b.shapeOf(inputAt(ctx, 0))), undefined];
