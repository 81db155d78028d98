import { resolve } from 'node:path';
import { attackGrid, createAttack, createGradientModel, exampleSize, subset, type AttackName } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { parseOptions, requireOption, UsageError } from '../args.js';
import { writePng } from '../png.js';
import { progressBars } from '../progress.js';
import { loadNetwork, nodeRuntime, parseDevice } from '../runtime.js';
import { table } from '../table.js';
import type { Command } from './types.js';

const options = {
  model: { type: 'string', description: 'ONNX model file' },
  attack: { type: 'string', description: 'fgsm, pgd, pgd-l2 or pgd-restarts', default: 'pgd' },
  index: { type: 'string', description: "test image indices: '0', '0,5,9' or '0-7'" },
  target: { type: 'number', description: 'target class: maximise z_t − z_y (targeted attack)', min: 0, integer: true },
  'target-sum': { type: 'boolean', description: 'with --target, maximise z_t − Σ_{j≠t} z_j instead' },
  eps: { type: 'number', description: 'radius (default 0.1 for ℓ∞, 2 for ℓ2)', min: 0 },
  alpha: { type: 'number', description: 'step size (default 0.01 for ℓ∞, 0.1 for ℓ2)', min: 0 },
  steps: { type: 'number', description: 'PGD steps', default: 40, min: 0, integer: true },
  restarts: { type: 'number', description: 'random restarts (pgd-restarts)', default: 10, min: 1, integer: true },
  clip: { type: 'boolean', description: 'clip x+δ to [0,1] (ℓ∞ attacks; ℓ2 always clips)' },
  seed: { type: 'number', description: 'seed of random starts', default: 0, integer: true },
  out: { type: 'string', description: 'write a PNG grid: clean image, adversarial image, perturbation' },
  device: { type: 'string', description: 'execution provider: cpu, cuda, webgpu', default: 'cpu' },
  threads: { type: 'number', description: 'ONNX Runtime intra-op threads', min: 1, integer: true },
  json: { type: 'boolean', description: 'print one JSON object on stdout' },
} as const;

/** '3', '0,5,9', '0-7' → indices, validated against the dataset size. */
export function parseIndices(spec: string, n: number): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UsageError(`bad --index '${spec}' (use e.g. 0, 0,5,9 or 0-7)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`bad range '${part.trim()}' in --index`);
    for (let i = a; i <= b; i++) {
      if (i >= n) throw new UsageError(`--index ${i} is out of range (the test set has ${n} images)`);
      out.push(i);
    }
  }
  if (out.length > 64) throw new UsageError(`at most 64 images at once (got ${out.length}); use 'minmax eval' for error rates`);
  return out;
}

export const attackCommand: Command = {
  summary: 'attack given test images and draw them (PNG grid like the tutorial’s plot_images)',
  usage: '--model FILE.onnx --attack pgd --index I [--target T] [--eps E] [--out grid.png] [--json]',
  options,
  async run(argv) {
    const o = parseOptions('attack', argv, options);
    const file = requireOption('attack', 'model', o.model);
    const indexSpec = requireOption('attack', 'index', o.index);
    const name = o.attack ?? 'pgd';
    if (!['fgsm', 'pgd', 'pgd-l2', 'pgd-restarts'].includes(name)) throw new UsageError(`unknown attack '${name}' (fgsm, pgd, pgd-l2, pgd-restarts)`);
    if (o['target-sum'] && o.target === undefined) throw new UsageError('--target-sum needs --target');
    const l2 = name === 'pgd-l2';
    const objective = o.target === undefined ? undefined : o['target-sum'] ? 'targeted-sum' : 'targeted';
    const attack = createAttack(name as AttackName, {
      ...(o.eps !== undefined ? { eps: o.eps } : {}),
      ...(o.alpha !== undefined && name !== 'fgsm' ? { alpha: o.alpha } : {}),
      ...(name !== 'fgsm' ? { steps: o.steps } : {}),
      ...(name === 'pgd-restarts' ? { restarts: o.restarts } : {}),
      ...(!l2 ? { clip: o.clip ?? false } : {}),
      ...(objective ? { objective, target: o.target } : {}),
      seed: o.seed,
    });
    const device = parseDevice(o.device);
    const net = loadNetwork(file);
    const [runtime, test] = await Promise.all([nodeRuntime(device, o.threads), loadMnist('test')]);
    const indices = parseIndices(indexSpec, test.n);
    if (o.target !== undefined && o.target >= test.numClasses) throw new UsageError(`--target must be < ${test.numClasses}`);
    const data = subset(test, indices);
    const model = await createGradientModel(runtime, net);
    const bars = progressBars();
    try {
      const clean = await model.logits(data.images, data.n);
      const r = await attack.run(model, { x: data.images, y: data.labels, onProgress: bars.callback });
      bars.stop();
      const size = exampleSize(data.inputShape);
      const classes = model.numClasses;
      const cleanPred = Array.from({ length: data.n }, (_, i) => argmax(clean.subarray(i * classes, (i + 1) * classes)));
      const rows = indices.map((index, i) => {
        const d = r.delta.subarray(i * size, (i + 1) * size);
        let linf = 0;
        let l2sq = 0;
        for (const v of d) {
          linf = Math.max(linf, Math.abs(v));
          l2sq += v * v;
        }
        return { index, label: data.labels[i], clean: cleanPred[i], adversarial: r.predictions[i], success: r.success[i] === 1, loss: r.losses[i], linf, l2: Math.sqrt(l2sq) };
      });
      if (o.out) {
        const [c, h, w] = data.inputShape.length === 3 ? data.inputShape : [1, 28, 28];
        if (c !== 1) throw new UsageError('--out draws single-channel images only');
        const raster = attackGrid(
          rows.map((row, i) => ({
            clean: data.images.subarray(i * size, (i + 1) * size),
            adversarial: r.adversarial.subarray(i * size, (i + 1) * size),
            label: row.label,
            cleanPrediction: row.clean,
            adversarialPrediction: row.adversarial,
            note: o.target !== undefined ? `(T=${o.target})` : undefined,
          })),
          { width: w, height: h, perturbationLimit: attack.config.threat.norm === 'linf' ? attack.config.threat.eps : Math.max(...rows.map((x) => x.linf), 1e-6), title: attack.describe() },
        );
        writePng(o.out, raster);
      }
      if (o.json) {
        process.stdout.write(JSON.stringify({ model: file, attack: attack.describe(), examples: rows, out: o.out ? resolve(o.out) : undefined }) + '\n');
        return 0;
      }
      process.stdout.write(`${attack.describe()} on ${file}\n\n`);
      process.stdout.write(
        table(
          ['index', 'label', 'clean', 'adversarial', 'success', 'objective', '‖δ‖∞', '‖δ‖₂'],
          rows.map((x) => [String(x.index), String(x.label), String(x.clean), String(x.adversarial), x.success ? 'yes' : 'no', x.loss.toFixed(4), x.linf.toFixed(4), x.l2.toFixed(4)]),
        ) + '\n',
      );
      if (o.out) process.stdout.write(`\nwrote ${o.out}\n`);
      return 0;
    } finally {
      bars.stop();
      await model.dispose();
    }
  },
};

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}
