/**
 * The two places where floating point could turn into a false claim: LP proofs (the safe dual
 * bound must hold for any multipliers, however wrong) and counterexamples (the float32 point that
 * ONNX Runtime runs must lie inside the real-valued box).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../data/rng.js';
import { toFloat32InBox } from './counterexample.js';
import { loadHighs } from './highs.js';
import { ProblemBuilder } from './problem.js';
import { safeLpBound } from './safe-bound.js';
import { SolverModel } from './solver-model.js';

describe('safe LP bound', () => {
  it('equals the optimum with the solver duals and stays below it for arbitrary multipliers', async () => {
    const highs = await loadHighs();
    const rng = new Rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const pb = new ProblemBuilder();
      const n = 6 + (trial % 5);
      for (let j = 0; j < n; j++) {
        const l = rng.normal();
        pb.col(l, l + 0.5 + rng.float() * 2);
      }
      for (let i = 0; i < 5; i++) {
        const cols = Array.from({ length: n }, (_, j) => j);
        const vals = cols.map(() => (rng.float() < 0.3 ? 0 : rng.normal()));
        const kind = i % 3;
        const mid = vals.reduce((a, v, j) => a + v * (pb.build().colLower[j]! + 0.25), 0);
        pb.row(cols, vals, kind === 1 ? -Infinity : mid - 1, kind === 2 ? Infinity : kind === 0 ? mid - 1 : mid + 1);
      }
      const p = pb.build();
      const obj = { cols: Int32Array.from({ length: n }, (_, j) => j), values: Float64Array.from({ length: n }, () => rng.normal()), offset: rng.normal() };
      const m = new SolverModel(highs, p);
      try {
        m.setObjective(obj);
        const r = m.solve();
        if (r.status !== 'optimal') continue;
        const safe = safeLpBound(p, obj, r.rowDual!);
        expect(safe).toBeLessThanOrEqual(r.objective + 1e-9 * (1 + Math.abs(r.objective)));
        expect(safe).toBeGreaterThan(r.objective - 1e-6 * (1 + Math.abs(r.objective)));
        for (let k = 0; k < 10; k++) {
          const y = r.rowDual!.map((v) => v + rng.normal() * (k === 0 ? 0 : 0.5));
          expect(safeLpBound(p, obj, y)).toBeLessThanOrEqual(r.objective + 1e-9 * (1 + Math.abs(r.objective)));
        }
        expect(safeLpBound(p, obj, new Float64Array(p.rows.rows))).toBeLessThanOrEqual(r.objective);
      } finally {
        m.dispose();
      }
    }
  });
});

describe('toFloat32InBox', () => {
  it('returns float32 values inside the box even when rounding to nearest would leave it', () => {
    const f = new Float32Array(1);
    const bits = new Int32Array(f.buffer);
    const neighbour = (v: number, dir: 1 | -1): number => {
      f[0] = v;
      bits[0]! += v > 0 === dir > 0 ? 1 : -1;
      return f[0]!;
    };
    const x = [0.1, 0.30000000000000004, -0.7, 1e-3];
    // Boxes that exclude the nearest float32 but contain the next one on the other side of x.
    const lower = x.map((v) => (Math.fround(v) < v ? v - 1e-12 : neighbour(Math.fround(v), -1)));
    const upper = x.map((v) => (Math.fround(v) > v ? v + 1e-12 : neighbour(Math.fround(v), 1)));
    x.forEach((v, i) => expect(Math.fround(v) >= lower[i]! && Math.fround(v) <= upper[i]!).toBe(false));
    const out = toFloat32InBox(x, lower, upper);
    out.forEach((v, i) => {
      expect(v).toBe(Math.fround(v));
      expect(v).toBeGreaterThanOrEqual(lower[i]!);
      expect(v).toBeLessThanOrEqual(upper[i]!);
    });
    // Points outside the box are projected first.
    expect(Array.from(toFloat32InBox([5, -5], [0, 0], [1, 1]))).toEqual([1, 0]);
    expect(() => toFloat32InBox([0.1], [0.1000000001], [0.1000000002])).toThrow(/contains no float32/);
  });
});
