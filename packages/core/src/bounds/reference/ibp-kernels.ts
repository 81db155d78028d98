/**
 * Reference kernels of interval bound propagation in centre/radius form, with the outward
 * rounding proven in packages/bounds-wasm/README.md ("Linear layers"). The WebAssembly kernels
 * (packages/bounds-wasm/assembly/ibp.ts) implement the same formulas.
 */
import { dotErrorCoefficient, nextDown, nextUp, UNDERFLOW, upNormal } from '../float.js';
import { poolDivisor } from './transport.js';

/** kernels.ts `centerRadius`. */
export function centerRadius(f: Float64Array, l: number, u: number, c: number, rt: number, len: number, n: number): void {
  const kappa = dotErrorCoefficient(n);
  const L = l >> 3;
  const U = u >> 3;
  const Cc = c >> 3;
  const R = rt >> 3;
  for (let i = 0; i < len; i++) {
    const lo = f[L + i]!;
    const hi = f[U + i]!;
    if (!(lo > -Infinity && hi < Infinity)) {
      f[Cc + i] = 0;
      f[R + i] = Infinity;
      continue;
    }
    // Halving first cannot overflow; m is any float, the radius below covers [lo, hi] from it.
    const m = lo * 0.5 + hi * 0.5;
    const r = upNormal(Math.max(hi - m, m - lo));
    f[Cc + i] = m;
    f[R + i] = nextUp(r + upNormal(kappa * Math.abs(m)));
  }
}

/**
 * A float ≤ the real number x whose round-to-nearest value is y: y − (|y|·2⁻⁵¹ + UNDERFLOW)
 * (README, "Linear layers"). Branch-free, so the WebAssembly kernel vectorises it; at most a few
 * ulps wider than nextDown(y).
 */
export function widenDown(y: number): number {
  return y - (Math.abs(y) * 2 ** -51 + UNDERFLOW);
}

/** A float ≥ the real number x whose round-to-nearest value is y. */
export function widenUp(y: number): number {
  return y + (Math.abs(y) * 2 ** -51 + UNDERFLOW);
}

/** kernels.ts `finalizeLinear`. */
export function finalizeLinear(f: Float64Array, s: number, p: number, bias: number, lower: number, upper: number, rows: number, N: number, n: number): void {
  // (2n + 4)·2⁻¹⁰⁷⁴ ≤ UNDERFLOW covers the products' underflow; 1/(1 − γₙ) ≤ 1 + 2κₙ.
  const slack = 2 * dotErrorCoefficient(n);
  const S = s >> 3;
  const P = p >> 3;
  const B = bias >> 3;
  const L = lower >> 3;
  const U = upper >> 3;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < N; j++) {
      const k = r * N + j;
      const c = f[S + k]! + (bias ? f[B + j]! : 0);
      const rad = f[P + k]!;
      if (!(Math.abs(c) < Infinity) || !(rad < Infinity)) {
        f[L + k] = -Infinity;
        f[U + k] = Infinity;
        continue;
      }
      const R = nextUp(nextUp(nextUp(rad + upNormal(rad * slack)) + upNormal(Math.abs(c) * 2 ** -52)) + UNDERFLOW);
      if (!(R < Infinity)) {
        f[L + k] = -Infinity;
        f[U + k] = Infinity;
        continue;
      }
      f[L + k] = widenDown(c - R);
      f[U + k] = widenUp(c + R);
    }
  }
}

/** kernels.ts `relu`: exact. */
export function relu(f: Float64Array, l: number, u: number, outL: number, outU: number, len: number): void {
  for (let i = 0; i < len; i++) {
    f[(outL >> 3) + i] = Math.max(f[(l >> 3) + i]!, 0);
    f[(outU >> 3) + i] = Math.max(f[(u >> 3) + i]!, 0);
  }
}

/**
 * kernels.ts `affine`: the endpoint minimising s·x is chosen by the sign of s (s = 0 gives exactly
 * 0, also for infinite endpoints); the product's and the sum's roundings are widened by one ulp.
 */
