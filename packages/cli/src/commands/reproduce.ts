/**
 * `minmax reproduce`: the tutorial's results table with minmax's own trained models (models/ at
 * the repository root): clean, FGSM, PGD-40 and IBP-certified error at ε = 0.1 beside the
 * published figures, plus the chapter-2 linear models. `--train` first trains every model with
 * its recipe (checkpointed per epoch: rerunning resumes), `--quick` is a small-subset smoke run
 * (with --train it trains 1 epoch on 2,000 images into a temporary folder, never over models/).
 * A full run rewrites docs/results.md and docs/results.json (the same figures for programs).
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluateLinearRow,
  evaluateTutorialRow,
  LINEAR_TARGETS,
  readTrainingMetadata,
  REPRODUCTION_TARGETS,
  resolveTrainConfig,
  resultsMarkdown,
  type LinearRowReport,
  type ReproduceRowReport,
  type TrainConfigInput,
} from '@minmax/core';
import { loadMnist, writeFileAtomic } from '@minmax/core/node';
import { parseOptions } from '../args.js';
import { progressBars } from '../progress.js';
import { loadNetwork, nodeRuntime, parseDevice } from '../runtime.js';
import { table } from '../table.js';
import { epochHeader, epochLine, runTraining } from './train.js';
import type { Command } from './types.js';

const options = {
  quick: { type: 'boolean', description: 'smoke run: evaluate on the first 500 test images (with --train: train 1 epoch on 2,000 images into a temporary folder)' },
  train: { type: 'boolean', description: 'train the models first, each with its recipe (hours on a CPU): models already trained with the same recipe are kept, interrupted ones resume' },
  force: { type: 'boolean', description: 'with --train: retrain models that are already trained' },
  only: { type: 'string', description: 'comma-separated subset of the rows: mlp, cnn, cnn-pgd, cnn-ibp, cnn-fgsm-rs, linear-standard, linear-robust' },
  models: { type: 'string', description: 'folder of the trained models (default: models/ at the repository root)' },
  results: { type: 'string', description: 'markdown report to write (default: docs/results.md for a full run, none for --quick)' },
  limit: { type: 'number', description: 'evaluate on the first N test images (default: all 10,000; --quick: 500)', min: 1, integer: true },
  seed: { type: 'number', description: 'training seed', default: 0, integer: true },
  threads: { type: 'number', description: 'ONNX Runtime intra-op threads (default: all cores)', min: 1, integer: true },
  device: { type: 'string', description: 'execution provider: cpu, cuda, webgpu', default: 'cpu' },
  json: { type: 'boolean', description: 'print {"rows":[{"model","clean","fgsm","pgd","certified","file"},…],"linear":[…]}' },
} as const;

/** The repository root (this file is packages/cli/{src,dist}/commands/reproduce.*). */
const repoRoot = (): string => resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

const QUICK_TRAIN: Partial<TrainConfigInput> = { epochs: 1, trainLimit: 2000 };
const pct = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '–' : `${(100 * v).toFixed(2)}%`);
const round = (v: number | undefined): number | null => (v === undefined || Number.isNaN(v) ? null : Math.round(v * 1e6) / 1e6);

/** Whether the model in `file` was trained (to completion) with exactly `config`. */
function sameRecipe(file: string, config: TrainConfigInput): boolean {
  const meta = readTrainingMetadata(loadNetwork(file));
  if (!meta?.config) return false;
  const want = resolveTrainConfig(config);
  return JSON.stringify(meta.config) === JSON.stringify(want) && (meta.epochs === want.epochs || meta.stopped !== undefined);
}

