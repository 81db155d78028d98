// Sound interval image of y = W x + b (IBP: lower = W⁺l + W⁻u + b, upper mirrored), two lanes at a
// time with f64x2. Each lane's terms are summed in their own order, which the error bound allows
// (it holds for any summation order); |terms| are summed alongside for the bound.
import { errCoef, soundLower, soundUpper, tinyTerm } from './rounding';

/** Rows (examples or conv patches) processed per pass over W, so their lower/upper rows stay in L1. */
const BLOCK_BYTES: usize = 32768;

/**
 * For each of `rows` boxes (l/u rows of inDim f64) and each output i, stores the bounds of
 * (W x + b)_i at outL/outU[r·rowStride + i·colStride] (f64 elements). W is [outDim, inDim].
 */
export function linearRows(
  w: usize,
  b: usize,
  inDim: usize,
  outDim: usize,
  l: usize,
  u: usize,
  rows: usize,
  outL: usize,
  outU: usize,
  rowStride: usize,
  colStride: usize,
): void {
  const kappa = errCoef(inDim);
  const tiny = tinyTerm(inDim);
  const pairs = inDim >> 1;
  const rowBytes = inDim << 3;
  const zero = f64x2.splat(0);
  let block = BLOCK_BYTES / (rowBytes * 2 + 1);
  if (block < 1) block = 1;
  for (let r0: usize = 0; r0 < rows; r0 += block) {
    const r1 = min(r0 + block, rows);
    for (let i: usize = 0; i < outDim; i++) {
      const wRow = w + i * rowBytes;
      const bias = load<f64>(b + (i << 3));
      const absBias = abs<f64>(bias);
      for (let r = r0; r < r1; r++) {
        const lRow = l + r * rowBytes;
        const uRow = u + r * rowBytes;
        let sl = zero;
        let al = zero;
        let su = zero;
        let au = zero;
        for (let j: usize = 0; j < pairs; j++) {
          const off = j << 4;
          const wv = v128.load(wRow + off);
          const lv = v128.load(lRow + off);
          const uv = v128.load(uRow + off);
          const neg = f64x2.lt(wv, zero);
          // Negative weights take the other endpoint: bitselect(a, b, m) = m ? a : b.
          const tl = f64x2.mul(wv, v128.bitselect(uv, lv, neg));
          const tu = f64x2.mul(wv, v128.bitselect(lv, uv, neg));
          sl = f64x2.add(sl, tl);
          al = f64x2.add(al, f64x2.abs(tl));
          su = f64x2.add(su, tu);
          au = f64x2.add(au, f64x2.abs(tu));
        }
        let sL = f64x2.extract_lane(sl, 0) + f64x2.extract_lane(sl, 1) + bias;
        let aL = f64x2.extract_lane(al, 0) + f64x2.extract_lane(al, 1) + absBias;
        let sU = f64x2.extract_lane(su, 0) + f64x2.extract_lane(su, 1) + bias;
        let aU = f64x2.extract_lane(au, 0) + f64x2.extract_lane(au, 1) + absBias;
        if (inDim & 1) {
          const off = (inDim - 1) << 3;
          const wj = load<f64>(wRow + off);
          const xl = load<f64>(lRow + off);
          const xu = load<f64>(uRow + off);
          const tl = wj < 0 ? wj * xu : wj * xl;
          const tu = wj < 0 ? wj * xl : wj * xu;
          sL += tl;
          aL += abs<f64>(tl);
          sU += tu;
          aU += abs<f64>(tu);
        }
        const o = (r * rowStride + i * colStride) << 3;
        store<f64>(outL + o, soundLower(sL, aL, kappa, tiny));
        store<f64>(outU + o, soundUpper(sU, aU, kappa, tiny));
      }
    }
  }
}
