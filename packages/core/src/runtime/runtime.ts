/**
 * The ONNX Runtime handle minmax runs graphs with. Core never imports an ORT package at run time:
 * the caller passes the module (`import * as ort from 'onnxruntime-node'`, or 'onnxruntime-web' in
 * a browser) and core uses only its onnxruntime-common API. createRuntime checks the requested
 * execution provider up front — by the backend list onnxruntime-node exports, then by creating a
 * one-node probe session — so a missing provider fails here, with what to install, rather than
 * at the first attack step.
 */
import type * as ortCommon from 'onnxruntime-common';
import { ExecutionProviderError, InvalidArgumentError, OnnxParseError } from '../errors.js';
import { encodeModel } from '../onnx/proto.js';
import { DataType, type ModelProto } from '../onnx/types.js';
import { DEVICES, EXECUTION_PROVIDER, installHint, isProviderFailure, type Device } from './providers.js';
import { OrtSession, type OrtModule, type Session } from './session.js';

export interface RuntimeOptions {
  /** Execution provider (default 'cpu'). */
  device?: Device;
  /** Intra-op threads (onnxruntime-node) or WebAssembly threads (onnxruntime-web); default: ORT's own choice. */
  threads?: number;
  /**
   * onnxruntime-node CPU only: let idle intra-op threads spin-wait for the next parallel kernel
   * (ORT's own default, session option 'session.intra_op.allow_spinning') instead of sleeping.
   * Default false. Spinning saves a wake-up per parallel kernel, which pays on cores nothing else
   * uses; where the cores are shared, spinning threads (also those of the runtime's other,
   * momentarily idle sessions) take the time slices the computation needs. On the 2-core bench
   * machine under load, a CNN PGD step took ~2–3× longer with spinning; idle, ~20% less.
   */
  spinWait?: boolean;
}

export interface Runtime {
  readonly ort: OrtModule;
  readonly device: Device;
  readonly threads: number | undefined;
  /** Creates a session for a model (decoded, or ONNX bytes) on this runtime's execution provider. */
  createSession(model: ModelProto | Uint8Array): Promise<Session>;
}

interface SupportedBackend {
  name: string;
  bundled?: boolean;
}

/** onnxruntime-node exports listSupportedBackends; onnxruntime-web does not. */
function backendList(ort: OrtModule): SupportedBackend[] | undefined {
  const list = (ort as unknown as { listSupportedBackends?: () => SupportedBackend[] }).listSupportedBackends;
  return typeof list === 'function' ? list() : undefined;
}

/** y = Relu(x): the smallest graph that makes a provider initialise and claim a kernel. */
function probeModel(): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'minmax',
    metadataProps: [],
    graph: {
      name: 'minmax_probe',
      node: [{ opType: 'Relu', input: ['x'], output: ['y'], name: 'probe', attribute: [] }],
      initializer: [],
      input: [{ name: 'x', elemType: DataType.FLOAT, shape: [1] }],
      output: [{ name: 'y', elemType: DataType.FLOAT, shape: [1] }],
      valueInfo: [],
    },
  });
}

class OrtRuntime implements Runtime {
  constructor(
    readonly ort: OrtModule,
    readonly device: Device,
    readonly threads: number | undefined,
    private readonly isNode: boolean,
    private readonly spinWait: boolean,
  ) {}

  /** ORT logs natively; only errors are let through (3), and nothing for the probe, whose failure is reported as a typed error. */
  sessionOptions(logSeverityLevel: 3 | 4 = 3): ortCommon.InferenceSession.SessionOptions {
    const opts: ortCommon.InferenceSession.SessionOptions = {
      executionProviders: [EXECUTION_PROVIDER[this.device]],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      logSeverityLevel,
    };
    if (this.threads !== undefined) {
      opts.intraOpNumThreads = this.threads;
      opts.interOpNumThreads = 1;
    }
    // Session config entry 'session.intra_op.allow_spinning' (onnxruntime_session_options_config_keys.h).
    if (this.isNode && this.device === 'cpu') opts.extra = { session: { 'intra_op.allow_spinning': this.spinWait ? '1' : '0' } };
    return opts;
  }

  async createSession(model: ModelProto | Uint8Array, logSeverityLevel: 3 | 4 = 3): Promise<Session> {
    const bytes = model instanceof Uint8Array ? model : encodeModel(model);
    let session: ortCommon.InferenceSession;
    try {
      session = await this.ort.InferenceSession.create(bytes, this.sessionOptions(logSeverityLevel));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (isProviderFailure(msg) && (this.device !== 'cpu' || /backend/i.test(msg))) {
        throw new ExecutionProviderError(`execution provider '${this.device}' is not available: ${installHint(this.device, this.isNode)} (ONNX Runtime: ${msg})`);
      }
      throw new OnnxParseError(`ONNX Runtime rejected the model: ${msg}`);
    }
    return new OrtSession(this.ort, session, this.device);
  }

  async probe(): Promise<void> {
    const s = await this.createSession(probeModel(), 4);
    await s.dispose();
  }
}

/**
 * Binds an ORT module and an execution provider. Throws ExecutionProviderError, naming what to
 * install, when the provider is not available (not built into the module, binaries missing, no GPU
 * adapter); InvalidArgumentError for an unknown device or a bad thread count.
 */
export async function createRuntime(ort: OrtModule, opts: RuntimeOptions = {}): Promise<Runtime> {
  const device = opts.device ?? 'cpu';
  if (!DEVICES.includes(device)) throw new InvalidArgumentError(`unknown device '${String(device)}' (expected ${DEVICES.join(', ')})`);
  if (opts.threads !== undefined && (!Number.isInteger(opts.threads) || opts.threads < 1)) {
    throw new InvalidArgumentError(`threads must be a positive integer, got ${opts.threads}`);
  }
  if (opts.spinWait !== undefined && typeof opts.spinWait !== 'boolean') {
    throw new InvalidArgumentError(`spinWait must be a boolean, got ${String(opts.spinWait)}`);
  }
  const backends = backendList(ort);
  const isNode = backends !== undefined;
  if (backends && !backends.some((b) => b.name === EXECUTION_PROVIDER[device])) {
    throw new ExecutionProviderError(
      `execution provider '${device}' is not available in this ONNX Runtime (it offers ${backends.map((b) => b.name).join(', ')}): ${installHint(device, isNode)}`,
    );
  }
  if (!isNode && opts.threads !== undefined && ort.env?.wasm) {
    // onnxruntime-web takes the WebAssembly thread count from the global env, read when its backend initialises.
    ort.env.wasm.numThreads = opts.threads;
  }
  const runtime = new OrtRuntime(ort, device, opts.threads, isNode, opts.spinWait ?? false);
  await runtime.probe();
  return runtime;
}
