/**
 * Shared by the Reduce* rules: the reduced axes of a recorded node (ReduceSum takes them as an
 * input since opset 13, the others as an attribute in opset ≤ 17) and the output gradient with the
 * reduced axes restored as size-1 axes, ready to broadcast against the input.
 */
import { UnsupportedOpError } from '../../errors.js';
import { getInt, getInts } from '../attributes.js';
import type { Value } from '../builder.js';
import { normAxis } from '../shapes.js';
import { inputAt, type VjpContext } from './types.js';

export interface Reduction {
  axes: number[];
  keepdims: boolean;
  /** noop_with_empty_axes with no axes: the op is an identity. */
  noop: boolean;
}

export function nodeReduction(ctx: VjpContext): Reduction {
  const { b, node } = ctx;
  const X = inputAt(ctx, 0);
  const rank = X.shape.length;
  let axes: readonly number[] | undefined;
  if (node.opType === 'ReduceSum') {
    const a = node.inputs[1];
    if (a) {
      const known = b.knownInts(a);
      if (!known || !known.every((d): d is number => typeof d === 'number'))
        throw new UnsupportedOpError(node.opType, node.name, 'axes computed at run time have no reverse rule');
      axes = known;
    }
  } else {
    axes = getInts(node, 'axes');
  }
  const empty = axes === undefined || axes.length === 0;
  const noop = empty && getInt(node, 'noop_with_empty_axes', 0) === 1;
  const norm = empty ? Array.from({ length: rank }, (_, i) => i) : axes!.map((x) => normAxis(x, rank, `${node.opType} '${node.name}'`));
  return { axes: [...new Set(norm)].sort((p, q) => p - q), keepdims: getInt(node, 'keepdims', 1) === 1, noop };
}

/** `v` (shaped like the reduced output) with the reduced axes re-inserted as size 1. */
export function restoreReduced(ctx: VjpContext, v: Value, r: Reduction): Value {
  return r.keepdims || r.axes.length === 0 ? v : ctx.b.unsqueeze(v, r.axes);
}
