/**
 * The loss-landscape form: ε and grid resolution checked before anything runs (with the limits
 * core's lossLandscape enforces, plus a page-side cap on the grid so a figure stays seconds, not
 * minutes), and which bundled model to draw beside the open one.
 */
import { InvalidArgumentError } from '@minmax/core';

export const DEFAULT_EPS = 0.1;
export const DEFAULT_RESOLUTION = 31;
/** core accepts up to 1000 points per axis; 101² forward passes per model is already slow on wasm. */
export const MAX_RESOLUTION = 101;

export interface LandscapeSettings {
  eps: number;
  resolution: number;
}

/** The settings to run with, or an InvalidArgumentError saying in plain words what to fix. */
export function checkSettings(s: LandscapeSettings): LandscapeSettings {
  if (!Number.isFinite(s.eps) || s.eps <= 0 || s.eps > 1) throw new InvalidArgumentError('ε must be a number greater than 0 and at most 1.');
  if (!Number.isInteger(s.resolution) || s.resolution < 3 || s.resolution > MAX_RESOLUTION) {
    throw new InvalidArgumentError(`The resolution must be a whole number from 3 to ${MAX_RESOLUTION}.`);
  }
  return { eps: s.eps, resolution: s.resolution };
}

/** Names of the bundled networks the tutorial's comparison pairs (scripts/bundle-models.mjs). */
export const STANDARD_CONVNET = 'ConvNet (standard)';
export const ROBUST_CONVNET = 'ConvNet (PGD-trained)';

/**
 * The model to compare with by default: the PGD-trained ConvNet beside the standard one (the
 * tutorial's figure pair) when it is bundled, else none.
 */
export function defaultComparison(current: string | null, bundled: readonly string[]): string | null {
  return current === STANDARD_CONVNET && bundled.includes(ROBUST_CONVNET) ? ROBUST_CONVNET : null;
}

/** What the "compare with" list offers: none, the bundled networks other than the open one, and an uploaded file. */
export type Comparison = { kind: 'none' } | { kind: 'bundled'; name: string } | { kind: 'file'; name: string; bytes: Uint8Array };

export interface ComparisonChoice {
  /** The <option> value: 'none', 'bundled:NAME' or 'file:NAME'. */
  value: string;
  label: string;
}

export function comparisonValue(c: Comparison): string {
  return c.kind === 'none' ? 'none' : `${c.kind}:${c.name}`;
}

export function comparisonChoices(current: string | null, bundled: readonly string[], file: string | null): ComparisonChoice[] {
  return [
    { value: 'none', label: 'nothing (this model alone)' },
    ...bundled.filter((name) => name !== current).map((name) => ({ value: `bundled:${name}`, label: name })),
    ...(file !== null ? [{ value: `file:${file}`, label: `${file} (your file)` }] : []),
  ];
}
