/** Div: Y = A/B; ∂A = dY/B, ∂B = −dY·A/B² = −dY·Y/B, each summed over its broadcast axes. */
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const divVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const g = outputGrad(ctx);
  const A = inputAt(ctx, 0);
  const B = inputAt(ctx, 1);
  const Y = node.outputs[0];
  const what = `Div '${node.name}'`;
  return [
    ctx.needs[0] ? sumToShape(b, b.div(g, B), A, what) : undefined,
    ctx.needs[1] ? b.neg(sumToShape(b, b.div(b.mul(g, Y), B), B, what)) : undefined,
  ];
};
