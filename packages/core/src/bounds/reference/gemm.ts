/**
 * Plain-TS matrix product for the reference kernels: C = A·B, row-major, each C entry summed over
 * k in order (any order satisfies the error bounds the drivers rely on). Zero factors are not
 * skipped, so 0·∞ gives NaN exactly as in the WebAssembly kernel and both engines agree.
 */
export function gemm(f: Float64Array, a: number, b: number, c: number, M: number, K: number, N: number): void {
  const A = a >> 3;
  const B = b >> 3;
  const C = c >> 3;
  for (let i = 0; i < M; i++) {
    const row = C + i * N;
    f.fill(0, row, row + N);
    const ai = A + i * K;
    for (let k = 0; k < K; k++) {
      const aik = f[ai + k]!;
      const bk = B + k * N;
      for (let j = 0; j < N; j++) f[row + j] = f[row + j]! + aik * f[bk + j]!;
    }
  }
}
