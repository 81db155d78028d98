/**
 * Conv (group 1, explicit pads): y = conv(x, w) + b.
 * - ∂x = ConvTranspose(dy, w) with the forward strides/pads/dilations: the transposed convolution
 *   is the adjoint of the convolution in x. `output_padding` restores the trailing input rows a
 *   strided forward never read (they get gradient 0), so ∂x has exactly x's shape.
 * - ∂w: see conv-weight-grad.ts.
 * - ∂b = Σ dy over batch and spatial axes.
 */
import { ShapeError } from '../../errors.js';
import { shapeStr } from '../shapes.js';
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
  let dX;
  if (needs[0]) {
    const outputPadding: number[] = [];
    for (let i = 0; i < win.spatial; i++) {
      const size = X.shape[i + 2];
      const out = g.shape[i + 2];
      if (typeof size !== 'number' || typeof out !== 'number')
        throw new ShapeError(`${what}: input gradient needs static spatial sizes, got ${shapeStr(X.shape)} → ${shapeStr(g.shape)}`);
      const base = win.strides[i] * (out - 1) + win.dilations[i] * (win.kernel[i] - 1) + 1 - win.pads[i] - win.pads[i + win.spatial];
      outputPadding.push(size - base);
    }
    dX = b.convTranspose(g, W, undefined, { strides: win.strides, pads: win.pads, dilations: win.dilations, outputPadding });
  }
  const dW = needs[1] ? convWeightGrad(b, X, g, win, what) : undefined;
  const spatialAxes = [0, ...Array.from({ length: win.spatial }, (_, i) => i + 2)];
  const dB = needs[2] ? b.reduceSum(g, spatialAxes, false) : undefined;
  return [dX, dW, dB];
};
