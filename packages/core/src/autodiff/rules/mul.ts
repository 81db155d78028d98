/** Mul: ∂A = dY·B, ∂B = dY·A, each summed over its broadcast axes. */
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const mulVjp: VjpRule = (ctx) => {
  const { b } = ctx;
  const g = outputGrad(ctx);
  const A = inputAt(ctx, 0);
  const B = inputAt(ctx, 1);
  const what = `Mul '${ctx.node.name}'`;
  return [
    ctx.needs[0] ? sumToShape(b, b.mul(g, B), A, what) : undefined,
    ctx.needs[1] ? sumToShape(b, b.mul(g, A), B, what) : undefined,
  ];
};
