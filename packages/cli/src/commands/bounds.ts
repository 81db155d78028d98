/**
 * `minmax bounds`: sound lower and upper bounds of every logit of one MNIST test image over its
 * ℓ∞ box, and the lower bounds of the margins z_y − z_t, by ibp, crown or alpha-crown.
 */
import { createWasmIntervalEngine } from '@minmax/bounds-wasm';
import { linfBox, logitSpec, marginSpec, specificationBounds } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { parseOptions, requireOption, UsageError } from '../args.js';
import { progressBars } from '../progress.js';
import { loadNetwork } from '../runtime.js';
import { table } from '../table.js';
import { boundMethod, boundOptions } from './bound-options.js';
import type { Command } from './types.js';

const options = {
  model: { type: 'string', description: 'ONNX model file' },
  index: { type: 'number', description: 'test image', default: 0, min: 0, integer: true },
  eps: { type: 'number', description: 'ℓ∞ radius of the input box', default: 0.1, min: 0 },
  method: { type: 'string', description: 'ibp, crown or alpha-crown', default: 'ibp' },
  clamp: { type: 'boolean', description: 'intersect the box with the data domain [0,1]' },
  intermediate: { type: 'string', description: 'pre-activation bounds for crown/alpha-crown: crown or ibp (CROWN-IBP)', default: 'crown' },
  slope: { type: 'string', description: 'lower ReLU slopes: adaptive (CROWN) or wong-kolter (dual network)', default: 'adaptive' },
  'alpha-iterations': { type: 'number', description: 'gradient steps of alpha-crown', default: 20, min: 1, integer: true },
  'alpha-lr': { type: 'number', description: 'step size (Adam) of alpha-crown', default: 0.1, min: 0 },
  json: { type: 'boolean', description: 'print one JSON object on stdout' },
} as const;

export const boundsCommand: Command = {
  summary: 'sound bounds of the logits and margins of one test image over its ε-box',
  usage: '--model FILE.onnx --index I --eps E --method ibp|crown|alpha-crown [--clamp] [--json]',
  options,
  async run(argv) {
    const o = parseOptions('bounds', argv, options);
    const file = requireOption('bounds', 'model', o.model);
    const method = boundMethod(o.method ?? 'ibp');
    const spec = boundOptions(method, o);
    const index = o.index ?? 0;
    const eps = o.eps ?? 0.1;
    const net = loadNetwork(file);
    const [test, engine] = await Promise.all([loadMnist('test'), createWasmIntervalEngine()]);
    if (index >= test.n) throw new UsageError(`--index ${index} is out of range (the test set has ${test.n} images)`);
    const size = test.inputShape.reduce((a, b) => a * b, 1);
    const bars = progressBars();
    try {
      const classes = engine.cached(net).plan.outputSize;
      const y = test.labels[index]!;
      if (y >= classes) throw new UsageError(`${file} has ${classes} outputs but image ${index} is labelled ${y}`);
      const box = linfBox(test.images.subarray(index * size, (index + 1) * size), eps, o.clamp ? { clamp: [0, 1] } : {});
      // Rows: ±e_i for every logit, then e_y − e_t for every t ≠ y.
      const logits = logitSpec(classes);
      const margins = marginSpec(classes, y);
      const all = new Float64Array(logits.length + margins.length);
      all.set(logits);
      all.set(margins, logits.length);
      const rows = 2 * classes + classes - 1;
      const r = specificationBounds(engine, net, box.lower, box.upper, all, rows, { ...spec, onProgress: bars.callback });
      bars.stop();
      const lower = Array.from({ length: classes }, (_, i) => r.lower[2 * i]!);
      const upper = Array.from({ length: classes }, (_, i) => -r.lower[2 * i + 1]!);
      const marginBounds: Record<string, number> = {};
      let k = 2 * classes;
      for (let t = 0; t < classes; t++) if (t !== y) marginBounds[String(t)] = r.lower[k++]!;
      if (o.json) {
        process.stdout.write(JSON.stringify({ lower, upper, margins: marginBounds }) + '\n');
        return 0;
      }
      process.stdout.write(`${file} · ${method} · test image ${index} (label ${y}) · ℓ∞ ε=${eps}${o.clamp ? ' ∩ [0,1]' : ''}\n\n`);
      const rowsOut = lower.map((l, i) => [String(i), l.toFixed(6), upper[i]!.toFixed(6), i === y ? '' : marginBounds[String(i)]!.toFixed(6)]);
      process.stdout.write(table(['class', 'lower', 'upper', 'lower bound of z_y − z_t'], rowsOut) + '\n');
      const safe = Object.values(marginBounds).every((m) => m > 0);
      process.stdout.write(`\n${safe ? 'verified: no input of the box changes the prediction' : 'not verified'}\n`);
      return 0;
    } finally {
      bars.stop();
      engine.dispose();
    }
  },
};
