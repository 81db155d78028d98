/** Softmax along `axis`: ∂X = Y·(dY − Σ_axis dY·Y) (PyTorch's softmax backward). */
import { getInt } from '../attributes.js';
import { outputGrad, type VjpRule } from './types.js';

export const softmaxVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const g = outputGrad(ctx);
  const Y = node.outputs[0];
  const axis = getInt(node, 'axis', -1);
  return [b.mul(Y, b.sub(g, b.reduceSum(b.mul(g, Y), [axis], true)))];
};
