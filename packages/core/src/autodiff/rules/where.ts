/** Where(c, a, b): dY flows to a where c holds and to b elsewhere, each summed over its broadcast axes. */
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const whereVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  const C = inputAt(ctx, 0);
  const g = outputGrad(ctx);
  const zero = b.scalar(0, g.dtype);
  const what = `Where '${node.name}'`;
  return [
    undefined,
    needs[1] ? sumToShape(b, b.where(C, g, zero), inputAt(ctx, 1), what) : undefined,
    needs[2] ? sumToShape(b, b.where(C, zero, g), inputAt(ctx, 2), what) : undefined,
  ];
};
