/**
 * Deciding a general property: is there an input in some case's box whose outputs satisfy all of
 * that case's constraints cᵀy + offset ≤ 0 (the VNNLIB "unsafe set")? Per case: the box centre is
 * tried in ONNX Runtime; interval bounds rule a case out when one constraint is > 0 everywhere;
 * the LP relaxation of min max_k (c_kᵀy + offset_k) rules it out when its safe bound is > 0 and
 * offers its point as a witness; the MIP (with LP-tightened bounds) decides the rest. A witness is only ever reported after
 * ONNX Runtime's float32 outputs at that (float32, in-box) input satisfy every constraint.
 */
import type { Highs } from 'highs';
import type { GradientModel } from '../model.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import { InvalidArgumentError } from '../errors.js';
import { checkPoints, toFloat32InBox, type CheckedPoint } from './counterexample.js';
import type { DecidedBy } from './certificate.js';
import { encode } from './encoding.js';
import { chainInterval, intervalSpecBound, type ChainBounds } from './interval.js';
import { maxObjective, type OutputRow } from './objective.js';
import { reluDepth, type ReluChain } from './relu-chain.js';
import { safeLpBound } from './safe-bound.js';
import { SolverModel } from './solver-model.js';
import { lpTighten } from './tighten.js';
import { lpMargin, mipMargin, objectiveScale } from './tolerance.js';

export interface PropertyCase {
  readonly inputLower: Float64Array;
  readonly inputUpper: Float64Array;
  /** The case holds at y when every row has cᵀy + offset ≤ 0. */
  readonly output: readonly OutputRow[];
}

export type PropertyVerdict = 'unsat' | 'sat' | 'timeout' | 'unknown';

export interface CaseOutcome {
  readonly status: 'unsat' | 'sat' | 'unknown' | 'timeout' | 'skipped';
  readonly by: DecidedBy | 'center';
  /** min over the box of max_k rows (LP or MIP value), when computed. */
  readonly objective?: number;
  readonly seconds: number;
}

export interface PropertyResult {
  readonly verdict: PropertyVerdict;
  readonly witness?: { readonly case: number; readonly x: Float32Array; readonly y: Float32Array };
  readonly cases: readonly CaseOutcome[];
  readonly seconds: number;
}

export interface PropertyOptions {
  /** Seconds for the whole property. */
  timeout?: number;
  signal?: CancelSignal;
  onProgress?: ProgressCallback;
}

export interface PropertyContext {
  readonly chain: ReluChain;
  readonly highs: Highs;
  readonly model: GradientModel;
  readonly highsOptions?: Record<string, boolean | number | string>;
}

/** Scale of the max-objective for tolerance purposes: the largest row scale. */
function rowsScale(output: { lower: Float64Array; upper: Float64Array }, rows: readonly OutputRow[]): number {
  return Math.max(0, ...rows.map((r) => objectiveScale(output, r.c) + Math.abs(r.offset)));
}

