import { createAttack, createGradientModel, evaluate, type NamedAttack } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { parseOptions, requireOption, UsageError } from '../args.js';
import { progressBars } from '../progress.js';
import { loadNetwork, nodeRuntime, parseDevice } from '../runtime.js';
import { table } from '../table.js';
import type { Command } from './types.js';

const options = {
  model: { type: 'string', description: 'ONNX model file (input [N,1,28,28] in [0,1], 10 logits)' },
  attacks: { type: 'string', description: 'comma-separated: clean, fgsm, pgd, pgd-l2, pgd-restarts', default: 'clean,fgsm,pgd' },
  eps: { type: 'number', description: 'ℓ∞ radius for fgsm / pgd / pgd-restarts', default: 0.1, min: 0 },
  alpha: { type: 'number', description: 'ℓ∞ PGD step size', default: 0.01, min: 0 },
  steps: { type: 'number', description: 'PGD steps (ℓ∞ and ℓ2)', default: 40, min: 0, integer: true },
  restarts: { type: 'number', description: 'random restarts of pgd-restarts', default: 10, min: 1, integer: true },
  'eps-l2': { type: 'number', description: 'ℓ2 radius for pgd-l2', default: 2, min: 0 },
  'alpha-l2': { type: 'number', description: 'ℓ2 PGD step size', default: 0.1, min: 0 },
  clip: { type: 'boolean', description: 'clip x+δ to [0,1] in fgsm/pgd too (pgd-l2 always clips, as the tutorial)' },
  limit: { type: 'number', description: 'evaluate the first N test images only', min: 1, integer: true },
  batch: { type: 'number', description: 'batch size', default: 100, min: 1, integer: true },
  seed: { type: 'number', description: 'seed of random starts', default: 0, integer: true },
  device: { type: 'string', description: 'execution provider: cpu, cuda, webgpu', default: 'cpu' },
  threads: { type: 'number', description: 'ONNX Runtime intra-op threads (default: all cores)', min: 1, integer: true },
  json: { type: 'boolean', description: 'print one JSON object on stdout' },
} as const;

type EvalOptions = ReturnType<typeof parseOptions<typeof options>>;

/** Builds the requested attacks; the flags map onto each attack's registry options. */
function buildAttacks(o: EvalOptions): NamedAttack[] {
  const names = (o.attacks ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--attacks is empty');
  const linf = { eps: o.eps, alpha: o.alpha, steps: o.steps, seed: o.seed, clip: o.clip ?? false };
  const out: NamedAttack[] = [];
  for (const name of names) {
    if (name === 'clean') continue;
    switch (name) {
      case 'fgsm':
        out.push({ name, attack: createAttack('fgsm', { eps: o.eps, clip: o.clip ?? false }) });
        break;
      case 'pgd':
        out.push({ name, attack: createAttack('pgd', linf) });
        break;
      case 'pgd-restarts':
        out.push({ name, attack: createAttack('pgd-restarts', { ...linf, restarts: o.restarts }) });
        break;
      case 'pgd-l2':
        out.push({ name, attack: createAttack('pgd-l2', { eps: o['eps-l2'], alpha: o['alpha-l2'], steps: o.steps, seed: o.seed }) });
        break;
      default:
        throw new UsageError(`unknown attack '${name}' (known: clean, fgsm, pgd, pgd-l2, pgd-restarts)`);
    }
  }
  return out;
}

export const evalCommand: Command = {
  summary: 'error rate on MNIST test images, clean and under attacks',
  usage: '--model FILE.onnx [--attacks clean,fgsm,pgd,pgd-l2,pgd-restarts] [--eps 0.1] [--alpha 0.01] [--steps 40] [--restarts 10] [--limit N] [--device cpu] [--json]',
  options,
  async run(argv) {
    const o = parseOptions('eval', argv, options);
    const file = requireOption('eval', 'model', o.model);
    const attacks = buildAttacks(o);
    const device = parseDevice(o.device);
    const net = loadNetwork(file);
    const [runtime, test] = await Promise.all([nodeRuntime(device, o.threads), loadMnist('test')]);
    const model = await createGradientModel(runtime, net);
    const bars = progressBars();
    try {
      const r = await evaluate(model, test, attacks, { batchSize: o.batch, limit: o.limit, onProgress: bars.callback });
      bars.stop();
      if (o.json) {
        process.stdout.write(JSON.stringify({ model: file, n: r.n, eps: o.eps, errors: r.errors, seconds: round(r.seconds, 2) }) + '\n');
        return 0;
      }
      process.stdout.write(`${file} · ${r.n} MNIST test images · ${device}\n\n`);
      const rows = [['clean', '', r.errors.clean.toFixed(4)]];
      for (const a of attacks) rows.push([a.name, a.attack.describe(), r.errors[a.name].toFixed(4)]);
      process.stdout.write(table(['attack', 'setting', 'error'], rows) + '\n');
      process.stdout.write(`\n${r.seconds.toFixed(1)} s\n`);
      return 0;
    } finally {
      bars.stop();
      await model.dispose();
    }
  },
};

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
