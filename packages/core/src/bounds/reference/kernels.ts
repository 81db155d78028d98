/**
 * The plain-TS implementation of the kernel ABI (../kernels.ts) over a GrowableMemory: the oracle
 * the WebAssembly kernels are checked against, and the fallback where WebAssembly is unavailable.
 */
import { GrowableMemory } from '../growable-memory.js';
import type { BoundKernels } from '../kernels.js';
import { boxTerm, linearTerms, reluBackward, reluForward, selectCorner } from './crown-kernels.js';
import { gemm } from './gemm.js';
import { affine, avgpool, centerRadius, finalizeLinear, maxAbs, relu, roundUpSums } from './ibp-kernels.js';
import { addBias, avgpoolBackward, col2im, gather, im2col, patchToFull, scaleRows } from './transport.js';

export class ReferenceKernels implements BoundKernels {
  readonly name = 'reference';
  readonly memory = new GrowableMemory(1);
  private f64View = new Float64Array(this.memory.buffer);
  private i32View = new Int32Array(this.memory.buffer);

  heapBase(): number {
    return 16;
  }

  private get f(): Float64Array {
    if (this.f64View.buffer !== this.memory.buffer) {
      this.f64View = new Float64Array(this.memory.buffer);
      this.i32View = new Int32Array(this.memory.buffer);
    }
    return this.f64View;
  }

  private get i(): Int32Array {
    void this.f;
    return this.i32View;
  }

  gemm(a: number, b: number, c: number, M: number, K: number, N: number): void {
    gemm(this.f, a, b, c, M, K, N);
  }
  im2col(x: number, col: number, nb: number, H: number, W: number, C: number, outH: number, outW: number, kH: number, kW: number, sH: number, sW: number, pT: number, pL: number, dH: number, dW: number): void {
    im2col(this.f, x, col, nb, H, W, C, outH, outW, kH, kW, sH, sW, pT, pL, dH, dW);
  }
  gather(src: number, dst: number, index: number, len: number, rows: number): void {
    gather(this.f, this.i, src, dst, index, len, rows);
  }
  addBias(x: number, bias: number, rows: number, N: number): void {
    addBias(this.f, x, bias, rows, N);
  }
  centerRadius(l: number, u: number, c: number, rt: number, len: number, n: number): void {
    centerRadius(this.f, l, u, c, rt, len, n);
  }
  finalizeLinear(s: number, p: number, bias: number, lower: number, upper: number, rows: number, N: number, n: number): void {
    finalizeLinear(this.f, s, p, bias, lower, upper, rows, N, n);
  }
  relu(l: number, u: number, outL: number, outU: number, len: number): void {
    relu(this.f, l, u, outL, outU, len);
  }
  affine(scale: number, shift: number, size: number, l: number, u: number, outL: number, outU: number, n: number): void {
    affine(this.f, scale, shift, size, l, u, outL, outU, n);
  }
  avgpool(C: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number, sH: number, sW: number, pT: number, pL: number, countIncludePad: number, l: number, u: number, outL: number, outU: number, n: number): void {
    avgpool(this.f, C, inH, inW, outH, outW, kH, kW, sH, sW, pT, pL, countIncludePad, l, u, outL, outU, n);
  }
  maxAbs(l: number, u: number, m: number, len: number): void {
    maxAbs(this.f, l, u, m, len);
  }
  roundUpSums(p: number, len: number, n: number): void {
    roundUpSums(this.f, p, len, n);
  }
  col2im(z: number, out: number, rows: number, ph: number, pw: number, origins: number, nph: number, npw: number, newOrigins: number, Hin: number, Win: number, Ci: number, kH: number, kW: number, sH: number, sW: number, pT: number, pL: number, dH: number, dW: number): void {
    col2im(this.f, this.i, z, out, rows, ph, pw, origins, nph, npw, newOrigins, Hin, Win, Ci, kH, kW, sH, sW, pT, pL, dH, dW);
  }
  scaleRows(a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number, scale: number): void {
    scaleRows(this.f, this.i, a, rows, ph, pw, C, origins, levelW, scale);
  }
  avgpoolBackward(a: number, out: number, rows: number, ph: number, pw: number, origins: number, nph: number, npw: number, newOrigins: number, C: number, inH: number, inW: number, kH: number, kW: number, sH: number, sW: number, pT: number, pL: number, countIncludePad: number): void {
    avgpoolBackward(this.f, this.i, a, out, rows, ph, pw, origins, nph, npw, newOrigins, C, inH, inW, kH, kW, sH, sW, pT, pL, countIncludePad);
  }
  patchToFull(a: number, out: number, rows: number, ph: number, pw: number, C: number, origins: number, H: number, W: number): void {
    patchToFull(this.f, this.i, a, out, rows, ph, pw, C, origins, H, W);
  }
  linearTerms(a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number, bias: number, biasFull: number, q: number, n: number, tiny: number, acc: number): void {
    linearTerms(this.f, this.i, a, rows, ph, pw, C, origins, levelW, bias, biasFull, q, n, tiny, acc);
  }
  reluBackward(a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number, l: number, u: number, slopeUp: number, slopeLow: number, lowPerRow: number, acc: number, hat: number): void {
    reluBackward(this.f, this.i, a, rows, ph, pw, C, origins, levelW, l, u, slopeUp, slopeLow, lowPerRow, acc, hat);
  }
  boxTerm(a: number, rows: number, ph: number, pw: number, C: number, origins: number, levelW: number, l: number, u: number, acc: number): void {
    boxTerm(this.f, this.i, a, rows, ph, pw, C, origins, levelW, l, u, acc);
  }
  selectCorner(hat: number, l: number, u: number, x: number, rows: number, size: number): void {
    selectCorner(this.f, hat, l, u, x, rows, size);
  }
  reluForward(z: number, rows: number, size: number, l: number, u: number, slopeUp: number, alpha: number, hat: number, grad: number): void {
    reluForward(this.f, z, rows, size, l, u, slopeUp, alpha, hat, grad);
  }
}
