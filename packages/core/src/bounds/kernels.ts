/**
 * The kernel ABI every bound engine implements: a linear memory plus the numeric kernels of
 * interval bound propagation (IBP) and of the CROWN backward pass. The drivers in this folder
 * (prepared-network.ts, crown/) are written once against this interface; the plain-TS reference
 * (reference/kernels.ts) and the AssemblyScript build (@minmax/bounds-wasm) implement it with
 * the same signatures and the same rounding, and `intervalConformanceCases` holds both to it.
 *
 * Conventions:
 * - Every pointer is a byte address into `memory`, 16-byte aligned when it starts a buffer;
 *   f64 buffers hold IEEE binary64, index buffers i32. Kernels never allocate.
 * - Tensors are channels-last: a per-example tensor of shape [C, H, W] is stored as [H, W, C]
 *   (flat tensors [N] are [1, 1, N]). Channels-last makes the channel axis contiguous, so
 *   convolutions become plain matrix products and patches copy whole channel vectors.
 * - A "patch block" is `rows` row vectors over one tensor level (H, W, C), each restricted to a
 *   window of ph×pw positions whose top-left corner is the row's origin (origins: i32 pairs
 *   (oy, ox), oy ∈ [0, H − ph], ox ∈ [0, W − pw]), stored [rows, ph, pw, C]. A full row is a
 *   patch with ph = H, pw = W and origin (0, 0).
 * - Rounding: where a kernel promises a bound, it rounds outward with the formulas of float.ts
 *   (proofs in packages/bounds-wasm/README.md). Kernels that only transport values (gemm, im2col,
 *   col2im, gather, scale) round to nearest: the drivers account for their rounding error
 *   separately (see crown/backward.ts), so their summation order is free.
 */

/** What the engine's linear memory must offer (WebAssembly.Memory satisfies it). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  /** Grows by `pages` 64 KiB pages; returns the previous size in pages. */
  grow(pages: number): number;
}

export interface BoundKernels {
  /** 'reference' or 'wasm'. */
  readonly name: string;
  readonly memory: KernelMemory;
  /** First byte the allocator may use. */
  heapBase(): number;

  // ---- transport (round to nearest; callers bound the error)

  /** C[M×N] = A[M×K]·B[K×N], row-major and contiguous. Each C entry is a sum of K products in any order. */
  gemm(a: number, b: number, c: number, M: number, K: number, N: number): void;
  /**
   * Patch rows of a channels-last convolution input: x is nb examples [H, W, C]; col becomes
   * [nb·outH·outW, kH·kW·C] with column (ky·kW + kx)·C + c = x[oy·sH − pT + ky·dH, ox·sW − pL + kx·dW, c]
   * (0 outside the input: exact zero padding).
   */
  im2col(
    x: number, col: number, nb: number, H: number, W: number, C: number, outH: number, outW: number,
    kH: number, kW: number, sH: number, sW: number, pT: number, pL: number, dH: number, dW: number,
  ): void;
  /** dst[r·len + i] = src[r·len + index[i]] for r < rows (layout permutations). */
  gather(src: number, dst: number, index: number, len: number, rows: number): void;
  /** x[r·N + j] += bias[j] for r < rows (point forward pass of the α-CROWN gradient). */
  addBias(x: number, bias: number, rows: number, N: number): void;

  // ---- interval bound propagation (outward rounding)

  /**
   * Centre/radius form of len boxes for a linear map with n-term dot products:
   * c = fl((l + u)/2), rt ≥ max(u − c, c − l) + κₙ·|c| (rounded up). An infinite endpoint gives
   * c = 0, rt = +∞.
   */
  centerRadius(l: number, u: number, c: number, rt: number, len: number, n: number): void;
  /**
   * Bounds of W x + b from the products S = fl(W c) and P = fl(|W| rt) (rows×N, bias per column,
   * n-term dot products): lower ≤ (W x + b) ≤ upper for every x in the boxes (README, "Linear
   * layers"). Non-finite intermediates give −∞/+∞.
   */
  finalizeLinear(s: number, p: number, bias: number, lower: number, upper: number, rows: number, N: number, n: number): void;
  /** ReLU of boxes, [max(l, 0), max(u, 0)] (exact). In place allowed. */
  relu(l: number, u: number, outL: number, outU: number, len: number): void;
  /** y = x·s + t elementwise (s, t of `size` values, repeated for n examples), outward rounded. In place allowed. */
  affine(scale: number, shift: number, size: number, l: number, u: number, outL: number, outU: number, n: number): void;
  /** AveragePool of channels-last boxes [inH, inW, C] → [outH, outW, C], outward rounded. */
  avgpool(
    C: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number, sH: number, sW: number,
    pT: number, pL: number, countIncludePad: number, l: number, u: number, outL: number, outU: number, n: number,
  ): void;
  /** m = max(|l|, |u|) elementwise (exact). */
  maxAbs(l: number, u: number, m: number, len: number): void;
  /** p ← an upper bound of the exact sum whose float evaluation (n non-negative terms) gave p, elementwise. */
  roundUpSums(p: number, len: number, n: number): void;

