/**
 * One persistent HiGHS model: the Problem passed once as sparse CSR data, objectives swapped in
 * place (so a sequence of LPs over the same constraints re-solves from the previous basis), time
 * limits and interrupts applied per solve. Holds WebAssembly memory until dispose().
 */
import type { Highs, HighsCallbackMap, Model } from 'highs';
import { SolverError } from '../errors.js';
import type { CancelSignal } from '../progress.js';
import type { LinearObjective, Problem } from './problem.js';

export type SolveStatus = 'optimal' | 'infeasible' | 'time-limit' | 'interrupted' | 'stopped' | 'error';

export interface SolveOptions {
  /** Seconds for this solve (HiGHS time_limit). */
  timeLimit?: number;
  /** Absolute deadline (performance.now() milliseconds), checked in solver callbacks. */
  deadline?: number;
  /**
   * Polled at solver checkpoints. JavaScript cannot run while a solve blocks its thread, so a
   * signal that flips asynchronously (a worker's SharedArrayBuffer flag, a getter on a clock) is
   * what makes this useful; the deadline covers the rest.
   */
  signal?: CancelSignal;
  /** MIP only: stop as soon as the proven lower bound exceeds this value. */
  stopAboveBound?: number;
  /** MIP only: stop as soon as an incumbent below this value exists. */
  stopBelowIncumbent?: number;
  /** MIP progress, from HiGHS's logging callback. */
  onMipProgress?: (p: { dualBound: number; primalBound: number; nodes: number; seconds: number }) => void;
}

export interface SolveResult {
  status: SolveStatus;
  /** Objective of the returned primal point (+∞ when there is none). */
  objective: number;
  /** Proven lower bound on the optimum (MIP: HiGHS's dual bound; LP: the optimum; may be −∞). */
  bound: number;
  /** Primal values of every column, when a primal point exists. */
  colValue?: Float64Array;
  /** LP row duals (LP solves only). */
  rowDual?: Float64Array;
  nodes: number;
  seconds: number;
}

export interface SolverModelOptions {
  /** Extra HiGHS options (snake_case names), applied after the defaults here. */
  highsOptions?: Record<string, boolean | number | string>;
}

/**
 * Defaults: quiet; MIP gaps small enough that reported optima are exact to ~1e-6 (the HiGHS
 * default relative gap of 1e-4 would allow 2e-3 on an objective of 20). Measured on the
 * tutorial's `small` at ε = 0.1 (bench suite 'exact'): the sub-MIP heuristics (RINS, RENS, root
 * reduced-cost) spent ~80% of each solve for incumbents that the attack starts already supply
 * (18.8 s → 3.3 s on target 2); cut separation below the root and strong branching beyond two
 * reliable pseudo-costs cost more than they save on these dense first-layer rows.
 * Measured and not adopted (process CPU s per target, LP-tightened bounds, mean / slowest of
 * 3.8 / 8.0): presolve off + no restart 3.4 / 7.9, but it doubles the slowest dnn2 image of the
 * complete verifier at ε = 0.02 (2.2 → 4.0 s); heuristic effort 0, symmetry detection off, devex
 * pricing, other scalings, cut-pool and LP age limits, a 1e-5 gap: within ±5 %; pscost_minreliable
 * 0: 5.7 / 16.6. The LP iterations themselves (~40–70 µs each in WebAssembly on 784 dense input
 * columns) are the floor.
 */
const DEFAULT_OPTIONS: Record<string, boolean | number | string> = {
  output_flag: false,
  mip_rel_gap: 1e-7,
  mip_abs_gap: 1e-7,
  mip_heuristic_run_rins: false,
  mip_heuristic_run_rens: false,
  mip_heuristic_run_root_reduced_cost: false,
  mip_allow_cut_separation_at_nodes: false,
  mip_pscost_minreliable: 2,
};

export class SolverModel {
  private readonly model: Model;
  private costCols: Int32Array = new Int32Array(0);
  private disposed = false;
  private readonly noTimeLimit: number;
  readonly isMip: boolean;

  constructor(
    private readonly highs: Highs,
    readonly problem: Problem,
    options: SolverModelOptions = {},
  ) {
    const p = problem;
    this.isMip = p.integrality.some((v) => v === 1);
    this.model = highs.createModel();
    try {
      this.model.options.set({ ...DEFAULT_OPTIONS, ...options.highsOptions });
      // HiGHS's default is +∞, which the JS option setter refuses; 1e20 s is the same in practice.
      const d = Number(this.model.options.get('time_limit'));
      this.noTimeLimit = Number.isFinite(d) ? d : 1e20;
      this.model.passModel({
        numCols: p.numCols,
        numRows: p.rows.rows,
        colCost: new Float64Array(p.numCols),
        colLower: p.colLower,
        colUpper: p.colUpper,
        rowLower: p.rowLower,
        rowUpper: p.rowUpper,
        matrix: { format: 'csr', numRows: p.rows.rows, numCols: p.numCols, starts: p.rows.starts, indices: p.rows.indices, values: p.rows.values },
        ...(this.isMip ? { integrality: Int32Array.from(p.integrality) } : {}),
      });
    } catch (e) {
      this.model.dispose();
      throw new SolverError(`HiGHS rejected the model (${p.numCols} columns, ${p.rows.rows} rows): ${(e as Error).message}`);
    }
  }

