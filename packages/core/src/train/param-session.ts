/**
 * An ONNX Runtime session of a graph whose parameters are graph inputs named Param.name; every
 * run feeds the network's Param buffers as they are at that moment, so an optimiser updating
 * them in place is seen by the next run without rebuilding the session.
 */
import { networkParams } from '../autodiff/forward.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Network, Param } from '../ir/network.js';
import type { ModelProto } from '../onnx/types.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Session, TensorData } from '../runtime/session.js';

export class ParamSession {
  private disposed = false;

  private constructor(
    private readonly session: Session,
    readonly params: readonly Param[],
  ) {}

  static async create(runtime: Runtime, net: Network, model: ModelProto): Promise<ParamSession> {
    const session = await runtime.createSession(model);
    const params = networkParams(net);
    const inputs = new Set(session.inputNames);
    const missing = params.filter((p) => !inputs.has(p.name)).map((p) => p.name);
    if (missing.length > 0) {
      await session.dispose();
      throw new ShapeError(`graph '${model.graph.name}' lacks inputs for parameters ${missing.join(', ')}`);
    }
    return new ParamSession(session, params);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  /** Runs with `feeds` plus the current parameters; returns the requested outputs. */
  async run(feeds: Record<string, TensorData>, fetches: readonly string[]): Promise<Record<string, TensorData>> {
    if (this.disposed) throw new InvalidArgumentError('training session used after dispose()');
    const all: Record<string, TensorData> = { ...feeds };
    for (const p of this.params) all[p.name] = { data: p.data, dims: p.shape };
    return this.session.run(all, fetches);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.session.dispose();
  }
}

/** The float32 payload of a session output (ShapeError when the runtime returned something else). */
export function floats(out: Record<string, TensorData>, name: string, length?: number): Float32Array {
  const t = out[name];
  if (!t || !(t.data instanceof Float32Array) || (length !== undefined && t.data.length !== length)) {
    throw new ShapeError(`ONNX Runtime returned '${name}' as ${t ? `[${t.dims.join(', ')}]` : 'nothing'}${length !== undefined ? `, expected ${length} float32 values` : ''}`);
  }
  return t.data;
}

/** Gradients 'grad:'+name of every parameter, keyed by parameter name. */
export function paramGrads(out: Record<string, TensorData>, params: readonly Param[]): Record<string, Float32Array> {
  const grads: Record<string, Float32Array> = {};
  for (const p of params) grads[p.name] = floats(out, `grad:${p.name}`, p.data.length);
  return grads;
}
