/** Sum (variadic, broadcasting): every operand receives dY summed over its broadcast axes. */
import { sumToShape } from '../unbroadcast.js';
import { outputGrad, type VjpRule } from './types.js';

export const sumVjp: VjpRule = (ctx) => {
  const g = outputGrad(ctx);
  return ctx.node.inputs.map((x, i) => (ctx.needs[i] && x ? sumToShape(ctx.b, g, x, `Sum '${ctx.node.name}'`) : undefined));
};
