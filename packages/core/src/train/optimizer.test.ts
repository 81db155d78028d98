import { describe, expect, it } from 'vitest';
import type { Param } from '../ir/network.js';
import { createOptimizer } from './optimizer.js';
import { epsilonAt, learningRate, TUTORIAL_IBP_EPS, type EpsSchedule, type LrSchedule } from './schedule.js';

const param = (v: number[]): Param => ({ name: 'w', shape: [v.length], data: Float32Array.from(v) });

describe('optimizers (torch.optim semantics)', () => {
  it('SGD with momentum and weight decay: buffer starts at the first gradient, then b ← μb + g + λp', () => {
    const p = param([1]);
    const opt = createOptimizer({ kind: 'sgd', momentum: 0.9, weightDecay: 0.01 });
    opt.step([p], { w: Float32Array.of(0.5) }, 0.1);
    // d = 0.5 + 0.01·1 = 0.51 = b; p = 1 − 0.1·0.51
    expect(p.data[0]).toBeCloseTo(0.949, 6);
    opt.step([p], { w: Float32Array.of(0.25) }, 0.1);
    // d = 0.25 + 0.01·0.949; b = 0.9·0.51 + d = 0.71849; p = 0.949 − 0.071849
    expect(p.data[0]).toBeCloseTo(0.877151, 6);
  });

  it('plain SGD is p ← p − lr·g; Nesterov uses g + μb', () => {
    const p = param([2, -1]);
    createOptimizer({ kind: 'sgd' }).step([p], { w: Float32Array.of(1, -4) }, 0.5);
    expect(Array.from(p.data)).toEqual([1.5, 1]);
    const q = param([0]);
    const nes = createOptimizer({ kind: 'sgd', momentum: 0.5, nesterov: true });
    nes.step([q], { w: Float32Array.of(1) }, 1); // b = 1; step = 1 + 0.5·1
    nes.step([q], { w: Float32Array.of(1) }, 1); // b = 1.5; step = 1 + 0.75
    expect(q.data[0]).toBeCloseTo(-3.25, 6);
  });

  it('Adam: bias-corrected first step is lr·g/(|g| + eps); state export/import continues identically', () => {
    const p = param([1, 1]);
    const opt = createOptimizer({ kind: 'adam' });
    opt.step([p], { w: Float32Array.of(0.3, -2) }, 0.01);
    expect(p.data[0]).toBeCloseTo(1 - 0.01, 6);
    expect(p.data[1]).toBeCloseTo(1 + 0.01, 6);
    const copy = param(Array.from(p.data));
    const resumed = createOptimizer({ kind: 'adam' });
    resumed.load(opt.state());
    for (const g of [0.1, -0.7, 0.2]) {
      opt.step([p], { w: Float32Array.of(g, g) }, 0.01);
      resumed.step([copy], { w: Float32Array.of(g, g) }, 0.01);
    }
    expect(copy.data).toEqual(p.data);
  });

  it('rejects bad settings and missing gradients', () => {
    expect(() => createOptimizer({ kind: 'sgd', momentum: 1.5 })).toThrow(/momentum/);
    expect(() => createOptimizer({ kind: 'rmsprop' } as never)).toThrow(/unknown optimizer/);
    expect(() => createOptimizer({ kind: 'sgd' }).step([param([1])], {}, 0.1)).toThrow(/gradient of 'w'/);
  });
});

describe('schedules', () => {
  it("the tutorial's CNN step decay: lr 0.1 for epochs 0–4, 0.01 from epoch 5", () => {
    const s: LrSchedule = { kind: 'step', lr: 0.1, milestones: [5], gamma: 0.1 };
    expect(learningRate(s, 4.99, 10)).toBe(0.1);
    expect(learningRate(s, 5, 10)).toBeCloseTo(0.01, 12);
  });

  it('one-cycle rises linearly to the peak and falls to 0 at the end', () => {
    const s = { kind: 'one-cycle', lr: 5e-3, peak: 0.4 } as const;
    expect(learningRate(s, 0, 10)).toBe(0);
    expect(learningRate(s, 2, 10)).toBeCloseTo(2.5e-3, 12);
    expect(learningRate(s, 4, 10)).toBeCloseTo(5e-3, 12);
    expect(learningRate(s, 7, 10)).toBeCloseTo(2.5e-3, 12);
    expect(learningRate(s, 10, 10)).toBe(0);
  });

  it("the tutorial's IBP ε list, and linear ramps", () => {
    const s: EpsSchedule = { kind: 'list', values: [...TUTORIAL_IBP_EPS] };
    expect([0, 1, 2, 3, 5, 9, 10, 24, 40].map((e) => epsilonAt(s, e + 0.5))).toEqual([0, 1e-4, 1e-3, 0.01, 0.05, 0.05, 0.1, 0.1, 0.1]);
    expect(TUTORIAL_IBP_EPS.length).toBe(25);
    const r = { kind: 'ramp', eps: 0.4, start: 1, end: 3 } as const;
    expect([0.5, 1, 2, 3, 9].map((t) => epsilonAt(r, t))).toEqual([0, 0, 0.2, 0.4, 0.4]);
  });
});
