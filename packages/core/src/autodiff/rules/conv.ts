/**
 * Conv (group 1, explicit pads): y = conv(x, w) + b.
 * - ∂x: see conv-input-grad.ts (a plain convolution of dy; ConvTranspose, the adjoint of the
 *   convolution in x, where that formulation does not apply).
 * - ∂w: see conv-weight-grad.ts.
 * - ∂b = Σ dy over batch and spatial axes.
 */
import { convInputGrad } from './conv-input-grad.js';
import { convWeightGrad } from './conv-weight-grad.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';
import { nodeWindow } from './window.js';

export const convVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  const X = inputAt(ctx, 0);
  const W = inputAt(ctx, 1);
  const g = outputGrad(ctx);
  const win = nodeWindow(node, W.shape.slice(2));
  const what = `Conv '${node.name}'`;
  const dX = needs[0] ? convInputGrad(b, X, W, g, win, what) : undefined;
  const dW = needs[1] ? convWeightGrad(b, X, g, win, what) : undefined;
  const spatialAxes = [0, ...Array.from({ length: win.spatial }, (_, i) => i + 2)];
  const dB = needs[2] ? b.reduceSum(g, spatialAxes, false) : undefined;
  return [dX, dW, dB];
};
