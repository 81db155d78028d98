/** The attack worker's methods, shared by the worker and the page (types only). */
import type { AttackSpec } from '../attack/settings.js';
import type { Device } from '../runtime/device.js';

export interface AttackModelInfo {
  name: string;
  device: Device;
  /** Per-example input shape of the network core imported, e.g. [1, 28, 28]. */
  inputShape: number[];
  classes: number;
}

export interface AttackOutcome {
  /** core's Attack.describe(), e.g. "pgd ℓ∞ ε=0.1 α=0.01 steps=40". */
  description: string;
  norm: 'linf' | 'l2';
  eps: number;
  /** Logits at the clean image and at x + δ. */
  cleanLogits: Float32Array;
  logits: Float32Array;
  /** x + δ and δ, one image each (∏inputShape values). */
  adversarial: Float32Array;
  delta: Float32Array;
  /** Untargeted: the prediction differs from the label; targeted: it is the target. */
  success: boolean;
  /** Stopped by Cancel; δ is the last feasible iterate. */
  cancelled: boolean;
  ms: number;
  device: Device;
}

export interface AttackApi {
  /**
   * Imports the model with core's importOnnx and opens a gradient model on `device`, replacing
   * the previous one. `bytes` is the worker's own copy.
   */
  load: { args: { name: string; bytes: Uint8Array; device: Device }; result: AttackModelInfo };
  /** Attacks one image (∏inputShape floats in [0,1]) labelled `label`; streams per-step progress. */
  run: { args: { image: Float32Array; label: number; spec: AttackSpec }; result: AttackOutcome };
  unload: { args: Record<string, never>; result: null };
}
