/**
 * Channels-last layouts of the tensors between layers ("levels"), as the kernels (kernels.ts)
 * store them, and the permutations between them and the row-major (C-order) layout of the IR.
 * Level 0 is the network input, level i + 1 the output of layer i.
 */
import type { IntervalPlan } from './plan.js';

export interface LevelLayout {
  /** The IR shape (batch excluded). */
  readonly shape: readonly number[];
  /** Channels-last extents: rank-3 [C, H, W] → (H, W, C); anything else is flat (1, 1, size). */
  readonly H: number;
  readonly W: number;
  readonly C: number;
  readonly size: number;
  /** chw[i] = C-order index of channels-last index i; null when the two orders coincide. */
  readonly chw: Int32Array | null;
}

export function levelLayout(shape: readonly number[]): LevelLayout {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length !== 3 || (shape[1] === 1 && shape[2] === 1) || shape[0] === 1) {
    // [1, H, W] and [C, 1, 1] have the same order either way.
    return shape.length === 3
      ? { shape, H: shape[1]!, W: shape[2]!, C: shape[0]!, size, chw: null }
      : { shape, H: 1, W: 1, C: size, size, chw: null };
  }
  const [C, H, W] = shape as [number, number, number];
  const chw = new Int32Array(size);
  let i = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) chw[i++] = (c * H + y) * W + x;
  return { shape, H, W, C, size, chw };
}

/** Layouts of every level of a plan (length steps + 1). */
export function planLayouts(plan: IntervalPlan): LevelLayout[] {
  return [levelLayout(plan.inputShape), ...plan.shapes.map((s) => levelLayout(s))];
}

/** Copies n examples from C order (src) into channels-last order (dst). */
export function toChannelsLast(layout: LevelLayout, src: ArrayLike<number>, dst: Float64Array, dstOff: number, n: number): void {
  const { size, chw } = layout;
  for (let e = 0; e < n; e++) {
    const s = e * size;
    const d = dstOff + e * size;
    if (!chw) for (let i = 0; i < size; i++) dst[d + i] = src[s + i]!;
    else for (let i = 0; i < size; i++) dst[d + i] = src[s + chw[i]!]!;
  }
}

/** Copies n examples from channels-last order (src) into C order (dst). */
export function fromChannelsLast(layout: LevelLayout, src: Float64Array, srcOff: number, dst: Float64Array, dstOff: number, n: number): void {
  const { size, chw } = layout;
  for (let e = 0; e < n; e++) {
    const s = srcOff + e * size;
    const d = dstOff + e * size;
    if (!chw) dst.set(src.subarray(s, s + size), d);
    else for (let i = 0; i < size; i++) dst[d + chw[i]!] = src[s + i]!;
  }
}

/**
 * The gather index of a reshape between two levels holding the same C-order data:
 * out[i] = in[index[i]] in channels-last order; null when it is the identity.
 */
export function reshapeIndex(from: LevelLayout, to: LevelLayout): Int32Array | null {
  if (!from.chw && !to.chw) return null;
  const inv = new Int32Array(from.size);
  for (let i = 0; i < from.size; i++) inv[from.chw ? from.chw[i]! : i] = i;
  const index = new Int32Array(to.size);
  let identity = true;
  for (let i = 0; i < to.size; i++) {
    index[i] = inv[to.chw ? to.chw[i]! : i]!;
    if (index[i] !== i) identity = false;
  }
  return identity ? null : index;
}

/** The inverse permutation (for the backward pass of a reshape). */
export function invertIndex(index: Int32Array): Int32Array {
  const inv = new Int32Array(index.length);
  for (let i = 0; i < index.length; i++) inv[index[i]!] = i;
  return inv;
}

/**
 * Window of the input level that receives a backward pass through a strided window operation
 * (conv, pool): patches of extent `p` at the output level grow to min((p − 1)·s + (k − 1)·d + 1, n)
 * cells of the n-cell input level. The origin is clamped into [0, n − extent], which keeps every
 * in-range tap inside the window (taps outside [0, n) hit padding and are dropped).
 */
export function backwardExtent(p: number, stride: number, kernel: number, dilation: number, n: number): number {
  return Math.min((p - 1) * stride + (kernel - 1) * dilation + 1, n);
}

export function backwardOrigin(origin: number, stride: number, pad: number, extent: number, n: number): number {
  return Math.min(Math.max(origin * stride - pad, 0), n - extent);
}
