/**
 * Input sets for bound propagation: ℓ∞ balls around points (optionally intersected with the
 * valid pixel range) and general per-pixel boxes. Boxes are float64; their endpoints are rounded
 * outward so the float box contains the real set the caller described.
 */
import { InvalidArgumentError } from '../errors.js';
import { addUp, subDown } from './float.js';

export interface InputBox {
  /** [n, ...inputShape], row-major. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

export interface LinfBoxOptions {
  /** Intersect the ball with [min, max] per coordinate, e.g. [0, 1] for images. Default: no clamp. */
  readonly clamp?: readonly [number, number];
}

/**
 * The box {x' : ‖x' − x‖∞ ≤ eps} (∩ clamp range) for every element of `center` (any batch layout;
 * the box has the same layout). x ± eps is rounded outward when not representable.
 */
export function linfBox(center: ArrayLike<number>, eps: number, options: LinfBoxOptions = {}): InputBox {
  if (!(eps >= 0) || !Number.isFinite(eps)) {
    throw new InvalidArgumentError(`linfBox: epsilon must be a finite number ≥ 0, got ${eps}`);
  }
  const clamp = options.clamp;
  if (clamp && !(clamp[0] <= clamp[1])) {
    throw new InvalidArgumentError(`linfBox: clamp range [${clamp[0]}, ${clamp[1]}] is empty or not a number`);
  }
  const lo = clamp ? clamp[0] : -Infinity;
  const hi = clamp ? clamp[1] : Infinity;
  const n = center.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = center[i]!;
    if (!Number.isFinite(x)) throw new InvalidArgumentError(`linfBox: center[${i}] = ${x} is not finite`);
    const l = Math.max(subDown(x, eps), lo);
    const u = Math.min(addUp(x, eps), hi);
    if (l > u) {
      throw new InvalidArgumentError(
        `linfBox: center[${i}] = ${x} is farther than eps = ${eps} from the clamp range [${lo}, ${hi}], so the set is empty`,
      );
    }
    lower[i] = l;
    upper[i] = u;
  }
  return { lower, upper };
}

/**
 * Checks a batch of boxes: lengths n·size, no NaN, lower ≤ upper everywhere (±∞ endpoints allowed;
 * they propagate as unbounded). `what` names the caller in messages.
 */
export function validateBox(lower: Float64Array, upper: Float64Array, n: number, size: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${what}: batch size must be an integer ≥ 0, got ${n}`);
  if (!(lower instanceof Float64Array) || !(upper instanceof Float64Array)) {
    throw new InvalidArgumentError(`${what}: lower and upper must be Float64Arrays`);
  }
  const len = n * size;
  if (lower.length !== len || upper.length !== len) {
    throw new InvalidArgumentError(
      `${what}: expected lower/upper of length n·size = ${n}·${size} = ${len}, got ${lower.length} and ${upper.length}`,
    );
  }
  for (let i = 0; i < len; i++) {
    const l = lower[i]!;
    const u = upper[i]!;
    if (!(l <= u) || l === Infinity || u === -Infinity) {
      const ex = Math.floor(i / Math.max(size, 1));
      throw new InvalidArgumentError(
        `${what}: invalid box at example ${ex}, element ${i - ex * size}: lower ${l}, upper ${u} is empty, NaN or at infinity`,
      );
    }
  }
}
