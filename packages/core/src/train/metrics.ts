/** Counting helpers shared by the training methods and the per-epoch evaluation. */

/** Examples whose argmax (ties → lowest index, like torch.max) differs from the label. */
export function countWrong(logits: Float32Array, labels: Int32Array, n: number, classes: number): number {
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (logits[i * classes + j]! > logits[i * classes + best]!) best = j;
    if (best !== labels[i]) wrong++;
  }
  return wrong;
}

/** Examples not certified: some lower bound on z_y − z_j is negative (the tutorial's strict test;
 *  the j = y entry is exactly 0). NaN bounds count as not certified. */
export function countUncertified(margin: Float32Array, n: number, classes: number): number {
  let bad = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < classes; j++) {
      const m = margin[i * classes + j]!;
      if (!(m >= 0)) {
        bad++;
        break;
      }
    }
  }
  return bad;
}

/** The tutorial's binary error ((yp > 0)·(y = 0) + (yp < 0)·(y = 1)): yp = 0 counts as neither. */
export function countBinaryWrong(scores: Float32Array, labels: Int32Array, n: number): number {
  let wrong = 0;
  for (let i = 0; i < n; i++) if ((scores[i]! > 0 && labels[i] === 0) || (scores[i]! < 0 && labels[i] === 1)) wrong++;
  return wrong;
}

export const sum = (v: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s;
};
