/**
 * `minmax train`: trains a network with one of the tutorial's methods and writes it as ONNX with
 * its training metadata. Every epoch is logged (a table row, or a JSON line with --json) and
 * checkpointed atomically beside the output; `--resume` continues a killed run exactly where its
 * last checkpoint left it. Ctrl-C stops at the next batch, keeping the last checkpoint.
 */
import { existsSync, rmSync } from 'node:fs';
import {
  ARCHITECTURES,
  defaultTrainConfig,
  InvalidArgumentError,
  saveOnnx,
  resolveTrainConfig,
  TRAIN_METHODS,
  train,
  type EpochRecord,
  type EpsSchedule,
  type LrSchedule,
  type OptimizerOptions,
  type TrainConfigInput,
  type TrainMethod,
  type TrainResult,
} from '@minmax/core';
import { checkpointPath, loadCheckpoint, loadMnist, saveCheckpoint, writeFileAtomic } from '@minmax/core/node';
import { parseOptions, requireOption, UsageError } from '../args.js';
import { progressBars } from '../progress.js';
import { nodeRuntime, parseDevice } from '../runtime.js';
import type { Command } from './types.js';

const options = {
  arch: { type: 'string', description: `architecture: ${Object.keys(ARCHITECTURES).join(', ')}, or a spec like 'conv32k3p1,relu,flatten,dense10' / '784-200-10'` },
  method: { type: 'string', description: `training method: ${TRAIN_METHODS.join(', ')}` },
  eps: { type: 'number', description: 'target ℓ∞ radius (default 0.1; linear-robust 0.2, 0 = standard logistic)', min: 0 },
  epochs: { type: 'number', description: "epochs (default: the method's recipe)", min: 1, integer: true },
  batch: { type: 'number', description: 'batch size', default: 100, min: 1, integer: true },
  lr: { type: 'number', description: "base learning rate (the recipe's schedule keeps its shape)", min: 0 },
  schedule: { type: 'string', description: 'learning-rate schedule: constant, step (×gamma at --milestones), one-cycle' },
  milestones: { type: 'string', description: 'step schedule: comma-separated epochs where lr is multiplied by --gamma', default: '5' },
  gamma: { type: 'number', description: 'step schedule factor', default: 0.1, min: 0 },
  optimizer: { type: 'string', description: 'sgd or adam' },
  momentum: { type: 'number', description: 'SGD momentum', min: 0 },
  'weight-decay': { type: 'number', description: 'L2 weight decay', min: 0 },
  alpha: { type: 'number', description: 'pgd / fgsm-rs attack step size (default ε/10; fgsm-rs 1.25ε)', min: 0 },
  steps: { type: 'number', description: 'pgd attack steps (default 20)', min: 1, integer: true },
  'random-start': { type: 'boolean', description: 'pgd: start the attack at a uniform point of the ε-ball' },
  clip: { type: 'boolean', description: 'pgd / fgsm-rs: clip x+δ to [0,1] (the tutorial does not)' },
  'clean-mix': { type: 'number', description: 'pgd: weight of the clean loss mixed into the adversarial loss', min: 0 },
  kappa: { type: 'number', description: 'ibp / crown-ibp: weight κ of the clean loss', min: 0 },
  'eps-schedule': { type: 'string', description: "ibp / crown-ibp training ε: 'tutorial', 'constant', 'ramp:START:END' (epochs) or a comma list" },
  'train-limit': { type: 'number', description: 'train on the first N training images', min: 1, integer: true },
  'eval-limit': { type: 'number', description: 'test images for the per-epoch clean and certified error (default all)', min: 1, integer: true },
  'eval-robust-limit': { type: 'number', description: 'test images for the per-epoch PGD error (default 1000; 0 = skip)', min: 0, integer: true },
  seed: { type: 'number', description: 'seed of initialisation, shuffling and attack starts', default: 0, integer: true },
  threads: { type: 'number', description: 'ONNX Runtime intra-op threads (default: all cores); results are reproducible for a fixed count', min: 1, integer: true },
  device: { type: 'string', description: 'execution provider: cpu, cuda, webgpu', default: 'cpu' },
  out: { type: 'string', description: 'output ONNX file (checkpoint: FILE.ckpt beside it)' },
  resume: { type: 'boolean', description: 'continue from the checkpoint beside --out' },
  'keep-checkpoint': { type: 'boolean', description: 'keep FILE.ckpt after training finishes' },
  json: { type: 'boolean', description: 'one JSON line per epoch; the last line is {"out","epochs","testError","seconds"}' },
} as const;

type TrainOptions = ReturnType<typeof parseOptions<typeof options>>;

function parseMethod(m: string | undefined): TrainMethod {
  const method = requireOption('train', 'method', m);
  if (!(TRAIN_METHODS as readonly string[]).includes(method)) throw new UsageError(`unknown method '${method}' (expected ${TRAIN_METHODS.join(', ')})`);
  return method as TrainMethod;
}

