/**
 * MatMul (numpy semantics): ∂A = dY·Bᵀ, ∂B = Aᵀ·dY on the last two axes, summed over the batch
 * axes each operand was broadcast along. 1-D operands are promoted as numpy does ([k] → [1,k] on
 * the left, [k,1] on the right) and the inserted axis is re-inserted into dY first.
 */
import type { Value } from '../builder.js';
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const matmulVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  const A = inputAt(ctx, 0);
  const B = inputAt(ctx, 1);
  let g = outputGrad(ctx);
  const a2 = A.shape.length === 1 ? b.unsqueeze(A, [0]) : A;
  const b2 = B.shape.length === 1 ? b.unsqueeze(B, [1]) : B;
  if (B.shape.length === 1) g = b.unsqueeze(g, [g.shape.length]);
  if (A.shape.length === 1) g = b.unsqueeze(g, [g.shape.length - 1]);
  const swap = (x: Value): Value => {
    const perm = x.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
    return b.transpose(x, perm);
  };
  const restore = (grad: Value, promoted: Value, original: Value): Value => {
    const s = sumToShape(b, grad, promoted, `MatMul '${node.name}'`);
    return promoted === original ? s : b.reshape(s, b.shapeOf(original));
  };
  const dA = needs[0] ? restore(b.matmul(g, swap(b2)), a2, A) : undefined;
  const dB = needs[1] ? restore(b.matmul(swap(a2), g), b2, B) : undefined;
  return [dA, dB];
};
