/**
 * The user's drawings live in the page's DigitSet after the test digits, so every panel that works
 * on "the selected digit" (prediction, attack, certify, landscape) takes them unchanged. A drawing
 * has no true label; it carries the open model's prediction instead (see relabelDrawings).
 */
import type { DigitSet } from '../data/digits.js';

/** `set` with one more digit, `pixels` (rows·cols bytes 0..255), labelled `label`. */
export function appendDigit(set: DigitSet, pixels: Uint8Array, label: number): DigitSet {
  const size = set.rows * set.cols;
  if (pixels.length !== size) throw new RangeError(`${pixels.length} pixels for a ${set.rows}×${set.cols} digit`);
  const labels = new Uint8Array(set.count + 1);
  labels.set(set.labels);
  labels[set.count] = label;
  const all = new Uint8Array((set.count + 1) * size);
  all.set(set.pixels.subarray(0, set.count * size));
  all.set(pixels, set.count * size);
  return { count: set.count + 1, rows: set.rows, cols: set.cols, labels, pixels: all };
}

/**
 * `set` with the labels of digits [from, count) replaced by `predicted(i)`; the same object when
 * nothing changes, so panels keyed on the set's identity do not reset for nothing.
 */
export function relabelDrawings(set: DigitSet, from: number, predicted: (index: number) => number): DigitSet {
  let labels: Uint8Array | null = null;
  for (let i = from; i < set.count; i++) {
    const p = predicted(i);
    if (p === set.labels[i]) continue;
    labels ??= new Uint8Array(set.labels);
    labels[i] = p;
  }
  return labels ? { ...set, labels } : set;
}
