/**
 * Relu: ∂X = dY where X > 0, else 0 (gradient 0 at X = 0, like PyTorch's threshold_backward).
 *
 * The mask is read off the output, Y > 0 ⇔ X > 0 (Y = max(X, 0)), so X keeps Relu as its only
 * consumer and ONNX Runtime can fuse the producing Conv/Gemm with the Relu. It is applied as
 * dY · float(Y > 0), vectorised Mul/Cast kernels being markedly faster in ORT than Where.
 * Values are those of Where(X > 0, dY, 0) except for the sign of zero (−dY·0 gives −0 where dY < 0)
 * and for non-finite dY in masked positions (±∞·0 = NaN instead of 0).
 */
import { outputGrad, type VjpRule } from './types.js';

export const reluVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const Y = node.outputs[0];
  const g = outputGrad(ctx);
  return [b.mul(g, b.cast(b.greater(Y, b.scalar(0, Y.dtype)), g.dtype))];
};
