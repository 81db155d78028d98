/**
 * Input gradient of a convolution y = conv(x, w) (group 1; x [N,C,…X], w [M,C,…K], y [N,M,…O]).
 *
 * ConvTranspose(dy, w) is the exact adjoint and always applies (`output_padding` restores the
 * trailing input rows a strided forward never read; they get gradient 0). ONNX Runtime runs it as
 * one small GEMM plus col2im per image, though, several times slower than its blocked (NCHWc)
 * convolution and barely faster on two threads than on one. So, where ORT can run them blocked,
 * the gradient is emitted as plain convolutions of dy. Per spatial axis (stride s, pad begin p,
 * dilation d, kernel K), with the sums over the same products, so equal to ConvTranspose up to
 * float32 summation order:
 *
 * - Stride 1: dx[i] = Σ_k dy[i + p − d·k] · w[k], a correlation of dy with w flipped along every
 *   spatial axis and its two channel axes swapped, same dilation, pads d(K−1) − p_begin at the
 *   start and d(K−1) − p_end at the end.
 *
 * - Stride s > 1 (2-D, dilation 1), sub-pixel: write i = s·q + r. Phase r only meets the taps
 *   k ≡ a (mod s), a = (r + p) mod s, i.e. k = a + s·j (j < J taps), and then o = q + c − j with
 *   c = ⌊(r + p)/s⌋:  dx[s·q + r] = Σ_j dy[q + c − j] · w[a + s·j],
 *   a stride-1 correlation of dy over a J-tap window (pad begin J − 1 − c) with exactly those taps
 *   (padding beyond the stride can push a window past dy[q]; it is then widened with zero taps).
 *   Each phase pair (r₁, r₂) is one convolution with C outputs (no zero taps, so together they do
 *   the forward's multiply-adds once); Concat along channels gives [N, s₁s₂C, Q₁, Q₂] and the phases
 *   are interleaved back channels-last: Transpose to NHWC (ORT turns it into the NCHWc reorder it
 *   needs anyway), a Transpose that moves whole s₂·C blocks, and one NHWC → NCHW Transpose.
 *   Element-granular interleaves (DepthToSpace, or Transposes with the phase axis innermost) were
 *   measured slower than ConvTranspose itself, which is why the interleave goes through NHWC.
 *
 * The kernel rearrangements are Transpose/Gather/Concat of w with constant indices, which ORT folds
 * into initializers when w is one, so its NCHWc transformer sees constant kernels. ORT only uses
 * NCHWc kernels for constant weights and channel counts that fill its block (8 or 16 floats):
 * elsewhere (weights fed as graph inputs, few channels such as the gradient into a 1-channel
 * image, dilated strided convolutions, pads the correlations cannot express) ConvTranspose is as
 * fast or faster and is kept; likewise for every convolution when the builder's `convGradients`
 * is 'convTranspose' (providers without NCHWc kernels).
 */
import { ShapeError } from '../../errors.js';
import type { GraphBuilder, Value } from '../builder.js';
import { shapeStr } from '../shapes.js';
import type { Window } from './window.js';

/** Channel counts ORT's NCHWc convolution handles without padding waste on any x86 block size. */
const NCHWC_BLOCK = 16;

const range = (n: number, from = 0, step = 1): number[] => Array.from({ length: n }, (_, i) => from + i * step);

/** w [M,C,…K] → [C,M,…K] reversed along every spatial axis. */
function flippedKernel(b: GraphBuilder, w: Value, kernel: readonly number[]): Value {
  let k = b.transpose(w, [1, 0, ...range(kernel.length, 2)]);
  kernel.forEach((K, i) => {
    if (K > 1) k = b.gather(k, b.int64s(range(K, K - 1, -1)), i + 2);
  });
  return k;
}

/**
 * ∂x as the stride-1 convolution of dy with the flipped kernel; undefined when the forward is
 * strided or padded beyond the dilated kernel (the flipped correlation would need negative pads).
 */
export function convInputGradByConv(b: GraphBuilder, w: Value, dy: Value, win: Window): Value | undefined {
  const { spatial, kernel, strides, pads, dilations } = win;
  const flipPads = pads.map((p, j) => dilations[j % spatial] * (kernel[j % spatial] - 1) - p);
  if (strides.some((s) => s !== 1) || flipPads.some((p) => p < 0)) return undefined;
  return b.conv(dy, flippedKernel(b, w, kernel), undefined, { pads: flipPads, dilations });
}

/**
 * One output phase along one axis: the kernel index at each window position (K: a zero tap) and
 * the window's pads.
 */
