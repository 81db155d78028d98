/**
 * Reference kernels of the CROWN backward pass: the sound per-row terms whose sum is the bound
 * (linear-step bias and transport residual, ReLU triangle terms, the input box) and the α-CROWN
 * gradient sweep. Soundness argument: packages/bounds-wasm/README.md, "CROWN"; the WebAssembly
 * kernels (packages/bounds-wasm/assembly/crown.ts) implement the same formulas.
 */
import { dotErrorCoefficient, nextDown, nextUp, soundLower, soundUpper } from '../float.js';

/** kernels.ts `linearTerms`. */
export function linearTerms(
  f: Float64Array, i32: Int32Array, a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number,
  bias: number, biasFull: number, q: number, n: number, tiny: number, acc: number,
): void {
  const kappa = dotErrorCoefficient(n);
  const terms = ph * pw * C;
  let e = a >> 3;
  for (let r = 0; r < rows; r++) {
    const oy = i32[(origins >> 2) + 2 * r]!;
    const ox = i32[(origins >> 2) + 2 * r + 1]!;
    let sb = 0;
    let ab = 0;
    let sq = 0;
    for (let py = 0; py < ph; py++) {
      for (let px = 0; px < pw; px++) {
        const cell = ((oy + py) * levelW + ox + px) * C;
        for (let c = 0; c < C; c++, e++) {
          const v = f[e]!;
          // A zero multiplier carries nothing back and is transported exactly (also across ±∞).
          if (v === 0) continue;
          if (bias) {
            const t = v * f[(bias >> 3) + (biasFull ? cell + c : c)]!;
            sb += t;
            ab += Math.abs(t);
          }
          sq += Math.abs(v) * f[(q >> 3) + cell + c]!;
        }
      }
    }
    const b = bias ? soundLower(sb, ab, terms) : 0;
    const res = nextUp(nextUp(soundUpper(sq, sq, terms) * kappa) + tiny);
    const k = (acc >> 3) + r;
    const v = nextDown(nextDown(f[k]! + b) - res);
    f[k] = v === v ? v : -Infinity;
  }
}

/** kernels.ts `reluBackward`. */
export function reluBackward(
  f: Float64Array, i32: Int32Array, a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number,
  l: number, u: number, slopeUp: number, slopeLow: number, lowPerRow: number, acc: number, hat: number,
): void {
  const rowLen = ph * pw * C;
  const levelSize = lowPerRow ? rowLen : 0;
  let e = a >> 3;
  for (let r = 0; r < rows; r++) {
    const oy = i32[(origins >> 2) + 2 * r]!;
    const ox = i32[(origins >> 2) + 2 * r + 1]!;
    const lowBase = (slopeLow >> 3) + r * levelSize;
    let sh = 0;
    let ah = 0;
    let count = 0;
    for (let py = 0; py < ph; py++) {
      for (let px = 0; px < pw; px++) {
        const cell = ((oy + py) * levelW + ox + px) * C;
        for (let c = 0; c < C; c++, e++) {
          const v = f[e]!;
          if (hat) f[(hat >> 3) + (e - (a >> 3))] = v;
          const lo = f[(l >> 3) + cell + c]!;
          if (lo >= 0) continue;
          const hi = f[(u >> 3) + cell + c]!;
          if (hi <= 0) {
            f[e] = 0;
            continue;
          }
          if (v >= 0) {
            // 0 ≤ α ≤ 1 makes 0 ≤ fl(α·v) ≤ v, so both non-zero triangle vertices give ≥ 0: the term is 0.
            const raw = f[lowBase + (lowPerRow ? (py * pw + px) * C + c : cell + c)]!;
            const alpha = raw > 0 ? (raw < 1 ? raw : 1) : 0;
            f[e] = alpha * v;
            continue;
          }
          const w = f[(slopeUp >> 3) + cell + c]! * v;
          f[e] = w;
          // min over the vertices (lo, 0), (0, 0), (hi, hi) of v·z − w·ẑ, each rounded down.
          const t1 = -nextUp(w * lo);
          const t2 = nextDown(nextDown(v - w) * hi);
          const h = Math.min(0, t1, t2);
          sh += h;
          ah -= h;
          count++;
        }
      }
    }
    if (count > 0) {
      const k = (acc >> 3) + r;
      const s = nextDown(f[k]! + soundLower(sh, ah, count));
      f[k] = s === s ? s : -Infinity;
    }
  }
}

/** kernels.ts `boxTerm`. */
export function boxTerm(
  f: Float64Array, i32: Int32Array, a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number,
  l: number, u: number, acc: number,
): void {
  const terms = ph * pw * C;
  let e = a >> 3;
  for (let r = 0; r < rows; r++) {
    const oy = i32[(origins >> 2) + 2 * r]!;
    const ox = i32[(origins >> 2) + 2 * r + 1]!;
    let s = 0;
    let ab = 0;
    for (let py = 0; py < ph; py++) {
      for (let px = 0; px < pw; px++) {
        const cell = ((oy + py) * levelW + ox + px) * C;
        for (let c = 0; c < C; c++, e++) {
          const v = f[e]!;
          if (v === 0) continue;
          const t = v * f[(v > 0 ? l >> 3 : u >> 3) + cell + c]!;
          s += t;
          ab += Math.abs(t);
        }
      }
    }
    const k = (acc >> 3) + r;
    const v = nextDown(f[k]! + soundLower(s, ab, terms));
    f[k] = v === v ? v : -Infinity;
  }
}

/** kernels.ts `selectCorner`. */
export function selectCorner(f: Float64Array, hat: number, l: number, u: number, x: number, rows: number, size: number): void {
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < size; i++) {
      const h = f[(hat >> 3) + r * size + i]!;
      f[(x >> 3) + r * size + i] = f[(h >= 0 ? l >> 3 : u >> 3) + i]!;
    }
  }
}

/** kernels.ts `reluForward`. */
export function reluForward(
  f: Float64Array, z: number, rows: number, size: number, l: number, u: number, slopeUp: number, alpha: number, hat: number, grad: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < size; i++) {
      const k = r * size + i;
      const zi = f[(z >> 3) + k]!;
      const lo = f[(l >> 3) + i]!;
      const hi = f[(u >> 3) + i]!;
      let g = 0;
      let out = zi;
      if (lo >= 0) out = zi;
      else if (hi <= 0) out = 0;
      else if (f[(hat >> 3) + k]! >= 0) {
        g = f[(hat >> 3) + k]! * zi;
        out = f[(alpha >> 3) + k]! * zi;
      } else out = f[(slopeUp >> 3) + i]! * (zi - lo);
      f[(z >> 3) + k] = out;
      f[(grad >> 3) + k] = g;
    }
  }
}