export const reproduceCommand: Command = {
  summary: "the tutorial's results table (MLP, ConvNet, PGD- and IBP-trained ConvNets, fgsm-rs, linear ch. 2) with minmax's own trained models",
  usage: '[--quick] [--train [--force]] [--only ROWS] [--models DIR] [--limit N] [--threads T] [--device cpu] [--json]',
  options,
  async run(argv) {
    const o = parseOptions('reproduce', argv, options);
    const quick = o.quick === true;
    const device = parseDevice(o.device);
    const root = repoRoot();
    const modelsDir = o.models ? resolve(o.models) : quick && o.train ? mkdtempSync(join(tmpdir(), 'minmax-reproduce-')) : join(root, 'models');
    const only = o.only?.split(',').map((s) => s.trim());
    const wanted = <T extends { model: string }>(t: T): boolean => !only || only.includes(t.model);
    const targets = REPRODUCTION_TARGETS.filter(wanted);
    const linearTargets = LINEAR_TARGETS.filter(wanted);
    const limit = o.limit ?? (quick ? 500 : undefined);
    const note = (line: string) => process.stderr.write(`minmax reproduce: ${line}\n`);
    const fileOf = (model: string) => join(modelsDir, `${model}.onnx`);
    const shown = (file: string) => (file.startsWith(root) ? relative(root, file) : file);

    if (o.train) {
      mkdirSync(modelsDir, { recursive: true });
      for (const t of [...targets, ...linearTargets]) {
        const out = fileOf(t.model);
        const config: TrainConfigInput = { ...t.recipe, seed: o.seed, ...(quick ? QUICK_TRAIN : {}), ...(quick ? { evaluation: { testLimit: 500, robustLimit: 100 } } : {}) };
        if (!o.force && existsSync(out) && !existsSync(`${out}.ckpt`) && sameRecipe(out, config)) {
          note(`${t.model}: ${shown(out)} is already trained with this recipe (--force retrains it)`);
          continue;
        }
        note(`training ${t.model} → ${shown(out)}`);
        process.stderr.write(`${epochHeader()}\n`);
        const r = await runTraining({
          config,
          out,
          resume: 'auto',
          keepCheckpoint: false,
          device,
          threads: o.threads,
          note,
          onEpoch: (e, epochs) => process.stderr.write(`${epochLine(e, epochs)}\n`),
        });
        if (!r) return 130;
      }
    }

    const [runtime, test] = await Promise.all([nodeRuntime(device, o.threads), loadMnist('test')]);
    const rows: ReproduceRowReport[] = [];
    const bars = progressBars();
    try {
      for (const t of targets) {
        const file = fileOf(t.model);
        if (!existsSync(file)) {
          rows.push({ target: t, file: shown(file), missing: 'missing' });
          continue;
        }
        const net = loadNetwork(file);
        const figures = await evaluateTutorialRow(runtime, net, test, { limit, onProgress: bars.callback });
        rows.push({ target: t, file: shown(file), figures, training: readTrainingMetadata(net) });
      }
      const linear: LinearRowReport[] = [];
      for (const t of linearTargets) {
        const file = fileOf(t.model);
        if (!existsSync(file)) {
          linear.push({ target: t, file: shown(file), missing: 'missing' });
          continue;
        }
        const net = loadNetwork(file);
        linear.push({ target: t, file: shown(file), figures: await evaluateLinearRow(runtime, net, test, 0.2), training: readTrainingMetadata(net) });
      }
      bars.stop();

      // The same figures as JSON, for programs (the web page's results panel bundles results.json).
      const summary = {
        rows: rows.map((r) => ({
          model: r.target.model,
          clean: round(r.figures?.clean),
          fgsm: round(r.figures?.fgsm),
          pgd: round(r.figures?.pgd),
          certified: round(r.figures?.certified),
          n: r.figures?.n ?? 0,
          file: r.file,
          tutorial: r.target.tutorial ?? null,
          ...(r.missing ? { missing: true } : {}),
        })),
        linear: linear.map((r) => ({
          model: r.target.model,
          clean: round(r.figures?.clean),
          attacked: round(r.figures?.attacked),
          n: r.figures?.n ?? 0,
          file: r.file,
          tutorial: r.target.tutorial,
          ...(r.missing ? { missing: true } : {}),
        })),
      };

      const resultsFile = o.results ? resolve(o.results) : quick ? undefined : join(root, 'docs', 'results.md');
      if (resultsFile) {
        const command = ['minmax reproduce', ...argv].join(' ');
        const generatedAt = new Date().toISOString().slice(0, 10);
        const md = resultsMarkdown({ rows, linear, quick, device, threads: runtime.threads ?? 0, command, generatedAt });
        mkdirSync(dirname(resultsFile), { recursive: true });
        writeFileAtomic(resultsFile, new TextEncoder().encode(md));
        const jsonFile = resultsFile.replace(/\.md$/i, '') + '.json';
        writeFileAtomic(jsonFile, new TextEncoder().encode(JSON.stringify({ generatedAt, command, device, ...summary }, null, 1) + '\n'));
        note(`wrote ${shown(resultsFile)} and ${shown(jsonFile)}`);
      }

      if (o.json) {
        process.stdout.write(JSON.stringify(summary) + '\n');
        return 0;
      }
      const n = rows.find((r) => r.figures)?.figures?.n;
      process.stdout.write(`MNIST test set${n !== undefined ? `, ${n.toLocaleString('en-US')} images` : ''}, ℓ∞ ε = 0.1 · minmax / tutorial\n\n`);
      const body = rows.map((r) => {
        const f = r.figures;
        const tu = r.target.tutorial;
        const both = (k: 'clean' | 'fgsm' | 'pgd' | 'certified') => (f ? `${pct(f[k])} / ${pct(tu?.[k])}` : r.missing ?? '');
        return [r.target.model, both('clean'), both('fgsm'), both('pgd'), both('certified'), r.file];
      });
      process.stdout.write(table(['model', 'clean', 'FGSM', 'PGD-40', 'IBP-certified', 'file'], body) + '\n');
      if (linear.length > 0) {
        process.stdout.write(`\nch. 2, digits 0 vs 1, ℓ∞ ε = 0.2 · minmax / tutorial\n\n`);
        const lb = linear.map((r) => [r.target.model, r.figures ? `${pct(r.figures.clean)} / ${pct(r.target.tutorial.clean)}` : r.missing ?? '', r.figures ? `${pct(r.figures.attacked)} / ${pct(r.target.tutorial.attacked)}` : '', r.file]);
        process.stdout.write(table(['model', 'clean', 'optimal attack', 'file'], lb) + '\n');
      }
      if (rows.some((r) => r.missing) || linear.some((r) => r.missing)) process.stdout.write(`\nmissing models: run 'minmax reproduce --train' to train them\n`);
      return 0;
    } finally {
      bars.stop();
    }
  },
};
