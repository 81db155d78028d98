/**
 * Clip(x, min, max) = min(max(x, min), max), for min ≤ max. ∂x = dY where min ≤ x ≤ max
 * (inclusive, as PyTorch's clamp backward); ∂min = Σ dY where x < min; ∂max = Σ dY where x > max.
 */
import type { Value } from '../builder.js';
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const clipVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  const X = inputAt(ctx, 0);
  const lo = node.inputs[1];
  const hi = node.inputs[2];
  const g = outputGrad(ctx);
  const zero = b.scalar(0, g.dtype);
  const below = lo ? b.less(X, lo) : undefined;
  const above = hi ? b.greater(X, hi) : undefined;
  let dX: Value | undefined;
  if (needs[0]) {
    dX = g;
    if (above) dX = b.where(above, zero, dX);
    if (below) dX = b.where(below, zero, dX);
  }
  const what = `Clip '${node.name}'`;
  const dLo = needs[1] && lo && below ? sumToShape(b, b.where(below, g, zero), lo, what) : undefined;
  const dHi = needs[2] && hi && above ? sumToShape(b, b.where(above, g, zero), hi, what) : undefined;
  return [dX, dLo, dHi];
};
