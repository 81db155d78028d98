// Interval bound propagation in centre/radius form with outward rounding; the formulas and their
// proof are in ../README.md ("Linear layers"). Same semantics as
// packages/core/src/bounds/reference/ibp-kernels.ts.
import { errCoef, nextDown, nextUp, soundLower, soundUpper, tinyTerm, UNDERFLOW, upNormal, upPos } from './rounding';
import { poolDivisor } from './transport';

/** 2⁻⁵², exact. */
const TWO_M52: f64 = 2.220446049250313e-16;

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 3);
}

/** 2⁻⁵¹, exact: widening factor of the final roundings (below). */
const TWO_M51: f64 = 4.440892098500626e-16;

// @ts-ignore: decorator
@inline function upPos2(x: v128): v128 {
  return i64x2.add(x, i64x2.splat(1));
}

// @ts-ignore: decorator
@inline function upNormal2(x: v128): v128 {
  return upPos2(f64x2.max(x, f64x2.splat(UNDERFLOW)));
}

/** A float ≤ x − … : y − (|y|·2⁻⁵¹ + UNDERFLOW) ≤ the exact value that rounded to y (README). */
// @ts-ignore: decorator
@inline function widenDown(y: f64): f64 {
  return y - (abs<f64>(y) * TWO_M51 + UNDERFLOW);
}

// @ts-ignore: decorator
@inline function widenUp(y: f64): f64 {
  return y + (abs<f64>(y) * TWO_M51 + UNDERFLOW);
}

function centerRadiusOne(l: usize, u: usize, c: usize, rt: usize, i: i32, kappa: f64): void {
  const lo = load<f64>(at(l, i));
  const hi = load<f64>(at(u, i));
  if (!(lo > -Infinity && hi < Infinity)) {
    store<f64>(at(c, i), 0);
    store<f64>(at(rt, i), Infinity);
    return;
  }
  const m = lo * 0.5 + hi * 0.5;
  const v = upNormal(max<f64>(hi - m, m - lo)) + upNormal(kappa * abs<f64>(m));
  store<f64>(at(c, i), m);
  store<f64>(at(rt, i), v < Infinity ? upPos(v) : Infinity);
}

export function centerRadius(l: usize, u: usize, c: usize, rt: usize, len: i32, n: i32): void {
  const kappa = errCoef(<usize>n);
  const k2 = f64x2.splat(kappa);
  const half = f64x2.splat(0.5);
  const inf = f64x2.splat(Infinity);
  const ninf = f64x2.splat(-Infinity);
  let i: i32 = 0;
  for (; i + 2 <= len; i += 2) {
    const lo = v128.load(at(l, i));
    const hi = v128.load(at(u, i));
    const m = f64x2.add(f64x2.mul(lo, half), f64x2.mul(hi, half));
    const v = f64x2.add(upNormal2(f64x2.max(f64x2.sub(hi, m), f64x2.sub(m, lo))), upNormal2(f64x2.mul(k2, f64x2.abs(m))));
    const finite = v128.and(f64x2.gt(lo, ninf), f64x2.lt(hi, inf));
    v128.store(at(c, i), v128.and(m, finite));
    v128.store(at(rt, i), v128.bitselect(upPos2(v), inf, v128.and(finite, f64x2.lt(v, inf))));
  }
  if (i < len) centerRadiusOne(l, u, c, rt, i, kappa);
}

function finalizeOne(s: usize, p: usize, bias: usize, lower: usize, upper: usize, k: i32, j: i32, slack: f64): void {
  const cc = load<f64>(at(s, k)) + (bias ? load<f64>(at(bias, j)) : 0);
  const rad = load<f64>(at(p, k));
  const R = upPos(upPos(upPos(rad + upNormal(rad * slack)) + upNormal(abs<f64>(cc) * TWO_M52)) + UNDERFLOW);
  if (!(abs<f64>(cc) < Infinity) || !(R < Infinity)) {
    store<f64>(at(lower, k), -Infinity);
    store<f64>(at(upper, k), Infinity);
    return;
  }
  store<f64>(at(lower, k), widenDown(cc - R));
  store<f64>(at(upper, k), widenUp(cc + R));
}

