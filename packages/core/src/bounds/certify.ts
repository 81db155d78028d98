/**
 * Certification: for each example (x, y) and an ℓ∞ threat model, sound lower bounds of every
 * margin z_y − z_t (t ≠ y) over the ε-box around x (optionally intersected with the data domain,
 * as the tutorial's chapter 3 does; chapter 4 does not clamp). An example is 'verified' when all
 * its margin bounds are > 0: then no input of the box changes the prediction away from y, so a
 * misclassified example is never verified (the clean input lies in the box). The certified error
 * is the fraction not verified.
 *
 * IBP runs batched (the engine's prepared passes) and folds the specification into the trailing
 * linear layers per example; crown / alpha-crown run per example (each has its own intermediate
 * bounds).
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Network } from '../ir/network.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import type { ThreatModel } from '../attacks/threat.js';
import { validateThreat } from '../attacks/threat.js';
import type { Dataset } from '../data/dataset.js';
import { CrownContext } from './crown/context.js';
import { marginSpec } from './crown/spec.js';
import { boundSpecification, foldLevel, validateMethod, type CertifyMethod, type SpecBoundOptions } from './crown/spec-bounds.js';
import { linfBox } from './input-set.js';
import { createReferenceIntervalEngine } from './reference-engine.js';
import type { IntervalBounds, IntervalEngine } from './types.js';

export type CertifyStatus = 'verified' | 'not verified';

export interface CertifyBoundOptions extends Omit<SpecBoundOptions, 'method'> {
  /** 'ibp' (default), 'crown' or 'alpha-crown'. */
  readonly method?: CertifyMethod;
  /** Engine to run on (e.g. the WebAssembly one); default a plain-TS reference engine made for this call. */
  readonly engine?: IntervalEngine;
  /** Intersect the ε-box with the threat model's domain (default [0, 1]). Default false. */
  readonly clamp?: boolean;
  /** Also return every layer's bounds per example (C order, indexed like net.layers). */
  readonly layers?: boolean;
  /** Examples per IBP pass (default: the engine's). */
  readonly batchSize?: number;
  readonly onProgress?: ProgressCallback;
  readonly signal?: CancelSignal;
}

export interface CertifyResult {
  readonly method: CertifyMethod;
  /** Examples processed (fewer than requested only when cancelled). */
  readonly n: number;
  readonly classes: number;
  readonly status: CertifyStatus[];
  /** [n, classes]: lower bounds of z_y − z_t; exactly 0 at t = y. */
  readonly margins: Float64Array;
  readonly verified: number;
  /** (n − verified) / n. */
  readonly certifiedError: number;
  /** Per example, per layer (when options.layers). */
  readonly layers?: IntervalBounds[][];
  readonly seconds: number;
}

/** Certifies examples x ([n, ...inputShape], C order) with labels y against `threat` (ℓ∞). */
export function certify(net: Network, x: ArrayLike<number>, y: ArrayLike<number>, threat: ThreatModel, options: CertifyBoundOptions = {}): CertifyResult {
  const t0 = performance.now();
  const method = validateMethod(options.method ?? 'ibp');
  const t = validateThreat(threat);
  if (t.norm !== 'linf') throw new InvalidArgumentError(`certify: only the ℓ∞ threat model is supported, got '${t.norm}'`);
  const engine = options.engine ?? createReferenceIntervalEngine();
  try {
    const batched = method === 'ibp' && !options.layers;
    // One cached preparation for the whole call (a larger batch would re-prepare and dispose it).
    const prepared = engine.cached(net, batched ? (options.batchSize ?? y.length) : 1);
    const size = prepared.plan.inputSize;
    const classes = prepared.plan.outputSize;
    const n = y.length;
    if (x.length !== n * size) throw new ShapeError(`certify: x has ${x.length} values, expected ${n}·${size} for ${n} labels`);
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(y[i]) || y[i]! < 0 || y[i]! >= classes) throw new InvalidArgumentError(`certify: label ${y[i]} of example ${i} is outside [0, ${classes})`);
    }
    const margins = new Float64Array(n * classes);
    const status: CertifyStatus[] = [];
    const layers: IntervalBounds[][] | undefined = options.layers ? [] : undefined;
    let verified = 0;
    let done = 0;
    const record = (i: number, bounds: ArrayLike<number>): void => {
      let ok = true;
      let r = 0;
      for (let c = 0; c < classes; c++) {
        if (c === y[i]) continue;
        const m = bounds[r++]!;
        margins[i * classes + c] = m;
        if (!(m > 0)) ok = false;
      }
      status.push(ok ? 'verified' : 'not verified');
      if (ok) verified++;
      done = i + 1;
    };
    const progress = (): void =>
      options.onProgress?.({ task: `certify:${method}`, done, total: n, unit: 'images', info: { certifiedError: done ? (done - verified) / done : 0 } });
    const box = (i: number, count: number) => {
      const part = ArrayBuffer.isView(x) ? (x as Float32Array).subarray(i * size, (i + count) * size) : Array.from({ length: count * size }, (_, j) => x[i * size + j]!);
      return linfBox(part, t.eps, options.clamp ? { clamp: t.domain } : {});
    };
    const ctx = new CrownContext(prepared);
    try {
      const fold = foldLevel(ctx);
      if (batched && fold > 0) {
        // Batched IBP to the last ReLU's output, then the specification folded per example.
        const batch = prepared.maxBatch;
        for (let i = 0; i < n && !options.signal?.aborted; i += batch) {
          const count = Math.min(batch, n - i);
          const b = box(i, count);
          const r = prepared.ibp(b.lower, b.upper, count, { layers: [fold - 1] });
          const lb = r.layers[fold - 1]!;
          const len = lb.lower.length / count;
          for (let e = 0; e < count; e++) {
            ctx.setLevel(fold, lb.lower.subarray(e * len, (e + 1) * len), lb.upper.subarray(e * len, (e + 1) * len));
            record(i + e, boundSpecification(ctx, marginSpec(classes, y[i + e]!), classes - 1, { ...options, method: 'ibp', onProgress: undefined }).lower);
          }
          progress();
        }
      } else {
        for (let i = 0; i < n && !options.signal?.aborted; i++) {
          const b = box(i, 1);
          ctx.setInput(b.lower, b.upper);
          // Per-layer and per-iteration progress only when there is a single example to wait for.
          const inner = n === 1 ? options.onProgress : undefined;
          record(i, boundSpecification(ctx, marginSpec(classes, y[i]!), classes - 1, { ...options, method, onProgress: inner }).lower);
          layers?.push(net.layers.map((_, li) => ctx.levelBounds(li + 1)));
          progress();
        }
      }
    } finally {
      ctx.dispose();
    }
    return {
      method,
      n: done,
      classes,
      status,
      margins: margins.subarray(0, done * classes),
      verified,
      certifiedError: done ? (done - verified) / done : 0,
      layers,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    if (!options.engine) engine.dispose();
  }
}

/** certify() over the first `limit` examples of a dataset (all by default). */
export function certifyDataset(net: Network, data: Dataset, threat: ThreatModel, options: CertifyBoundOptions & { readonly limit?: number } = {}): CertifyResult {
  const n = Math.min(options.limit ?? data.n, data.n);
  const size = data.inputShape.reduce((a, b) => a * b, 1);
  return certify(net, data.images.subarray(0, n * size), data.labels.subarray(0, n), threat, options);
}
