/**
 * One-box entry points of the linear-relaxation bounds, for callers that need more than a
 * certificate (the exact-verification helper: pre-activation bounds for MIP/LP encodings, and the
 * Wong–Kolter dual bound with given intermediate bounds for its "LP ≥ dual" ordering test).
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import type { Network } from '../../ir/network.js';
import { validateBox } from '../input-set.js';
import type { IntervalBounds, IntervalEngine } from '../types.js';
import { CrownContext } from './context.js';
import { tightenIntermediate, type IntermediateOptions } from './intermediate.js';
import type { SlopeChoice } from './relaxation.js';
import { boundSpecification, specChannelsLast, backwardBound, type SpecBoundOptions, type SpecBounds } from './spec-bounds.js';

export interface LayerBoundsOptions {
  /** 'ibp' (interval bounds) or 'crown' (pre-activation bounds of every ReLU tightened by CROWN). Default 'crown'. */
  readonly method?: 'ibp' | 'crown';
  readonly slope?: SlopeChoice;
  /** Bound stable neurons by CROWN too (default false: they keep their IBP bounds, which cannot matter). */
  readonly allNeurons?: boolean;
  readonly intermediateOptions?: IntermediateOptions;
}

function withContext<T>(engine: IntervalEngine, net: Network, lower: Float64Array, upper: Float64Array, fn: (ctx: CrownContext) => T): T {
  const prepared = engine.cached(net, 1);
  validateBox(lower, upper, 1, prepared.plan.inputSize, 'input box');
  const ctx = new CrownContext(prepared);
  try {
    ctx.setInput(lower, upper);
    return fn(ctx);
  } finally {
    ctx.dispose();
  }
}

/**
 * Sound bounds of every layer's output (indexed like net.layers, C order) over the box
 * [lower, upper]; the inputs of ReLU layers are the pre-activation bounds.
 */
export function layerBounds(engine: IntervalEngine, net: Network, lower: Float64Array, upper: Float64Array, options: LayerBoundsOptions = {}): IntervalBounds[] {
  return withContext(engine, net, lower, upper, (ctx) => {
    if ((options.method ?? 'crown') === 'crown') {
      ctx.setSlopeChoice(options.slope ?? 'adaptive');
      tightenIntermediate(ctx, { ...options.intermediateOptions, allNeurons: options.allNeurons ?? options.intermediateOptions?.allNeurons });
    }
    return net.layers.map((_, i) => ctx.levelBounds(i + 1));
  });
}

/** Lower bounds of the rows of `spec` (C order, [rows, outputs]) over the box, by `options.method`. */
export function specificationBounds(
  engine: IntervalEngine,
  net: Network,
  lower: Float64Array,
  upper: Float64Array,
  spec: ArrayLike<number>,
  rows: number,
  options: SpecBoundOptions,
): SpecBounds {
  return withContext(engine, net, lower, upper, (ctx) => boundSpecification(ctx, spec, rows, options));
}

/**
 * The linear-relaxation bound of the rows of `spec` with the given pre-activation bounds of the
 * ReLU layers (`preactivation[i]` for each layer i that is a ReLU: bounds of its input, C order),
 * used exactly as given (not intersected with anything): with slope 'wong-kolter' this is the
 * dual bound J of Wong & Kolter (2018, Thm. 1), a lower bound of the LP relaxation with the same
 * intermediate bounds; with 'adaptive' it is CROWN's bound. Sound whenever the given bounds are.
 */
export function dualBound(
  engine: IntervalEngine,
  net: Network,
  lower: Float64Array,
  upper: Float64Array,
  spec: ArrayLike<number>,
  rows: number,
  preactivation: readonly (IntervalBounds | undefined)[],
  options: { readonly slope?: SlopeChoice } = {},
): Float64Array {
  return withContext(engine, net, lower, upper, (ctx) => {
    ctx.setSlopeChoice(options.slope ?? 'wong-kolter');
    ctx.steps.forEach((step, i) => {
      if (step.op !== 'relu') return;
      const b = preactivation[i];
      if (!b) throw new InvalidArgumentError(`dualBound: no pre-activation bounds for ReLU layer ${i} ('${step.name}')`);
      if (b.lower.length !== step.inSize || b.upper.length !== step.inSize) {
        throw new ShapeError(`dualBound: pre-activation bounds of layer ${i} have ${b.lower.length} values, expected ${step.inSize}`);
      }
      if (i > 0) ctx.setLevel(i, b.lower, b.upper);
    });
    return backwardBound(ctx, specChannelsLast(ctx, spec, rows), rows, 0);
  });
}
