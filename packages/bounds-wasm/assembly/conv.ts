// Sound interval image of a 2-D convolution (NCHW, ONNX pads/strides/dilations): per example,
// im2col into patch rows [outH·outW, inC·kH·kW] (padding cells are exact zeros, whose products
// are exact), then the sound linear kernel with the kernel as a [outC, inC·kH·kW] matrix writing
// channel-major output (row stride 1, column stride outH·outW).
import { linearRows } from './linear';

function im2col(
  x: usize,
  col: usize,
  inC: usize,
  inH: i32,
  inW: i32,
  outH: i32,
  outW: i32,
  kH: i32,
  kW: i32,
  sH: i32,
  sW: i32,
  pT: i32,
  pL: i32,
  dH: i32,
  dW: i32,
): void {
  let q = col;
  const plane = (<usize>inH * <usize>inW) << 3;
  for (let oy: i32 = 0; oy < outH; oy++) {
    for (let ox: i32 = 0; ox < outW; ox++) {
      for (let ic: usize = 0; ic < inC; ic++) {
        const base = x + ic * plane;
        for (let ky: i32 = 0; ky < kH; ky++) {
          const iy = oy * sH - pT + ky * dH;
          const rowOk = iy >= 0 && iy < inH;
          for (let kx: i32 = 0; kx < kW; kx++) {
            const ix = ox * sW - pL + kx * dW;
            let v: f64 = 0;
            if (rowOk && ix >= 0 && ix < inW) v = load<f64>(base + ((<usize>(iy * inW + ix)) << 3));
            store<f64>(q, v);
            q += 8;
          }
        }
      }
    }
  }
}

/** Bounds of conv(x) + bias for n examples; colL/colU hold outH·outW·inC·kH·kW f64 each. */
export function conv(
  w: usize,
  b: usize,
  inC: i32,
  inH: i32,
  inW: i32,
  outC: i32,
  outH: i32,
  outW: i32,
  kH: i32,
  kW: i32,
  sH: i32,
  sW: i32,
  pT: i32,
  pL: i32,
  dH: i32,
  dW: i32,
  l: usize,
  u: usize,
  outL: usize,
  outU: usize,
  colL: usize,
  colU: usize,
  n: i32,
): void {
  const K = <usize>(inC * kH * kW);
  const P = <usize>(outH * outW);
  const inBytes = (<usize>(inC * inH * inW)) << 3;
  const outBytes = (<usize>outC * P) << 3;
  for (let e: i32 = 0; e < n; e++) {
    const off = <usize>e;
    im2col(l + off * inBytes, colL, <usize>inC, inH, inW, outH, outW, kH, kW, sH, sW, pT, pL, dH, dW);
    im2col(u + off * inBytes, colU, <usize>inC, inH, inW, outH, outW, kH, kW, sH, sW, pT, pL, dH, dW);
    linearRows(w, b, K, <usize>outC, colL, colU, P, outL + off * outBytes, outU + off * outBytes, 1, P);
  }
}
