/**
 * Max / Min (variadic, broadcasting): dY goes to the operand(s) equal to the result, split evenly
 * among ties (PyTorch's maximum/minimum give each of two tied operands half), then summed over each
 * operand's broadcast axes.
 */
import type { Value } from '../builder.js';
import { sumToShape } from '../unbroadcast.js';
import { outputGrad, type VjpRule } from './types.js';

export const extremumVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  const g = outputGrad(ctx);
  const Y = node.outputs[0];
  const xs = node.inputs.filter((x): x is Value => x !== undefined);
  if (xs.length === 1) return [g];
  const masks = xs.map((x) => b.cast(b.equal(x, Y), g.dtype));
  const share = b.div(g, b.sum(masks));
  return xs.map((x, i) => (needs[i] ? sumToShape(b, b.mul(share, masks[i]), x, `${node.opType} '${node.name}'`) : undefined));
};
