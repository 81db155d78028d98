/**
 * Adjoint of ONNX multidirectional broadcasting: an operand broadcast to the output shape receives
 * the sum of the output gradient over every axis it was broadcast along (leading axes it lacks,
 * and axes where it has size 1 and the output does not).
 */
import { ShapeError } from '../errors.js';
import type { GraphBuilder, Value } from './builder.js';
import { shapeStr } from './shapes.js';

export function sumToShape(b: GraphBuilder, g: Value, like: Value, what: string): Value {
  const target = like.shape;
  const lead = g.shape.length - target.length;
  if (lead < 0)
    throw new ShapeError(`${what}: gradient ${shapeStr(g.shape)} has lower rank than operand ${shapeStr(target)}`);
  const axes: number[] = [];
  for (let i = 0; i < lead; i++) axes.push(i);
  target.forEach((t, j) => {
    const d = g.shape[lead + j];
    if (t === d) return;
    if (t === 1) axes.push(lead + j);
    else
      throw new ShapeError(
        `${what}: cannot tell whether operand ${shapeStr(target)} was broadcast to ${shapeStr(g.shape)} along axis ${lead + j}`,
      );
  });
  if (axes.length === 0) return g;
  const r = b.reduceSum(g, axes, true);
  // keepdims leaves [1 × lead, target…]; only the leading ones need removing.
  return lead === 0 ? r : b.reshape(r, b.shapeOf(like));
}
