/**
 * The training loop (tutorial ch. 4's `epoch` / `epoch_adversarial` / `epoch_robust_bound` with
 * an optimiser, generalised): per epoch, batches of the training set in a seeded shuffled order,
 * one optimiser step per batch with the method's gradient at the scheduled learning rate and ε,
 * then the test-set evaluation, the fgsm-rs overfitting guard and a checkpoint.
 *
 * Reproducibility: all randomness derives from the seed (initialisation, shuffling, attack
 * starts per epoch); the shuffle generator's state and the optimiser state are checkpointed at
 * every epoch boundary, so resuming from a checkpoint gives the weights an uninterrupted run
 * gives, for the same ONNX Runtime thread count (parallel float reductions may round
 * differently with other thread counts).
 */
import { batchCount, batches, type Dataset } from '../data/dataset.js';
import { Rng } from '../data/rng.js';
import { networkParams } from '../autodiff/forward.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Network } from '../ir/network.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import type { Runtime } from '../runtime/runtime.js';
import { buildNetwork, parseArchitecture } from './architecture.js';
import type { TrainingCheckpoint } from './checkpoint.js';
import { resolveTrainConfig, type TrainConfig, type TrainConfigInput } from './config.js';
import { digitSubset, splitTraining } from './data.js';
import { EpochEvaluator, type EpochMetrics } from './epoch-eval.js';
import { trainingMetadata } from './metadata.js';
import { AdversarialMethod } from './methods/adversarial.js';
import { BoundMethodTrainer } from './methods/bound.js';
import { LinearRobustMethod } from './methods/linear.js';
import { StandardMethod } from './methods/standard.js';
import { derivedSeed, SEED_EVAL, SEED_INIT, SEED_SHUFFLE, type TrainingMethod } from './methods/types.js';
import { createOptimizer } from './optimizer.js';
import { epsilonAt, learningRate } from './schedule.js';

export interface EpochRecord extends EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  /** Learning rate and training ε at the epoch's first batch. */
  lr: number;
  eps: number;
  /** Mean training objective and error over the epoch's batches (at the weights of each step). */
  trainLoss: number;
  trainError: number;
  /** What trainError counts: 'clean', 'adversarial', 'not certified', 'robust'. */
  trainErrorKind: string;
  trainN: number;
  /** fgsm-rs: PGD accuracy on the held-out slice after this epoch. */
  guardAccuracy?: number;
  trainSeconds: number;
  evalSeconds: number;
}

export interface TrainOptions {
  runtime: Runtime;
  /** The full training and test sets (MNIST); the method and config pick what is used. */
  train: Dataset;
  test: Dataset;
  config: TrainConfigInput;
  /** Continue from this checkpoint (its configuration must match `config` except for epochs). */
  resume?: TrainingCheckpoint;
  onProgress?: ProgressCallback;
  /** Called after every epoch with its log record. */
  onEpoch?: (record: EpochRecord) => void;
  /** Called after every epoch with the state to persist (awaited before the next epoch). */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
  /** Cancellation: checked between batches; the network is then returned at the last epoch boundary. */
  signal?: CancelSignal;
  /** Extra metadata entries (e.g. device, threads) stored with the training metadata. */
  metadata?: Record<string, string>;
}

export interface TrainResult {
  network: Network;
  config: TrainConfig;
  history: EpochRecord[];
  /** Training seconds including earlier sessions of a resumed run. */
  seconds: number;
  cancelled: boolean;
  stopped?: string;
  /** The state at the last completed epoch. */
  checkpoint: TrainingCheckpoint;
}

/** Fields that may differ between a checkpoint's configuration and the resuming one. */
function checkResumable(saved: TrainConfig, requested: TrainConfig): void {
  const strip = (c: TrainConfig): Record<string, unknown> => JSON.parse(JSON.stringify({ ...c, epochs: 0 })) as Record<string, unknown>;
  const a = strip(saved);
  const b = strip(requested);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  if (keys.length > 0) {
    throw new InvalidArgumentError(
      `cannot resume: the checkpoint was made with a different configuration (${keys.map((k) => `${k}: ${JSON.stringify(a[k])} ≠ ${JSON.stringify(b[k])}`).join('; ')})`,
    );
  }
}

