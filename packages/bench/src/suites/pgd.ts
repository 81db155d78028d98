/**
 * Attack throughput (foundation issue): one PGD step (forward + input gradient through the
 * autodiff graph in ONNX Runtime) and a whole attack iteration (also the sign step and projection)
 * against one plain forward pass of the original ONNX file in the same runtime, and a whole PGD-40
 * evaluation.
 */
import * as ort from 'onnxruntime-node';
import { createAttack, createGradientModel, createParamGradSession, createRuntime, evaluate } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { time, timeGroup } from '../measure.js';
import { loadBenchModel } from '../models.js';
import type { SuiteResult } from '../report.js';
import { pgdIteration } from './runtime-measure.js';

export interface PgdBenchOptions {
  model?: string;
  batch?: number;
  threads?: number;
  reps?: number;
  /** Images in the full PGD-40 evaluation (10,000 for the real figure). */
  evalImages?: number;
}

export async function pgdSuite(o: PgdBenchOptions = {}): Promise<SuiteResult> {
  const name = o.model ?? 'cnn';
  const batch = o.batch ?? 100;
  const threads = o.threads ?? 2;
  const reps = o.reps ?? 20;
  const evalImages = o.evalImages ?? 10_000;
  const { bytes, net } = loadBenchModel(name);
  const runtime = await createRuntime(ort, { device: 'cpu', threads });
  const test = await loadMnist('test');
  const x = test.images.slice(0, batch * 784);
  const y = test.labels.slice(0, batch);

  const plain = await runtime.createSession(bytes);
  const model = await createGradientModel(runtime, net);
  const train = await createParamGradSession(runtime, net, { kind: 'ce', reduction: 'mean' });
  try {
    const eps = 0.1;
    const runForward = () => plain.run({ [net.inputName]: { data: x, dims: [batch, ...net.inputShape] } });
    const pgdStep = pgdIteration(model, x, y, batch);
    // Steady state, as in a PGD run (thousands of steps): all are warmed up alike, and measured in
    // alternating rounds so that drift in the machine's load reaches every figure equally.
    const [forward, gradient, step] = await timeGroup([runForward, pgdStep.gradient, pgdStep.iteration], { reps, rounds: 3 });
    // A training step's gradient (next issue): logits, loss and every parameter gradient, with the
    // parameters fed as inputs as an optimiser would.
    const trainStep = await time(() => train.run(x, batch, y), { reps });
    const pgd = createAttack('pgd', { eps, alpha: 0.01, steps: 40 });
    const r = await evaluate(model, test, [{ name: 'pgd', attack: pgd }], { batchSize: batch, limit: evalImages });
    const full = (r.seconds * 10_000) / r.n;
    const ratio = gradient!.medianMs / forward!.medianMs;
    const stepRatio = step!.medianMs / forward!.medianMs;
    return {
      suite: `pgd-${name}`,
      description: `PGD on the tutorial's ${name} (batch ${batch}, ${threads} CPU threads, onnxruntime-node): one PGD step = forward + input gradient (one run of the gradient graph), and a whole iteration = that plus x + δ, the sign step and the projection, each against one plain forward pass of the original ONNX file in the same runtime; a parameter-gradient (training) step likewise.`,
      config: { model: name, batch, threads, reps, evalImages },
      rows: [
        { metric: 'forward pass (original ONNX)', value: forward!.medianMs, unit: 'ms/batch' },
        { metric: 'PGD step: forward + input gradient (one run of the gradient graph)', value: gradient!.medianMs, unit: 'ms/batch' },
        { metric: 'PGD step (forward + input gradient) / forward', value: ratio, unit: '×', target: '≤ 3.5', met: ratio <= 3.5 },
        { metric: 'whole PGD iteration: also x + δ, sign step and projection', value: step!.medianMs, unit: 'ms/batch' },
        { metric: 'whole PGD iteration / forward', value: stepRatio, unit: '×' },
        { metric: 'PGD steps per second', value: 1000 / step!.medianMs, unit: 'steps/s (batch of ' + batch + ')', note: 'whole iterations' },
        { metric: 'PGD images·steps per second', value: (1000 * batch) / step!.medianMs, unit: 'image-steps/s' },
        { metric: 'parameter-gradient step (training)', value: trainStep.medianMs, unit: 'ms/batch' },
        { metric: 'parameter-gradient step / forward', value: trainStep.medianMs / forward!.medianMs, unit: '×', note: 'issue 3 reports this ratio; its targets are seconds per epoch' },
        { metric: `PGD-40 evaluation, ${r.n} images`, value: r.seconds, unit: 's', note: `error ${r.errors.pgd.toFixed(4)}` },
        { metric: 'PGD-40 evaluation, 10,000 images', value: full, unit: 's', target: '< 90', met: full < 90, note: r.n === 10_000 ? 'measured' : `extrapolated from ${r.n}` },
      ],
    };
  } finally {
    await plain.dispose();
    await model.dispose();
    await train.dispose();
  }
}
