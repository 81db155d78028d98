/**
 * One LP or MIP solve per target class on a shared solver model, turned into certificates:
 * proofs only from safe LP bounds / MIP bounds above the tolerance margin, counterexamples only
 * after ONNX Runtime agrees (counterexample.ts).
 */
import type { GradientModel } from '../model.js';
import type { CancelSignal } from '../progress.js';
import { relativeGap, type TargetCertificate } from './certificate.js';
import { checkPoints, refineTowardsTarget, toFloat32InBox } from './counterexample.js';
import type { Encoding } from './encoding.js';
import type { NeuronBounds } from './interval.js';
import { headObjective, targetRow } from './objective.js';
import { safeLpBound } from './safe-bound.js';
import type { SolverModel, SolveResult } from './solver-model.js';
import { lpMargin, mipMargin, objectiveScale } from './tolerance.js';

export interface TargetSolveContext {
  readonly model: GradientModel;
  readonly enc: Encoding;
  readonly solver: SolverModel;
  readonly output: NeuronBounds;
  readonly box: { readonly lower: Float64Array; readonly upper: Float64Array };
  readonly label: number;
  readonly timeLimit?: number;
  readonly deadline?: number;
  readonly signal?: CancelSignal;
}

const inputOf = (enc: Encoding, col: Float64Array): Float64Array => col.subarray(enc.inputStart, enc.inputStart + enc.inputSize);

function limitNote(r: SolveResult): string {
  return r.status === 'time-limit' ? 'time limit' : r.status === 'interrupted' ? 'interrupted' : r.status === 'error' ? 'solver error' : r.status;
}

/**
 * The LP relaxation for each target. Verified when the safe dual bound is > 0; a relaxed optimum
 * ≤ 0 proves nothing, but its input point is run through ONNX Runtime and, if the label really
 * loses there, the target is falsified.
 */
export async function lpTargets(ctx: TargetSolveContext, targets: readonly number[]): Promise<TargetCertificate[]> {
  const { enc, solver, label } = ctx;
  const classes = enc.headSize;
  const pending: { t: number; r: SolveResult; safe: number; x: Float32Array; seconds: number }[] = [];
  const out = new Map<number, TargetCertificate>();
  for (const t of targets) {
    const row = targetRow(classes, label, t);
    const obj = headObjective(enc, row);
    solver.setObjective(obj);
    const r = solver.solve({ timeLimit: ctx.timeLimit, deadline: ctx.deadline, signal: ctx.signal });
    const safe = r.status === 'optimal' && r.rowDual ? safeLpBound(solver.problem, obj, r.rowDual) : -Infinity;
    const margin = lpMargin(objectiveScale(ctx.output, row.c));
    if (safe > margin) {
      out.set(t, { target: t, status: 'verified', objective: r.objective, bound: safe, by: 'lp', seconds: r.seconds });
    } else if (r.status === 'optimal' && r.colValue) {
      pending.push({ t, r, safe, x: toFloat32InBox(inputOf(enc, r.colValue), ctx.box.lower, ctx.box.upper), seconds: r.seconds });
    } else {
      out.set(t, { target: t, status: 'unknown', objective: r.status === 'optimal' ? r.objective : NaN, bound: safe, by: 'lp', seconds: r.seconds, note: limitNote(r) });
    }
  }
  for (const p of pending) {
    const [c] = await checkPoints(ctx.model, [p.x], [targetRow(classes, label, p.t)]);
    const falsified = c !== undefined && c.value < 0;
    out.set(p.t, {
      target: p.t,
      status: falsified ? 'falsified' : 'unknown',
      objective: p.r.objective,
      bound: p.safe,
      by: 'lp',
      seconds: p.seconds,
      ...(falsified ? { counterexample: { x: c.x, logits: c.logits, predicted: c.predicted } } : { note: p.r.objective > 0 ? 'LP optimum within tolerance of 0' : 'relaxation optimum is not a real adversarial point' }),
    });
  }
  return targets.map((t) => out.get(t)!);
}

export interface MipTargetOptions {
  /** Solve to optimality (reported objectives are optima), instead of stopping at the first decision. */
  exact: boolean;
  /** A feasible column vector to start from (e.g. an attack's point). */
  start?: Float64Array;
}

/**
 * The MIP for one target. In decision mode the solve stops as soon as the bound proves the target
 * or an incumbent < 0 appears; an incumbent that ONNX Runtime does not confirm (a point on the
 * boundary within solver tolerance) is refined by a few gradient steps, and failing that the solve
 * continues to optimality within the remaining time.
 */
export async function mipTarget(ctx: TargetSolveContext, t: number, o: MipTargetOptions): Promise<TargetCertificate> {
  const { enc, solver, label } = ctx;
  const row = targetRow(enc.headSize, label, t);
  const obj = headObjective(enc, row);
  const margin = mipMargin(objectiveScale(ctx.output, row.c));
  solver.setObjective(obj);
  const t0 = performance.now();
  const until = ctx.timeLimit !== undefined ? t0 + ctx.timeLimit * 1000 : Infinity;
  const deadline = Math.min(until, ctx.deadline ?? Infinity);
  const dl = Number.isFinite(deadline) ? deadline : undefined;
  let exact = o.exact;
  let note: string | undefined;
  for (;;) {
    if (o.start) solver.setStart(o.start);
    const r = solver.solve({
      deadline: dl,
      signal: ctx.signal,
      ...(exact ? {} : { stopAboveBound: margin, stopBelowIncumbent: 0 }),
    });
    const seconds = (performance.now() - t0) / 1000;
    const bound = r.status === 'infeasible' ? Infinity : r.bound;
    const objective = Number.isFinite(r.objective) ? r.objective : NaN;
    if (bound > margin) return { target: t, status: 'verified', objective: r.status === 'optimal' ? objective : bound, bound, by: 'mip', seconds };
    if (r.colValue && objective < 0) {
      const x = toFloat32InBox(inputOf(enc, r.colValue), ctx.box.lower, ctx.box.upper);
      const [c] = await checkPoints(ctx.model, [x], [row]);
      const confirmed = c !== undefined && c.value < 0 ? c : await refineTowardsTarget(ctx.model, x, ctx.box.lower, ctx.box.upper, label, t);
      if (confirmed) {
        return {
          target: t,
          status: 'falsified',
          objective,
          bound,
          by: 'mip',
          seconds: (performance.now() - t0) / 1000,
          counterexample: { x: confirmed.x, logits: confirmed.logits, predicted: confirmed.predicted },
          ...(r.status === 'optimal' ? {} : { gap: relativeGap(objective, bound) }),
        };
      }
      note = 'solver point is not adversarial in float32 inference';
      if (!exact && r.status === 'stopped') {
        exact = true;
        continue;
      }
    }
    const gap = relativeGap(objective, bound);
    return {
      target: t,
      status: 'unknown',
      objective,
      bound,
      by: 'mip',
      seconds,
      ...(gap !== undefined && r.status !== 'optimal' ? { gap } : {}),
      note: note ?? (r.status === 'optimal' ? 'optimum within solver tolerance of 0' : limitNote(r)),
    };
  }
}
