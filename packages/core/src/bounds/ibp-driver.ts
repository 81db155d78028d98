/**
 * Engine-independent parts of network-level IBP: which layers to report, batch splitting into
 * passes of at most maxBatch examples, and assembling per-layer results. Engines supply `pass`,
 * which propagates one chunk and hands out the bounds of the layers asked for.
 */
import { InvalidArgumentError } from '../errors.js';
import { validateBox } from './input-set.js';
import type { IntervalPlan } from './plan.js';
import type { IbpOptions, IbpResult, IntervalBounds, PrepareOptions } from './types.js';

/** Propagates `count` boxes; calls emit(i, l, u) with layer i's output bounds ([count, size_i]) where want[i]. */
export type IbpPass = (
  lower: Float64Array,
  upper: Float64Array,
  count: number,
  want: readonly boolean[],
  emit: (layer: number, lower: Float64Array, upper: Float64Array) => void,
) => void;

const DEFAULT_BUDGET = 32 * 2 ** 20;
const MAX_DEFAULT_BATCH = 256;

/**
 * Examples per pass: options.maxBatch, or as many as fit the budget with eight float64 buffers of
 * the largest layer (two ping-pong lower/upper pairs, centre, radius and the two products).
 */
export function resolveMaxBatch(plan: IntervalPlan, options: PrepareOptions = {}): number {
  if (options.maxBatch !== undefined) {
    if (!Number.isSafeInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new InvalidArgumentError(`prepare: maxBatch must be an integer ≥ 1, got ${options.maxBatch}`);
    }
    return options.maxBatch;
  }
  const budget = options.memoryBudgetBytes ?? DEFAULT_BUDGET;
  if (!(budget > 0)) throw new InvalidArgumentError(`prepare: memoryBudgetBytes must be > 0, got ${budget}`);
  return Math.max(1, Math.min(MAX_DEFAULT_BATCH, Math.floor(budget / (64 * plan.maxSize))));
}

/** want[i]: report layer i. The last layer is always computed as the network output. */
export function requestedLayers(plan: IntervalPlan, options: IbpOptions = {}): boolean[] {
  const count = plan.steps.length;
  const want = new Array<boolean>(count).fill(options.layers === 'all');
  if (Array.isArray(options.layers)) {
    for (const i of options.layers as readonly number[]) {
      if (!Number.isSafeInteger(i) || i < 0 || i >= count) {
        throw new InvalidArgumentError(`ibp: requested layer index ${i} is not in [0, ${count})`);
      }
      want[i] = true;
    }
  } else if (options.layers !== undefined && options.layers !== 'all') {
    throw new InvalidArgumentError(`ibp: options.layers must be 'all' or an array of layer indices`);
  }
  return want;
}

/** Validates the input boxes, runs `pass` over chunks of ≤ maxBatch examples and gathers the results. */
export function runIbp(
  plan: IntervalPlan,
  maxBatch: number,
  lower: Float64Array,
  upper: Float64Array,
  n: number,
  options: IbpOptions | undefined,
  pass: IbpPass,
): IbpResult {
  validateBox(lower, upper, n, plan.inputSize, 'ibp input');
  const want = requestedLayers(plan, options);
  const last = plan.steps.length - 1;
  const passWant = want.slice();
  if (last >= 0) passWant[last] = true;
  const results: (IntervalBounds | undefined)[] = plan.steps.map((step, i) =>
    passWant[i]
      ? { lower: new Float64Array(n * step.outSize), upper: new Float64Array(n * step.outSize), n, shape: plan.shapes[i]! }
      : undefined,
  );
  const inSize = plan.inputSize;
  for (let start = 0; start < n; start += maxBatch) {
    const count = Math.min(maxBatch, n - start);
    pass(
      lower.subarray(start * inSize, (start + count) * inSize),
      upper.subarray(start * inSize, (start + count) * inSize),
      count,
      passWant,
      (layer, l, u) => {
        const r = results[layer]!;
        const size = plan.steps[layer]!.outSize;
        r.lower.set(l.subarray(0, count * size), start * size);
        r.upper.set(u.subarray(0, count * size), start * size);
      },
    );
  }
  const output: IntervalBounds =
    last >= 0 ? results[last]! : { lower: lower.slice(), upper: upper.slice(), n, shape: plan.inputShape };
  const layers = results.map((r, i) => (want[i] ? r : undefined));
  return { lower: output.lower, upper: output.upper, n, shape: output.shape, layers };
}
