/**
 * The loss over a plane section of the ε-box around one input (tutorial ch. 4, `draw_loss`):
 * δ(i, j) = u_j·r + v_i·g with u, v ∈ [−ε, ε], g = sign(∇_x CE(x, y)) at δ = 0 (the FGSM
 * direction) and r a random sign direction. A standard network's loss climbs steeply along g; a
 * robust one's stays flat — the tutorial's argument that PGD-trained models are not merely masking
 * gradients. Like the tutorial, x + δ is not clipped to the data domain.
 *
 * The random direction is sign(N(0, 1)) from minmax's seeded generator: the same plane for the
 * same seed, but not numpy's `np.random.seed(0)` draw.
 */
import { InvalidArgumentError } from '../errors.js';
import type { GradientModel } from '../model.js';
import { crossEntropy } from '../attacks/objective.js';
import { Rng } from '../data/rng.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';

export interface LossLandscapeOptions {
  /** Half-width of the section along both directions (default 0.1, the tutorial's). */
  eps?: number;
  /** Grid points per axis (default 41; the tutorial draws 100). */
  resolution?: number;
  /** Seed of the random sign direction (default 0). */
  seed?: number;
  /** Grid points per forward pass (default 256). */
  batchSize?: number;
  onProgress?: ProgressCallback;
  signal?: CancelSignal;
}

export interface LossLandscape {
  eps: number;
  resolution: number;
  /** Coordinates along the random direction (columns) and along the gradient sign (rows). */
  coords: number[];
  /** Cross-entropy at x + δ(row, col), row-major: `loss[row * resolution + col]`. */
  loss: Float64Array;
  /** Loss at δ = 0, and the extremes over the grid. */
  clean: number;
  min: number;
  max: number;
  /** The two directions (entries ±1, or 0 where the gradient vanishes). */
  gradientSign: Float32Array;
  randomSign: Float32Array;
  /** True when `signal` stopped the run: points not reached are NaN. */
  cancelled: boolean;
}

export async function lossLandscape(model: GradientModel, x: Float32Array, label: number, o: LossLandscapeOptions = {}): Promise<LossLandscape> {
  const eps = o.eps ?? 0.1;
  const resolution = o.resolution ?? 41;
  const batchSize = o.batchSize ?? 256;
  const size = model.inputShape.reduce((a, d) => a * d, 1);
  const C = model.numClasses;
  if (!Number.isFinite(eps) || eps < 0) throw new InvalidArgumentError(`eps must be a finite number ≥ 0, got ${eps}`);
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1000) throw new InvalidArgumentError(`resolution must be an integer in [2, 1000], got ${resolution}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`batchSize must be a positive integer, got ${batchSize}`);
  if (x.length !== size) throw new InvalidArgumentError(`input has ${x.length} values, the model takes ${size} ([${model.inputShape.join(', ')}])`);
  if (!Number.isInteger(label) || label < 0 || label >= C) throw new InvalidArgumentError(`label ${label} is not a class of this ${C}-class model`);

  const { grad, losses } = await model.lossAndGrad(x, 1, Int32Array.of(label), { kind: 'ce', reduction: 'sum' });
  const gradientSign = new Float32Array(size);
  for (let i = 0; i < size; i++) gradientSign[i] = Number(grad[i] > 0) - Number(grad[i] < 0);
  const rng = new Rng(o.seed ?? 0);
  const randomSign = new Float32Array(size);
  for (let i = 0; i < size; i++) randomSign[i] = rng.normal() < 0 ? -1 : 1;

  const coords = Array.from({ length: resolution }, (_, i) => -eps + (2 * eps * i) / (resolution - 1));
  const total = resolution * resolution;
  const loss = new Float64Array(total).fill(NaN);
  const batch = new Float32Array(Math.min(batchSize, total) * size);
  let cancelled = false;
  for (let start = 0; start < total; start += batchSize) {
    if (o.signal?.aborted) {
      cancelled = true;
      break;
    }
    const m = Math.min(batchSize, total - start);
    for (let k = 0; k < m; k++) {
      const row = Math.floor((start + k) / resolution);
      const col = (start + k) % resolution;
      const u = coords[col];
      const v = coords[row];
      const off = k * size;
      for (let i = 0; i < size; i++) batch[off + i] = x[i] + u * randomSign[i] + v * gradientSign[i];
    }
    const logits = await model.logits(batch.subarray(0, m * size), m);
    for (let k = 0; k < m; k++) loss[start + k] = crossEntropy(logits, k * C, C, label);
    o.onProgress?.({ task: 'landscape', done: start + m, total, unit: 'points' });
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of loss) {
    if (Number.isNaN(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { eps, resolution, coords, loss, clean: losses[0], min, max, gradientSign, randomSign, cancelled };
}