/** The method of a configuration, bound to `net` (exported for tests). */
export async function createMethod(runtime: Runtime, net: Network, c: TrainConfig, classes: number): Promise<TrainingMethod> {
  switch (c.method) {
    case 'standard':
      return StandardMethod.create(runtime, net, classes);
    case 'pgd':
    case 'fgsm-rs':
      return AdversarialMethod.create(runtime, net, classes, c.attack, c.method === 'pgd' ? c.cleanMix : 0, c.seed);
    case 'ibp':
    case 'crown-ibp':
      return BoundMethodTrainer.create(runtime, net, c.method, classes, c.kappa, c.eps);
    case 'linear-robust':
      return LinearRobustMethod.create(runtime, net, c.eps > 0);
  }
}

/** Training ε at time t: the schedule's, except for standard training, which has none. */
const trainingEps = (c: TrainConfig, t: number): number => (c.method === 'standard' ? 0 : epsilonAt(c.epsSchedule, t));

const copyParams = (net: Network): Record<string, Float32Array> => Object.fromEntries(networkParams(net).map((p) => [p.name, p.data.slice()]));

function loadParams(net: Network, params: Record<string, Float32Array>): void {
  for (const p of networkParams(net)) {
    const v = params[p.name];
    if (!v || v.length !== p.data.length) throw new ShapeError(`checkpoint parameter '${p.name}' is missing or has ${v?.length} values (expected ${p.data.length})`);
    p.data.set(v);
  }
}

