/**
 * Specification matrices C for robustness: the network output z is safe at label y when every
 * z_y − z_t, t ≠ y, is positive, i.e. C·z > 0 with rows e_y − e_t (the tutorial's C = −I with
 * C[y] += 1, minus the trivial row t = y). The backward pass starts from these rows at the
 * output, so C is folded into the last linear layer exactly as the tutorial does (W_y − W_t,
 * b_y − b_t) — the training helper's IBP / CROWN-IBP losses use the same rows.
 */
import { InvalidArgumentError } from '../../errors.js';

/** Rows e_y − e_t for t ≠ y, in increasing t ([classes − 1, classes], C order). */
export function marginSpec(classes: number, y: number): Float64Array {
  if (!Number.isInteger(y) || y < 0 || y >= classes) throw new InvalidArgumentError(`label ${y} is outside [0, ${classes})`);
  const spec = new Float64Array((classes - 1) * classes);
  let r = 0;
  for (let t = 0; t < classes; t++) {
    if (t === y) continue;
    spec[r * classes + y] = 1;
    spec[r * classes + t] = -1;
    r++;
  }
  return spec;
}

/** Rows e_0, −e_0, e_1, −e_1, …: lower bounds of z_i and of −z_i (upper bounds after negation). */
export function logitSpec(classes: number): Float64Array {
  const spec = new Float64Array(2 * classes * classes);
  for (let i = 0; i < classes; i++) {
    spec[2 * i * classes + i] = 1;
    spec[(2 * i + 1) * classes + i] = -1;
  }
  return spec;
}
