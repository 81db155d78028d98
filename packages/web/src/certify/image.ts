/**
 * Pictures of a counterexample: the adversarial input as a digit (the gallery's colours, via
 * drawDigit) and its perturbation from the clean digit in core's blue–white–red diverging map
 * (the CLI's attack grid), saturating at ±ε so the box's full width reads as full colour.
 */
import { diverging, Raster } from '@minmax/core';

/** Inputs in [0,1] as 0..255 bytes; values outside (an unclamped box) are clipped for display. */
export function toPixels(x: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.round(255 * Math.min(1, Math.max(0, x[i]!)));
  return out;
}

/** x − clean, one pixel per input value, red where ink was added, blue where it was removed. */
export function perturbationImage(x: ArrayLike<number>, clean: ArrayLike<number>, eps: number, rows: number, cols: number): Raster {
  if (x.length !== rows * cols || clean.length !== rows * cols) throw new RangeError(`expected ${rows}×${cols} values, got ${x.length} and ${clean.length}`);
  const delta = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) delta[i] = x[i]! - clean[i]!;
  const raster = new Raster(cols, rows);
  raster.image(0, 0, delta, cols, rows, 1, diverging(eps));
  return raster;
}

/** Largest |x − clean| (the ℓ∞ size of the perturbation). */
export function linfDistance(x: ArrayLike<number>, clean: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - clean[i]!));
  return m;
}
