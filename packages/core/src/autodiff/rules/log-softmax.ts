/**
 * LogSoftmax along `axis`: Y = X − logsumexp(X); ∂X = dY − exp(Y)·Σ_axis dY. This is PyTorch's
 * log_softmax backward (softmax recovered as exp of the output), so float32 rounding of the
 * cross-entropy gradient matches PyTorch's.
 */
import { getInt } from '../attributes.js';
import { outputGrad, type VjpRule } from './types.js';

export const logSoftmaxVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const g = outputGrad(ctx);
  const Y = node.outputs[0];
  const axis = getInt(node, 'axis', -1);
  return [b.sub(g, b.mul(b.exp(Y), b.reduceSum(g, [axis], true)))];
};
