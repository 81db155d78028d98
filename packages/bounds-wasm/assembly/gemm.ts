// C[M×N] = A[M×K]·B[K×N] (row-major, contiguous), register-blocked: 4 rows × 4 columns of C
// in eight f64x2 accumulators, A values splatted, B rows loaded two lanes at a time. Each C
// entry is one lane summing its K products in order k = 0..K−1 (the drivers' error bounds hold
// for any order). No fused multiply-add (relaxed-simd is not enabled), so every product and sum
// is one correctly rounded IEEE operation.

export function gemm(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32): void {
  const lda = (<usize>K) << 3;
  const ldb = (<usize>N) << 3;
  const N4 = N & ~3;
  let i: i32 = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = a + <usize>i * lda;
    const a1 = a0 + lda;
    const a2 = a1 + lda;
    const a3 = a2 + lda;
    const c0 = c + <usize>i * ldb;
    let j: i32 = 0;
    for (; j < N4; j += 4) {
      let s00 = f64x2.splat(0);
      let s01 = f64x2.splat(0);
      let s10 = f64x2.splat(0);
      let s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0);
      let s21 = f64x2.splat(0);
      let s30 = f64x2.splat(0);
      let s31 = f64x2.splat(0);
      let bp = b + ((<usize>j) << 3);
      for (let k: i32 = 0; k < K; k++) {
        const ko = (<usize>k) << 3;
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const w0 = v128.load64_splat(a0 + ko);
        const w1 = v128.load64_splat(a1 + ko);
        const w2 = v128.load64_splat(a2 + ko);
        const w3 = v128.load64_splat(a3 + ko);
        s00 = f64x2.add(s00, f64x2.mul(w0, b0));
        s01 = f64x2.add(s01, f64x2.mul(w0, b1));
        s10 = f64x2.add(s10, f64x2.mul(w1, b0));
        s11 = f64x2.add(s11, f64x2.mul(w1, b1));
        s20 = f64x2.add(s20, f64x2.mul(w2, b0));
        s21 = f64x2.add(s21, f64x2.mul(w2, b1));
        s30 = f64x2.add(s30, f64x2.mul(w3, b0));
        s31 = f64x2.add(s31, f64x2.mul(w3, b1));
        bp += ldb;
      }
      const cp = c0 + ((<usize>j) << 3);
      v128.store(cp, s00);
      v128.store(cp, s01, 16);
      v128.store(cp + ldb, s10);
      v128.store(cp + ldb, s11, 16);
      v128.store(cp + 2 * ldb, s20);
      v128.store(cp + 2 * ldb, s21, 16);
      v128.store(cp + 3 * ldb, s30);
      v128.store(cp + 3 * ldb, s31, 16);
    }
    for (; j < N; j++) {
      let t0: f64 = 0;
      let t1: f64 = 0;
      let t2: f64 = 0;
      let t3: f64 = 0;
      let bp = b + ((<usize>j) << 3);
      for (let k: i32 = 0; k < K; k++) {
        const ko = (<usize>k) << 3;
        const bv = load<f64>(bp);
        t0 += load<f64>(a0 + ko) * bv;
        t1 += load<f64>(a1 + ko) * bv;
        t2 += load<f64>(a2 + ko) * bv;
        t3 += load<f64>(a3 + ko) * bv;
        bp += ldb;
      }
      const cp = c0 + ((<usize>j) << 3);
      store<f64>(cp, t0);
      store<f64>(cp + ldb, t1);
      store<f64>(cp + 2 * ldb, t2);
      store<f64>(cp + 3 * ldb, t3);
    }
  }
  for (; i < M; i++) {
    const a0 = a + <usize>i * lda;
    const c0 = c + <usize>i * ldb;
    let j: i32 = 0;
    for (; j < N4; j += 4) {
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let bp = b + ((<usize>j) << 3);
      for (let k: i32 = 0; k < K; k++) {
        const w = v128.load64_splat(a0 + ((<usize>k) << 3));
        s0 = f64x2.add(s0, f64x2.mul(w, v128.load(bp)));
        s1 = f64x2.add(s1, f64x2.mul(w, v128.load(bp, 16)));
        bp += ldb;
      }
      const cp = c0 + ((<usize>j) << 3);
      v128.store(cp, s0);
      v128.store(cp, s1, 16);
    }
    for (; j < N; j++) {
      let t: f64 = 0;
      let bp = b + ((<usize>j) << 3);
      for (let k: i32 = 0; k < K; k++) {
        t += load<f64>(a0 + ((<usize>k) << 3)) * load<f64>(bp);
        bp += ldb;
      }
      store<f64>(c0 + ((<usize>j) << 3), t);
    }
  }
}
