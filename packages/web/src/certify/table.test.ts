import { describe, expect, it } from 'vitest';
import type { BoundResult, ExactResult, TargetView } from '../workers/certify-api.js';
import { certificateTable, formatBound } from './table.js';

const LABEL = 7;

function bounds(method: BoundResult['method'], margins: Record<number, number>): BoundResult {
  const m = new Float64Array(10).fill(NaN);
  for (const [t, v] of Object.entries(margins)) m[Number(t)] = v;
  const all = Object.values(margins).every((v) => v > 0);
  return { kind: 'bounds', method, eps: 0.1, clamp: false, label: LABEL, margins: m, status: all ? 'verified' : 'not verified', seconds: 0.01 };
}

const everyTarget = (v: (t: number) => number): Record<number, number> =>
  Object.fromEntries(Array.from({ length: 10 }, (_, t) => t).filter((t) => t !== LABEL).map((t) => [t, v(t)]));

function exact(method: ExactResult['method'], targets: Partial<TargetView>[]): ExactResult {
  const full = targets.map((t) => ({ objective: NaN, bound: -Infinity, by: method, seconds: 0.1, status: 'verified' as const, target: 0, ...t }));
  const status = full.some((t) => t.status === 'falsified') ? 'falsified' : full.every((t) => t.status === 'verified') ? 'verified' : 'unknown';
  return { kind: 'exact', method, eps: 0.1, clamp: true, label: LABEL, predicted: LABEL, status, targets: full, unstable: [3, 2], seconds: 1 };
}

describe('certificateTable', () => {
  it('has one row per target t ≠ y and one cell per method run', () => {
    const table = certificateTable(10, LABEL, { ibp: bounds('ibp', everyTarget((t) => t - 3)) });
    expect(table.rows.map((r) => r.target)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9]);
    expect(Object.keys(table.rows[0]!.cells)).toEqual(['ibp']);
    const row3 = table.rows.find((r) => r.target === 3)!;
    expect(row3.cells.ibp).toMatchObject({ value: 0, state: 'open', text: '0.0000' });
    expect(table.rows.find((r) => r.target === 4)!.cells.ibp!.state).toBe('proven');
    expect(table.rows.find((r) => r.target === 0)!.cells.ibp!.text).toBe('−3.0000');
    expect(table.columns.ibp).toEqual({ method: 'ibp', status: 'not verified', seconds: 0.01 });
    expect(table.overall.status).toBe('not verified');
    expect(table.overall.falsified).toBe(false);
    expect(table.overall.reason).toContain('0, 1, 2 and 3');
  });

  it('is verified as soon as one method proves every margin', () => {
    const table = certificateTable(10, LABEL, {
      ibp: bounds('ibp', everyTarget((t) => (t === 2 ? -0.5 : 1))),
      crown: bounds('crown', everyTarget(() => 0.25)),
    });
    expect(table.overall).toMatchObject({ status: 'verified', by: ['crown'] });
    expect(table.overall.reason).toMatch(/^CROWN proved every margin positive/);
  });

  it('marks MIP counterexamples as falsified and says which class wins', () => {
    const table = certificateTable(10, LABEL, {
      ibp: bounds('ibp', everyTarget(() => -1)),
      mip: exact('mip', [
        { target: 2, status: 'falsified', objective: -4.966118, counterexample: { x: new Float32Array(784), predicted: 2, logits: new Float32Array(10), uploaded: { predicted: 2, logits: new Float32Array(10) } } },
        { target: 1, status: 'verified', objective: 3.043377, bound: 3.043377 },
      ]),
    });
    const t2 = table.rows.find((r) => r.target === 2)!.cells.mip!;
    expect(t2).toMatchObject({ state: 'falsified', text: '−4.9661' });
    expect(t2.title).toContain('classifies it as 2');
    expect(table.rows.find((r) => r.target === 1)!.cells.mip!.state).toBe('proven');
    expect(table.columns.mip!.status).toBe('falsified');
    expect(table.overall).toMatchObject({ status: 'not verified', falsified: true, by: ['mip'] });
    expect(table.overall.reason).toBe('MIP found inputs of the box where the network prefers 2 over 7, confirmed in ONNX Runtime.');
  });

  it('is unknown, with the reason, when the MIP hits its time limit', () => {
    const table = certificateTable(10, LABEL, {
      lp: exact('lp', [{ target: 3, status: 'unknown', objective: -2, note: 'relaxation optimum is not a real adversarial point' }]),
      mip: exact('mip', [
        { target: 3, status: 'unknown', objective: 0.5, bound: -1.2, gap: 0.8, note: 'time limit' },
        { target: 5, status: 'verified', objective: 2, bound: 2 },
      ]),
    });
    expect(table.overall.status).toBe('unknown');
    expect(table.overall.reason).toBe('The MIP left target 3 undecided (time limit).');
    const cell = table.rows.find((r) => r.target === 3)!.cells.mip!;
    expect(cell.state).toBe('unknown');
    expect(cell.title).toContain('time limit');
    expect(cell.title).toContain('gap 80.0%');
  });

  it('shows a proven infeasible target by its bound and an empty unknown as –', () => {
    const table = certificateTable(10, LABEL, {
      mip: exact('mip', [
        { target: 0, status: 'verified', objective: NaN, bound: Infinity },
        { target: 1, status: 'unknown', objective: NaN, bound: -Infinity, note: 'interrupted' },
      ]),
    });
    expect(table.rows[0]!.cells.mip!.text).toBe('+∞');
    expect(table.rows[1]!.cells.mip!.text).toBe('–');
  });

  it('has no verdict before any method ran and refuses results of another digit', () => {
    expect(certificateTable(10, LABEL, {}).overall.status).toBe('none');
    expect(() => certificateTable(10, 3, { ibp: bounds('ibp', everyTarget(() => 1)) })).toThrow(/label 7/);
  });
});

describe('formatBound', () => {
  it('uses a real minus sign, never prints −0 and names infinities', () => {
    expect(formatBound(-1.23456)).toBe('−1.2346');
    expect(formatBound(-0.00001)).toBe('0.0000');
    expect(formatBound(2)).toBe('2.0000');
    expect(formatBound(-Infinity)).toBe('−∞');
    expect(formatBound(Infinity)).toBe('+∞');
    expect(formatBound(NaN)).toBe('–');
  });
});
