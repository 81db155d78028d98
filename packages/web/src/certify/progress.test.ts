import { describe, expect, it } from 'vitest';
import { describeProgress, formatEps } from './progress.js';

describe('describeProgress', () => {
  it('describes radius steps with the bracket so far', () => {
    expect(describeProgress({ task: 'radius:alpha-crown', done: 3, total: 12, unit: 'steps', info: { eps: 0.05, verified: 1, lo: 0.05, hi: 0.1 } })).toBe(
      'Step 3 of ~12 · α-CROWN at ε = 0.05: verified · radius in [0.05, 0.1]',
    );
    expect(describeProgress({ task: 'radius:ibp', done: 2, total: 9, unit: 'steps', info: { eps: 0.1, verified: 1, lo: 0.1 } })).toBe(
      'Step 2 of ~9 · IBP at ε = 0.1: verified · radius ≥ 0.1',
    );
  });

  it('names the bound and solver stages', () => {
    expect(describeProgress({ task: 'verify:mip', done: 4, total: 9, unit: 'targets' })).toBe('MIP: 4 of 9 targets solved');
    expect(describeProgress({ task: 'crown:layers', done: 2, total: 3, unit: 'layers' })).toBe('CROWN: bounds of layer 2 of 3');
    expect(describeProgress({ task: 'alpha-crown', done: 5, total: 20, unit: 'steps' })).toBe('α-CROWN: slope optimisation step 5 of 20');
    expect(describeProgress({ task: 'something', done: 1, total: 2, unit: 'things' })).toBe('something: 1 of 2 things');
  });
});

describe('formatEps', () => {
  it('keeps at most 4 decimals without trailing zeros', () => {
    expect(formatEps(0.1)).toBe('0.1');
    expect(formatEps(0.012345)).toBe('0.0123');
    expect(formatEps(0)).toBe('0');
  });
});
