/**
 * Products of tensor dimensions as float scalars, computed at run time from Shape when a dimension
 * is symbolic (the batch size N of a mean reduction).
 */
import { DataType, type DataTypeCode } from '../onnx/types.js';
import type { GraphBuilder, Value } from './builder.js';

export function dimsProduct(b: GraphBuilder, x: Value, axes: readonly number[], dtype: DataTypeCode): Value {
  let fixed = 1;
  let dynamic: Value | undefined;
  for (const a of axes) {
    const d = x.shape[a];
    if (typeof d === 'number') {
      fixed *= d;
      continue;
    }
    const size = b.cast(b.gather(b.shapeOf(x), b.constant([a], [], DataType.INT64), 0), dtype);
    dynamic = dynamic ? b.mul(dynamic, size) : size;
  }
  if (!dynamic) return b.scalar(fixed, dtype);
  return fixed === 1 ? dynamic : b.mul(dynamic, b.scalar(fixed, dtype));
}
