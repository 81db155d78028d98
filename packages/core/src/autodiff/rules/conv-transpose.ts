/**
 * ConvTranspose (group 1, explicit pads, no output_shape): y = convT(x, w) + b, the adjoint of
 * conv(·, w). Hence ∂x = conv(dy, w) with the same strides/pads/dilations (output_padding < stride
 * only adds rows the floor in the conv output size drops again), ∂w is the weight gradient of that
 * convolution with dy as its input and x as its output gradient, and ∂b = Σ dy.
 */
import { UnsupportedOpError } from '../../errors.js';
import { getInts } from '../attributes.js';
import { convWeightGrad } from './conv-weight-grad.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';
import { nodeWindow } from './window.js';

export const convTransposeVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  if (getInts(node, 'output_shape')) throw new UnsupportedOpError(node.opType, node.name, 'output_shape has no reverse rule; use pads/output_padding');
  const X = inputAt(ctx, 0);
  const W = inputAt(ctx, 1);
  const g = outputGrad(ctx);
  const win = nodeWindow(node, W.shape.slice(2));
  const dX = needs[0] ? b.conv(g, W, undefined, { strides: win.strides, pads: win.pads, dilations: win.dilations }) : undefined;
  const dW = needs[1] ? convWeightGrad(b, g, X, win, `ConvTranspose '${node.name}'`) : undefined;
  const dB = needs[2] ? b.reduceSum(g, [0, ...Array.from({ length: win.spatial }, (_, i) => i + 2)], false) : undefined;
  return [dX, dW, dB];
};
