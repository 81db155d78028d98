/**
 * Sound interval image of a linear map, plain TS: the reference the WASM kernel
 * (packages/bounds-wasm/assembly/linear.ts) must agree with.
 * lower_i = b_i + Σ_j (W⁺_ij l_j + W⁻_ij u_j), upper mirrored (IBP, Gowal et al. 2018, eq. 6),
 * each rounded outward with the dot-product error bound of ../float.ts.
 */
import { soundLower, soundUpper } from '../float.js';

type Values = Float32Array | Float64Array;

/**
 * For each of `rows` boxes (row r: l/u[lOff + r·inDim ...]) and each output i, writes the bounds
 * of (W x + b)_i to outL/outU[outOff + r·rowStride + i·colStride]. W is [outDim, inDim].
 */
export function linearRows(
  w: Values,
  b: Values,
  inDim: number,
  outDim: number,
  l: Float64Array,
  u: Float64Array,
  inOff: number,
  rows: number,
  outL: Float64Array,
  outU: Float64Array,
  outOff: number,
  rowStride: number,
  colStride: number,
): void {
  for (let i = 0; i < outDim; i++) {
    const wOff = i * inDim;
    const bi = b[i]!;
    const abi = Math.abs(bi);
    for (let r = 0; r < rows; r++) {
      const x0 = inOff + r * inDim;
      let sl = bi;
      let al = abi;
      let su = bi;
      let au = abi;
      for (let j = 0; j < inDim; j++) {
        const wj = w[wOff + j]!;
        let tl: number;
        let tu: number;
        if (wj < 0) {
          tl = wj * u[x0 + j]!;
          tu = wj * l[x0 + j]!;
        } else {
          tl = wj * l[x0 + j]!;
          tu = wj * u[x0 + j]!;
        }
        sl += tl;
        al += Math.abs(tl);
        su += tu;
        au += Math.abs(tu);
      }
      const o = outOff + r * rowStride + i * colStride;
      outL[o] = soundLower(sl, al, inDim);
      outU[o] = soundUpper(su, au, inDim);
    }
  }
}
