/**
 * Counterexamples are claims about the network as it is deployed: float32 inference in ONNX
 * Runtime. A solver's point is float64 and satisfies constraints only up to tolerances, so before
 * anything is reported as `falsified` the point is rounded to float32 *inside* the input box and
 * re-run through ONNX Runtime, and the violated property is checked on those logits.
 */
import { InvalidArgumentError } from '../errors.js';
import type { GradientModel } from '../model.js';
import { targetRow, type OutputRow } from './objective.js';

/** What re-checks need: float32 logits from ONNX Runtime (a GradientModel provides them). */
export type LogitsOracle = Pick<GradientModel, 'logits' | 'numClasses' | 'inputShape'>;

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Next float32 above (dir > 0) or below (dir < 0) a float32 value. */
function stepF32(v: number, dir: number): number {
  if (v === 0) return dir > 0 ? 2 ** -149 : -(2 ** -149);
  f32[0] = v;
  i32[0]! += (v > 0) === dir > 0 ? 1 : -1;
  return f32[0]!;
}

/**
 * x rounded to float32 with every coordinate inside [lower_i, upper_i]: round to nearest, then
 * step one float32 towards the box if rounding left it. Throws if a coordinate's interval holds no
 * float32 (impossible for boxes built around float32 data).
 */
export function toFloat32InBox(x: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const l = lower[i]!;
    const u = upper[i]!;
    let v = Math.fround(Math.min(Math.max(x[i]!, l), u));
    if (v < l) v = stepF32(v, 1);
    if (v > u) v = stepF32(v, -1);
    if (!(v >= l && v <= u)) throw new InvalidArgumentError(`input interval [${l}, ${u}] at element ${i} contains no float32 value`);
    out[i] = v;
  }
  return out;
}

/** max_k (c_kᵀy + offset_k) on float32 logits, evaluated in float64: < 0 (or ≤ 0) means the point is in the unsafe region. */
export function rowsValue(rows: readonly OutputRow[], logits: ArrayLike<number>): number {
  let worst = -Infinity;
  for (const r of rows) {
    let s = r.offset;
    for (let o = 0; o < logits.length; o++) if (r.c[o] !== 0) s += r.c[o]! * logits[o]!;
    worst = Math.max(worst, s);
  }
  return worst;
}

export interface CheckedPoint {
  /** The float32 point that was run (inside the box). */
  readonly x: Float32Array;
  readonly logits: Float32Array;
  readonly predicted: number;
  /** rowsValue at the logits (< 0 for a target: the label lost; ≤ 0 for VNNLIB properties). */
  readonly value: number;
}

export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** Runs candidate points (already float32 and in the box) through ONNX Runtime in one batch. */
export async function checkPoints(oracle: LogitsOracle, xs: readonly Float32Array[], rows: readonly OutputRow[]): Promise<CheckedPoint[]> {
  if (xs.length === 0) return [];
  const size = xs[0]!.length;
  const batch = new Float32Array(size * xs.length);
  xs.forEach((x, i) => batch.set(x, i * size));
  const logits = await oracle.logits(batch, xs.length);
  const k = oracle.numClasses;
  return xs.map((x, i) => {
    const l = logits.slice(i * k, (i + 1) * k);
    return { x, logits: l, predicted: argmax(l), value: rowsValue(rows, l) };
  });
}

/**
 * A few signed-gradient steps from a solver point that ONNX Runtime did not confirm (typically a
 * point on the decision boundary, off by solver tolerance): ascend z_t − z_y inside the box and
 * keep the best float32 iterate. Returns undefined when no iterate violates the property.
 */
export async function refineTowardsTarget(
  model: GradientModel,
  start: Float32Array,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  label: number,
  target: number,
  steps = 20,
): Promise<CheckedPoint | undefined> {
  const x = Float32Array.from(start);
  const labels = Int32Array.of(label);
  const targets = Int32Array.of(target);
  const rows = [targetRow(model.numClasses, label, target)];
  for (let s = 0; s < steps; s++) {
    const r = await model.lossAndGrad(x, 1, labels, { kind: 'targeted', reduction: 'sum' }, targets);
    const margin = r.logits[label]! - r.logits[target]!;
    if (margin < 0) {
      const [c] = await checkPoints(model, [x], rows);
      if (c && c.value < 0) return c;
    }
    const scale = 2 ** -(s >> 2);
    for (let i = 0; i < x.length; i++) {
      const g = r.grad[i]!;
      const step = ((upper[i]! - lower[i]!) / 8) * scale * Math.sign(g);
      x[i] = step === 0 ? x[i]! : x[i]! + step;
    }
    x.set(toFloat32InBox(x, lower, upper));
  }
  const [c] = await checkPoints(model, [x], rows);
  return c && c.value < 0 ? c : undefined;
}
