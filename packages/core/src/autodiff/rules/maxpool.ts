/**
 * MaxPool: each output takes one input element (ONNX Indices: its flat position in the whole
 * N·C·… input, padding excluded), so ∂x is dy scattered to those positions with accumulation —
 * ScatterElements(reduction='add') on the flattened tensors, which stays exact when overlapping
 * windows select the same element. The Indices output is added to the forward node when absent,
 * so the argmax is not recomputed.
 */
import { UnsupportedOpError } from '../../errors.js';
import { DataType } from '../../onnx/types.js';
import { getInt } from '../attributes.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const maxPoolVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  if (getInt(node, 'storage_order', 0) !== 0) throw new UnsupportedOpError(node.opType, node.name, 'storage_order=1 has no reverse rule');
  const X = inputAt(ctx, 0);
  const g = outputGrad(ctx);
  const indices = node.outputs[1] ?? b.addOutput(node, { dtype: DataType.INT64, shape: node.outputs[0].shape });
  const flat = b.scatterElements(b.reshape(b.zerosLike(X), [-1]), b.reshape(indices, [-1]), b.reshape(g, [-1]), 0, 'add');
  return [b.reshape(flat, b.shapeOf(X))];
};