export function affine(f: Float64Array, scale: number, shift: number, size: number, l: number, u: number, outL: number, outU: number, n: number): void {
  for (let e = 0; e < n; e++) {
    const off = e * size;
    for (let i = 0; i < size; i++) {
      const s = f[(scale >> 3) + i]!;
      const t = f[(shift >> 3) + i]!;
      const xl = f[(l >> 3) + off + i]!;
      const xu = f[(u >> 3) + off + i]!;
      let pl = 0;
      let pu = 0;
      if (s > 0) {
        pl = s * xl;
        pu = s * xu;
      } else if (s < 0) {
        pl = s * xu;
        pu = s * xl;
      }
      f[(outL >> 3) + off + i] = nextDown(nextDown(pl) + t);
      f[(outU >> 3) + off + i] = nextUp(nextUp(pu) + t);
    }
  }
}

/**
 * kernels.ts `avgpool` (channels-last): the mean is monotone, so the bounds are the means of the
 * lower and of the upper inputs; the window sum is rounded outward with the dot-product bound
 * (weights 1, kH·kW terms), the division by one ulp.
 */
export function avgpool(
  f: Float64Array, C: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number, sH: number, sW: number,
  pT: number, pL: number, countIncludePad: number, l: number, u: number, outL: number, outU: number, n: number,
): void {
  const k = kH * kW;
  const kappa = dotErrorCoefficient(k);
  for (let e = 0; e < n; e++) {
    const ib = e * inH * inW * C;
    const ob = e * outH * outW * C;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const y0 = oy * sH - pT;
        const x0 = ox * sW - pL;
        const div = poolDivisor(y0, x0, inH, inW, kH, kW, countIncludePad);
        for (let c = 0; c < C; c++) {
          let sl = 0;
          let al = 0;
          let su = 0;
          let au = 0;
          for (let ky = 0; ky < kH; ky++) {
            const iy = y0 + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = x0 + kx;
              if (ix < 0 || ix >= inW) continue;
              const at = ib + (iy * inW + ix) * C + c;
              const vl = f[(l >> 3) + at]!;
              const vu = f[(u >> 3) + at]!;
              sl += vl;
              al += Math.abs(vl);
              su += vu;
              au += Math.abs(vu);
            }
          }
          const o = ob + (oy * outW + ox) * C + c;
          const el = al * kappa + UNDERFLOW;
          const eu = au * kappa + UNDERFLOW;
          const lo = Math.abs(sl) < Infinity && el < Infinity ? nextDown(sl - el) : -Infinity;
          const hi = Math.abs(su) < Infinity && eu < Infinity ? nextUp(su + eu) : Infinity;
          f[(outL >> 3) + o] = nextDown(lo / div);
          f[(outU >> 3) + o] = nextUp(hi / div);
        }
      }
    }
  }
}

/** kernels.ts `maxAbs`. */
export function maxAbs(f: Float64Array, l: number, u: number, m: number, len: number): void {
  for (let i = 0; i < len; i++) f[(m >> 3) + i] = Math.max(Math.abs(f[(l >> 3) + i]!), Math.abs(f[(u >> 3) + i]!));
}

/**
 * kernels.ts `roundUpSums`: a float sum P of n non-negative products satisfies
 * P ≥ (1 − γₙ)·S − n·2⁻¹⁰⁷⁵, so S ≤ P·(1 + 2κₙ) + n·2⁻¹⁰⁷⁴ ≤ P·(1 + 2κₙ) + UNDERFLOW.
 */
export function roundUpSums(f: Float64Array, p: number, len: number, n: number): void {
  const slack = 2 * dotErrorCoefficient(n);
  for (let i = 0; i < len; i++) {
    const v = f[(p >> 3) + i]!;
    f[(p >> 3) + i] = v < Infinity ? nextUp(nextUp(v + upNormal(v * slack)) + UNDERFLOW) : Infinity;
  }
}