interface Phase {
  taps: number[];
  padBegin: number;
  padEnd: number;
}

/** The phases of one axis, or undefined when some phase has no tap or would need a negative end pad. */
function axisPhases(X: number, O: number, K: number, s: number, p: number): { phases: Phase[]; Q: number } | undefined {
  const Q = Math.ceil(X / s);
  const phases: Phase[] = [];
  for (let r = 0; r < s; r++) {
    const a = (r + p) % s;
    const c = Math.floor((r + p) / s);
    const J = a < K ? Math.ceil((K - a) / s) : 0;
    if (J === 0) return undefined;
    // Window position t reads dy[q + c − J + 1 + t], i.e. tap j = J − 1 − t. A window that starts
    // past dy[q] (c ≥ J, padding beyond the stride) is widened to start at dy[q] with zero taps.
    const lead = Math.max(0, c - J + 1);
    const taps = [...new Array<number>(lead).fill(K), ...range(J, a + s * (J - 1), -s)];
    const padBegin = J - 1 - c + lead;
    const padEnd = Q - O - padBegin + taps.length - 1;
    if (padEnd < 0) return undefined;
    phases.push({ taps, padBegin, padEnd });
  }
  return { phases, Q };
}

/** `w` with one zero slice appended along `axis` (index K of that axis reads 0). */
function zeroExtended(b: GraphBuilder, w: Value, axis: number): Value {
  const dims = w.shape.map((d, i) => (i === axis ? 1 : (d as number)));
  return b.concat([w, b.constant(new Array<number>(dims.reduce((n, d) => n * d, 1)).fill(0), dims, w.dtype)], axis);
}

/**
 * ∂x of a 2-D convolution as sub-pixel convolutions interleaved channels-last (see above);
 * undefined where that formulation does not apply (other ranks, dilation, pads it cannot express).
 */
export function convInputGradBySubPixel(b: GraphBuilder, w: Value, dy: Value, win: Window, sizes: readonly number[], outs: readonly number[]): Value | undefined {
  const { spatial, kernel, strides, pads, dilations } = win;
  const C = w.shape[1];
  if (spatial !== 2 || typeof C !== 'number' || !w.shape.every((d) => typeof d === 'number') || dilations.some((d) => d !== 1)) return undefined;
  const axes = [0, 1].map((i) => axisPhases(sizes[i], outs[i], kernel[i], strides[i], pads[i]));
  const [h, v] = axes;
  if (!h || !v) return undefined;
  let wz = w;
  [h, v].forEach((ax, i) => {
    if (ax.phases.some((ph) => ph.taps.includes(kernel[i]))) wz = zeroExtended(b, wz, i + 2);
  });
  const [sh, sv] = [h.phases.length, v.phases.length];
  // Per r₁: [N, (r₂, c), Q₁, Q₂] → NHWC [N, Q₁, Q₂, (r₂, c)], i.e. output row s₁·q + r₁ as
  // [N, Q₁, 1, Q₂s₂·C]; the rows are then interleaved by one Concat along that unit axis, which
  // moves whole rows (a 5-D Transpose moving s₂·C blocks was measured slower).
  const rows = h.phases.map((ph) => {
    const parts = v.phases.map((pv) => {
      const k = b.gather(b.gather(wz, b.int64s(ph.taps), 2), b.int64s(pv.taps), 3);
      return b.conv(dy, b.transpose(k, [1, 0, 2, 3]), undefined, { pads: [ph.padBegin, pv.padBegin, ph.padEnd, pv.padEnd] });
    });
    return b.reshape(b.transpose(sv > 1 ? b.concat(parts, 1) : parts[0]!, [0, 2, 3, 1]), [0, h.Q, 1, v.Q * sv * C]);
  });
  let y = b.reshape(sh > 1 ? b.concat(rows, 2) : rows[0]!, [0, h.Q * sh, v.Q * sv, C]);
  if (h.Q * sh !== sizes[0]) y = b.gather(y, b.int64s(range(sizes[0])), 1);
  if (v.Q * sv !== sizes[1]) y = b.gather(y, b.int64s(range(sizes[1])), 2);
  return b.transpose(y, [0, 3, 1, 2]);
}

/**
 * ∂x through few input channels (C·K₁·K₂ ≤ 16, e.g. a first layer on a grey image), stride 1, as
 * three blocked convolutions with the same products as the flipped-kernel correlation, summed in
 * another order: z[t] = Σ_m w[m,c,k]·dy[m] for every tap t = (c, k) (1×1, T outputs padded to a
 * full block); a depthwise one-hot convolution that shifts channel t by its flipped tap,
 * s[t, i] = z[t, i + p − k]; and a 0/1 1×1 convolution summing each c's taps, dx[c] = Σ_k s[(c,k)].
 * (A plain correlation with C outputs would pad them to a block of 16 and do 16× the work; ORT's
 * ConvTranspose is slower still.) Undefined where it does not apply.
 */
