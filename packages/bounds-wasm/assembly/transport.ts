// Kernels that move values between layouts (round to nearest; the drivers bound their error):
// channels-last im2col, the transposed convolution / pooling of CROWN patch rows, layout
// permutations, scatters and bias additions. Same semantics as
// packages/core/src/bounds/reference/transport.ts.

// @ts-ignore: decorator
@inline function f64At(p: usize, i: i32): usize {
  return p + ((<usize>i) << 3);
}

/** out[0..len) += src[0..len) (f64), two lanes at a time. */
// @ts-ignore: decorator
@inline function addTo(out: usize, src: usize, len: i32): void {
  let c: i32 = 0;
  for (; c + 2 <= len; c += 2) {
    const o = out + ((<usize>c) << 3);
    v128.store(o, f64x2.add(v128.load(o), v128.load(src + ((<usize>c) << 3))));
  }
  if (c < len) {
    const o = out + ((<usize>c) << 3);
    store<f64>(o, load<f64>(o) + load<f64>(src + ((<usize>c) << 3)));
  }
}

function zero(p: usize, len: i32): void {
  memory.fill(p, 0, (<usize>len) << 3);
}

export function im2col(
  x: usize, col: usize, nb: i32, H: i32, W: i32, C: i32, outH: i32, outW: i32,
  kH: i32, kW: i32, sH: i32, sW: i32, pT: i32, pL: i32, dH: i32, dW: i32,
): void {
  let q = col;
  const cBytes = (<usize>C) << 3;
  const plane = (<usize>(H * W * C)) << 3;
  for (let e: i32 = 0; e < nb; e++) {
    const base = x + <usize>e * plane;
    for (let oy: i32 = 0; oy < outH; oy++) {
      for (let ox: i32 = 0; ox < outW; ox++) {
        for (let ky: i32 = 0; ky < kH; ky++) {
          const iy = oy * sH - pT + ky * dH;
          for (let kx: i32 = 0; kx < kW; kx++) {
            const ix = ox * sW - pL + kx * dW;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) memory.copy(q, base + ((<usize>((iy * W + ix) * C)) << 3), cBytes);
            else memory.fill(q, 0, cBytes);
            q += cBytes;
          }
        }
      }
    }
  }
}

export function gather(src: usize, dst: usize, index: usize, len: i32, rows: i32): void {
  for (let r: i32 = 0; r < rows; r++) {
    const s = src + ((<usize>(r * len)) << 3);
    const d = dst + ((<usize>(r * len)) << 3);
    for (let i: i32 = 0; i < len; i++) store<f64>(f64At(d, i), load<f64>(f64At(s, load<i32>(index + ((<usize>i) << 2)))));
  }
}

export function addBias(x: usize, bias: usize, rows: i32, N: i32): void {
  for (let r: i32 = 0; r < rows; r++) addTo(x + ((<usize>(r * N)) << 3), bias, N);
}

export function col2im(
  z: usize, out: usize, rows: i32, ph: i32, pw: i32, origins: usize, nph: i32, npw: i32, newOrigins: usize,
  Hin: i32, Win: i32, Ci: i32, kH: i32, kW: i32, sH: i32, sW: i32, pT: i32, pL: i32, dH: i32, dW: i32,
): void {
  const K = kH * kW * Ci;
  const outRow = nph * npw * Ci;
  zero(out, rows * outRow);
  let zi = z;
  for (let r: i32 = 0; r < rows; r++) {
    const oy = load<i32>(origins + ((<usize>(2 * r)) << 2));
    const ox = load<i32>(origins + ((<usize>(2 * r + 1)) << 2));
    const ny = load<i32>(newOrigins + ((<usize>(2 * r)) << 2));
    const nx = load<i32>(newOrigins + ((<usize>(2 * r + 1)) << 2));
    const o = out + ((<usize>(r * outRow)) << 3);
    for (let py: i32 = 0; py < ph; py++) {
      for (let px: i32 = 0; px < pw; px++) {
        const Y = oy + py;
        const X = ox + px;
        for (let ky: i32 = 0; ky < kH; ky++) {
          const iy = Y * sH - pT + ky * dH;
          if (iy < 0 || iy >= Hin) continue;
          for (let kx: i32 = 0; kx < kW; kx++) {
            const ix = X * sW - pL + kx * dW;
            if (ix < 0 || ix >= Win) continue;
            addTo(o + ((<usize>(((iy - ny) * npw + (ix - nx)) * Ci)) << 3), zi + ((<usize>((ky * kW + kx) * Ci)) << 3), Ci);
          }
        }
        zi += (<usize>K) << 3;
      }
    }
  }
}

