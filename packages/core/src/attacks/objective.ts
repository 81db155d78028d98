/**
 * Per-example objective values from logits, in float64 — the same definitions as `model.ts`
 * (and the autodiff graphs), used to pick the worst restart and to report losses without another
 * gradient evaluation.
 */
import type { ObjectiveKind } from '../model.js';

/** Cross-entropy −log softmax(z)_y in float64: logsumexp(z) − z_y, shifted by max z for stability. */
export function crossEntropy(logits: ArrayLike<number>, offset: number, classes: number, label: number): number {
  let m = -Infinity;
  for (let c = 0; c < classes; c++) m = Math.max(m, logits[offset + c]!);
  let s = 0;
  for (let c = 0; c < classes; c++) s += Math.exp(logits[offset + c]! - m);
  return m + Math.log(s) - logits[offset + label]!;
}

export function objectiveValues(
  logits: Float32Array,
  n: number,
  classes: number,
  labels: Int32Array,
  kind: ObjectiveKind,
  targets?: Int32Array,
): Float32Array {
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const z = logits.subarray(k * classes, (k + 1) * classes);
    const y = labels[k]!;
    switch (kind) {
      case 'ce':
        out[k] = crossEntropy(logits, k * classes, classes, y);
        break;
      case 'margin': {
        let m = -Infinity;
        for (let j = 0; j < classes; j++) if (j !== y) m = Math.max(m, z[j]!);
        out[k] = m - z[y]!;
        break;
      }
      case 'targeted':
        out[k] = z[targets![k]!]! - z[y]!;
        break;
      case 'targeted-sum': {
        const t = targets![k]!;
        let s = 0;
        for (let j = 0; j < classes; j++) if (j !== t) s += z[j]!;
        out[k] = z[t]! - s;
        break;
      }
    }
  }
  return out;
}