export async function train(o: TrainOptions): Promise<TrainResult> {
  const requested = resolveTrainConfig(o.config);
  let config = requested;
  if (o.resume) {
    checkResumable(o.resume.config, requested);
    config = { ...o.resume.config, epochs: requested.epochs };
  }
  const start = performance.now();
  const net = buildNetwork(parseArchitecture(config.arch), { seed: derivedSeed(config.seed, SEED_INIT) });
  const linear = config.method === 'linear-robust';
  const trainSet = linear ? digitSubset(o.train) : o.train;
  const testSet = linear ? digitSubset(o.test) : o.test;
  const guarded = config.method === 'fgsm-rs' && config.guard.images > 0;
  const split = splitTraining(trainSet, config.trainLimit, guarded ? config.guard.images : 0);
  const classes = linear ? 2 : testSet.numClasses;
  if (!linear) {
    const last = net.layers[net.layers.length - 1];
    const outputs = last?.kind === 'dense' ? last.weight.shape[0] : -1;
    if (outputs !== classes) throw new ShapeError(`architecture '${config.arch}' has ${outputs} outputs but the dataset has ${classes} classes`);
  }

  const optimizer = createOptimizer(config.optimizer);
  let shuffle = new Rng(derivedSeed(config.seed, SEED_SHUFFLE));
  const history: EpochRecord[] = [];
  let epochsDone = 0;
  let earlier = 0;
  let guardAccuracy: number | undefined;
  let stopped: string | undefined;
  if (o.resume) {
    loadParams(net, o.resume.params);
    optimizer.load(o.resume.optimizer);
    shuffle = Rng.fromState(o.resume.shuffleState);
    history.push(...o.resume.history);
    epochsDone = o.resume.epochsDone;
    earlier = o.resume.seconds;
    guardAccuracy = o.resume.guardAccuracy;
    stopped = o.resume.stopped;
  }
  const params = networkParams(net);
  const elapsed = (): number => earlier + (performance.now() - start) / 1000;
  const snapshot = (): TrainingCheckpoint => ({
    config,
    epochsDone,
    params: copyParams(net),
    optimizer: optimizer.state(),
    shuffleState: shuffle.state(),
    history: history.slice(),
    seconds: elapsed(),
    ...(guardAccuracy !== undefined ? { guardAccuracy } : {}),
    ...(stopped !== undefined ? { stopped } : {}),
  });
  let checkpoint = snapshot();

  let cancelled = false;
  if (epochsDone < config.epochs && stopped === undefined) {
    const method = await createMethod(o.runtime, net, config, classes);
    const evaluator = await EpochEvaluator.create(o.runtime, net, config, testSet, method instanceof LinearRobustMethod ? method : undefined);
    try {
      const batchOpts = { batchSize: config.batchSize };
      const nb = batchCount(split.train, batchOpts);
      for (let epoch = epochsDone; epoch < config.epochs; epoch++) {
        const t0 = performance.now();
        method.beginEpoch(epoch);
        const lr0 = learningRate(config.lr, epoch, config.epochs);
        const eps0 = trainingEps(config, epoch);
        let lossSum = 0;
        let wrong = 0;
        let seen = 0;
        let k = 0;
        for (const batch of batches(split.train, { ...batchOpts, shuffle: true, rng: shuffle })) {
          if (o.signal?.aborted) {
            cancelled = true;
            break;
          }
          const t = epoch + k / nb;
          const r = await method.step(batch, { epoch, t, eps: trainingEps(config, t) });
          optimizer.step(params, r.grads, learningRate(config.lr, t, config.epochs));
          lossSum += r.lossSum;
          wrong += r.wrong;
          seen += batch.n;
          k++;
          o.onProgress?.({ task: 'train', done: k, total: nb, unit: 'batches', info: { epoch: epoch + 1, loss: lossSum / seen, error: wrong / seen } });
        }
        if (cancelled) break;
        const trainSeconds = (performance.now() - t0) / 1000;
        const t1 = performance.now();
        if (guarded && split.heldOut) {
          const acc = await evaluator.guardAccuracy(split.heldOut, derivedSeed(config.seed, SEED_EVAL, epoch));
          if (guardAccuracy !== undefined && acc < guardAccuracy - config.guard.drop) {
            // Catastrophic overfitting (Wong et al. 2020 §5): keep the last good epoch's weights.
            loadParams(net, checkpoint.params);
            stopped = `catastrophic overfitting: held-out PGD accuracy fell from ${guardAccuracy.toFixed(4)} to ${acc.toFixed(4)} in epoch ${epoch + 1}; kept the weights of epoch ${epoch}`;
            checkpoint = { ...checkpoint, stopped, seconds: elapsed() };
            await o.onCheckpoint?.(checkpoint);
            break;
          }
          guardAccuracy = acc;
        }
        const metrics = await evaluator.run({ onProgress: o.onProgress, signal: o.signal });
        if (o.signal?.aborted) {
          cancelled = true;
          break;
        }
        const record: EpochRecord = {
          epoch: epoch + 1,
          lr: lr0,
          eps: eps0,
          trainLoss: seen > 0 ? lossSum / seen : NaN,
          trainError: seen > 0 ? wrong / seen : NaN,
          trainErrorKind: method.trainErrorKind,
          trainN: seen,
          ...metrics,
          ...(guarded ? { guardAccuracy } : {}),
          trainSeconds,
          evalSeconds: (performance.now() - t1) / 1000,
        };
        history.push(record);
        epochsDone = epoch + 1;
        checkpoint = snapshot();
        o.onEpoch?.(record);
        await o.onCheckpoint?.(checkpoint);
      }
    } finally {
      await Promise.all([method.dispose(), evaluator.dispose()]);
    }
    // A cancelled epoch is discarded: the network is returned as of the last checkpoint.
    if (cancelled) loadParams(net, checkpoint.params);
  }
  const seconds = cancelled ? checkpoint.seconds : elapsed();
  net.metadata = trainingMetadata(config, history, seconds, { ...(o.metadata ?? {}), ...(stopped ? { stopped } : {}) });
  return { network: net, config, history, seconds, cancelled, ...(stopped ? { stopped } : {}), checkpoint };
}
