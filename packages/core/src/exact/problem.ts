/**
 * A linear / mixed-integer program in the form HiGHS takes (rowLower ≤ A x ≤ rowUpper,
 * colLower ≤ x ≤ colUpper, minimise cᵀx + offset), kept on our side as well so that results can
 * be checked independently of the solver (see safe-bound.ts). Every column has finite bounds.
 */
import type { Csr } from './sparse.js';

export interface Problem {
  readonly numCols: number;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  /** 1 for integer (binary) columns. */
  readonly integrality: Uint8Array;
  readonly rows: Csr;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
}

/** Objective cᵀx + offset, sparse. */
export interface LinearObjective {
  readonly cols: Int32Array;
  readonly values: Float64Array;
  readonly offset: number;
}

/** Growable column/row lists for building a Problem. */
export class ProblemBuilder {
  private lower: number[] = [];
  private upper: number[] = [];
  private integer: number[] = [];
  private starts: number[] = [0];
  private indices: number[] = [];
  private values: number[] = [];
  private rLower: number[] = [];
  private rUpper: number[] = [];

  get numCols(): number {
    return this.lower.length;
  }

  get numRows(): number {
    return this.rLower.length;
  }

  /** Adds a column with bounds [lower, upper]; returns its index. */
  col(lower: number, upper: number, integer = false): number {
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(integer ? 1 : 0);
    return this.lower.length - 1;
  }

  /** Adds lower ≤ Σ values[k]·x[cols[k]] ≤ upper (distinct columns; zeros dropped). */
  row(cols: ArrayLike<number>, values: ArrayLike<number>, lower: number, upper: number): number {
    for (let k = 0; k < cols.length; k++) {
      if (values[k] !== 0) {
        this.indices.push(cols[k]!);
        this.values.push(values[k]!);
      }
    }
    this.starts.push(this.indices.length);
    this.rLower.push(lower);
    this.rUpper.push(upper);
    return this.rLower.length - 1;
  }

  build(): Problem {
    const numCols = this.lower.length;
    return {
      numCols,
      colLower: Float64Array.from(this.lower),
      colUpper: Float64Array.from(this.upper),
      integrality: Uint8Array.from(this.integer),
      rows: {
        rows: this.rLower.length,
        cols: numCols,
        starts: Int32Array.from(this.starts),
        indices: Int32Array.from(this.indices),
        values: Float64Array.from(this.values),
      },
      rowLower: Float64Array.from(this.rLower),
      rowUpper: Float64Array.from(this.rUpper),
    };
  }
}

export function countIntegers(p: Problem): number {
  let n = 0;
  for (const v of p.integrality) n += v;
  return n;
}

export interface ExtraRow {
  readonly cols: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly lower: number;
  readonly upper: number;
}

/** `p` with rows appended (e.g. cuts). */
export function appendRows(p: Problem, rows: readonly ExtraRow[]): Problem {
  const nnz = rows.reduce((s, r) => s + r.cols.length, 0);
  const m = p.rows.rows;
  const starts = new Int32Array(m + rows.length + 1);
  starts.set(p.rows.starts);
  const indices = new Int32Array(p.rows.indices.length + nnz);
  const values = new Float64Array(p.rows.values.length + nnz);
  indices.set(p.rows.indices);
  values.set(p.rows.values);
  let at = p.rows.indices.length;
  rows.forEach((r, i) => {
    for (let k = 0; k < r.cols.length; k++) {
      indices[at] = r.cols[k]!;
      values[at++] = r.values[k]!;
    }
    starts[m + i + 1] = at;
  });
  const rowLower = new Float64Array(m + rows.length);
  const rowUpper = new Float64Array(m + rows.length);
  rowLower.set(p.rowLower);
  rowUpper.set(p.rowUpper);
  rows.forEach((r, i) => {
    rowLower[m + i] = r.lower;
    rowUpper[m + i] = r.upper;
  });
  return { ...p, rows: { rows: m + rows.length, cols: p.numCols, starts, indices: indices.subarray(0, at), values: values.subarray(0, at) }, rowLower, rowUpper };
}
