/** TopK: the values output gathers X at the returned indices, so ∂X scatters dY(values) back to
 *  them (the int64 indices output carries no gradient). */
import { getInt } from '../attributes.js';
import { inputAt, type VjpRule } from './types.js';

export const topKVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const g = ctx.dy[0];
  if (!g) return [undefined, undefined];
  const X = inputAt(ctx, 0);
  return [b.scatterElements(b.zerosLike(X), node.outputs[1], g, getInt(node, 'axis', -1), 'add'), undefined];
};
