/**
 * A typed wrapper over one ONNX Runtime InferenceSession: feeds and fetches are plain
 * Float32Array / BigInt64Array buffers with dims, checked before they reach ORT so a wrong
 * length or name fails with a ShapeError / InvalidArgumentError naming the tensor.
 */
import type * as ortCommon from 'onnxruntime-common';
import { ExecutionProviderError, InvalidArgumentError, ShapeError } from '../errors.js';
import { isProviderFailure, type Device } from './providers.js';

export type OrtModule = typeof ortCommon;

export interface TensorData {
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}

export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model; `fetches` limits the outputs computed (default: all). */
  run(feeds: Record<string, TensorData>, fetches?: readonly string[]): Promise<Record<string, TensorData>>;
  /** Releases the native session; idempotent. */
  dispose(): Promise<void>;
}

const dimsStr = (d: readonly number[]): string => `[${d.join(',')}]`;

export class OrtSession implements Session {
  private released = false;

  constructor(
    private readonly ort: OrtModule,
    private readonly session: ortCommon.InferenceSession,
    private readonly device: Device,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Record<string, TensorData>, fetches?: readonly string[]): Promise<Record<string, TensorData>> {
    if (this.released) throw new InvalidArgumentError('session used after dispose()');
    const inputs = this.session.inputNames;
    const ortFeeds: Record<string, ortCommon.Tensor> = {};
    for (const name of inputs) {
      const f = feeds[name];
      if (!f) throw new InvalidArgumentError(`missing feed '${name}' (session inputs: ${inputs.join(', ')})`);
      const n = f.dims.reduce((a, d) => a * d, 1);
      if (f.dims.some((d) => !Number.isInteger(d) || d < 0) || n !== f.data.length) {
        throw new ShapeError(`feed '${name}': ${f.data.length} values for dims ${dimsStr(f.dims)}`);
      }
      ortFeeds[name] = f.data instanceof Float32Array ? new this.ort.Tensor('float32', f.data, f.dims) : new this.ort.Tensor('int64', f.data, f.dims);
    }
    for (const name of Object.keys(feeds)) {
      if (!inputs.includes(name)) throw new InvalidArgumentError(`feed '${name}' is not a session input (inputs: ${inputs.join(', ')})`);
    }
    const wanted = fetches ?? this.session.outputNames;
    for (const name of wanted) {
      if (!this.session.outputNames.includes(name)) throw new InvalidArgumentError(`'${name}' is not a session output (outputs: ${this.session.outputNames.join(', ')})`);
    }
    let results: ortCommon.InferenceSession.ReturnType;
    try {
      results = await this.session.run(ortFeeds, [...wanted]);
    } catch (e) {
      // Kernels of a GPU provider can fail only at run time (e.g. cuDNN missing); name the device.
      const msg = e instanceof Error ? e.message : String(e);
      if (this.device !== 'cpu' && isProviderFailure(msg)) throw new ExecutionProviderError(`ONNX Runtime (${this.device}) failed while running: ${msg}`);
      throw e;
    }
    const out: Record<string, TensorData> = {};
    for (const name of wanted) {
      const t = results[name] as ortCommon.Tensor;
      // getData() downloads GPU-resident outputs; CPU outputs are returned as they are.
      const data = t.location === 'cpu' ? t.data : await t.getData(true);
      if (!(data instanceof Float32Array) && !(data instanceof BigInt64Array)) {
        throw new InvalidArgumentError(`output '${name}' has element type ${t.type}; sessions return float32 and int64 tensors only`);
      }
      out[name] = { data, dims: [...t.dims] };
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}
