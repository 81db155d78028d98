/** The loss-landscape worker's methods, shared by the worker and the page (types only). */
import type { Device } from '../runtime/device.js';

export interface LandscapeModel {
  /** Identifies the bytes across calls, so the worker reopens a model only when it changed. */
  key: string;
  /** Panel title in the figure. */
  name: string;
  /** The worker's own copy (structured clone); not transferred. */
  bytes: Uint8Array;
}

export interface LandscapeSurface {
  name: string;
  eps: number;
  resolution: number;
  /** Cross-entropy at the clean digit and the extremes over the grid (core's LossLandscape). */
  clean: number;
  min: number;
  max: number;
}

export interface LandscapeOutcome {
  /** One per model, in the order asked; empty when cancelled before the first finished. */
  surfaces: LandscapeSurface[];
  /** core's lossSurfaceFigure of all surfaces as RGBA; null when cancelled. */
  figure: { width: number; height: number; data: Uint8ClampedArray } | null;
  cancelled: boolean;
  ms: number;
  device: Device;
}

export interface LandscapeApi {
  /**
   * core's lossLandscape of every model around `image` (∏inputShape floats in [0,1]) labelled
   * `label`, on the same plane (same seed), drawn side by side. Progress counts grid points over
   * all models.
   */
  run: {
    args: { models: LandscapeModel[]; image: Float32Array; label: number; eps: number; resolution: number; seed: number; device: Device };
    result: LandscapeOutcome;
  };
  /** Closes every open model. */
  unload: { args: Record<string, never>; result: null };
}
