/**
 * Error rates on clean data and under attacks (the tutorial's `epoch` / `epoch_adversarial` in
 * evaluation mode): for every batch, in file order, each attack is run against the true labels
 * and the example counts as an error when argmax h(x + δ) ≠ y (ties → lowest index, like
 * torch.max). Error = misclassified / n.
 */
import { batchCount, batches, exampleCount, exampleSize, type Dataset } from '../data/dataset.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { GradientModel } from '../model.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import type { Attack } from './base.js';
import { objectiveValues } from './objective.js';
import { argmaxRows } from './predict.js';

/** The name under which clean (unattacked) results are reported. */
export const CLEAN = 'clean';

export interface NamedAttack {
  name: string;
  attack: Attack;
}

export interface EvaluateOptions {
  /** Default 100 (the tutorial's test loader). Batch composition matters for batch-mean raw-gradient steps only. */
  batchSize?: number;
  /** Evaluate only the first `limit` examples in file order. */
  limit?: number;
  /** Keep per-example predictions and losses. Default false. */
  perExample?: boolean;
  onProgress?: ProgressCallback;
  signal?: CancelSignal;
}

export interface PerExampleResults {
  /** [n] dataset indices, in evaluation order. */
  indices: Int32Array;
  labels: Int32Array;
  /** Predicted class per example, by 'clean' and attack name. */
  predictions: Record<string, Int32Array>;
  /** Cross-entropy for 'clean'; each attack's objective at its x + δ. */
  losses: Record<string, Float32Array>;
}

export interface EvaluateResult {
  /** Examples evaluated (fewer than requested when cancelled; only whole batches count). */
  n: number;
  /** Error rate by 'clean' and attack name. */
  errors: Record<string, number>;
  perExample?: PerExampleResults;
  cancelled: boolean;
  seconds: number;
}

export async function evaluate(model: GradientModel, dataset: Dataset, attacks: readonly NamedAttack[], options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const { onProgress, signal } = options;
  const names = [CLEAN, ...attacks.map((a) => a.name)];
  if (new Set(names).size !== names.length) {
    throw new InvalidArgumentError(`attack names must be distinct and not '${CLEAN}', got [${attacks.map((a) => a.name).join(', ')}]`);
  }
  const size = exampleSize(dataset.inputShape);
  if (exampleSize(model.inputShape) !== size) {
    throw new ShapeError(`model input shape [${model.inputShape.join(', ')}] does not fit dataset examples [${dataset.inputShape.join(', ')}]`);
  }
  if (model.numClasses < dataset.numClasses) {
    throw new ShapeError(`model has ${model.numClasses} classes but the dataset has ${dataset.numClasses}`);
  }
  const batchOpts = { batchSize: options.batchSize ?? 100, limit: options.limit };
  const total = exampleCount(dataset, batchOpts);
  const nBatches = batchCount(dataset, batchOpts);
  const classes = model.numClasses;
  const start = performance.now();
  for (const { attack } of attacks) attack.reset();

  const wrong: Record<string, number> = Object.fromEntries(names.map((k) => [k, 0]));
  const per = options.perExample
    ? {
        indices: new Int32Array(total),
        labels: new Int32Array(total),
        predictions: Object.fromEntries(names.map((k) => [k, new Int32Array(total)])),
        losses: Object.fromEntries(names.map((k) => [k, new Float32Array(total)])),
      }
    : undefined;
  let done = 0;
  let batchIndex = 0;
  let cancelled = false;
  const rates = (): Record<string, number> => Object.fromEntries(names.map((k) => [k, done > 0 ? wrong[k]! / done : 0]));

  for (const batch of batches(dataset, batchOpts)) {
    if (signal?.aborted) {
      cancelled = true;
      break;
    }
    const { x, y, n } = batch;
    const logits = await model.logits(x, n);
    const outcomes: { name: string; predictions: Int32Array; losses: Float32Array }[] = [
      { name: CLEAN, predictions: argmaxRows(logits, n, classes), losses: objectiveValues(logits, n, classes, y, 'ce') },
    ];
    for (const { name, attack } of attacks) {
      const attackProgress: ProgressCallback | undefined = onProgress
        ? (e) => onProgress({ ...e, task: `eval:${name}`, info: { batch: batchIndex + 1, batches: nBatches } })
        : undefined;
      const r = await attack.run(model, { x, y, n, signal, onProgress: attackProgress });
      if (r.cancelled) {
        cancelled = true;
        break;
      }
      outcomes.push({ name, predictions: r.predictions, losses: r.losses });
    }
    if (cancelled) break;
    for (const o of outcomes) {
      for (let k = 0; k < n; k++) if (o.predictions[k] !== y[k]) wrong[o.name]!++;
      if (per) {
        per.predictions[o.name]!.set(o.predictions, done);
        per.losses[o.name]!.set(o.losses, done);
      }
    }
    if (per) {
      per.indices.set(batch.indices, done);
      per.labels.set(y, done);
    }
    done += n;
    batchIndex++;
    onProgress?.({ task: 'eval', done, total, unit: 'examples', info: rates() });
  }

  const result: EvaluateResult = { n: done, errors: rates(), cancelled, seconds: (performance.now() - start) / 1000 };
  if (per) {
    const cut = <T extends Int32Array | Float32Array>(a: T): T => a.subarray(0, done) as T;
    result.perExample = {
      indices: cut(per.indices),
      labels: cut(per.labels),
      predictions: Object.fromEntries(Object.entries(per.predictions).map(([k, v]) => [k, cut(v)])),
      losses: Object.fromEntries(Object.entries(per.losses).map(([k, v]) => [k, cut(v)])),
    };
  }
  return result;
}
