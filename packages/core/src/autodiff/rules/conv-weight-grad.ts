/**
 * Weight gradient of a convolution y = conv(x, w) (x [N,C,…], w [M,C,…k], y [N,M,…o]):
 *   ∂w[m,c,p] = Σ_n Σ_o dy[n,m,o] · x_pad[n,c, o·s + p·d].
 *
 * Two exact formulations (the same products, summed in a different order):
 * - GEMM (C ≥ GEMM_MIN_CHANNELS): with x channels-last and flattened, one Gather with a constant
 *   [O, K] table of input pixels (padding reads an appended zero pixel) unfolds the patches
 *   P [N·O, K·C]; then ∂wᵀ = Pᵀ dy, a single [K·C × N·O] · [N·O × M] GEMM. In ONNX Runtime this is
 *   markedly faster than the convolution below, whose GEMMs are only k₁·k₂ columns wide.
 * - Convolution (few channels, where the unfolded patches would be copied one float at a time):
 *   read with c as the batch and n as the channel, the sum is a convolution of xᵀ [C,N,…] with the
 *   "kernel" dyᵀ [M,N,…o], with stride d and dilation s (roles swapped) and the same pads; its
 *   result [C,M,…] is transposed to [M,C,…]. Rows beyond the kernel extent (input rows the forward
 *   stride never reached) are trimmed from the end padding, then cropped with Gather if any remain.
 */
import { ShapeError } from '../../errors.js';
import { DataType } from '../../onnx/types.js';
import type { GraphBuilder, Value } from '../builder.js';
import { shapeStr } from '../shapes.js';
import type { Window } from './window.js';

/** Below this many input channels the patch Gather copies too little per index to pay off. */
const GEMM_MIN_CHANNELS = 8;

/** Row-major coordinates of flat index `i` in a box of `dims`. */
function unflatten(i: number, dims: readonly number[]): number[] {
  const c = new Array<number>(dims.length);
  for (let a = dims.length - 1; a >= 0; a--) {
    c[a] = i % dims[a];
    i = Math.floor(i / dims[a]);
  }
  return c;
}

function weightGradGemm(b: GraphBuilder, x: Value, dy: Value, win: Window, sizes: readonly number[], outs: readonly number[]): Value {
  const { spatial, kernel, strides, pads, dilations } = win;
  const C = x.shape[1] as number;
  const M = dy.shape[1] as number;
  const prod = (d: readonly number[]): number => d.reduce((a, v) => a * v, 1);
  const P = prod(sizes);
  const K = prod(kernel);
  const O = prod(outs);
  const table: number[] = [];
  for (let o = 0; o < O; o++) {
    const oc = unflatten(o, outs);
    for (let k = 0; k < K; k++) {
      const kc = unflatten(k, kernel);
      let flat = 0;
      let inside = true;
      for (let i = 0; i < spatial; i++) {
        const pos = oc[i] * strides[i] + kc[i] * dilations[i] - pads[i];
        if (pos < 0 || pos >= sizes[i]) inside = false;
        flat = flat * sizes[i] + pos;
      }
      table.push(inside ? flat : P);
    }
  }
  const channelsLast = [0, ...Array.from({ length: spatial }, (_, i) => i + 2), 1];
  const xt = b.reshape(b.transpose(x, channelsLast), [0, P, C]);
  const batch = b.gather(b.shapeOf(x), b.int64s([0]));
  const zeroPixel = b.constantOfShape(b.concat([batch, b.int64s([1, C])], 0), 0, x.dtype);
  const patches = b.gather(b.concat([xt, zeroPixel], 1), b.constant(table, [O, K], DataType.INT64), 1);
  const dyt = b.reshape(b.transpose(dy, channelsLast), [-1, M]);
  // Pᵀ·dy [K·C, M] rather than dyᵀ·P: MLAS packs the GEMM's B operand, and dy [N·O, M] is the smaller.
  const g = b.gemm(b.reshape(patches, [-1, K * C]), dyt, undefined, { transA: true });
  // [K·C, M] → […k, C, M] → [M, C, …k]
  return b.transpose(b.reshape(g, [...kernel, C, M]), [spatial + 1, spatial, ...Array.from({ length: spatial }, (_, i) => i)]);
}

function weightGradConv(b: GraphBuilder, x: Value, dy: Value, win: Window, sizes: readonly number[], outs: readonly number[]): Value {
  const { spatial, kernel, strides, pads, dilations } = win;
  const perm = [1, 0, ...Array.from({ length: spatial }, (_, i) => i + 2)];
  const pads2 = [...pads];
  for (let i = 0; i < spatial; i++) {
    const used = strides[i] * (outs[i] - 1) + dilations[i] * (kernel[i] - 1) + 1;
    const leftover = sizes[i] + pads[i] + pads[i + spatial] - used;
    pads2[i + spatial] -= Math.min(leftover, pads[i + spatial]);
  }
  let r = b.conv(b.transpose(x, perm), b.transpose(dy, perm), undefined, { strides: dilations, dilations: strides, pads: pads2 });
  for (let i = 0; i < spatial; i++) {
    if (r.shape[i + 2] !== kernel[i]) r = b.gather(r, b.int64s(Array.from({ length: kernel[i] }, (_, k) => k)), i + 2);
  }
  return b.transpose(r, perm);
}

export function convWeightGrad(b: GraphBuilder, x: Value, dy: Value, win: Window, what: string): Value {
  const sizes: number[] = [];
  const outs: number[] = [];
  for (let i = 0; i < win.spatial; i++) {
    const size = x.shape[i + 2];
    const out = dy.shape[i + 2];
    if (typeof size !== 'number' || typeof out !== 'number')
      throw new ShapeError(`${what}: weight gradient needs static spatial sizes, got input ${shapeStr(x.shape)} and output ${shapeStr(dy.shape)}`);
    sizes.push(size);
    outs.push(out);
  }
  const C = x.shape[1];
  const M = dy.shape[1];
  const gemm = typeof C === 'number' && typeof M === 'number' && C >= GEMM_MIN_CHANNELS;
  return gemm ? weightGradGemm(b, x, dy, win, sizes, outs) : weightGradConv(b, x, dy, win, sizes, outs);
}