function lrSchedule(o: TrainOptions, recipe: LrSchedule): LrSchedule | undefined {
  const lr = o.lr ?? recipe.lr;
  switch (o.schedule) {
    case undefined:
      return o.lr === undefined ? undefined : { ...recipe, lr };
    case 'constant':
      return { kind: 'constant', lr };
    case 'step': {
      const milestones = (o.milestones ?? '').split(',').filter(Boolean).map(Number);
      if (milestones.some((m) => !Number.isInteger(m) || m < 0)) throw new UsageError(`--milestones must be epoch numbers, got '${o.milestones}'`);
      return { kind: 'step', lr, milestones, gamma: o.gamma ?? 0.1 };
    }
    case 'one-cycle':
      return { kind: 'one-cycle', lr, peak: 0.4 };
    default:
      throw new UsageError(`unknown --schedule '${o.schedule}' (expected constant, step, one-cycle)`);
  }
}

function epsSchedule(spec: string | undefined, eps: number, method: TrainMethod): EpsSchedule | undefined {
  if (spec === undefined) return undefined;
  if (spec === 'tutorial') return defaultTrainConfig(method === 'crown-ibp' ? 'crown-ibp' : 'ibp', undefined, eps).epsSchedule;
  if (spec === 'constant') return { kind: 'constant', eps };
  const ramp = /^ramp:([\d.]+):([\d.]+)$/.exec(spec);
  if (ramp) return { kind: 'ramp', eps, start: Number(ramp[1]), end: Number(ramp[2]) };
  const values = spec.split(',').map(Number);
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0)) throw new UsageError(`--eps-schedule must be tutorial, constant, ramp:START:END or a comma list of ε values, got '${spec}'`);
  return { kind: 'list', values };
}

function optimizer(o: TrainOptions, recipe: OptimizerOptions): OptimizerOptions | undefined {
  const kind = o.optimizer ?? recipe.kind;
  if (kind !== 'sgd' && kind !== 'adam') throw new UsageError(`--optimizer must be sgd or adam, got '${kind}'`);
  if (o.optimizer === undefined && o.momentum === undefined && o['weight-decay'] === undefined) return undefined;
  const base = kind === recipe.kind ? recipe : { kind };
  if (kind === 'adam' && o.momentum !== undefined) throw new UsageError('--momentum applies to sgd only');
  return { ...base, ...(o.momentum !== undefined ? { momentum: o.momentum } : {}), ...(o['weight-decay'] !== undefined ? { weightDecay: o['weight-decay'] } : {}) } as OptimizerOptions;
}

/** The training configuration the flags describe (unset flags keep the method's recipe). */
export function configFromOptions(o: TrainOptions): TrainConfigInput {
  const method = parseMethod(o.method);
  const arch = requireOption('train', 'arch', o.arch);
  const recipe = defaultTrainConfig(method, arch, o.eps);
  return {
    method,
    arch,
    eps: o.eps,
    epochs: o.epochs,
    batchSize: o.batch,
    seed: o.seed,
    trainLimit: o['train-limit'],
    optimizer: optimizer(o, recipe.optimizer),
    lr: lrSchedule(o, recipe.lr),
    epsSchedule: epsSchedule(o['eps-schedule'], recipe.eps, method),
    attack: { alpha: o.alpha, steps: o.steps, randomStart: o['random-start'], clip: o.clip },
    cleanMix: o['clean-mix'],
    kappa: o.kappa,
    evaluation: { testLimit: o['eval-limit'], robustLimit: o['eval-robust-limit'] },
  };
}

const pct = (v: number | undefined | null): string => (v === undefined || v === null || Number.isNaN(v) ? '–' : `${(100 * v).toFixed(2)}%`);

export const EPOCH_HEADER = ['epoch', 'lr', 'ε', 'train loss', 'train err', 'test loss', 'test err', 'robust err', 'seconds'];