export function scaleRows(a: usize, rows: i32, ph: i32, pw: i32, C: i32, origins: usize, levelW: i32, scale: usize): void {
  let e = a;
  for (let r: i32 = 0; r < rows; r++) {
    const oy = load<i32>(origins + ((<usize>(2 * r)) << 2));
    const ox = load<i32>(origins + ((<usize>(2 * r + 1)) << 2));
    for (let py: i32 = 0; py < ph; py++) {
      for (let px: i32 = 0; px < pw; px++) {
        const cell = scale + ((<usize>(((oy + py) * levelW + ox + px) * C)) << 3);
        for (let c: i32 = 0; c < C; c++) {
          store<f64>(e, load<f64>(e) * load<f64>(f64At(cell, c)));
          e += 8;
        }
      }
    }
  }
}

/** Divisor of the average-pool window whose top-left input cell is (y0, x0). */
export function poolDivisor(y0: i32, x0: i32, inH: i32, inW: i32, kH: i32, kW: i32, countIncludePad: i32): f64 {
  if (countIncludePad) return <f64>(kH * kW);
  const h = min<i32>(y0 + kH, inH) - max<i32>(y0, 0);
  const w = min<i32>(x0 + kW, inW) - max<i32>(x0, 0);
  return <f64>(h * w);
}

export function avgpoolBackward(
  a: usize, out: usize, rows: i32, ph: i32, pw: i32, origins: usize, nph: i32, npw: i32, newOrigins: usize,
  C: i32, inH: i32, inW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pT: i32, pL: i32, countIncludePad: i32,
): void {
  const outRow = nph * npw * C;
  zero(out, rows * outRow);
  let ai = a;
  for (let r: i32 = 0; r < rows; r++) {
    const oy = load<i32>(origins + ((<usize>(2 * r)) << 2));
    const ox = load<i32>(origins + ((<usize>(2 * r + 1)) << 2));
    const ny = load<i32>(newOrigins + ((<usize>(2 * r)) << 2));
    const nx = load<i32>(newOrigins + ((<usize>(2 * r + 1)) << 2));
    const o = out + ((<usize>(r * outRow)) << 3);
    for (let py: i32 = 0; py < ph; py++) {
      for (let px: i32 = 0; px < pw; px++) {
        const y0 = (oy + py) * sH - pT;
        const x0 = (ox + px) * sW - pL;
        const div = poolDivisor(y0, x0, inH, inW, kH, kW, countIncludePad);
        for (let ky: i32 = 0; ky < kH; ky++) {
          const iy = y0 + ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx: i32 = 0; kx < kW; kx++) {
            const ix = x0 + kx;
            if (ix < 0 || ix >= inW) continue;
            const d = o + ((<usize>(((iy - ny) * npw + (ix - nx)) * C)) << 3);
            for (let c: i32 = 0; c < C; c++) store<f64>(f64At(d, c), load<f64>(f64At(d, c)) + load<f64>(f64At(ai, c)) / div);
          }
        }
        ai += (<usize>C) << 3;
      }
    }
  }
}

export function patchToFull(a: usize, out: usize, rows: i32, ph: i32, pw: i32, C: i32, origins: usize, H: i32, W: i32): void {
  const full = H * W * C;
  zero(out, rows * full);
  let ai = a;
  const rowBytes = (<usize>(pw * C)) << 3;
  for (let r: i32 = 0; r < rows; r++) {
    const oy = load<i32>(origins + ((<usize>(2 * r)) << 2));
    const ox = load<i32>(origins + ((<usize>(2 * r + 1)) << 2));
    for (let py: i32 = 0; py < ph; py++) {
      memory.copy(out + ((<usize>(r * full + ((oy + py) * W + ox) * C)) << 3), ai, rowBytes);
      ai += rowBytes;
    }
  }
}
