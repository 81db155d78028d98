/**
 * The three per-runtime measurements of the runtimes suite, free of Node APIs so that the Chromium
 * bench page (browser/bench-page.ts) runs exactly the same code as Node does.
 */
import { certify, createGradientModel, projectLinf, signStep, type GradientModel, type IntervalEngine, type Network, type Runtime } from '@minmax/core';
import { time, timeGroup, type Timing } from '../measure.js';

export interface RepOptions {
  warmup: number;
  reps: number;
  /** Alternating forward/step blocks (timeGroup). */
  rounds: number;
}

/**
 * PGD ℓ∞ on a fixed batch as the attacks run it (ε = 0.1, α = 0.01, cross-entropy): `gradient` is
 * the step as the foundation issue defines it, forward + input gradient (one gradient-graph run);
 * `iteration` is a whole attack iteration, also x + δ, the sign step and the projection.
 */
export function pgdIteration(model: GradientModel, x: Float32Array, y: Int32Array, batch: number): { gradient: () => Promise<unknown>; iteration: () => Promise<void> } {
  const objective = { kind: 'ce', reduction: 'mean' } as const;
  const delta = new Float32Array(x.length);
  const xAdv = new Float32Array(x.length);
  return {
    gradient: () => model.lossAndGrad(xAdv, batch, y, objective),
    iteration: async () => {
      for (let i = 0; i < x.length; i++) xAdv[i] = x[i]! + delta[i]!;
      const g = await model.lossAndGrad(xAdv, batch, y, objective);
      signStep(delta, g.grad, 0.01);
      projectLinf(delta, 0.1);
    },
  };
}

/** Forward pass of the original ONNX bytes and one PGD step (forward + input gradient + sign step + projection), as in the pgd suite. */
export async function measureForwardAndStep(
  runtime: Runtime,
  net: Network,
  bytes: Uint8Array,
  x: Float32Array,
  y: Int32Array,
  batch: number,
  o: RepOptions,
): Promise<{ forward: Timing; step: Timing }> {
  const plain = await runtime.createSession(bytes);
  try {
    const model = await createGradientModel(runtime, net);
    try {
      const dims = [batch, ...net.inputShape];
      const runForward = () => plain.run({ [net.inputName]: { data: x, dims } });
      const [forward, step] = await timeGroup([runForward, pgdIteration(model, x, y, batch).iteration], o);
      return { forward: forward!, step: step! };
    } finally {
      await model.dispose();
    }
  } finally {
    await plain.dispose();
  }
}

/** Sound IBP margins for the whole batch (ε = 0.1, unclamped as in the bounds suite) on the given interval engine. */
export async function measureIbp(engine: IntervalEngine, net: Network, x: Float32Array, y: Int32Array, o: Pick<RepOptions, 'warmup' | 'reps'>): Promise<Timing> {
  return time(async () => certify(net, x, y, { norm: 'linf', eps: 0.1 }, { method: 'ibp', engine }), o);
}

declare global {
  interface Window {
    /** Set by the bench page (browser/bench-page.ts). */
    minmaxBench(req: BrowserBenchRequest): Promise<BrowserBenchResult>;
  }
}

/** What the Node harness asks the Chromium bench page for. */
export interface BrowserBenchRequest {
  device: 'wasm' | 'webgpu';
  threads: number;
  batch: number;
  /** Model files served beside the page ("<name>.onnx"). */
  models: string[];
  /** Whether to time IBP (bounds-wasm) too: once per page is enough, it does not depend on the ORT device. */
  ibp: boolean;
  reps: RepOptions;
}

export type BrowserBenchResult =
  | { available: false; reason: string }
  | {
      available: true;
      /** ORT's WebAssembly threads in effect (1 unless the page is cross-origin isolated). */
      threads: number;
      /** WebGPU adapter, e.g. "google / swiftshader" (software) — empty for wasm. */
      adapter: string;
      models: Record<string, { forwardMs: number; stepMs: number; ibpMs?: number }>;
    };
