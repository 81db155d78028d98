/**
 * `minmax verify`: certified error over test images. Bound methods (ibp, crown, alpha-crown) are
 * implemented here; exact methods are delegated to verify-exact.ts.
 */
import { certify, exampleSize, subset } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { availableParallelism } from 'node:os';
import { createWasmIntervalEngine } from '@minmax/bounds-wasm';
import { certifyParallel } from '@minmax/bounds-wasm/node';
import { parseOptions, requireOption, UsageError } from '../args.js';
import { progressBars } from '../progress.js';
import { loadNetwork } from '../runtime.js';
import { table } from '../table.js';
import { boundMethod, boundOptions } from './bound-options.js';
import type { Command } from './types.js';
import { exactVerifyMethods } from './verify-exact.js';
import { verifyOptions, type VerifyOptions } from './verify-options.js';

export const verifyCommand: Command = {
  summary: 'certified error: prove that no attack within ε changes the prediction',
  usage: '--model FILE.onnx --method ibp|crown|alpha-crown|lp|mip|complete [--eps 0.1] [--clamp] [--index I | --limit N] [--json]',
  options: verifyOptions,
  async run(argv) {
    const o = parseOptions('verify', argv, verifyOptions);
    const method = o.method ?? 'ibp';
    const exact = exactVerifyMethods[method];
    if (exact) return exact(o);
    return verifyBounds(o, method);
  },
};

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** ibp / crown / alpha-crown over the selected MNIST test images, on the WebAssembly engine. */
async function verifyBounds(o: VerifyOptions, name: string): Promise<number> {
  const method = boundMethod(name, Object.keys(exactVerifyMethods));
  const options = boundOptions(method, o);
  const file = requireOption('verify', 'model', o.model);
  if (o.index !== undefined && o.limit !== undefined) throw new UsageError('use either --index or --limit, not both');
  const eps = o.eps ?? 0.1;
  const net = loadNetwork(file);
  const [test, engine] = await Promise.all([loadMnist('test'), createWasmIntervalEngine()]);
  if (o.index !== undefined && o.index >= test.n) throw new UsageError(`--index ${o.index} is out of range (the test set has ${test.n} images)`);
  const data = o.index !== undefined ? subset(test, [o.index]) : subset(test, o.limit ?? test.n);
  if (exampleSize(data.inputShape) !== engine.cached(net).plan.inputSize) {
    throw new UsageError(`${file} expects inputs of ${engine.cached(net).plan.inputSize} values, MNIST images have ${exampleSize(data.inputShape)}`);
  }
  const bars = progressBars();
  try {
    // Images are independent: large runs use one worker thread (and engine) per core by default.
    const threads = Math.min(o.threads ?? (data.n >= 500 ? availableParallelism() : 1), data.n);
    const common = { ...options, clamp: o.clamp ?? false, onProgress: bars.callback };
    const r =
      threads > 1
        ? await certifyParallel(net, data.images, data.labels, { norm: 'linf', eps }, { ...common, threads })
        : certify(net, data.images, data.labels, { norm: 'linf', eps }, { ...common, engine });
    bars.stop();
    if (o.json) {
      process.stdout.write(JSON.stringify({ model: file, method, eps, n: r.n, certifiedError: r.certifiedError, seconds: round(r.seconds, 3) }) + '\n');
      return 0;
    }
    const box = `ℓ∞ ε=${eps}${o.clamp ? ' ∩ [0,1]' : ''}`;
    process.stdout.write(`${file} · ${method} · ${box} · ${r.n} MNIST test image${r.n === 1 ? '' : 's'}\n\n`);
    if (o.index !== undefined && (o['per-target'] || r.n === 1)) {
      const y = data.labels[0]!;
      const rows: string[][] = [];
      for (let t = 0; t < r.classes; t++) if (t !== y) rows.push([String(t), r.margins[t]!.toFixed(6), r.margins[t]! > 0 ? 'safe' : 'not proven']);
      process.stdout.write(`image ${o.index}, label ${y}: ${r.status[0]}\n\n`);
      process.stdout.write(table(['target', 'lower bound of z_y − z_t', ''], rows) + '\n\n');
    }
    process.stdout.write(`certified error ${r.certifiedError.toFixed(4)} (${r.n - r.verified} of ${r.n} not verified; misclassified images count as errors)\n`);
    process.stdout.write(`${r.seconds.toFixed(1)} s\n`);
    return 0;
  } finally {
    bars.stop();
    engine.dispose();
  }
}
