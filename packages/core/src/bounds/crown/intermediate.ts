/**
 * Intermediate bounds by the backward pass itself (CROWN's layer-by-layer scheme): for every ReLU
 * in order, the pre-activation bounds of its unstable neurons are replaced by the better of their
 * current bounds and the linear-relaxation bounds of ±ẑ_o, computed with the (already tightened)
 * bounds of the ReLUs below; the levels above are then re-bounded by IBP from the tightened level.
 *
 * Only neurons with l < 0 < u are bounded: a stable neuron's relaxation is exact (identity or 0)
 * whatever its bounds, so tightening it could not change any later bound. This is what makes
 * "full intermediate bounds" affordable on convolutional networks.
 */
import { backward, BackwardWorkspace, bytesPerRow, clearAcc, readAcc } from './backward.js';
import type { CrownContext } from './context.js';
import { writeNeuronRows } from './rows.js';

const F64 = 8;
const DEFAULT_BUDGET = 4 * 2 ** 20;

export interface IntermediateOptions {
  /** Bytes of engine memory for row blocks (rows are processed in chunks). Default 64 MiB. */
  readonly memoryBudgetBytes?: number;
  /** Bound stable neurons too (their bounds are reported, but cannot change the final bound). */
  readonly allNeurons?: boolean;
  /** Called after each ReLU level with the number of neurons bounded there. */
  readonly onLevel?: (layer: number, neurons: number) => void;
}

/**
 * True when only one linear layer (and reshapes) lies between the input and `level`: the
 * interval bound of a single linear map over a box is already its exact range, so a backward
 * pass could not tighten it.
 */
function singleLinearBelow(ctx: CrownContext, level: number): boolean {
  let linear = 0;
  for (let i = 0; i < level; i++) {
    const op = ctx.steps[i]!.op;
    if (op === 'relu') return false;
    if (op !== 'reshape') linear++;
  }
  return linear <= 1;
}

/**
 * Tightens the pre-activation bounds of every ReLU of the context's current example. Upper bounds
 * are computed first: a neuron they prove inactive (u ≤ 0) needs no lower bound, its relaxation
 * being 0 whatever its bounds.
 */
export function tightenIntermediate(ctx: CrownContext, options: IntermediateOptions = {}): void {
  const budget = options.memoryBudgetBytes ?? DEFAULT_BUDGET;
  for (const step of ctx.steps) {
    if (step.op !== 'relu') continue;
    const level = step.layer;
    const layout = ctx.layouts[level]!;
    const size = layout.size;
    const f = ctx.heap.f64;
    const L = ctx.lower[level]! / F64;
    const U = ctx.upper[level]! / F64;
    const cells: number[] = [];
    for (let i = 0; i < size; i++) if (options.allNeurons || (f[L + i]! < 0 && f[U + i]! > 0)) cells.push(i);
    options.onLevel?.(step.layer, cells.length);
    if (cells.length === 0 || level === 0 || (!options.allNeurons && singleLinearBelow(ctx, level))) continue;
    const perRow = bytesPerRow(ctx, level, 1, 1, 0);
    const chunk = Math.max(1, Math.min(cells.length, Math.floor(budget / perRow)));
    const ws = new BackwardWorkspace(ctx, chunk, level, 1, 1, 0);
    const { lower, upper } = ctx.levelBoundsChannelsLast(level);
    /** Lower bounds of sign·ẑ_c for each cell (negation of a lower bound of −ẑ_c is an upper bound of ẑ_c, exactly). */
    const bound = (list: readonly number[], sign: number, record: (cell: number, value: number) => void): void => {
      for (let start = 0; start < list.length; start += chunk) {
        const part = list.slice(start, start + chunk);
        writeNeuronRows(ws, layout, part, new Float64Array(part.length).fill(sign));
        clearAcc(ws, part.length);
        backward(ws, part.length);
        readAcc(ws, part.length).forEach((v, j) => record(part[j]!, v));
      }
    };
    try {
      bound(cells, -1, (c, v) => {
        if (-v < upper[c]!) upper[c] = -v;
      });
      const open = options.allNeurons ? cells : cells.filter((c) => upper[c]! > 0);
      bound(open, 1, (c, v) => {
        if (v > lower[c]!) lower[c] = v;
      });
    } finally {
      ws.release();
    }
    ctx.intersect(level, lower, upper);
  }
}