  // ---- CROWN backward pass over patch blocks (origins: i32 pairs; levelW, C: the level's width and channels)

  /**
   * Transposed convolution of patch rows: z holds, for each row and each of its ph×pw positions,
   * the kH·kW·Ci values (tap-major, channel-minor) of that position's output-channel vector times
   * the kernel; they are added into the input-level patch a' [rows, nph, npw, Ci] (zeroed first)
   * at input position (Y·sH − pT + ky·dH, X·sW − pL + kx·dW); taps outside [0, Hin)×[0, Win) (padding) are dropped.
   */
  col2im(
    z: number, out: number, rows: number, ph: number, pw: number, origins: number, nph: number, npw: number, newOrigins: number,
    Hin: number, Win: number, Ci: number, kH: number, kW: number, sH: number, sW: number, pT: number, pL: number,
    dH: number, dW: number,
  ): void;
  /** Affine step backward: a[r, p, c] ← a[r, p, c]·scale[abs index] (in place). */
  scaleRows(a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number, scale: number): void;
  /**
   * AveragePool backward: out (input-level patch [rows, nph, npw, C], zeroed first) receives
   * a[r, Y, X, c] / divisor(Y, X) at every input cell of the window of output cell (Y, X).
   */
  avgpoolBackward(
    a: number, out: number, rows: number, ph: number, pw: number, origins: number, nph: number, npw: number, newOrigins: number,
    C: number, inH: number, inW: number, kH: number, kW: number, sH: number, sW: number, pT: number, pL: number, countIncludePad: number,
  ): void;
  /** Scatters patch rows into full rows [rows, H, W, C] (zeros elsewhere). */
  patchToFull(a: number, out: number, rows: number, ph: number, pw: number, C: number, origins: number, H: number, W: number): void;
  /**
   * The sound terms of one linear step y = W x + b for each row's multiplier a (at y's level):
   * acc[r] ← a float ≤ acc[r] + a·b − κₙ·(|a|·q) − tiny, where q ≥ |W|·max(|l_x|, |u_x|)
   * (q at y's level) and κₙ bounds the relative error of the n-term products that carry a back to
   * x's level (README, "CROWN"). bias: per channel (biasFull 0) or per cell (1); 0 = no bias.
   */
  linearTerms(
    a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number,
    bias: number, biasFull: number, q: number, n: number, tiny: number, acc: number,
  ): void;
  /**
   * ReLU backward with the triangle relaxation at pre-activation bounds [l, u] (level cells):
   * stable active cells keep a, inactive ones become 0, unstable ones become slope·a with the
   * upper slope slopeUp when a < 0 and the lower slope (slopeLow, per cell, or per row and cell
   * when lowPerRow = 1, full rows only) otherwise; acc[r] ← a float ≤ acc[r] + Σ_unstable min over
   * the triangle's vertices of (a·z − a'·ẑ). When hat ≠ 0 the incoming a is saved there first
   * ([rows, ph, pw, C]). In place.
   */
  reluBackward(
    a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number,
    l: number, u: number, slopeUp: number, slopeLow: number, lowPerRow: number, acc: number, hat: number,
  ): void;
  /** acc[r] ← a float ≤ acc[r] + min over the box [l, u] (level cells) of a·x. */
  boxTerm(a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number, l: number, u: number, acc: number): void;

  // ---- α-CROWN gradient (round to nearest: an optimiser direction, not a bound)

  /** x[r, i] = l[i] if hat[r, i] ≥ 0 else u[i]: the box corner minimising hat·x. */
  selectCorner(hat: number, l: number, u: number, x: number, rows: number, size: number): void;
  /**
   * The relaxed ReLU forward of the point x* for each row (full rows): z ← α·z on unstable cells
   * with hat ≥ 0, slopeUp·(z − l) with hat < 0, z on active and 0 on inactive cells; grad[r, i] =
   * hat·z (before the update) on unstable cells with hat ≥ 0, else 0. In place on z.
   */
  reluForward(z: number, rows: number, size: number, l: number, u: number, slopeUp: number, alpha: number, hat: number, grad: number): void;
}
