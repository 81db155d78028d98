/**
 * Initial multipliers of a backward pass. Two kinds of objective rows:
 *  - neuron rows ±e_o at a level: the lower bound of ±ẑ_o (intermediate bounds). A row is a 1×1
 *    patch at the neuron's position holding a one-hot channel vector (at a flat level, where
 *    H = W = 1, that is the whole row), so its backward pass only touches the receptive field;
 *  - dense rows c at a level (specifications C·z at the output): full rows.
 */
import type { LevelLayout } from '../layout.js';
import type { BackwardWorkspace } from './backward.js';

const F64 = 8;

/**
 * Writes rows for `cells` (channels-last indices at level ws.start) with signs into ws.a[0] and
 * ws.origins[0]: row r is signs[r]·e_{cells[r]}.
 */
export function writeNeuronRows(ws: BackwardWorkspace, layout: LevelLayout, cells: ArrayLike<number>, signs: ArrayLike<number>): void {
  const rows = cells.length;
  const f = ws.ctx.heap.f64;
  const i32 = ws.ctx.heap.i32;
  const C = layout.C;
  const a = ws.a[0]! / F64;
  const o = ws.origins[0]! / 4;
  f.fill(0, a, a + rows * C);
  for (let r = 0; r < rows; r++) {
    const cell = cells[r]!;
    const p = Math.floor(cell / C);
    i32[o + 2 * r] = Math.floor(p / layout.W);
    i32[o + 2 * r + 1] = p % layout.W;
    f[a + r * C + (cell % C)] = signs[r]!;
  }
}

/** Writes full rows (channels-last, [rows, size]) into ws.a[0] with zero origins. */
export function writeDenseRows(ws: BackwardWorkspace, rows: number, values: ArrayLike<number>, size: number): void {
  const f = ws.ctx.heap.f64;
  const a = ws.a[0]! / F64;
  for (let i = 0; i < rows * size; i++) f[a + i] = values[i]!;
  ws.ctx.heap.i32.fill(0, ws.origins[0]! / 4, ws.origins[0]! / 4 + 2 * rows);
}
