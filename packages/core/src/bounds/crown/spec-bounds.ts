/**
 * Lower bounds of a specification C·z (z the network output, C given row by row) over the current
 * example's input set, by each method:
 *   ibp          the interval bound with C folded into the trailing linear layers: the backward
 *                pass through the layers after the last ReLU, then the minimum over the interval
 *                box of that ReLU's output (the tutorial's `interval_based_bound`, generalised to
 *                any chain of linear layers; for C = e_y − e_j it bounds z_y − z_j directly);
 *   crown        the full backward pass with CROWN's adaptive (or the Wong–Kolter) lower slopes,
 *                intermediate bounds from CROWN itself (layer by layer) or from IBP (CROWN-IBP);
 *   alpha-crown  as crown, then the lower slopes optimised per row (alpha.ts).
 * Neither IBP nor CROWN dominates the other in general (CROWN can be looser on IBP-trained
 * networks), and every bound computed is sound, so each row reports the best of them.
 */
import { InvalidArgumentError } from '../../errors.js';
import type { ProgressCallback } from '../../progress.js';
import { backward, BackwardWorkspace, clearAcc, readAcc } from './backward.js';
import { alphaCrown, type AlphaOptions } from './alpha.js';
import type { CrownContext } from './context.js';
import { tightenIntermediate, type IntermediateOptions } from './intermediate.js';
import type { SlopeChoice } from './relaxation.js';
import { writeDenseRows } from './rows.js';

export type CertifyMethod = 'ibp' | 'crown' | 'alpha-crown';
export type IntermediateMethod = 'crown' | 'ibp';

export const CERTIFY_METHODS: readonly CertifyMethod[] = ['ibp', 'crown', 'alpha-crown'];

export interface SpecBoundOptions {
  readonly method: CertifyMethod;
  /** Pre-activation bounds for crown/alpha-crown: 'crown' (layer by layer, default) or 'ibp' (CROWN-IBP). */
  readonly intermediate?: IntermediateMethod;
  /** Lower slopes of unstable ReLUs: 'adaptive' (CROWN, default) or 'wong-kolter'. */
  readonly slope?: SlopeChoice;
  readonly alpha?: AlphaOptions;
  readonly intermediateOptions?: IntermediateOptions;
  /** Progress of the per-layer intermediate bounds ('crown:layers') and of the α iterations ('alpha-crown'). */
  readonly onProgress?: ProgressCallback;
}

export interface SpecBounds {
  /** Per row: the best sound lower bound (max of the ones below). */
  readonly lower: Float64Array;
  /** Per row: the IBP bound (C folded into the trailing linear layers). */
  readonly ibp: Float64Array;
  /** Per row: the method's own bound (crown / alpha-crown), when it ran. */
  readonly own?: Float64Array;
}

export function validateMethod(method: string): CertifyMethod {
  if (!(CERTIFY_METHODS as readonly string[]).includes(method)) {
    throw new InvalidArgumentError(`unknown bound method '${method}' (expected ${CERTIFY_METHODS.join(', ')})`);
  }
  return method as CertifyMethod;
}

/** Level of the last ReLU's output: where the IBP bound of the specification is taken. */
export function foldLevel(ctx: CrownContext): number {
  for (let i = ctx.steps.length - 1; i >= 0; i--) if (ctx.steps[i]!.op === 'relu') return i + 1;
  return 0;
}

/** C (C order, [rows, outSize]) in the output level's channels-last order. */
export function specChannelsLast(ctx: CrownContext, spec: ArrayLike<number>, rows: number): Float64Array {
  const out = ctx.layouts[ctx.steps.length]!;
  if (spec.length !== rows * out.size) {
    throw new InvalidArgumentError(`specification has ${spec.length} values, expected rows·outputs = ${rows}·${out.size}`);
  }
  const hwc = new Float64Array(rows * out.size);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < out.size; i++) hwc[r * out.size + i] = spec[r * out.size + (out.chw ? out.chw[i]! : i)]!;
  }
  return hwc;
}

/** Lower bounds of the rows of `spec` (channels-last) by a backward pass from the output down to `stop`. */
export function backwardBound(ctx: CrownContext, spec: Float64Array, rows: number, stop: number): Float64Array {
  const S = ctx.steps.length;
  const out = ctx.layouts[S]!;
  const ws = new BackwardWorkspace(ctx, rows, S, out.H, out.W, stop);
  try {
    writeDenseRows(ws, rows, spec, out.size);
    clearAcc(ws, rows);
    backward(ws, rows);
    return readAcc(ws, rows);
  } finally {
    ws.release();
  }
}

/**
 * Bounds of `spec` (C order [rows, outSize]) for the example loaded in `ctx` (setInput). Leaves the
 * context's level bounds tightened as the method computed them.
 */
export function boundSpecification(ctx: CrownContext, spec: ArrayLike<number>, rows: number, options: SpecBoundOptions): SpecBounds {
  ctx.check();
  const method = validateMethod(options.method);
  const hwc = specChannelsLast(ctx, spec, rows);
  const fold = foldLevel(ctx);
  const ibp = backwardBound(ctx, hwc, rows, fold);
  if (method === 'ibp') return { lower: ibp, ibp };
  if ((options.slope ?? 'adaptive') !== ctx.slopeChoice) ctx.setSlopeChoice(options.slope ?? 'adaptive');
  if ((options.intermediate ?? 'crown') === 'crown') {
    const total = ctx.steps.filter((s) => s.op === 'relu').length;
    let done = 0;
    const inner = options.intermediateOptions?.onLevel;
    tightenIntermediate(ctx, {
      ...options.intermediateOptions,
      onLevel: (layer, neurons) => {
        inner?.(layer, neurons);
        options.onProgress?.({ task: 'crown:layers', done: ++done, total, unit: 'layers', info: { neurons } });
      },
    });
  }
  let own = backwardBound(ctx, hwc, rows, 0);
  if (method === 'alpha-crown') {
    const alpha = alphaCrown(ctx, hwc, rows, { ...options.alpha, onProgress: options.onProgress });
    own = Float64Array.from(own, (v, r) => Math.max(v, alpha.lower[r]!));
  }
  const refolded = fold > 0 && (options.intermediate ?? 'crown') === 'crown' ? backwardBound(ctx, hwc, rows, fold) : ibp;
  const lower = Float64Array.from(own, (v, r) => Math.max(v, ibp[r]!, refolded[r]!));
  return { lower, ibp, own };
}
