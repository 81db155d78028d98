/**
 * `minmax verify --method lp|mip|complete`: the exact-verification methods (HiGHS). verify.ts
 * delegates here for every method this map names.
 */
import {
  crownBoundsProvider,
  createGradientModel,
  ExactVerifier,
  exampleSize,
  subset,
  type BoundsKind,
  type ExampleCertificate,
  type ExactOptions,
} from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { createWasmIntervalEngine } from '@minmax/bounds-wasm';
import { requireOption, UsageError } from '../args.js';
import { progressBars } from '../progress.js';
import { loadNetwork, nodeRuntime, parseDevice } from '../runtime.js';
import { table } from '../table.js';
import type { VerifyOptions } from './verify-options.js';

type ExactMethod = 'lp' | 'mip' | 'complete';

const BOUNDS: readonly BoundsKind[] = ['interval', 'crown', 'lp'];

/** JSON cannot hold ±∞/NaN: they are written as null. */
export const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function perTargetJson(index: number, c: ExampleCertificate): Record<string, unknown> {
  const targets: Record<string, unknown> = {};
  for (const t of c.targets) {
    targets[String(t.target)] = {
      objective: finite(t.objective),
      status: t.status,
      bound: finite(t.bound),
      by: t.by,
      seconds: Math.round(t.seconds * 1000) / 1000,
      ...(t.gap !== undefined ? { gap: t.gap } : {}),
      ...(t.counterexample ? { predicted: t.counterexample.predicted } : {}),
      ...(t.note ? { note: t.note } : {}),
    };
  }
  return { index, label: c.label, predicted: c.predicted, status: c.status, seconds: Math.round(c.seconds * 1000) / 1000, unstable: c.unstable, targets };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(6) : Number.isNaN(v) ? '–' : v > 0 ? '+inf' : '-inf';
}

async function runExact(method: ExactMethod, o: VerifyOptions): Promise<number> {
  const file = requireOption('verify', 'model', o.model);
  if (o.index !== undefined && o.limit !== undefined) throw new UsageError('use either --index or --limit, not both');
  const bounds = (o.bounds ?? 'interval') as BoundsKind;
  if (!BOUNDS.includes(bounds)) throw new UsageError(`--bounds must be interval, crown or lp, got '${o.bounds}'`);
  if (o['per-target'] && o.index === undefined) throw new UsageError('--per-target needs --index');
  const eps = o.eps ?? 0.1;
  const device = parseDevice(o.device);
  const net = loadNetwork(file);
  const [test, runtime] = await Promise.all([loadMnist('test'), nodeRuntime(device, o.threads)]);
  if (o.index !== undefined && o.index >= test.n) throw new UsageError(`--index ${o.index} is out of range (the test set has ${test.n} images)`);
  const indices = o.index !== undefined ? [o.index] : Array.from({ length: Math.min(o.limit ?? test.n, test.n) }, (_, i) => i);
  const data = subset(test, indices);
  const size = exampleSize(data.inputShape);
  const model = await createGradientModel(runtime, net);
  const engine = bounds === 'crown' || method === 'complete' ? await createWasmIntervalEngine() : undefined;
  const bars = progressBars();
  try {
    const verifier = await ExactVerifier.create(net, { model, ...(engine ? { linearBounds: crownBoundsProvider(engine) } : {}) });
    if (verifier.chain.inputSize !== size) throw new UsageError(`${file} expects inputs of ${verifier.chain.inputSize} values, MNIST images have ${size}`);
    const options: ExactOptions = {
      eps,
      ...(o.clamp ? { clamp: [0, 1] as const } : {}),
      bounds,
      ...(o['target-time-limit'] !== undefined ? { timeLimit: o['target-time-limit'] } : {}),
      ...(o['time-limit'] !== undefined ? { exampleTimeLimit: o['time-limit'] } : {}),
      onProgress: bars.callback,
    };
    const t0 = performance.now();
    const certs: ExampleCertificate[] = [];
    const counts = { verified: 0, falsified: 0, unknown: 0 };
    for (let i = 0; i < data.n; i++) {
      const x = data.images.subarray(i * size, (i + 1) * size);
      const y = data.labels[i]!;
      const c =
        method === 'lp' ? await verifier.verifyLp(x, y, options) : method === 'mip' ? await verifier.verifyMip(x, y, options) : await verifier.verifyComplete(x, y, options);
      certs.push(c);
      counts[c.status]++;
      bars.callback({ task: `verify ${method}`, done: i + 1, total: data.n, unit: 'images', info: { ...counts } });
    }
    bars.stop();
    const seconds = (performance.now() - t0) / 1000;
    const n = data.n;
    const certifiedError = n === 0 ? 0 : (n - counts.verified) / n;
    if (o.json) {
      const summary = { model: file, method, bounds, eps, clamp: o.clamp ?? false, n, ...counts, certifiedError, falsifiedError: n === 0 ? 0 : counts.falsified / n, seconds: Math.round(seconds * 1000) / 1000 };
      process.stdout.write(JSON.stringify(o['per-target'] ? perTargetJson(indices[0]!, certs[0]!) : o.index !== undefined ? { ...summary, ...perTargetJson(indices[0]!, certs[0]!) } : summary) + '\n');
      return 0;
    }
    const box = `ℓ∞ ε=${eps}${o.clamp ? ' ∩ [0,1]' : ''}`;
    process.stdout.write(`${file} · ${method} (${bounds} bounds) · ${box} · ${n} MNIST test image${n === 1 ? '' : 's'}\n\n`);
    if (o.index !== undefined) {
      const c = certs[0]!;
      process.stdout.write(`image ${o.index}, label ${c.label}, predicted ${c.predicted}: ${c.status}\n\n`);
      const rows = c.targets.map((t) => [
        String(t.target),
        fmt(t.objective),
        fmt(t.bound),
        t.status,
        t.by,
        t.seconds.toFixed(2),
        t.counterexample ? `→ class ${t.counterexample.predicted}` : (t.note ?? ''),
      ]);
      process.stdout.write(table(['target', 'min z_y − z_t', 'proven ≥', 'status', 'by', 's', ''], rows) + '\n\n');
    }
    process.stdout.write(
      `verified ${counts.verified}, falsified ${counts.falsified}, unknown ${counts.unknown} of ${n}\n` +
        `certified error ${certifiedError.toFixed(4)} (not verified; misclassified images count as errors); ` +
        `falsified (a confirmed adversarial example) ${(n === 0 ? 0 : counts.falsified / n).toFixed(4)}\n` +
        `${seconds.toFixed(1)} s\n`,
    );
    return 0;
  } finally {
    bars.stop();
    await model.dispose();
    engine?.dispose();
  }
}

export const exactVerifyMethods: Record<string, (o: VerifyOptions) => Promise<number>> = {
  lp: (o) => runExact('lp', o),
  mip: (o) => runExact('mip', o),
  complete: (o) => runExact('complete', o),
};
