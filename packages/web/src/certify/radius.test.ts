import { describe, expect, it } from 'vitest';
import { bisectionSteps, certifiedRadius, type RadiusProgress } from './radius.js';

const threshold = (r: number) => (eps: number) => eps <= r;

describe('certifiedRadius', () => {
  it('brackets by doubling, then bisects to the tolerance; the radius is a verified ε', async () => {
    const seen: number[] = [];
    const verifies = (eps: number) => {
      seen.push(eps);
      return eps <= 0.3217;
    };
    const r = await certifiedRadius(verifies, { start: 0.1, tolerance: 1e-4 });
    expect(r.outcome).toBe('converged');
    expect(r.radius).toBeLessThanOrEqual(0.3217);
    expect(r.upper).not.toBeNull();
    expect(r.upper!).toBeGreaterThan(0.3217);
    expect(r.upper! - r.radius).toBeLessThanOrEqual(1e-4);
    expect(seen.slice(0, 4)).toEqual([0, 0.1, 0.2, 0.4]);
    // Every reported step is a real evaluation, and the radius is one of the verified ones.
    expect(r.steps.map((s) => s.eps)).toEqual(seen);
    expect(r.steps.some((s) => s.verified && s.eps === r.radius)).toBe(true);
    expect(r.steps).toHaveLength(4 + bisectionSteps(0.2, 1e-4));
  });

  it('bisects below the start when the start already fails', async () => {
    const r = await certifiedRadius(threshold(0.0123), { start: 0.1, tolerance: 1e-4 });
    expect(r.outcome).toBe('converged');
    expect(r.radius).toBeGreaterThan(0.0123 - 1e-4);
    expect(r.radius).toBeLessThanOrEqual(0.0123);
    expect(r.steps[1]).toEqual({ eps: 0.1, verified: false });
  });

  it('reports radius 0 when the digit is not verified even at ε = 0', async () => {
    const r = await certifiedRadius(() => false);
    expect(r).toMatchObject({ outcome: 'none', radius: 0, upper: 0 });
    expect(r.steps).toEqual([{ eps: 0, verified: false }]);
  });

  it('stops at max when everything verifies', async () => {
    const r = await certifiedRadius(() => true, { start: 0.3, max: 1 });
    expect(r.outcome).toBe('at-max');
    expect(r.radius).toBe(1);
    expect(r.upper).toBeNull();
    expect(r.steps.map((s) => s.eps)).toEqual([0, 0.3, 0.6, 1]);
  });

  it('stops between steps when cancelled and keeps the bracket found so far', async () => {
    const signal = { aborted: false };
    const r = await certifiedRadius(
      async (eps) => {
        if (eps === 0.2) signal.aborted = true;
        return eps <= 0.3;
      },
      { start: 0.1, signal },
    );
    expect(r.outcome).toBe('cancelled');
    expect(r.radius).toBe(0.2);
    expect(r.steps.map((s) => s.eps)).toEqual([0, 0.1, 0.2]);
  });

  it('reports progress with a total that is exact once the bracket is known', async () => {
    const events: RadiusProgress[] = [];
    const r = await certifiedRadius(threshold(0.05), { start: 0.1, tolerance: 1e-3, onStep: (p) => events.push(p) });
    expect(events).toHaveLength(r.steps.length);
    expect(events.at(-1)).toMatchObject({ step: r.steps.length, total: r.steps.length, lo: r.radius, hi: r.upper });
    expect(events[1]).toMatchObject({ eps: 0.1, verified: false, lo: 0, hi: 0.1 });
  });

  it('rejects a non-positive tolerance', async () => {
    await expect(certifiedRadius(() => true, { tolerance: 0 })).rejects.toThrow(/tolerance/);
  });
});

describe('bisectionSteps', () => {
  it('counts halvings', () => {
    expect(bisectionSteps(0.1, 1e-4)).toBe(10);
    expect(bisectionSteps(1e-4, 1e-4)).toBe(0);
    expect(bisectionSteps(0.8, 0.1)).toBe(3);
  });
});
