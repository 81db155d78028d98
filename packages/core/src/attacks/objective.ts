/**
 * Per-example objective values from logits, in float64 — the same definitions as `model.ts`
 * (and the autodiff graphs), used to pick the worst restart and to report losses without another
 * gradient evaluation.
 */
import type { ObjectiveKind } from '../model.js';

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
      case 'ce': {
        // logsumexp(z) − z_y, shifted by max z for stability.
        let m = -Infinity;
        for (let j = 0; j < classes; j++) m = Math.max(m, z[j]!);
        let s = 0;
        for (let j = 0; j < classes; j++) s += Math.exp(z[j]! - m);
        out[k] = m + Math.log(s) - z[y]!;
        break;
      }
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
