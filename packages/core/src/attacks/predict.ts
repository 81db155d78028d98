/**
 * Predicted classes: the argmax of each row of logits. Ties go to the lowest index and a NaN
 * counts as the maximum, as `torch.max(dim=1)` does on CPU, so error rates match the tutorial's
 * `yp.max(dim=1)[1] != y`.
 */
export function argmaxRows(logits: Float32Array, n: number, classes: number): Int32Array {
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const base = k * classes;
    let best = 0;
    let bestVal = logits[base]!;
    if (!Number.isNaN(bestVal)) {
      for (let j = 1; j < classes; j++) {
        const v = logits[base + j]!;
        if (Number.isNaN(v)) {
          best = j;
          break;
        }
        if (v > bestVal) {
          best = j;
          bestVal = v;
        }
      }
    }
    out[k] = best;
  }
  return out;
}
