/**
 * Reference kernels that move values between layouts (round to nearest; see kernels.ts): im2col
 * for channels-last convolutions, the transposed convolution and pooling of patch rows in the
 * CROWN backward pass, layout permutations, scatters and bias additions.
 */

/** kernels.ts `im2col`. */
export function im2col(
  f: Float64Array, x: number, col: number, nb: number, H: number, W: number, C: number, outH: number, outW: number,
  kH: number, kW: number, sH: number, sW: number, pT: number, pL: number, dH: number, dW: number,
): void {
  let q = col >> 3;
  const plane = H * W * C;
  for (let e = 0; e < nb; e++) {
    const base = (x >> 3) + e * plane;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let ky = 0; ky < kH; ky++) {
          const iy = oy * sH - pT + ky * dH;
          for (let kx = 0; kx < kW; kx++) {
            const ix = ox * sW - pL + kx * dW;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
              const src = base + (iy * W + ix) * C;
              for (let c = 0; c < C; c++) f[q + c] = f[src + c]!;
            } else f.fill(0, q, q + C);
            q += C;
          }
        }
      }
    }
  }
}

/** kernels.ts `gather`. */
export function gather(f: Float64Array, i32: Int32Array, src: number, dst: number, index: number, len: number, rows: number): void {
  const I = index >> 2;
  for (let r = 0; r < rows; r++) {
    const s = (src >> 3) + r * len;
    const d = (dst >> 3) + r * len;
    for (let i = 0; i < len; i++) f[d + i] = f[s + i32[I + i]!]!;
  }
}

/** kernels.ts `addBias`. */
export function addBias(f: Float64Array, x: number, bias: number, rows: number, N: number): void {
  const b = bias >> 3;
  for (let r = 0; r < rows; r++) {
    const o = (x >> 3) + r * N;
    for (let j = 0; j < N; j++) f[o + j] = f[o + j]! + f[b + j]!;
  }
}

/** kernels.ts `col2im`. */
export function col2im(
  f: Float64Array, i32: Int32Array, z: number, out: number, rows: number, ph: number, pw: number, origins: number,
  nph: number, npw: number, newOrigins: number, Hin: number, Win: number, Ci: number, kH: number, kW: number,
  sH: number, sW: number, pT: number, pL: number, dH: number, dW: number,
): void {
  const K = kH * kW * Ci;
  const outRow = nph * npw * Ci;
  f.fill(0, out >> 3, (out >> 3) + rows * outRow);
  let zi = z >> 3;
  for (let r = 0; r < rows; r++) {
    const oy = i32[(origins >> 2) + 2 * r]!;
    const ox = i32[(origins >> 2) + 2 * r + 1]!;
    const ny = i32[(newOrigins >> 2) + 2 * r]!;
    const nx = i32[(newOrigins >> 2) + 2 * r + 1]!;
    const o = (out >> 3) + r * outRow;
    for (let py = 0; py < ph; py++) {
      for (let px = 0; px < pw; px++) {
        const Y = oy + py;
        const X = ox + px;
        for (let ky = 0; ky < kH; ky++) {
          const iy = Y * sH - pT + ky * dH;
          for (let kx = 0; kx < kW; kx++) {
            const ix = X * sW - pL + kx * dW;
            const t = zi + (ky * kW + kx) * Ci;
            if (iy < 0 || iy >= Hin || ix < 0 || ix >= Win) continue;
            const d = o + ((iy - ny) * npw + (ix - nx)) * Ci;
            for (let c = 0; c < Ci; c++) f[d + c] = f[d + c]! + f[t + c]!;
          }
        }
        zi += K;
      }
    }
  }
}

/** kernels.ts `scaleRows`. */
export function scaleRows(
  f: Float64Array, i32: Int32Array, a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number, scale: number,
): void {
  let e = a >> 3;
  const s = scale >> 3;
  for (let r = 0; r < rows; r++) {
    const oy = i32[(origins >> 2) + 2 * r]!;
    const ox = i32[(origins >> 2) + 2 * r + 1]!;
    for (let py = 0; py < ph; py++) {
      for (let px = 0; px < pw; px++) {
        const cell = s + ((oy + py) * levelW + ox + px) * C;
        for (let c = 0; c < C; c++, e++) f[e] = f[e]! * f[cell + c]!;
      }
    }
  }
}

/** Divisor of the average-pool window whose top-left input cell is (y0, x0). */
export function poolDivisor(y0: number, x0: number, inH: number, inW: number, kH: number, kW: number, countIncludePad: number): number {
  if (countIncludePad) return kH * kW;
  const h = Math.min(y0 + kH, inH) - Math.max(y0, 0);
  const w = Math.min(x0 + kW, inW) - Math.max(x0, 0);
  return h * w;
}

/** kernels.ts `avgpoolBackward`. */
export function avgpoolBackward(
  f: Float64Array, i32: Int32Array, a: number, out: number, rows: number, ph: number, pw: number, origins: number,
  nph: number, npw: number, newOrigins: number, C: number, inH: number, inW: number, kH: number, kW: number,
  sH: number, sW: number, pT: number, pL: number, countIncludePad: number,
): void {
  const outRow = nph * npw * C;
  f.fill(0, out >> 3, (out >> 3) + rows * outRow);
  let ai = a >> 3;
  for (let r = 0; r < rows; r++) {
    const oy = i32[(origins >> 2) + 2 * r]!;
    const ox = i32[(origins >> 2) + 2 * r + 1]!;
    const ny = i32[(newOrigins >> 2) + 2 * r]!;
    const nx = i32[(newOrigins >> 2) + 2 * r + 1]!;
    const o = (out >> 3) + r * outRow;
    for (let py = 0; py < ph; py++) {
      for (let px = 0; px < pw; px++) {
        const y0 = (oy + py) * sH - pT;
        const x0 = (ox + px) * sW - pL;
        const div = poolDivisor(y0, x0, inH, inW, kH, kW, countIncludePad);
        for (let ky = 0; ky < kH; ky++) {
          const iy = y0 + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kW; kx++) {
            const ix = x0 + kx;
            if (ix < 0 || ix >= inW) continue;
            const d = o + ((iy - ny) * npw + (ix - nx)) * C;
            for (let c = 0; c < C; c++) f[d + c] = f[d + c]! + f[ai + c]! / div;
          }
        }
        ai += C;
      }
    }
  }
}

/** kernels.ts `patchToFull`. */
export function patchToFull(
  f: Float64Array, i32: Int32Array, a: number, out: number, rows: number, ph: number, pw: number, C: number, origins: number, H: number, W: number,
): void {
  const full = H * W * C;
  f.fill(0, out >> 3, (out >> 3) + rows * full);
  let ai = a >> 3;
  for (let r = 0; r < rows; r++) {
    const oy = i32[(origins >> 2) + 2 * r]!;
    const ox = i32[(origins >> 2) + 2 * r + 1]!;
    for (let py = 0; py < ph; py++) {
      const d = (out >> 3) + r * full + ((oy + py) * W + ox) * C;
      f.set(f.subarray(ai, ai + pw * C), d);
      ai += pw * C;
    }
  }
}
