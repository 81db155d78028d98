/**
 * `minmax landscape`: the loss over the plane spanned by the gradient sign and a random sign
 * direction around one test image (tutorial ch. 4), for one or more models side by side — the
 * standard ConvNet's loss climbs steeply along the gradient, a robust one's stays flat.
 */
import { basename, resolve } from 'node:path';
import { createGradientModel, lossLandscape, lossSurfaceFigure, type LossLandscape } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { parseOptions, requireOption, UsageError } from '../args.js';
import { writePng } from '../png.js';
import { progressBars } from '../progress.js';
import { loadNetwork, nodeRuntime, parseDevice } from '../runtime.js';
import { table } from '../table.js';
import type { Command } from './types.js';

const options = {
  model: { type: 'string', description: 'ONNX model file, or several separated by commas (drawn side by side)' },
  index: { type: 'number', description: 'test image index', default: 0, min: 0, integer: true },
  eps: { type: 'number', description: 'half-width of the plane section along both directions', default: 0.1, min: 0 },
  resolution: { type: 'number', description: 'grid points per axis (the tutorial draws 100)', default: 41, min: 2, integer: true },
  seed: { type: 'number', description: 'seed of the random sign direction', default: 0, integer: true },
  out: { type: 'string', description: 'write the 3-D surfaces as a PNG' },
  device: { type: 'string', description: 'execution provider: cpu, cuda, webgpu', default: 'cpu' },
  threads: { type: 'number', description: 'ONNX Runtime intra-op threads', min: 1, integer: true },
  json: { type: 'boolean', description: 'print {"index","label","eps","models":[{"model","clean","min","max","alongGradient","alongRandom"}],"out"}' },
} as const;

/** Loss along the two axes through δ = 0 (the middle row and column of the grid). */
function axes(L: LossLandscape): { alongGradient: number[]; alongRandom: number[] } {
  const n = L.resolution;
  const mid = Math.floor(n / 2);
  return {
    alongGradient: Array.from({ length: n }, (_, row) => L.loss[row * n + mid]),
    alongRandom: Array.from({ length: n }, (_, col) => L.loss[mid * n + col]),
  };
}

export const landscapeCommand: Command = {
  summary: 'loss surface around a test image along the gradient sign and a random sign direction (PNG, tutorial ch. 4)',
  usage: '--model A.onnx[,B.onnx] [--index 0] [--eps 0.1] [--resolution 41] [--out landscape.png] [--json]',
  options,
  async run(argv) {
    const o = parseOptions('landscape', argv, options);
    const files = requireOption('landscape', 'model', o.model)
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f.length > 0);
    if (files.length === 0) throw new UsageError('--model needs at least one file');
    if (files.length > 4) throw new UsageError(`at most 4 models side by side (got ${files.length})`);
    const index = o.index ?? 0;
    const eps = o.eps ?? 0.1;
    const resolution = o.resolution ?? 41;
    const device = parseDevice(o.device);
    const nets = files.map((f) => loadNetwork(f));
    const [runtime, test] = await Promise.all([nodeRuntime(device, o.threads), loadMnist('test')]);
    if (index >= test.n) throw new UsageError(`--index ${index} is out of range (the test set has ${test.n} images)`);
    const size = test.inputShape.reduce((a, d) => a * d, 1);
    const x = test.images.slice(index * size, (index + 1) * size);
    const label = test.labels[index];
    const bars = progressBars();
    const results: { file: string; landscape: LossLandscape }[] = [];
    try {
      for (let i = 0; i < nets.length; i++) {
        const model = await createGradientModel(runtime, nets[i]);
        try {
          const landscape = await lossLandscape(model, x, label, { eps, resolution, seed: o.seed, onProgress: bars.callback });
          results.push({ file: files[i], landscape });
        } finally {
          await model.dispose();
        }
      }
    } finally {
      bars.stop();
    }
    if (o.out) writePng(o.out, lossSurfaceFigure(results.map((r) => ({ title: basename(r.file, '.onnx'), landscape: r.landscape }))));
    if (o.json) {
      const models = results.map((r) => ({ model: r.file, clean: r.landscape.clean, min: r.landscape.min, max: r.landscape.max, ...axes(r.landscape) }));
      process.stdout.write(JSON.stringify({ index, label, eps, resolution, models, out: o.out ? resolve(o.out) : undefined }) + '\n');
      return 0;
    }
    process.stdout.write(`cross-entropy around test image ${index} (label ${label}), x + u·sign(random) + v·sign(∇), |u|, |v| ≤ ${eps}\n\n`);
    const fmt = (v: number): string => (Math.abs(v) >= 0.01 ? v.toFixed(4) : v.toExponential(2));
    process.stdout.write(
      table(
        ['model', 'clean', 'min', 'max', `at v = +${eps}, u = 0`, `at u = +${eps}, v = 0`],
        results.map((r) => {
          const a = axes(r.landscape);
          return [r.file, fmt(r.landscape.clean), fmt(r.landscape.min), fmt(r.landscape.max), fmt(a.alongGradient[a.alongGradient.length - 1]), fmt(a.alongRandom[a.alongRandom.length - 1])];
        }),
      ) + '\n',
    );
    if (o.out) process.stdout.write(`\nwrote ${o.out}\n`);
    return 0;
  },
};