/** One aligned line of the per-epoch table. */
export function epochLine(e: EpochRecord, epochs: number): string {
  const robust = e.robustError === undefined || e.robustError === null ? '–' : `${pct(e.robustError)} ${e.robustKind}`;
  const cells = [
    `${e.epoch}/${epochs}`,
    Number(e.lr.toPrecision(3)).toString(),
    Number(e.eps.toPrecision(3)).toString(),
    e.trainLoss.toFixed(4),
    `${pct(e.trainError)} ${e.trainErrorKind === 'clean' ? '' : e.trainErrorKind}`.trim(),
    e.testLoss.toFixed(4),
    pct(e.testError),
    robust,
    (e.trainSeconds + e.evalSeconds).toFixed(1),
  ];
  const widths = [7, 8, 7, 10, 22, 9, 8, 18, 8];
  return cells.map((c, i) => (i === 4 || i === 7 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
}

export function epochHeader(): string {
  const widths = [7, 8, 7, 10, 22, 9, 8, 18, 8];
  return EPOCH_HEADER.map((h, i) => (i === 4 || i === 7 ? h.padEnd(widths[i]) : h.padStart(widths[i]))).join('  ').trimEnd();
}

export interface RunTrainingOptions {
  config: TrainConfigInput;
  out: string;
  /** true: continue the checkpoint beside `out` (noting when there is none); 'auto': silently when present. */
  resume: boolean | 'auto';
  keepCheckpoint: boolean;
  device: 'cpu' | 'cuda' | 'webgpu';
  threads?: number;
  /** Receives each epoch's record (print it). */
  onEpoch?: (e: EpochRecord, epochs: number) => void;
  /** Receives one-line notes for stderr (resuming, stopping early). */
  note?: (line: string) => void;
}

/** Trains, checkpointing beside `out`, and writes the ONNX file; shared with `minmax reproduce --train`. */
export async function runTraining(o: RunTrainingOptions): Promise<TrainResult | undefined> {
  const ckpt = checkpointPath(o.out);
  const resume = o.resume ? loadCheckpoint(ckpt) : undefined;
  if (o.resume === true && !resume) o.note?.(`no checkpoint at ${ckpt}; starting from scratch`);
  if (resume) o.note?.(`resuming from ${ckpt} after epoch ${resume.epochsDone}`);
  if (!o.resume && existsSync(ckpt)) o.note?.(`overwriting the checkpoint ${ckpt} (pass --resume to continue it)`);
  const [runtime, trainSet, testSet] = await Promise.all([nodeRuntime(o.device, o.threads), loadMnist('train'), loadMnist('test')]);
  const signal = { aborted: false };
  const onSigint = () => {
    signal.aborted = true;
  };
  process.once('SIGINT', onSigint);
  // A fresh set of bars per epoch: the epoch's log line is printed between them, never under them.
  let bars = progressBars();
  const epochs = resolveTrainConfig(o.config).epochs;
  try {
    const result = await train({
      runtime,
      train: trainSet,
      test: testSet,
      config: o.config,
      resume,
      signal,
      onProgress: (e) => bars.callback(e),
      onEpoch: (e) => {
        bars.stop();
        o.onEpoch?.(e, epochs);
        bars = progressBars();
      },
      onCheckpoint: (c) => saveCheckpoint(ckpt, c),
      metadata: { device: runtime.device, threads: String(runtime.threads ?? '') },
    });
    bars.stop();
    if (result.cancelled) {
      o.note?.(`interrupted; the last completed epoch (${result.checkpoint.epochsDone}) is checkpointed in ${ckpt}: rerun with --resume to continue`);
      return undefined;
    }
    if (result.stopped) o.note?.(`stopped early: ${result.stopped}`);
    writeFileAtomic(o.out, saveOnnx(result.network));
    if (!o.keepCheckpoint) rmSync(ckpt, { force: true });
    return result;
  } finally {
    bars.stop();
    process.removeListener('SIGINT', onSigint);
  }
}

export const trainCommand: Command = {
  summary: 'train a network (standard, pgd, fgsm-rs, ibp, crown-ibp, linear-robust) and save it as ONNX',
  usage: '--arch NAME --method METHOD [--eps E] [--epochs N] [--batch 100] [--lr LR] [--train-limit N] [--seed S] [--threads T] [--device cpu] --out FILE.onnx [--resume] [--json]',
  options,
  async run(argv) {
    const o = parseOptions('train', argv, options);
    const out = requireOption('train', 'out', o.out);
    const config = configFromOptions(o);
    if (!out.endsWith('.onnx')) throw new InvalidArgumentError(`--out should name an .onnx file, got '${out}'`);
    const json = o.json === true;
    let headerShown = false;
    const result = await runTraining({
      config,
      out,
      resume: o.resume === true,
      keepCheckpoint: o['keep-checkpoint'] === true,
      device: parseDevice(o.device),
      threads: o.threads,
      note: (line) => process.stderr.write(`minmax train: ${line}\n`),
      onEpoch: (e, epochs) => {
        if (json) {
          process.stdout.write(JSON.stringify(e) + '\n');
          return;
        }
        if (!headerShown) {
          const c = resolveTrainConfig(config);
          process.stdout.write(`${c.method} · ${c.arch} · ε ${c.eps} · ${c.epochs} epochs · batch ${c.batchSize} · seed ${c.seed}\n\n${epochHeader()}\n`);
          headerShown = true;
        }
        process.stdout.write(epochLine(e, epochs) + '\n');
      },
    });
    if (!result) return 130;
    const last = result.history[result.history.length - 1];
    if (json) {
      process.stdout.write(JSON.stringify({ out, epochs: result.history.length, testError: last?.testError ?? null, seconds: Math.round(result.seconds * 10) / 10 }) + '\n');
    } else {
      process.stdout.write(`\nwrote ${out} · ${result.history.length} epochs · test error ${pct(last?.testError)}${last?.robustError !== undefined ? ` · ${last.robustKind} error ${pct(last.robustError)}` : ''} · ${result.seconds.toFixed(1)} s\n`);
    }
    return 0;
  },
};
