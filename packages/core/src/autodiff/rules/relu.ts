/**
 * Relu: ∂X = dY where X > 0, else 0 (gradient 0 at X = 0, like PyTorch's threshold_backward).
 *
 * The mask is read off the output, Y > 0 ⇔ X > 0 (Y = max(X, 0)), so X keeps Relu as its only
 * consumer and ONNX Runtime can fuse the producing Conv/Gemm with the Relu.
 *
 * - float64 graphs (the reference): dY · float(Y > 0), exact for every Y.
 * - float32 graphs (what attacks and training run): dY · HardSigmoid(Y; α = 2¹²⁶, β = 0), one
 *   vectorised pass instead of Greater and a slow bool→float Cast (~0.6 ms of a 13 ms CNN PGD
 *   step). α·Y is exact (a power of two), so the mask is exactly 0 for Y = 0 and exactly 1 for
 *   every normal float32 Y ≥ 2⁻¹²⁶; only subnormal outputs 0 < Y < 2⁻¹²⁶ get the fraction
 *   2¹²⁶·Y ∈ (0, 1) instead of 1 (relu.test.ts pins this down).
 *
 * Both differ from Where(X > 0, dY, 0) only in the sign of zero (−dY·0 gives −0 where dY < 0) and
 * for non-finite dY in masked positions (±∞·0 = NaN instead of 0).
 *
 * When dY arrives through a Transpose (the channels-last interleave of a strided convolution's
 * input gradient, conv-input-grad.ts) and ∂X goes on into a blocked (NCHWc) convolution gradient,
 * the mask is applied before that Transpose, on Y transposed the same way: ORT turns the Transpose
 * of the blocked Y into its channels-last reorder, and the trailing Transpose into the next
 * convolution's input reorder, so no standalone NHWC → NCHW pass is left. (Into a ConvTranspose,
 * which needs NCHW, the Transpose would stay and the channels-last mask would only cost more.)
 */
import { DataType } from '../../onnx/types.js';
import type { GraphBuilder, Value } from '../builder.js';
import { convInputGradIsBlocked } from './conv-input-grad.js';
import { outputGrad, type VjpRule } from './types.js';

/** 2¹²⁶: the largest power of two whose product with every normal float32 > 0 is ≥ 1. */
const MASK_SCALE = 2 ** 126;

function mask(b: GraphBuilder, Y: Value, dtype: Value['dtype']): Value {
  if (Y.dtype === DataType.FLOAT) return b.hardSigmoid(Y, MASK_SCALE, 0);
  return b.cast(b.greater(Y, b.scalar(0, Y.dtype)), dtype);
}

export const reluVjp: VjpRule = (ctx) => {
  const { b, node } = ctx;
  const Y = node.outputs[0];
  const g = outputGrad(ctx);
  const t = b.producer(g);
  const src = node.inputs[0] && b.producer(node.inputs[0]);
  const toBlockedConv = src?.opType === 'Conv' && src.inputs[1] !== undefined && convInputGradIsBlocked(b, src.inputs[1]);
  if (toBlockedConv && t?.opType === 'Transpose' && t.inputs[0] && t.attrs.perm?.type === 'ints') {
    const perm = t.attrs.perm.ints.map(Number);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    const inner = t.inputs[0];
    return [b.transpose(b.mul(inner, mask(b, b.transpose(Y, inverse), g.dtype)), perm)];
  }
  return [b.mul(g, mask(b, Y, g.dtype))];
};
