/**
 * Adversarial training, the outer minimisation of min_θ E max_{‖δ‖∞≤ε} ℓ(h_θ(x+δ), y)
 * (tutorial ch. 4 §5.2): the inner maximum is approximated by ℓ∞ PGD at the current weights and,
 * by Danskin's theorem, the parameter gradient is taken at the maximiser x + δ*.
 *
 * - `pgd` (Madry et al. 2018; the tutorial's `epoch_adversarial(…, pgd_linf, opt)`): ε 0.1,
 *   α 0.01, 20 steps from δ = 0, adversarial examples only; optionally a clean-loss mix
 *   (1 − m)·ℓ(x+δ*) + m·ℓ(x) and random starts.
 * - `fgsm-rs` (Wong, Rice & Kolter 2020, "Fast is better than free"): δ₀ ~ U[−ε, ε], one signed
 *   step of α = 1.25ε, projection onto the ball: the same loop with one step and a random start.
 *
 * The attack runs on a snapshot of the current weights (an input-gradient session whose
 * parameters are initializers, built once per batch): ONNX Runtime pre-packs and constant-folds
 * initializer weights, which makes each of the many attack steps markedly faster than with
 * weights fed as inputs; building the session costs about one step, so the live model (weights
 * as inputs) is used only for attacks of fewer than SNAPSHOT_MIN_STEPS steps.
 */
import { Pgd } from '../../attacks/pgd.js';
import type { Batch } from '../../data/dataset.js';
import type { Network } from '../../ir/network.js';
import type { GradientModel } from '../../model.js';
import { createGradientModel } from '../../runtime/ort-model.js';
import { createParamGradSession, type ParamGradSession } from '../../runtime/param-grad.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { TrainingAttack } from '../config.js';
import { LiveGradientModel } from '../live-model.js';
import { countWrong, sum } from '../metrics.js';
import { derivedSeed, SEED_ATTACK, type StepContext, type StepResult, type TrainingMethod } from './types.js';

const SNAPSHOT_MIN_STEPS = 3;

export class AdversarialMethod implements TrainingMethod {
  readonly trainErrorKind = 'adversarial';
  private attack: Pgd | undefined;
  private epoch = 0;

  private constructor(
    private readonly runtime: Runtime,
    private readonly net: Network,
    private readonly live: LiveGradientModel,
    private readonly session: ParamGradSession,
    private readonly classes: number,
    private readonly options: TrainingAttack,
    private readonly cleanMix: number,
    private readonly seed: number,
  ) {}

  static async create(runtime: Runtime, net: Network, classes: number, attack: TrainingAttack, cleanMix: number, seed: number): Promise<AdversarialMethod> {
    const live = new LiveGradientModel(runtime, net);
    const session = await createParamGradSession(runtime, net, { kind: 'ce', reduction: 'mean' });
    return new AdversarialMethod(runtime, net, live, session, classes, attack, cleanMix, seed);
  }

  beginEpoch(epoch: number): void {
    this.attack = undefined;
    this.epoch = epoch;
  }

  private attackFor(eps: number): Pgd {
    // One attack (one random stream) per epoch; rebuilt only if the training ε changes.
    if (!this.attack || this.attack.config.threat.eps !== eps) {
      const o = this.options;
      this.attack = new Pgd({ eps, alpha: o.alpha, steps: o.steps, randomStart: o.randomStart, clip: o.clip, seed: derivedSeed(this.seed, SEED_ATTACK, this.epoch) });
    }
    return this.attack;
  }

  async step(batch: Batch, ctx: StepContext): Promise<StepResult> {
    const { x, y, n } = batch;
    const model: GradientModel = this.options.steps >= SNAPSHOT_MIN_STEPS ? await createGradientModel(this.runtime, this.net) : this.live;
    let adv;
    try {
      adv = await this.attackFor(ctx.eps).run(model, { x, y, n });
    } finally {
      if (model !== this.live) await model.dispose();
    }
    const r = await this.session.run(adv.adversarial, n, y);
    const wrong = countWrong(r.logits, y, n, this.classes);
    const m = this.cleanMix;
    if (m === 0) return { grads: r.grads, lossSum: sum(r.losses), wrong };
    const c = await this.session.run(x, n, y);
    const grads: Record<string, Float32Array> = {};
    for (const [name, g] of Object.entries(r.grads)) {
      const gc = c.grads[name]!;
      const out = new Float32Array(g.length);
      for (let i = 0; i < g.length; i++) out[i] = (1 - m) * g[i]! + m * gc[i]!;
      grads[name] = out;
    }
    return { grads, lossSum: (1 - m) * sum(r.losses) + m * sum(c.losses), wrong };
  }

  async dispose(): Promise<void> {
    await Promise.all([this.live.dispose(), this.session.dispose()]);
  }
}
