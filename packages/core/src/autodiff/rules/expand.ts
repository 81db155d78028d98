/** Expand is broadcasting: ∂X = dY summed over the broadcast axes. */
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const expandVjp: VjpRule = (ctx) => [sumToShape(ctx.b, outputGrad(ctx), inputAt(ctx, 0), `Expand '${ctx.node.name}'`), undefined];