export async function checkProperty(ctx: PropertyContext, cases: readonly PropertyCase[], o: PropertyOptions = {}): Promise<PropertyResult> {
  const t0 = performance.now();
  const deadline = o.timeout !== undefined ? t0 + o.timeout * 1000 : undefined;
  const expired = (): boolean => (o.signal?.aborted ?? false) || (deadline !== undefined && performance.now() > deadline);
  const { chain } = ctx;
  for (const c of cases) {
    if (c.inputLower.length !== chain.inputSize) throw new InvalidArgumentError(`property has ${c.inputLower.length} inputs, the network takes ${chain.inputSize}`);
    for (const r of c.output) if (r.c.length !== chain.outputSize) throw new InvalidArgumentError(`property has ${r.c.length} outputs, the network ${chain.outputSize}`);
  }
  const outcomes: CaseOutcome[] = cases.map(() => ({ status: 'skipped', by: 'none', seconds: 0 }));
  const sat = (k: number, p: CheckedPoint): PropertyResult => ({
    verdict: 'sat',
    witness: { case: k, x: p.x, y: p.logits },
    cases: outcomes,
    seconds: (performance.now() - t0) / 1000,
  });
  const isWitness = (p: CheckedPoint | undefined): p is CheckedPoint => p !== undefined && p.value <= 0;

  // Cases often share their box (one per target class): bounds are computed once per box.
  const boxes: { lower: Float64Array; upper: Float64Array; interval: ChainBounds; tightened?: ChainBounds }[] = [];
  const boxOf = (c: PropertyCase): (typeof boxes)[number] => {
    const same = (a: Float64Array, b: Float64Array): boolean => a === b || (a.length === b.length && a.every((v, i) => Object.is(v, b[i])));
    let e = boxes.find((b) => same(b.lower, c.inputLower) && same(b.upper, c.inputUpper));
    if (!e) {
      e = { lower: c.inputLower, upper: c.inputUpper, interval: chainInterval(chain, c.inputLower, c.inputUpper) };
      boxes.push(e);
    }
    return e;
  };

  // Cheap pass over all cases first: centre points and interval bounds.
  const open: number[] = [];
  const boundsOf = cases.map((c) => boxOf(c).interval);
  const centers = cases.map((c) => toFloat32InBox(c.inputLower.map((l, i) => (l + c.inputUpper[i]!) / 2), c.inputLower, c.inputUpper));
  for (let k = 0; k < cases.length; k++) {
    const c = cases[k]!;
    const tc = performance.now();
    const [p] = await checkPoints(ctx.model, [centers[k]!], c.output);
    if (isWitness(p) || c.output.length === 0) {
      outcomes[k] = { status: 'sat', by: 'center', seconds: (performance.now() - tc) / 1000 };
      return sat(k, p!);
    }
    const b = boundsOf[k]!;
    const excluded = c.output.some((r) => intervalSpecBound(chain, b, r.c, r.offset) > 0);
    outcomes[k] = excluded ? { status: 'unsat', by: 'interval', seconds: (performance.now() - tc) / 1000 } : outcomes[k]!;
    if (!excluded) open.push(k);
  }

  for (const relaxation of ['lp', 'milp'] as const) {
    for (const k of [...open]) {
      if (expired()) break;
      const c = cases[k]!;
      let b = boundsOf[k]!;
      const tc = performance.now();
      if (relaxation === 'milp' && reluDepth(chain) > 1) {
        // LP-tightened bounds: the same MIP optimum with fewer binaries and smaller big-M constants.
        const e = boxOf(c);
        e.tightened ??= lpTighten(ctx.highs, chain, e.interval, { deadline, signal: o.signal }).bounds;
        b = e.tightened;
      }
      const enc = encode(chain, { relaxation, inputLower: c.inputLower, inputUpper: c.inputUpper, preact: b.preact, output: b.output });
      const { problem, objective } = maxObjective(chain, enc, b, c.output);
      const solver = new SolverModel(ctx.highs, problem, { highsOptions: ctx.highsOptions });
      const scale = rowsScale(b.output, c.output);
      try {
        solver.setObjective(objective);
        let exact = false;
        for (;;) {
          const r = solver.solve({
            deadline,
            signal: o.signal,
            ...(relaxation === 'milp' && !exact ? { stopAboveBound: mipMargin(scale), stopBelowIncumbent: 0 } : {}),
          });
          const seconds = (performance.now() - tc) / 1000;
          const proven =
            relaxation === 'lp' ? (r.status === 'optimal' && r.rowDual ? safeLpBound(problem, objective, r.rowDual) : -Infinity) > lpMargin(scale) : r.bound > mipMargin(scale);
          if (proven || r.status === 'infeasible') {
            outcomes[k] = { status: 'unsat', by: relaxation === 'lp' ? 'lp' : 'mip', objective: r.status === 'optimal' ? r.objective : r.bound, seconds };
            open.splice(open.indexOf(k), 1);
            break;
          }
          if (r.colValue && r.objective <= 0) {
            const x = toFloat32InBox(r.colValue.subarray(enc.inputStart, enc.inputStart + enc.inputSize), c.inputLower, c.inputUpper);
            const [p] = await checkPoints(ctx.model, [x], c.output);
            if (isWitness(p)) {
              outcomes[k] = { status: 'sat', by: relaxation === 'lp' ? 'lp' : 'mip', objective: r.objective, seconds };
              return sat(k, p);
            }
            if (relaxation === 'milp' && !exact && r.status === 'stopped') {
              exact = true;
              continue;
            }
          }
          const limited = r.status === 'time-limit' || r.status === 'interrupted';
          outcomes[k] = { status: limited ? 'timeout' : 'unknown', by: relaxation === 'lp' ? 'lp' : 'mip', ...(Number.isFinite(r.objective) ? { objective: r.objective } : {}), seconds };
          break;
        }
      } finally {
        solver.dispose();
      }
      o.onProgress?.({ task: `vnnlib:${relaxation}`, done: cases.length - open.length, total: cases.length, unit: 'cases' });
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  if (open.length === 0) return { verdict: 'unsat', cases: outcomes, seconds };
  return { verdict: expired() || outcomes.some((c) => c.status === 'timeout') ? 'timeout' : 'unknown', cases: outcomes, seconds };
}
