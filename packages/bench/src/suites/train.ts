/**
 * Training throughput (training issue): seconds per MNIST epoch (60,000 images, batch 100) of the
 * tutorial's ConvNet with `standard`, `pgd` (20 steps), `fgsm-rs` and `ibp` (cnn-ibp), measured
 * as the median time between consecutive training batches of a real `train()` run and
 * extrapolated to the 600 batches of an epoch; and the ratio of one standard training step
 * (forward, parameter gradients, SGD update) to one plain forward pass in the same runtime.
 * When /usr/bin/python3 has torch, the same standard step and forward pass are timed in PyTorch
 * (same threads, batch and architecture) for comparison.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { buildLogitsModel, buildNetwork, createRuntime, train, type Runtime, type TrainConfigInput } from '@minmax/core';
import { loadMnist } from '@minmax/core/node';
import { time } from '../measure.js';
import type { Row, SuiteResult } from '../report.js';

export interface TrainBenchOptions {
  threads?: number;
  batch?: number;
  /** Training batches timed per method (the first two are warm-up and not counted). */
  batches?: Partial<Record<'standard' | 'pgd' | 'fgsm-rs' | 'ibp', number>>;
  reps?: number;
  /** Compare with PyTorch when /usr/bin/python3 imports torch. */
  torch?: boolean;
}

const EPOCH_IMAGES = 60_000;
const TARGETS: Record<string, { seconds: number; label: string }> = {
  standard: { seconds: 60, label: '≤ 60 s' },
  pgd: { seconds: 480, label: '≤ 8 min' },
  ibp: { seconds: 120, label: '≤ 2 min' },
};

/** Median seconds per training batch of `config` over `count` batches (after 2 warm-up batches). */
async function secondsPerBatch(runtime: Runtime, config: TrainConfigInput, count: number, batch: number): Promise<number> {
  const [trainSet, testSet] = await Promise.all([loadMnist('train'), loadMnist('test')]);
  const stamps: number[] = [];
  await train({
    runtime,
    train: trainSet,
    test: testSet,
    config: { ...config, epochs: 1, batchSize: batch, trainLimit: (count + 2) * batch, evaluation: { testLimit: 1, robustLimit: 0 } },
    onProgress: (e) => {
      if (e.task === 'train') stamps.push(performance.now());
    },
  });
  const gaps = stamps.slice(2).map((t, i) => (t - stamps[i + 1]!) / 1000);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

const TORCH_SCRIPT = String.raw`
import json, sys, time, torch, torch.nn as nn
threads, batch, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
class Flatten(nn.Module):
    def forward(self, x): return x.view(x.shape[0], -1)
torch.manual_seed(0)
m = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1, stride=2), nn.ReLU(),
                  nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1, stride=2), nn.ReLU(),
                  Flatten(), nn.Linear(7*7*64, 100), nn.ReLU(), nn.Linear(100, 10))
opt = torch.optim.SGD(m.parameters(), lr=0.1)
x = torch.rand(batch, 1, 28, 28); y = torch.randint(0, 10, (batch,))
def median(f):
    for _ in range(3): f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    ts.sort(); return ts[len(ts) // 2] * 1000
def step():
    loss = nn.CrossEntropyLoss()(m(x), y); opt.zero_grad(); loss.backward(); opt.step()
def fwd():
    with torch.no_grad(): m(x)
print(json.dumps({"step": median(step), "forward": median(fwd), "version": torch.__version__}))
`;

function torchTimes(threads: number, batch: number, reps: number): { step: number; forward: number; version: string } | undefined {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return undefined;
  const r = spawnSync(python, ['-c', TORCH_SCRIPT, String(threads), String(batch), String(reps)], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { step: number; forward: number; version: string };
  } catch {
    return undefined;
  }
}

export async function trainSuite(o: TrainBenchOptions = {}): Promise<SuiteResult> {
  const threads = o.threads ?? 2;
  const batch = o.batch ?? 100;
  const reps = o.reps ?? 20;
  const counts = { standard: 30, pgd: 4, 'fgsm-rs': 20, ibp: 20, ...o.batches };
  const runtime = await createRuntime(ort, { device: 'cpu', threads });
  const perEpoch = EPOCH_IMAGES / batch;
  const rows: Row[] = [];

  const methods: [keyof typeof counts, TrainConfigInput, string][] = [
    ['standard', { method: 'standard', arch: 'cnn' }, 'standard (cnn)'],
    ['pgd', { method: 'pgd', arch: 'cnn', attack: { steps: 20 } }, 'pgd, 20 steps (cnn)'],
    ['fgsm-rs', { method: 'fgsm-rs', arch: 'cnn', guard: { images: 0 } }, 'fgsm-rs (cnn)'],
    ['ibp', { method: 'ibp', arch: 'cnn-ibp', epsSchedule: { kind: 'constant', eps: 0.1 } }, 'ibp (cnn-ibp)'],
  ];
  let stepSeconds = NaN;
  for (const [key, config, label] of methods) {
    const s = await secondsPerBatch(runtime, config, counts[key], batch);
    if (key === 'standard') stepSeconds = s;
    const epoch = s * perEpoch;
    const t = TARGETS[key];
    rows.push({ metric: `${label}: seconds per batch`, value: s, unit: `s (batch ${batch})` });
    rows.push({
      metric: `${label}: seconds per epoch`,
      value: epoch,
      unit: 's',
      ...(t ? { target: t.label, met: epoch <= t.seconds } : {}),
      note: `extrapolated from ${counts[key]} batches to ${perEpoch}`,
    });
  }

  const net = buildNetwork('cnn', { seed: 0 });
  const forward = await runtime.createSession(buildLogitsModel(net));
  const x = new Float32Array(batch * 784).map((_, i) => (i % 255) / 255);
  try {
    const f = await time(() => forward.run({ input: { data: x, dims: [batch, 1, 28, 28] } }), { reps });
    rows.push({ metric: 'forward pass (cnn)', value: f.medianMs, unit: `ms/batch` });
    rows.push({ metric: 'training step / forward', value: (1000 * stepSeconds) / f.medianMs, unit: '×', note: 'standard step incl. SGD update' });
    if (o.torch !== false) {
      const pt = torchTimes(threads, batch, reps);
      if (pt) {
        rows.push({ metric: `PyTorch ${pt.version} training step (cnn)`, value: pt.step, unit: 'ms/batch' });
        rows.push({ metric: `PyTorch ${pt.version} forward pass (cnn)`, value: pt.forward, unit: 'ms/batch' });
        rows.push({ metric: 'minmax step / PyTorch step', value: (1000 * stepSeconds) / pt.step, unit: '×' });
      }
    }
  } finally {
    await forward.dispose();
  }
  return {
    suite: 'train-cnn',
    description: `Training throughput on the tutorial's ConvNet (batch ${batch}, ${threads} CPU threads, onnxruntime-node): seconds per 60,000-image epoch from the median time per training batch (method gradient + optimiser update) of a real training run; and one standard training step against one plain forward pass.`,
    config: { threads, batch, batches: counts, reps },
    rows,
  };
}