  /** Replaces the objective (minimisation). */
  setObjective(obj: LinearObjective): void {
    this.check();
    const m = this.model;
    for (const j of this.costCols) m.changeColCost(j, 0);
    for (let k = 0; k < obj.cols.length; k++) m.changeColCost(obj.cols[k]!, obj.values[k]!);
    m.changeObjectiveOffset(obj.offset);
    this.costCols = Int32Array.from(obj.cols);
  }

  /** Tightens (or relaxes) one column's bounds, e.g. a pre-activation after bound tightening. */
  setColBounds(col: number, lower: number, upper: number): void {
    this.check();
    this.model.changeColBounds(col, lower, upper);
  }

  /** A feasible point to start the MIP from (HiGHS checks it and ignores it if infeasible). */
  setStart(colValue: Float64Array): void {
    this.check();
    try {
      this.model.setSolution({ colValue });
    } catch {
      // A start that HiGHS refuses only loses the head start.
    }
  }

  solve(o: SolveOptions = {}): SolveResult {
    this.check();
    const m = this.model;
    const h = this.highs;
    const limit = o.timeLimit ?? Infinity;
    const remaining = o.deadline !== undefined ? Math.max(0, (o.deadline - performance.now()) / 1000) : Infinity;
    const timeLimit = Math.min(limit, remaining);
    m.options.set('time_limit', Number.isFinite(timeLimit) ? Math.max(timeLimit, 1e-3) : this.noTimeLimit);
    let stopped = false;
    const interrupt = (e: { interrupt(): void; data: { mip_dual_bound?: number; mip_primal_bound?: number } }): undefined => {
      if ((o.signal && o.signal.aborted) || (o.deadline !== undefined && performance.now() > o.deadline)) {
        e.interrupt();
        return undefined;
      }
      if (o.stopAboveBound !== undefined && (e.data.mip_dual_bound ?? -Infinity) > o.stopAboveBound) {
        stopped = true;
        e.interrupt();
      } else if (o.stopBelowIncumbent !== undefined && (e.data.mip_primal_bound ?? Infinity) < o.stopBelowIncumbent) {
        stopped = true;
        e.interrupt();
      }
      return undefined;
    };
    const ct = h.constants.callbackType;
    const callbacks: { -readonly [K in keyof HighsCallbackMap]: HighsCallbackMap[K] } = {};
    const wantsInterrupt = o.signal !== undefined || o.deadline !== undefined;
    if (this.isMip && (wantsInterrupt || o.stopAboveBound !== undefined || o.stopBelowIncumbent !== undefined)) callbacks[ct.mipInterrupt] = interrupt;
    if (!this.isMip && wantsInterrupt) callbacks[ct.simplexInterrupt] = interrupt;
    if (this.isMip && o.onMipProgress) {
      const report = o.onMipProgress;
      callbacks[ct.mipLogging] = (e) => {
        report({
          dualBound: e.data.mip_dual_bound ?? -Infinity,
          primalBound: e.data.mip_primal_bound ?? Infinity,
          nodes: Number(e.data.mip_node_count ?? 0n),
          seconds: e.data.running_time ?? 0,
        });
        return undefined;
      };
    }
    const t0 = performance.now();
    let code: number;
    try {
      code = m.run(callbacks).modelStatus;
    } catch (e) {
      throw new SolverError(`HiGHS failed: ${(e as Error).message}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const s = h.constants.modelStatus;
    const status: SolveStatus =
      code === s.optimal
        ? 'optimal'
        : code === s.infeasible || code === s.unboundedOrInfeasible
          ? 'infeasible'
          : code === s.timeLimit
            ? 'time-limit'
            : code === s.interrupted
              ? stopped
                ? 'stopped'
                : o.deadline !== undefined && performance.now() > o.deadline
                  ? 'time-limit'
                  : 'interrupted'
              : 'error';
    const info = (name: string): number => {
      try {
        return Number(m.info.get(name));
      } catch {
        return NaN;
      }
    };
    const hasPrimal = info('primal_solution_status') === 2;
    const sol = hasPrimal || (!this.isMip && status === 'optimal') ? m.getSolution() : undefined;
    const objective = sol ? m.getObjectiveValue() : Infinity;
    let bound: number;
    if (this.isMip) {
      const db = info('mip_dual_bound');
      if (status === 'infeasible') bound = Infinity;
      else if (status === 'optimal') bound = Number.isFinite(db) ? Math.min(db, objective) : objective;
      else bound = Number.isFinite(db) ? db : -Infinity;
    } else bound = status === 'optimal' ? objective : status === 'infeasible' ? Infinity : -Infinity;
    const nodes = this.isMip ? info('mip_node_count') : 0;
    return {
      status,
      objective,
      bound,
      ...(sol ? { colValue: sol.colValue } : {}),
      ...(sol && !this.isMip ? { rowDual: sol.rowDual } : {}),
      nodes: Number.isFinite(nodes) ? nodes : 0,
      seconds,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  private check(): void {
    if (this.disposed) throw new SolverError('this solver model has been disposed');
  }
}
