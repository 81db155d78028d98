/** The inference worker's methods, shared by the worker and the page (types only). */
import type { Device, WebGpuProbe } from '../runtime/device.js';
import type { ClassifierInfo } from '../runtime/classifier.js';
import type { MinmaxSupport } from '../model/compat.js';

export interface LoadedModel extends ClassifierInfo {
  name: string;
  device: Device;
  sizeBytes: number;
  minmax: MinmaxSupport;
}

export interface InferenceApi {
  /** Whether WebGPU is usable from the worker, where the sessions live. */
  probe: { args: Record<string, never>; result: { webgpu: WebGpuProbe } };
  /** Parses and opens a model, replacing the current one. `bytes` is transferred. */
  load: { args: { name: string; bytes: ArrayBuffer; device: Device }; result: LoadedModel };
  /** Re-opens the current model on another execution provider. */
  setDevice: { args: { device: Device }; result: LoadedModel };
  /** Logits of `count` images (count·784 floats in [0,1], transferred), [count, classes] row-major. */
  classify: { args: { images: Float32Array; count: number }; result: { logits: Float32Array; classes: number; ms: number } };
  unload: { args: Record<string, never>; result: null };
}
