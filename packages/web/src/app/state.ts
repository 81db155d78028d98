/** Everything the page shows, in one place; panels render from it and never from each other. */
import type { DigitSet } from '../data/digits.js';
import type { CatalogEntry } from '../model/catalog.js';
import type { Device, WebGpuProbe } from '../runtime/device.js';
import type { LoadedModel } from '../workers/inference-api.js';
import type { UserMessage } from './messages.js';

export interface Logits {
  /** [count, classes] row-major. */
  logits: Float32Array;
  classes: number;
  ms: number;
  device: Device;
}

/** The open model's ONNX file, for workers that build their own sessions from it (attack, certify). */
export interface ModelSource {
  name: string;
  /** The file's bytes. Shared: post a copy (structured clone), never transfer or modify them. */
  bytes: Uint8Array;
}

export interface AppState {
  digits: DigitSet | null;
  selected: number;
  /**
   * Digits from this index on are the user's drawings, appended after the test digits; their
   * labels are the open model's predictions, not ground truth. Null until the first drawing.
   */
  drawnFrom: number | null;
  webgpu: WebGpuProbe | null;
  /** The provider in use (or to be used by the next load). */
  device: Device;
  catalog: { entries: CatalogEntry[]; baseUrl: string } | null;
  model: LoadedModel | null;
  /** Bytes of the model `model` describes; set with it, kept across execution-provider switches. */
  source: ModelSource | null;
  /** Non-null while the page waits on the worker; says what for. */
  busy: string | null;
  error: UserMessage | null;
  /** The model's logits on every gallery digit. */
  gallery: Logits | null;
  /** A fresh single-image run on the selected digit (timed on its own). */
  prediction: (Logits & { index: number }) | null;
}

export const initialState: AppState = {
  digits: null,
  selected: 0,
  drawnFrom: null,
  webgpu: null,
  device: 'wasm',
  catalog: null,
  model: null,
  source: null,
  busy: 'Starting…',
  error: null,
  gallery: null,
  prediction: null,
};
