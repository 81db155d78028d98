/**
 * Linear objectives over the network output, and their placement on an encoding's output columns.
 * A property's unsafe region is a conjunction of rows cᵀy + offset ≤ 0; it is empty exactly when
 * min over the input set of max_k (c_kᵀy + offset_k) > 0, which one LP/MIP computes with an
 * auxiliary column s ≥ c_kᵀy + offset_k (minimise s). With one row (a target class:
 * c = e_y − e_t) the objective is the row itself, as in the tutorial.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Encoding } from './encoding.js';
import { intervalSpecBound, type ChainBounds } from './interval.js';
import { appendRows, type LinearObjective, type Problem } from './problem.js';
import type { ReluChain } from './relu-chain.js';

export interface OutputRow {
  /** Coefficients over the outputs (length = output size). */
  readonly c: ArrayLike<number>;
  readonly offset: number;
}

export function targetRow(classes: number, label: number, target: number): OutputRow {
  if (label === target) throw new InvalidArgumentError(`target ${target} equals the label`);
  const c = new Float64Array(classes);
  c[label] = 1;
  c[target] = -1;
  return { c, offset: 0 };
}

function rowOnHead(enc: Encoding, r: OutputRow): { cols: number[]; values: number[] } {
  if (r.c.length !== enc.headSize) throw new InvalidArgumentError(`objective has ${r.c.length} coefficients, the network has ${enc.headSize} outputs`);
  const cols: number[] = [];
  const values: number[] = [];
  for (let o = 0; o < r.c.length; o++) {
    if (r.c[o] !== 0) {
      cols.push(enc.headStart + o);
      values.push(r.c[o]!);
    }
  }
  return { cols, values };
}

/** The objective cᵀy + offset on the encoding's output columns. */
export function headObjective(enc: Encoding, r: OutputRow): LinearObjective {
  const { cols, values } = rowOnHead(enc, r);
  return { cols: Int32Array.from(cols), values: Float64Array.from(values), offset: r.offset };
}

/**
 * The problem extended for min max_k rows_k (one row: unchanged). `lower`/`upper` bound s; they
 * must be valid over the input set (e.g. from interval bounds) so every column stays bounded.
 */
export function maxObjective(
  chain: ReluChain,
  enc: Encoding,
  bounds: ChainBounds,
  rows: readonly OutputRow[],
): { problem: Problem; objective: LinearObjective; sCol?: number } {
  if (rows.length === 0) throw new InvalidArgumentError('a property needs at least one output constraint');
  if (rows.length === 1) return { problem: enc.problem, objective: headObjective(enc, rows[0]!) };
  const p = enc.problem;
  let lo = -Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.max(lo, intervalSpecBound(chain, bounds, r.c, r.offset));
    const neg = Array.from(r.c, (v) => -v);
    hi = Math.max(hi, -intervalSpecBound(chain, bounds, neg, -r.offset));
  }
  const s = p.numCols;
  const colLower = new Float64Array(s + 1);
  const colUpper = new Float64Array(s + 1);
  const integrality = new Uint8Array(s + 1);
  colLower.set(p.colLower);
  colUpper.set(p.colUpper);
  integrality.set(p.integrality);
  colLower[s] = lo;
  colUpper[s] = Math.max(hi, lo);
  const widened: Problem = { ...p, numCols: s + 1, colLower, colUpper, integrality, rows: { ...p.rows, cols: s + 1 } };
  const extra = rows.map((r) => {
    const { cols, values } = rowOnHead(enc, r);
    // s − cᵀy ≥ offset
    return { cols: [s, ...cols], values: [1, ...values.map((v) => -v)], lower: r.offset, upper: Infinity };
  });
  return { problem: appendRows(widened, extra), objective: { cols: Int32Array.of(s), values: Float64Array.of(1), offset: 0 }, sCol: s };
}
