/** Add: each operand receives dY summed over its broadcast axes. */
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const addVjp: VjpRule = (ctx) => {
  const g = outputGrad(ctx);
  const what = `Add '${ctx.node.name}'`;
  return [
    ctx.needs[0] ? sumToShape(ctx.b, g, inputAt(ctx, 0), what) : undefined,
    ctx.needs[1] ? sumToShape(ctx.b, g, inputAt(ctx, 1), what) : undefined,
  ];
};
