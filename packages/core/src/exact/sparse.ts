/**
 * Compressed sparse rows in float64: the linear maps of a network as solver rows. Convolutions
 * unrolled to rows are ~1% dense, so every consumer (interval bounds, formulations, composition of
 * consecutive linear layers) works on this form and never on dense matrices.
 */
import { ShapeError } from '../errors.js';

export interface Csr {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into indices/values. */
  readonly starts: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** A row-by-row builder; entries of a row must have distinct columns. Exact zeros are dropped. */
export class CsrBuilder {
  private starts: number[] = [0];
  private indices: number[] = [];
  private values: number[] = [];

  constructor(readonly cols: number) {}

  get rows(): number {
    return this.starts.length - 1;
  }

  push(col: number, value: number): void {
    if (value !== 0) {
      this.indices.push(col);
      this.values.push(value);
    }
  }

  endRow(): void {
    this.starts.push(this.indices.length);
  }

  build(): Csr {
    return {
      rows: this.rows,
      cols: this.cols,
      starts: Int32Array.from(this.starts),
      indices: Int32Array.from(this.indices),
      values: Float64Array.from(this.values),
    };
  }
}

export function identityCsr(n: number): Csr {
  const starts = new Int32Array(n + 1);
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i + 1] = i + 1;
    indices[i] = i;
  }
  return { rows: n, cols: n, starts, indices, values: new Float64Array(n).fill(1) };
}

/** Dense row-major [rows, cols] (e.g. a Linear weight) to CSR. */
export function denseToCsr(data: ArrayLike<number>, rows: number, cols: number): Csr {
  if (data.length !== rows * cols) throw new ShapeError(`dense matrix of ${data.length} values is not ${rows}×${cols}`);
  const b = new CsrBuilder(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) b.push(c, data[r * cols + c]!);
    b.endRow();
  }
  return b.build();
}

/**
 * B·A with a dense accumulator per row (Gustavson). Products and sums round to nearest once per
 * operation; callers composing network layers accept that (the composite is a float64 rounding of
 * the exact product, relative error ≤ k·2⁻⁵³ for k terms per entry).
 */
export function multiplyCsr(b: Csr, a: Csr): Csr {
  if (b.cols !== a.rows) throw new ShapeError(`cannot compose maps: ${b.rows}×${b.cols} after ${a.rows}×${a.cols}`);
  const acc = new Float64Array(a.cols);
  const mark = new Int32Array(a.cols).fill(-1);
  const out = new CsrBuilder(a.cols);
  const touched: number[] = [];
  for (let r = 0; r < b.rows; r++) {
    touched.length = 0;
    for (let k = b.starts[r]!; k < b.starts[r + 1]!; k++) {
      const mid = b.indices[k]!;
      const w = b.values[k]!;
      for (let q = a.starts[mid]!; q < a.starts[mid + 1]!; q++) {
        const c = a.indices[q]!;
        if (mark[c] !== r) {
          mark[c] = r;
          acc[c] = 0;
          touched.push(c);
        }
        acc[c] = acc[c]! + w * a.values[q]!;
      }
    }
    touched.sort((x, y) => x - y);
    for (const c of touched) out.push(c, acc[c]!);
    out.endRow();
  }
  return out.build();
}

/** y = A x for one vector (float64, rounding to nearest). */
export function multiplyVector(a: Csr, x: ArrayLike<number>, bias?: ArrayLike<number>): Float64Array {
  const y = new Float64Array(a.rows);
  for (let r = 0; r < a.rows; r++) {
    let s = bias ? bias[r]! : 0;
    for (let k = a.starts[r]!; k < a.starts[r + 1]!; k++) s += a.values[k]! * x[a.indices[k]!]!;
    y[r] = s;
  }
  return y;
}

/** Rows `keep` of A, in that order. */
export function selectRows(a: Csr, keep: ArrayLike<number>): Csr {
  const out = new CsrBuilder(a.cols);
  for (let i = 0; i < keep.length; i++) {
    const r = keep[i]!;
    for (let k = a.starts[r]!; k < a.starts[r + 1]!; k++) out.push(a.indices[k]!, a.values[k]!);
    out.endRow();
  }
  return out.build();
}
