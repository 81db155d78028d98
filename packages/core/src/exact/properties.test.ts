/**
 * Orderings that must hold for any network (tutorial ch. 3, Tjeng et al., Wong & Kolter), checked
 * on small random networks where the MIP solves in milliseconds:
 *   Wong–Kolter dual ≤ LP ≤ MIP ≤ value at any attack point (targeted PGD in ONNX Runtime),
 *   and the MIP optimum does not move when the big-M bounds are tightened (interval → CROWN → LP).
 */
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAttack } from '../attacks/registry.js';
import { dualBound } from '../bounds/crown/api.js';
import { createReferenceIntervalEngine } from '../bounds/reference-engine.js';
import { NetBuilder } from '../bounds/random-network.js';
import type { IntervalBounds, IntervalEngine } from '../bounds/types.js';
import { Rng } from '../data/rng.js';
import type { Network } from '../ir/network.js';
import { createGradientModel, createRuntime, type Runtime } from '../runtime/index.js';
import { crownBoundsProvider } from './crown-provider.js';
import { encode, type Relaxation } from './encoding.js';
import { loadHighs, type Highs } from './highs.js';
import { chainInterval, type ChainBounds } from './interval.js';
import { headObjective, targetRow } from './objective.js';
import { chainForward, reluChain, type ReluChain } from './relu-chain.js';
import { SolverModel } from './solver-model.js';
import { lpTighten } from './tighten.js';
import { ExactVerifier } from './verifier.js';

let highs: Highs;
let runtime: Runtime;
let engine: IntervalEngine;

beforeAll(async () => {
  highs = await loadHighs();
  runtime = await createRuntime(ort, { device: 'cpu', threads: 1 });
  engine = createReferenceIntervalEngine();
});
afterAll(() => engine?.dispose());

function solve(chain: ReluChain, b: ChainBounds, relaxation: Relaxation, label: number, target: number): number {
  const enc = encode(chain, { relaxation, inputLower: b.input.lower, inputUpper: b.input.upper, preact: b.preact, output: b.output });
  const m = new SolverModel(highs, enc.problem);
  try {
    m.setObjective(headObjective(enc, targetRow(chain.outputSize, label, target)));
    const r = m.solve();
    expect(r.status).toBe('optimal');
    return r.objective;
  } finally {
    m.dispose();
  }
}

const nets = (rng: Rng): { name: string; net: Network }[] => [
  { name: 'mlp 16-10-8-4', net: new NetBuilder(rng, [1, 4, 4]).flatten().dense(10).relu().dense(8).relu().dense(4).build() },
  { name: 'conv 1×5×5 → 2×3×3 → 6 → 3', net: new NetBuilder(rng, [1, 5, 5]).conv(2, [3, 3]).relu().flatten().dense(6).relu().dense(3).build() },
  { name: 'affine + mlp 12-9-9-9-5', net: new NetBuilder(rng, [12]).affine([12]).dense(9).relu().dense(9).relu().dense(9).relu().dense(5).build() },
];

describe('exact verification orderings on random networks', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: dual ≤ LP ≤ MIP ≤ PGD, MIP invariant under bound tightening`, async () => {
      const rng = new Rng(seed);
      // The checks must not be vacuous: some LPs strictly below their MIP, some MIPs negative.
      let relaxed = 0;
      let attackable = 0;
      for (const { name, net } of nets(rng)) {
        const chain = reluChain(net);
        const model = await createGradientModel(runtime, net);
        try {
          const x = Float32Array.from({ length: chain.inputSize }, () => rng.float());
          const eps = 0.1 + 0.2 * rng.float();
          const clamp = seed % 2 === 1 ? ([0, 1] as const) : undefined;
          const verifier = await ExactVerifier.create(net, { model, highs, linearBounds: crownBoundsProvider(engine) });
          const box = verifier.inputBox(x, { eps, ...(clamp ? { clamp } : {}) });
          const interval = chainInterval(chain, box.lower, box.upper);
          const crown = (await verifier.bounds(box, 'crown')).bounds;
          const tightened = lpTighten(highs, chain, interval).bounds;
          const y0 = chainForward(chain, x);
          const label = y0.indexOf(Math.max(...y0));
          for (let t = 0; t < chain.outputSize; t++) {
            if (t === label) continue;
            const what = `${name}, target ${t}`;
            const mip = solve(chain, interval, 'milp', label, t);
            const lp = solve(chain, interval, 'lp', label, t);
            expect(lp, what).toBeLessThanOrEqual(mip + 1e-7);
            if (lp < mip - 1e-3) relaxed++;
            if (mip < 0) attackable++;

            // The Wong–Kolter dual with the same intermediate bounds bounds the LP from below.
            const pre: (IntervalBounds | undefined)[] = net.layers.map(() => undefined);
            chain.reluLayers.forEach((layer, k) => {
              const b = interval.preact[k]!;
              pre[layer] = { lower: b.lower, upper: b.upper, n: 1, shape: [b.lower.length] };
            });
            const row = targetRow(chain.outputSize, label, t);
            const [dual] = dualBound(engine, net, box.lower, box.upper, Float64Array.from(row.c), 1, pre, { slope: 'wong-kolter' });
            expect(dual!, what).toBeLessThanOrEqual(lp + 1e-7);

            // Tighter bounds: same MIP optimum, LP no lower.
            for (const [kind, b] of [['crown', crown], ['lp', tightened]] as const) {
              expect(solve(chain, b, 'milp', label, t), `${what}, ${kind} bounds`).toBeCloseTo(mip, 6);
              expect(solve(chain, b, 'lp', label, t), `${what}, ${kind} bounds`).toBeGreaterThanOrEqual(lp - 1e-7);
            }

            // No attack does better than the MIP optimum: targeted PGD maximises z_t − z_y.
            const pgd = createAttack('pgd-targeted', {
              eps,
              alpha: eps / 10,
              steps: 60,
              target: t,
              reduction: 'sum',
              clip: clamp !== undefined,
              ...(clamp ? { domain: clamp } : {}),
            });
            const r = await pgd.run(model, { x, y: Int32Array.of(label) });
            const z = chainForward(chain, r.adversarial);
            expect(mip, what).toBeLessThanOrEqual(z[label]! - z[t]! + 1e-5);
          }
        } finally {
          await model.dispose();
        }
      }
      expect(relaxed).toBeGreaterThan(0);
      expect(attackable).toBeGreaterThan(0);
    });
  }
});
