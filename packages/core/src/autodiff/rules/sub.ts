/** Sub: ∂A = dY, ∂B = −dY, each summed over its broadcast axes (negated after the sum: fewer elements). */
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const subVjp: VjpRule = (ctx) => {
  const { b } = ctx;
  const g = outputGrad(ctx);
  const what = `Sub '${ctx.node.name}'`;
  return [
    ctx.needs[0] ? sumToShape(b, g, inputAt(ctx, 0), what) : undefined,
    ctx.needs[1] ? b.neg(sumToShape(b, g, inputAt(ctx, 1), what)) : undefined,
  ];
};
