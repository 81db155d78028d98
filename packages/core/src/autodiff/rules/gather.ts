/**
 * Gather along `axis`: Y = X[:…, I, …] with Y's shape X[:axis] ++ I ++ X[axis+1:]. ∂X scatters dY
 * back with accumulation: dY is viewed as [X[:axis], |I|, X[axis+1:]] and the flattened indices are
 * broadcast to that shape for ScatterElements(reduction='add') along `axis`.
 */
import { ShapeError } from '../../errors.js';
import { getInt } from '../attributes.js';
import { normAxis, shapeStr, staticSize } from '../shapes.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const gatherVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const X = inputAt(ctx, 0);
  const I = inputAt(ctx, 1);
  const g = outputGrad(ctx);
  const axis = normAxis(getInt(node, 'axis', 0), X.shape.length, `Gather '${node.name}'`);
  const count = staticSize(I.shape);
  const suffix = X.shape.slice(axis + 1);
  const symbolic = suffix.filter((d) => typeof d !== 'number').length;
  if (count === undefined || symbolic > 1)
    throw new ShapeError(`Gather '${node.name}': gradient needs static index count and at most one symbolic trailing dim (data ${shapeStr(X.shape)}, indices ${shapeStr(I.shape)})`);
  // 0 copies the leading dims from dY itself (they equal X's); −1 absorbs one symbolic trailing dim.
  const view = [...new Array<number>(axis).fill(0), count, ...suffix.map((d) => (typeof d === 'number' ? d : -1))];
  const g2 = b.reshape(g, view);
  const idxShape = [...new Array<number>(axis).fill(1), count, ...new Array<number>(suffix.length).fill(1)];
  const idx = b.expand(b.reshape(I, idxShape), b.shapeOf(g2));
  return [b.scatterElements(b.zerosLike(X), idx, g2, axis, 'add'), undefined];
};
