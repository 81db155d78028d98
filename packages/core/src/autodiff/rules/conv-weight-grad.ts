/**
 * Weight gradient of a convolution y = conv(x, w) (x [N,C,…], w [M,C,…k], y [N,M,…o]):
 *   ∂w[m,c,p] = Σ_n Σ_o dy[n,m,o] · x_pad[n,c, o·s + p·d].
 * Read with c as the batch and n as the channel, this is itself a convolution of xᵀ [C,N,…] with
 * the "kernel" dyᵀ [M,N,…o], with stride d and dilation s (roles swapped) and the same pads; its
 * result [C,M,…] is transposed to [M,C,…]. Rows beyond the kernel extent (input rows the forward
 * stride never reached) are trimmed from the end padding, then cropped with Gather if any remain.
 */
import { ShapeError } from '../../errors.js';
import type { GraphBuilder, Value } from '../builder.js';
import { shapeStr } from '../shapes.js';
import type { Window } from './window.js';

export function convWeightGrad(b: GraphBuilder, x: Value, dy: Value, w: Window, what: string): Value {
  const { spatial, kernel, strides, pads, dilations } = w;
  const perm = [1, 0, ...Array.from({ length: spatial }, (_, i) => i + 2)];
  const pads2 = [...pads];
  for (let i = 0; i < spatial; i++) {
    const size = x.shape[i + 2];
    const out = dy.shape[i + 2];
    if (typeof size !== 'number' || typeof out !== 'number')
      throw new ShapeError(`${what}: weight gradient needs static spatial sizes, got input ${shapeStr(x.shape)} and output ${shapeStr(dy.shape)}`);
    const used = strides[i] * (out - 1) + dilations[i] * (kernel[i] - 1) + 1;
    const leftover = size + pads[i] + pads[i + spatial] - used;
    pads2[i + spatial] -= Math.min(leftover, pads[i + spatial]);
  }
  let r = b.conv(b.transpose(x, perm), b.transpose(dy, perm), undefined, { strides: dilations, dilations: strides, pads: pads2 });
  for (let i = 0; i < spatial; i++) {
    if (r.shape[i + 2] !== kernel[i]) r = b.gather(r, b.int64s(Array.from({ length: kernel[i] }, (_, k) => k)), i + 2);
  }
  return b.transpose(r, perm);
}