export function finalizeLinear(s: usize, p: usize, bias: usize, lower: usize, upper: usize, rows: i32, N: i32, n: i32): void {
  // (2n + 4)·2⁻¹⁰⁷⁴ ≤ UNDERFLOW covers the products' underflow; 1/(1 − γₙ) ≤ 1 + 2κₙ.
  const slack = 2 * errCoef(<usize>n);
  const sl2 = f64x2.splat(slack);
  const e52 = f64x2.splat(TWO_M52);
  const e51 = f64x2.splat(TWO_M51);
  const und = f64x2.splat(UNDERFLOW);
  const inf = f64x2.splat(Infinity);
  const ninf = f64x2.splat(-Infinity);
  const zero = f64x2.splat(0);
  for (let r: i32 = 0; r < rows; r++) {
    const row = r * N;
    let j: i32 = 0;
    for (; j + 2 <= N; j += 2) {
      const k = row + j;
      const cc = f64x2.add(v128.load(at(s, k)), bias ? v128.load(at(bias, j)) : zero);
      const rad = v128.load(at(p, k));
      const R = upPos2(f64x2.add(upPos2(f64x2.add(upPos2(f64x2.add(rad, upNormal2(f64x2.mul(rad, sl2)))), upNormal2(f64x2.mul(f64x2.abs(cc), e52)))), und));
      const ok = v128.and(f64x2.lt(f64x2.abs(cc), inf), f64x2.lt(R, inf));
      const y = f64x2.sub(cc, R);
      const z = f64x2.add(cc, R);
      const lo = f64x2.sub(y, f64x2.add(f64x2.mul(f64x2.abs(y), e51), und));
      const hi = f64x2.add(z, f64x2.add(f64x2.mul(f64x2.abs(z), e51), und));
      v128.store(at(lower, k), v128.bitselect(lo, ninf, ok));
      v128.store(at(upper, k), v128.bitselect(hi, inf, ok));
    }
    if (j < N) finalizeOne(s, p, bias, lower, upper, row + j, j, slack);
  }
}

export function relu(l: usize, u: usize, outL: usize, outU: usize, len: i32): void {
  const zero = f64x2.splat(0);
  let i: i32 = 0;
  for (; i + 2 <= len; i += 2) {
    v128.store(at(outL, i), f64x2.max(v128.load(at(l, i)), zero));
    v128.store(at(outU, i), f64x2.max(v128.load(at(u, i)), zero));
  }
  if (i < len) {
    store<f64>(at(outL, i), max<f64>(load<f64>(at(l, i)), 0));
    store<f64>(at(outU, i), max<f64>(load<f64>(at(u, i)), 0));
  }
}

export function affine(scale: usize, shift: usize, size: i32, l: usize, u: usize, outL: usize, outU: usize, n: i32): void {
  for (let e: i32 = 0; e < n; e++) {
    const off = e * size;
    for (let i: i32 = 0; i < size; i++) {
      const s = load<f64>(at(scale, i));
      const t = load<f64>(at(shift, i));
      const xl = load<f64>(at(l, off + i));
      const xu = load<f64>(at(u, off + i));
      let pl: f64 = 0;
      let pu: f64 = 0;
      if (s > 0) {
        pl = s * xl;
        pu = s * xu;
      } else if (s < 0) {
        pl = s * xu;
        pu = s * xl;
      }
      store<f64>(at(outL, off + i), nextDown(nextDown(pl) + t));
      store<f64>(at(outU, off + i), nextUp(nextUp(pu) + t));
    }
  }
}

export function avgpool(
  C: i32, inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32,
  pT: i32, pL: i32, countIncludePad: i32, l: usize, u: usize, outL: usize, outU: usize, n: i32,
): void {
  const k = <usize>(kH * kW);
  const kappa = errCoef(k);
  const tiny = tinyTerm(k);
  for (let e: i32 = 0; e < n; e++) {
    const ib = e * inH * inW * C;
    const ob = e * outH * outW * C;
    for (let oy: i32 = 0; oy < outH; oy++) {
      for (let ox: i32 = 0; ox < outW; ox++) {
        const y0 = oy * sH - pT;
        const x0 = ox * sW - pL;
        const div = poolDivisor(y0, x0, inH, inW, kH, kW, countIncludePad);
        for (let c: i32 = 0; c < C; c++) {
          let sl: f64 = 0;
          let al: f64 = 0;
          let su: f64 = 0;
          let au: f64 = 0;
          for (let ky: i32 = 0; ky < kH; ky++) {
            const iy = y0 + ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx: i32 = 0; kx < kW; kx++) {
              const ix = x0 + kx;
              if (ix < 0 || ix >= inW) continue;
              const a = ib + (iy * inW + ix) * C + c;
              const vl = load<f64>(at(l, a));
              const vu = load<f64>(at(u, a));
              sl += vl;
              al += abs<f64>(vl);
              su += vu;
              au += abs<f64>(vu);
            }
          }
          const o = ob + (oy * outW + ox) * C + c;
          store<f64>(at(outL, o), nextDown(soundLower(sl, al, kappa, tiny) / div));
          store<f64>(at(outU, o), nextUp(soundUpper(su, au, kappa, tiny) / div));
        }
      }
    }
  }
}

export function maxAbs(l: usize, u: usize, m: usize, len: i32): void {
  for (let i: i32 = 0; i < len; i++) store<f64>(at(m, i), max<f64>(abs<f64>(load<f64>(at(l, i))), abs<f64>(load<f64>(at(u, i)))));
}

export function roundUpSums(p: usize, len: i32, n: i32): void {
  const slack = 2 * errCoef(<usize>n);
  for (let i: i32 = 0; i < len; i++) {
    const v = load<f64>(at(p, i));
    const w = upPos(upPos(v + upNormal(v * slack)) + UNDERFLOW);
    store<f64>(at(p, i), v < Infinity && w < Infinity ? w : Infinity);
  }
}
