/** Concat along `axis`: each operand receives its own slab of dY, taken with Gather over its index
 *  range (Slice is not in the op set the reference interpreter implements). */
import { ShapeError } from '../../errors.js';
import { getInt } from '../attributes.js';
import { normAxis, shapeStr } from '../shapes.js';
import { outputGrad, type VjpRule } from './types.js';

export const concatVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  const g = outputGrad(ctx);
  const axis = normAxis(getInt(node, 'axis', 0), g.shape.length, `Concat '${node.name}'`);
  let offset = 0;
  return node.inputs.map((x, i) => {
    if (!x) return undefined;
    const len = x.shape[axis];
    if (typeof len !== 'number')
      throw new ShapeError(`Concat '${node.name}': gradient needs static sizes along axis ${axis}, operand ${i} is ${shapeStr(x.shape)}`);
    const start = offset;
    offset += len;
    if (!needs[i]) return undefined;
    return b.gather(g, b.int64s(Array.from({ length: len }, (_, k) => start + k)), axis);
  });
};
