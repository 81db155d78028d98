// The sound per-row terms of the CROWN backward pass and the α-CROWN gradient sweep; argument in
// ../README.md ("CROWN"). Same semantics as packages/core/src/bounds/reference/crown-kernels.ts.
import { errCoef, nextDown, nextUp, soundLower, soundUpper, tinyTerm } from './rounding';

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 3);
}

// @ts-ignore: decorator
@inline function originY(origins: usize, r: i32): i32 {
  return load<i32>(origins + ((<usize>(2 * r)) << 2));
}

// @ts-ignore: decorator
@inline function originX(origins: usize, r: i32): i32 {
  return load<i32>(origins + ((<usize>(2 * r + 1)) << 2));
}

export function linearTerms(
  a: usize, rows: i32, ph: i32, pw: i32, C: i32, origins: usize, levelW: i32,
  bias: usize, biasFull: i32, q: usize, n: i32, tiny: f64, acc: usize,
): void {
  const kappa = errCoef(<usize>n);
  const terms = <usize>(ph * pw * C);
  const tk = errCoef(terms);
  const tt = tinyTerm(terms);
  let e = a;
  for (let r: i32 = 0; r < rows; r++) {
    const oy = originY(origins, r);
    const ox = originX(origins, r);
    let sb: f64 = 0;
    let ab: f64 = 0;
    let sq: f64 = 0;
    for (let py: i32 = 0; py < ph; py++) {
      for (let px: i32 = 0; px < pw; px++) {
        const cell = ((oy + py) * levelW + ox + px) * C;
        for (let c: i32 = 0; c < C; c++) {
          const v = load<f64>(e);
          e += 8;
          if (v == 0) continue;
          if (bias) {
            const t = v * load<f64>(at(bias, biasFull ? cell + c : c));
            sb += t;
            ab += abs<f64>(t);
          }
          sq += abs<f64>(v) * load<f64>(at(q, cell + c));
        }
      }
    }
    const b: f64 = bias ? soundLower(sb, ab, tk, tt) : 0;
    const res = nextUp(nextUp(soundUpper(sq, sq, tk, tt) * kappa) + tiny);
    const k = at(acc, r);
    const s = nextDown(nextDown(load<f64>(k) + b) - res);
    store<f64>(k, s == s ? s : -Infinity);
  }
}

export function reluBackward(
  a: usize, rows: i32, ph: i32, pw: i32, C: i32, origins: usize, levelW: i32,
  l: usize, u: usize, slopeUp: usize, slopeLow: usize, lowPerRow: i32, acc: usize, hat: usize,
): void {
  const rowLen = ph * pw * C;
  let e: i32 = 0;
  for (let r: i32 = 0; r < rows; r++) {
    const oy = originY(origins, r);
    const ox = originX(origins, r);
    const lowBase = lowPerRow ? r * rowLen : 0;
    let sh: f64 = 0;
    let ah: f64 = 0;
    let count: usize = 0;
    for (let py: i32 = 0; py < ph; py++) {
      for (let px: i32 = 0; px < pw; px++) {
        const cell = ((oy + py) * levelW + ox + px) * C;
        const patch = (py * pw + px) * C;
        for (let c: i32 = 0; c < C; c++, e++) {
          const p = at(a, e);
          const v = load<f64>(p);
          if (hat) store<f64>(at(hat, e), v);
          const lo = load<f64>(at(l, cell + c));
          if (lo >= 0) continue;
          const hi = load<f64>(at(u, cell + c));
          if (hi <= 0) {
            store<f64>(p, 0);
            continue;
          }
          if (v >= 0) {
            // 0 ≤ α ≤ 1 makes 0 ≤ fl(α·v) ≤ v, so both non-zero triangle vertices give ≥ 0: the term is 0.
            const raw = load<f64>(at(slopeLow, lowPerRow ? lowBase + patch + c : cell + c));
            const alpha: f64 = raw > 0 ? (raw < 1 ? raw : 1) : 0;
            store<f64>(p, alpha * v);
            continue;
          }
          const w = load<f64>(at(slopeUp, cell + c)) * v;
          store<f64>(p, w);
          const t1 = -nextUp(w * lo);
          const t2 = nextDown(nextDown(v - w) * hi);
          const h = min<f64>(0, min<f64>(t1, t2));
          sh += h;
          ah -= h;
          count++;
        }
      }
    }
    if (count > 0) {
      const k = at(acc, r);
      const s = nextDown(load<f64>(k) + soundLower(sh, ah, errCoef(count), tinyTerm(count)));
      store<f64>(k, s == s ? s : -Infinity);
    }
  }
}

export function boxTerm(a: usize, rows: i32, ph: i32, pw: i32, C: i32, origins: usize, levelW: i32, l: usize, u: usize, acc: usize): void {
  const terms = <usize>(ph * pw * C);
  const tk = errCoef(terms);
  const tt = tinyTerm(terms);
  let e = a;
  for (let r: i32 = 0; r < rows; r++) {
    const oy = originY(origins, r);
    const ox = originX(origins, r);
    let s: f64 = 0;
    let ab: f64 = 0;
    for (let py: i32 = 0; py < ph; py++) {
      for (let px: i32 = 0; px < pw; px++) {
        const cell = ((oy + py) * levelW + ox + px) * C;
        for (let c: i32 = 0; c < C; c++) {
          const v = load<f64>(e);
          e += 8;
          if (v == 0) continue;
          const t = v * load<f64>(at(v > 0 ? l : u, cell + c));
          s += t;
          ab += abs<f64>(t);
        }
      }
    }
    const k = at(acc, r);
    const x = nextDown(load<f64>(k) + soundLower(s, ab, tk, tt));
    store<f64>(k, x == x ? x : -Infinity);
  }
}

export function selectCorner(hat: usize, l: usize, u: usize, x: usize, rows: i32, size: i32): void {
  for (let r: i32 = 0; r < rows; r++) {
    for (let i: i32 = 0; i < size; i++) {
      const k = r * size + i;
      store<f64>(at(x, k), load<f64>(at(load<f64>(at(hat, k)) >= 0 ? l : u, i)));
    }
  }
}

export function reluForward(z: usize, rows: i32, size: i32, l: usize, u: usize, slopeUp: usize, alpha: usize, hat: usize, grad: usize): void {
  for (let r: i32 = 0; r < rows; r++) {
    for (let i: i32 = 0; i < size; i++) {
      const k = r * size + i;
      const zi = load<f64>(at(z, k));
      const lo = load<f64>(at(l, i));
      const hi = load<f64>(at(u, i));
      let g: f64 = 0;
      let out = zi;
      if (lo >= 0) out = zi;
      else if (hi <= 0) out = 0;
      else {
        const h = load<f64>(at(hat, k));
        if (h >= 0) {
          g = h * zi;
          out = load<f64>(at(alpha, k)) * zi;
        } else out = load<f64>(at(slopeUp, i)) * (zi - lo);
      }
      store<f64>(at(z, k), out);
      store<f64>(at(grad, k), g);
    }
  }
}