export function convInputGradByTaps(b: GraphBuilder, w: Value, dy: Value, win: Window): Value | undefined {
  const { spatial, kernel, strides, pads, dilations } = win;
  const [M, C] = w.shape;
  if (spatial !== 2 || typeof M !== 'number' || typeof C !== 'number' || strides.some((s) => s !== 1) || dilations.some((d) => d !== 1)) return undefined;
  const [K1, K2] = kernel;
  const K = K1 * K2;
  const T = C * K;
  const flipPads = pads.map((p, j) => kernel[j % 2] - 1 - p);
  if (T > NCHWC_BLOCK || flipPads.some((p) => p < 0)) return undefined;
  // [M, C, K1, K2] → [(c, k1, k2), M, 1, 1], zero rows up to the block.
  let mix = b.transpose(b.reshape(w, [M, T]), [1, 0]);
  if (T < NCHWC_BLOCK) mix = b.concat([mix, b.constant(new Array<number>((NCHWC_BLOCK - T) * M).fill(0), [NCHWC_BLOCK - T, M], w.dtype)], 0);
  const z = b.conv(dy, b.reshape(mix, [NCHWC_BLOCK, M, 1, 1]));
  const shift = new Array<number>(NCHWC_BLOCK * K).fill(0);
  const gather = new Array<number>(C * NCHWC_BLOCK).fill(0);
  for (let t = 0; t < T; t++) {
    const k = t % K;
    shift[t * K + (K - 1 - k)] = 1; // tap (k1, k2) read at (K1 − 1 − k1, K2 − 1 − k2)
    gather[Math.floor(t / K) * NCHWC_BLOCK + t] = 1;
  }
  const s = b.conv(z, b.constant(shift, [NCHWC_BLOCK, 1, K1, K2], w.dtype), undefined, { pads: flipPads, group: NCHWC_BLOCK });
  return b.conv(s, b.constant(gather, [C, NCHWC_BLOCK, 1, 1], w.dtype));
}

/**
 * Whether ∂x of a convolution with kernel `w` is emitted as blocked (NCHWc) convolutions, whose
 * input reorder can absorb a preceding NHWC → NCHW Transpose (relu.ts relies on this).
 */
export function convInputGradIsBlocked(b: GraphBuilder, w: Value): boolean {
  const [M, C] = w.shape;
  const taps = w.shape.slice(1).every((d) => typeof d === 'number') ? w.shape.slice(1).reduce<number>((a, d) => a * (d as number), 1) : Infinity;
  return b.convGradients === 'conv' && b.isInitializer(w) && typeof M === 'number' && typeof C === 'number' && M % NCHWC_BLOCK === 0 && (C % NCHWC_BLOCK === 0 || taps <= NCHWC_BLOCK);
}

/** ∂x of conv(x, w) given dy, shaped like x, in the formulation ORT runs fastest (see above). */
export function convInputGrad(b: GraphBuilder, x: Value, w: Value, dy: Value, win: Window, what: string): Value {
  const { spatial, kernel, strides, pads, dilations } = win;
  const sizes: number[] = [];
  const outs: number[] = [];
  for (let i = 0; i < spatial; i++) {
    const size = x.shape[i + 2];
    const out = dy.shape[i + 2];
    if (typeof size !== 'number' || typeof out !== 'number')
      throw new ShapeError(`${what}: input gradient needs static spatial sizes, got ${shapeStr(x.shape)} → ${shapeStr(dy.shape)}`);
    sizes.push(size);
    outs.push(out);
  }
  if (convInputGradIsBlocked(b, w)) {
    const C = w.shape[1] as number;
    const stride1 = strides.every((s) => s === 1);
    const byConv =
      C % NCHWC_BLOCK !== 0 ? convInputGradByTaps(b, w, dy, win) : stride1 ? convInputGradByConv(b, w, dy, win) : convInputGradBySubPixel(b, w, dy, win, sizes, outs);
    if (byConv) return byConv;
  }
  const outputPadding = sizes.map((X, i) => X - (strides[i] * (outs[i] - 1) + dilations[i] * (kernel[i] - 1) + 1 - pads[i] - pads[i + spatial]));
  return b.convTranspose(dy, w, undefined, { strides, pads, dilations, outputPadding });
}
