/**
 * Per-neuron LP bound tightening, layer by layer (the progressive scheme of MIPVerify, Tjeng et al.
 * 2019 §4): the pre-activation bounds of layer k are the optima of min/max ẑ_kj over the LP
 * relaxation built with the already tightened layers 0..k−1, then interval propagation carries
 * the gain to the layers above before layer k+1 is tightened. Tighter bounds stabilise neurons
 * (fewer binaries) and shrink big-M constants, so the MIP solves faster; its optimum is unchanged.
 *
 * Every new bound is a safe dual bound (safe-bound.ts) of its LP, not the solver's optimum, so it
 * holds regardless of solver tolerances. Layer 0 is skipped: interval bounds of an affine map of
 * the input box are already exact.
 *
 * Tighter is not always faster: on the tutorial's `small` at ε = 0.1 the exact (MIP) bounds of
 * layer 1 leave 12 instead of 17 neurons unstable but cost 85 s, and the per-target MIPs are no
 * faster with them (their branching is on the 40 unstable layer-0 neurons, whose bounds are exact);
 * tightening under the objective cutoff cᵀy ≤ incumbent stabilises none of them either.
 */
import type { Highs } from 'highs';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import { encode } from './encoding.js';
import { chainInterval, intersect, type ChainBounds, type NeuronBounds } from './interval.js';
import { reluDepth, type ReluChain } from './relu-chain.js';
import { safeLpBound } from './safe-bound.js';
import { SolverModel } from './solver-model.js';

export interface TightenOptions {
  /** Absolute deadline (performance.now() ms): layers not reached keep their previous bounds. */
  deadline?: number;
  signal?: CancelSignal;
  onProgress?: ProgressCallback;
  /** Only tighten neurons that are unstable (l < 0 < u); default false (all neurons that can be active). */
  unstableOnly?: boolean;
}

export interface TightenStats {
  lps: number;
  seconds: number;
  /** Unstable neurons per ReLU layer before and after. */
  unstableBefore: number[];
  unstableAfter: number[];
  /** True when the deadline or signal stopped tightening early (bounds are still sound). */
  incomplete: boolean;
}

export function countUnstable(b: NeuronBounds): number {
  let n = 0;
  for (let j = 0; j < b.lower.length; j++) if (b.lower[j]! < 0 && b.upper[j]! > 0) n++;
  return n;
}

export function lpTighten(highs: Highs, chain: ReluChain, initial: ChainBounds, o: TightenOptions = {}): { bounds: ChainBounds; stats: TightenStats } {
  const t0 = performance.now();
  const depth = reluDepth(chain);
  let bounds = initial;
  let lps = 0;
  let incomplete = false;
  const unstableBefore = initial.preact.map(countUnstable);
  const total = initial.preact.slice(1).reduce((s, b) => s + b.lower.length, 0);
  let done = 0;
  const expired = (): boolean => (o.signal?.aborted ?? false) || (o.deadline !== undefined && performance.now() > o.deadline);
  for (let k = 1; k < depth && !incomplete; k++) {
    const enc = encode(chain, { relaxation: 'lp', inputLower: bounds.input.lower, inputUpper: bounds.input.upper, preact: bounds.preact, head: k });
    const model = new SolverModel(highs, enc.problem);
    const cur = bounds.preact[k]!;
    const lower = Float64Array.from(cur.lower);
    const upper = Float64Array.from(cur.upper);
    try {
      for (let j = 0; j < cur.lower.length; j++) {
        done++;
        if (cur.upper[j]! <= 0) continue;
        if (o.unstableOnly && cur.lower[j]! >= 0) continue;
        if (expired()) {
          incomplete = true;
          break;
        }
        const col = Int32Array.of(enc.headStart + j);
        for (const sense of [-1, 1] as const) {
          const obj = { cols: col, values: Float64Array.of(sense), offset: 0 };
          model.setObjective(obj);
          const r = model.solve({ deadline: o.deadline, signal: o.signal });
          lps++;
          if (r.status === 'infeasible') continue;
          if (r.status !== 'optimal' || !r.rowDual) continue;
          const safe = safeLpBound(enc.problem, obj, r.rowDual);
          if (!Number.isFinite(safe)) continue;
          if (sense === 1) lower[j] = Math.max(lower[j]!, safe);
          else upper[j] = Math.min(upper[j]!, -safe);
          if (lower[j]! > upper[j]!) lower[j] = upper[j];
          // An upper bound ≤ 0 settles the neuron; its lower bound no longer matters.
          if (sense === -1 && upper[j]! <= 0) break;
        }
        o.onProgress?.({ task: 'tighten', done, total, unit: 'neurons', info: { layer: k, lps } });
      }
    } finally {
      model.dispose();
    }
    const known: (NeuronBounds | undefined)[] = bounds.preact.map((b, i) => (i === k ? { lower, upper } : b));
    // Re-propagate intervals above layer k and keep the better of old and new bounds everywhere.
    const next = chainInterval(chain, bounds.input.lower, bounds.input.upper, known);
    bounds = {
      input: bounds.input,
      preact: next.preact.map((b, i) => intersect(b, bounds.preact[i])),
      output: intersect(next.output, bounds.output),
    };
  }
  return {
    bounds,
    stats: { lps, seconds: (performance.now() - t0) / 1000, unstableBefore, unstableAfter: bounds.preact.map(countUnstable), incomplete },
  };
}
