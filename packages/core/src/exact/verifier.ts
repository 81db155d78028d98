/**
 * Exact verification of one network: the tutorial's per-target LP and MIP certificates, and the
 * complete verifier that cascades from cheap to expensive per example —
 *   clean prediction → PGD (falsify fast) → interval bounds → linear (CROWN) bounds when a
 *   provider is given → LP relaxation → LP bound tightening + LP again → MIP —
 * stopping each target at the first decisive answer, under per-target and per-example time limits.
 * HiGHS models live only for the duration of one example and are disposed in `finally`.
 */
import type { Highs } from 'highs';
import { createAttack } from '../attacks/registry.js';
import { linfBox } from '../bounds/input-set.js';
import { InvalidArgumentError } from '../errors.js';
import type { Network } from '../ir/network.js';
import type { GradientModel } from '../model.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import { exampleStatus, type BoundsKind, type Counterexample, type ExampleCertificate, type TargetCertificate } from './certificate.js';
import { argmax, checkPoints, toFloat32InBox, type CheckedPoint } from './counterexample.js';
import { encode, type Encoding } from './encoding.js';
import { loadHighs } from './highs.js';
import { chainInterval, intersect, intervalSpecBound, type ChainBounds, type NeuronBounds } from './interval.js';
import { targetRow } from './objective.js';
import { reluChain, reluDepth, type ReluChain } from './relu-chain.js';
import { checkProperty, type PropertyCase, type PropertyOptions, type PropertyResult } from './property.js';
import { SolverModel } from './solver-model.js';
import { lpTargets, mipTarget, type TargetSolveContext } from './targets.js';
import { countUnstable, lpTighten, type TightenStats } from './tighten.js';

/**
 * Sound pre-activation bounds from a linear-relaxation method (CROWN and relatives), keyed by the
 * index in net.layers of the layer whose output they bound. Used to tighten interval bounds.
 */
export type LinearBoundsProvider = (
  net: Network,
  lower: Float64Array,
  upper: Float64Array,
  layers: readonly number[],
) => Promise<ReadonlyMap<number, NeuronBounds>> | ReadonlyMap<number, NeuronBounds>;

export interface ExactVerifierOptions {
  /** ONNX Runtime model of the same network: float32 re-checks of counterexamples, and PGD. */
  model: GradientModel;
  /** A loaded HiGHS runtime; default: the shared one (loadHighs()). */
  highs?: Highs;
  /** Extra HiGHS options for every model. */
  highsOptions?: Record<string, boolean | number | string>;
  /** Needed for `bounds: 'crown'` and the CROWN stage of the complete verifier. */
  linearBounds?: LinearBoundsProvider;
}

export interface InputSetOptions {
  /** ℓ∞ radius. */
  eps: number;
  /** Intersect the ball with [lo, hi] per coordinate (the tutorial's ch. 3 uses [0, 1]). */
  clamp?: readonly [number, number];
}

export interface ExactOptions extends InputSetOptions {
  /** Pre-activation bounds for the big-M constants and the LP: default 'interval'. */
  bounds?: BoundsKind;
  /** Target classes (default: every class ≠ label). */
  targets?: readonly number[];
  /** Seconds per target solve. */
  timeLimit?: number;
  /** Seconds for the whole example. */
  exampleTimeLimit?: number;
  signal?: CancelSignal;
  onProgress?: ProgressCallback;
}

export interface BoundsResult {
  readonly bounds: ChainBounds;
  readonly seconds: number;
  readonly tighten?: TightenStats;
}

interface Setup {
  t0: number;
  deadline: number | undefined;
  x: Float32Array;
  label: number;
  targets: number[];
  box: { lower: Float64Array; upper: Float64Array };
  clean: Float32Array;
  predicted: number;
}

export class ExactVerifier {
  readonly chain: ReluChain;

  private constructor(
    readonly network: Network,
    private readonly highs: Highs,
    private readonly o: ExactVerifierOptions,
  ) {
    this.chain = reluChain(network);
    if (o.model.numClasses !== this.chain.outputSize) {
      throw new InvalidArgumentError(`the ONNX Runtime model has ${o.model.numClasses} outputs, the network ${this.chain.outputSize}`);
    }
  }

  static async create(network: Network, o: ExactVerifierOptions): Promise<ExactVerifier> {
    return new ExactVerifier(network, o.highs ?? (await loadHighs()), o);
  }

  get numClasses(): number {
    return this.chain.outputSize;
  }

  /**
   * Decides a general property (e.g. a VNNLIB file): `sat` with an ONNX Runtime-confirmed witness
   * when some case's box holds an input whose outputs meet all its constraints, `unsat` when none
   * does, `timeout`/`unknown` otherwise.
   */
  checkProperty(cases: readonly PropertyCase[], o: PropertyOptions = {}): Promise<PropertyResult> {
    return checkProperty({ chain: this.chain, highs: this.highs, model: this.o.model, ...(this.o.highsOptions ? { highsOptions: this.o.highsOptions } : {}) }, cases, o);
  }

  /** The ℓ∞ box around x (flattened, float64, rounded outward). */
  inputBox(x: ArrayLike<number>, set: InputSetOptions): { lower: Float64Array; upper: Float64Array } {
    if (x.length !== this.chain.inputSize) throw new InvalidArgumentError(`input has ${x.length} values, the network takes ${this.chain.inputSize}`);
    return linfBox(x, set.eps, set.clamp ? { clamp: set.clamp } : {});
  }

  /** Pre-activation bounds of every ReLU layer and output bounds over a box. */
  async bounds(
    box: { lower: Float64Array; upper: Float64Array },
    kind: BoundsKind,
    o: { deadline?: number; signal?: CancelSignal; onProgress?: ProgressCallback } = {},
  ): Promise<BoundsResult> {
    const t0 = performance.now();
    let bounds = chainInterval(this.chain, box.lower, box.upper);
    if (kind === 'crown' || (kind === 'lp' && this.o.linearBounds)) bounds = await this.linear(box, bounds, kind === 'crown');
    let tighten: TightenStats | undefined;
    if (kind === 'lp') {
      const r = lpTighten(this.highs, this.chain, bounds, o);
      bounds = r.bounds;
      tighten = r.stats;
    }
    return { bounds, seconds: (performance.now() - t0) / 1000, ...(tighten ? { tighten } : {}) };
  }

  private async linear(box: { lower: Float64Array; upper: Float64Array }, ibp: ChainBounds, required: boolean): Promise<ChainBounds> {
    const provider = this.o.linearBounds;
    if (!provider) {
      if (required) throw new InvalidArgumentError("bounds 'crown' need a linear bounds provider (ExactVerifierOptions.linearBounds)");
      return ibp;
    }
    const layers = [...this.chain.preactLayers];
    const last = this.network.layers.length - 1;
    const got = await provider(this.network, box.lower, box.upper, [...layers, last]);
    const known = layers.map((l) => (l >= 0 ? got.get(l) : undefined));
    const next = chainInterval(this.chain, box.lower, box.upper, known.map((k, i) => (k ? intersect(ibp.preact[i]!, k) : ibp.preact[i])));
    return { input: next.input, preact: next.preact, output: intersect(next.output, got.get(last)) };
  }

  private async setup(x: ArrayLike<number>, label: number, o: ExactOptions): Promise<Setup> {
    const t0 = performance.now();
    const classes = this.numClasses;
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) throw new InvalidArgumentError(`label ${label} is outside [0, ${classes})`);
    const targets = (o.targets ?? Array.from({ length: classes }, (_, t) => t)).filter((t) => t !== label);
    for (const t of targets) if (!(Number.isInteger(t) && t >= 0 && t < classes)) throw new InvalidArgumentError(`target ${t} is outside [0, ${classes})`);
    const box = this.inputBox(x, o);
    const x32 = toFloat32InBox(x, box.lower, box.upper);
    const clean = await this.o.model.logits(x32, 1);
    const deadline = o.exampleTimeLimit !== undefined ? t0 + o.exampleTimeLimit * 1000 : undefined;
    return { t0, deadline, x: x32, label, targets: [...new Set(targets)].sort((a, b) => a - b), box, clean, predicted: argmax(clean) };
  }

  /**
   * Targeted PGD (maximise z_t − z_y) for every target at once, projected onto the input set;
   * returns each target's final point, float32 and inside the box, with ONNX Runtime's verdict.
   */
  private async targetedAttack(s: Setup, targets: readonly number[], o: ExactOptions): Promise<Map<number, CheckedPoint>> {
    const out = new Map<number, CheckedPoint>();
    if (targets.length === 0) return out;
    const size = s.x.length;
    const xs = new Float32Array(size * targets.length);
    for (let k = 0; k < targets.length; k++) xs.set(s.x, k * size);
    const attack = createAttack('pgd-targeted', {
      eps: o.eps,
      alpha: o.eps / 8,
      steps: 30,
      clip: o.clamp !== undefined,
      ...(o.clamp ? { domain: o.clamp } : {}),
      reduction: 'sum',
    });
    const r = await attack.run(this.o.model, { x: xs, y: new Int32Array(targets.length).fill(s.label), targets: Int32Array.from(targets), signal: o.signal });
    const points = targets.map((_, k) => toFloat32InBox(r.adversarial.subarray(k * size, (k + 1) * size), s.box.lower, s.box.upper));
    for (let k = 0; k < targets.length; k++) {
      const [c] = await checkPoints(this.o.model, [points[k]!], [targetRow(this.numClasses, s.label, targets[k]!)]);
      out.set(targets[k]!, c!);
    }
    return out;
  }

  private context(s: Setup, enc: Encoding, solver: SolverModel, bounds: ChainBounds, o: ExactOptions): TargetSolveContext {
    return { model: this.o.model, enc, solver, output: bounds.output, box: s.box, label: s.label, timeLimit: o.timeLimit, deadline: s.deadline, signal: o.signal };
  }

  private finish(s: Setup, targets: TargetCertificate[], unstable: number[]): ExampleCertificate {
    const sorted = [...targets].sort((a, b) => a.target - b.target);
    return { label: s.label, predicted: s.predicted, status: exampleStatus(sorted), targets: sorted, unstable, seconds: (performance.now() - s.t0) / 1000 };
  }

  /** The LP relaxation per target (the tutorial's `form_lp`): verified / falsified (LP point confirmed) / unknown. */
  async verifyLp(x: ArrayLike<number>, label: number, o: ExactOptions): Promise<ExampleCertificate> {
    const s = await this.setup(x, label, o);
    const { bounds } = await this.bounds(s.box, o.bounds ?? 'interval', { deadline: s.deadline, signal: o.signal });
    const enc = encode(this.chain, { relaxation: 'lp', inputLower: s.box.lower, inputUpper: s.box.upper, preact: bounds.preact, output: bounds.output });
    const solver = new SolverModel(this.highs, enc.problem, { highsOptions: this.o.highsOptions });
    try {
      const certs = await lpTargets(this.context(s, enc, solver, bounds, o), s.targets);
      o.onProgress?.({ task: 'verify:lp', done: s.targets.length, total: s.targets.length, unit: 'targets' });
      return this.finish(s, certs, bounds.preact.map(countUnstable));
    } finally {
      solver.dispose();
    }
  }

  /** The MIP per target solved to optimality (the tutorial's `form_milp`), within the time limits. */
  async verifyMip(x: ArrayLike<number>, label: number, o: ExactOptions): Promise<ExampleCertificate> {
    const s = await this.setup(x, label, o);
    const { bounds } = await this.bounds(s.box, o.bounds ?? 'interval', { deadline: s.deadline, signal: o.signal });
    const enc = encode(this.chain, { relaxation: 'milp', inputLower: s.box.lower, inputUpper: s.box.upper, preact: bounds.preact, output: bounds.output });
    const solver = new SolverModel(this.highs, enc.problem, { highsOptions: this.o.highsOptions });
    try {
      const ctx = this.context(s, enc, solver, bounds, o);
      // Attack points give the branch-and-bound an incumbent near the optimum from the start.
      const attacks = await this.targetedAttack(s, s.targets, o);
      const certs: TargetCertificate[] = [];
      for (const t of s.targets) {
        const start = enc.pointColumns(attacks.get(t)!.x) ?? enc.pointColumns(s.x);
        certs.push(await mipTarget(ctx, t, { exact: true, ...(start ? { start } : {}) }));
        o.onProgress?.({ task: 'verify:mip', done: certs.length, total: s.targets.length, unit: 'targets' });
      }
      return this.finish(s, certs, bounds.preact.map(countUnstable));
    } finally {
      solver.dispose();
    }
  }

  /** The complete verifier (see the module comment). */
  async verifyComplete(x: ArrayLike<number>, label: number, o: ExactOptions): Promise<ExampleCertificate> {
    const s = await this.setup(x, label, o);
    const decided = new Map<number, TargetCertificate>();
    const since = (t0: number): number => (performance.now() - t0) / 1000;
    const open = (): number[] => s.targets.filter((t) => !decided.has(t));
    const progress = (stage: string): void =>
      o.onProgress?.({ task: `verify:${stage}`, done: s.targets.length - open().length, total: s.targets.length, unit: 'targets' });
    const falsifyAll = (c: Counterexample, by: 'clean' | 'pgd', seconds: number): void => {
      for (const t of s.targets) {
        const row = targetRow(this.numClasses, s.label, t);
        const v = row.c[s.label]! * c.logits[s.label]! + row.c[t]! * c.logits[t]!;
        decided.set(t, v < 0
          ? { target: t, status: 'falsified', objective: v, bound: -Infinity, by, seconds, counterexample: c }
          : { target: t, status: 'unknown', objective: NaN, bound: -Infinity, by: 'none', seconds: 0, note: 'not examined: the example is falsified' });
      }
    };
    let unstable: number[] = [];

    // Clean prediction: x itself is in the input set.
    if (s.predicted !== s.label) {
      falsifyAll({ x: s.x, logits: s.clean, predicted: s.predicted }, 'clean', since(s.t0));
      return this.finish(s, [...decided.values()], unstable);
    }

    // PGD on the margin loss, projected onto the input set; the point is re-checked in the box.
    const t1 = performance.now();
    const pgd = createAttack('pgd', {
      eps: o.eps,
      alpha: o.eps / 4,
      steps: 20,
      clip: o.clamp !== undefined,
      ...(o.clamp ? { domain: o.clamp } : {}),
      objective: 'margin',
      reduction: 'sum',
    });
    const attack = await pgd.run(this.o.model, { x: s.x, y: Int32Array.of(s.label), signal: o.signal });
    const adv = toFloat32InBox(attack.adversarial, s.box.lower, s.box.upper);
    const [checked] = await checkPoints(this.o.model, [adv], s.targets.map((t) => targetRow(this.numClasses, s.label, t)));
    const attackPoint = checked!.x;
    if (checked && checked.predicted !== s.label && checked.logits[checked.predicted]! > checked.logits[s.label]!) {
      falsifyAll({ x: checked.x, logits: checked.logits, predicted: checked.predicted }, 'pgd', since(t1));
      return this.finish(s, [...decided.values()], unstable);
    }
    // Targeted PGD per target: stronger than the untargeted attack, and its points start the MIPs.
    const targeted = await this.targetedAttack(s, s.targets, o);
    for (const c of targeted.values()) {
      if (c.value < 0) {
        falsifyAll({ x: c.x, logits: c.logits, predicted: c.predicted }, 'pgd', since(t1));
        return this.finish(s, [...decided.values()], unstable);
      }
    }
    progress('pgd');

    // Interval bounds (sound, outward-rounded): targets whose margin bound is > 0.
    const t2 = performance.now();
    let bounds = chainInterval(this.chain, s.box.lower, s.box.upper);
    const boundStage = (by: 'interval' | 'crown', b: ChainBounds, t0: number): void => {
      for (const t of open()) {
        const row = targetRow(this.numClasses, s.label, t);
        const lb = intervalSpecBound(this.chain, b, row.c, 0);
        if (lb > 0) decided.set(t, { target: t, status: 'verified', objective: lb, bound: lb, by, seconds: since(t0) });
      }
    };
    boundStage('interval', bounds, t2);
    progress('interval');
    if (open().length > 0 && this.o.linearBounds) {
      const t3 = performance.now();
      bounds = await this.linear(s.box, bounds, false);
      boundStage('crown', bounds, t3);
      progress('crown');
    }
    const expired = (): boolean => (o.signal?.aborted ?? false) || (s.deadline !== undefined && performance.now() > s.deadline);

    // LP with the current bounds, then with LP-tightened bounds.
    let lastLp = new Map<number, number>();
    // With one ReLU layer there is nothing to tighten: its interval bounds are exact.
    for (const tightened of reluDepth(this.chain) > 1 ? [false, true] : [false]) {
      if (open().length === 0 || expired()) break;
      if (tightened) {
        const r = lpTighten(this.highs, this.chain, bounds, { deadline: s.deadline, signal: o.signal });
        bounds = r.bounds;
        progress('tighten');
      }
      const enc = encode(this.chain, { relaxation: 'lp', inputLower: s.box.lower, inputUpper: s.box.upper, preact: bounds.preact, output: bounds.output });
      const solver = new SolverModel(this.highs, enc.problem, { highsOptions: this.o.highsOptions });
      try {
        const certs = await lpTargets(this.context(s, enc, solver, bounds, o), open());
        for (const c of certs) if (c.status !== 'unknown') decided.set(c.target, c);
        lastLp = new Map(certs.map((c) => [c.target, c.objective]));
      } finally {
        solver.dispose();
      }
      progress('lp');
      if ([...decided.values()].some((c) => c.status === 'falsified')) break;
    }
    unstable = bounds.preact.map(countUnstable);

    // MIP, most promising counterexample first; one falsified target settles the example.
    if (open().length > 0 && !expired() && ![...decided.values()].some((c) => c.status === 'falsified')) {
      const enc = encode(this.chain, { relaxation: 'milp', inputLower: s.box.lower, inputUpper: s.box.upper, preact: bounds.preact, output: bounds.output });
      const solver = new SolverModel(this.highs, enc.problem, { highsOptions: this.o.highsOptions });
      try {
        const ctx = this.context(s, enc, solver, bounds, o);
        const order = open().sort((a, b) => (lastLp.get(a) ?? 0) - (lastLp.get(b) ?? 0));
        for (const t of order) {
          if (expired()) break;
          const start = enc.pointColumns(targeted.get(t)?.x ?? attackPoint) ?? enc.pointColumns(attackPoint);
          const c = await mipTarget(ctx, t, { exact: false, ...(start ? { start } : {}) });
          decided.set(t, c);
          progress('mip');
          if (c.status === 'falsified') break;
        }
      } finally {
        solver.dispose();
      }
    }
    const falsified = [...decided.values()].some((c) => c.status === 'falsified');
    for (const t of open()) {
      decided.set(t, {
        target: t,
        status: 'unknown',
        objective: lastLp.get(t) ?? NaN,
        bound: -Infinity,
        by: 'none',
        seconds: 0,
        note: falsified ? 'not examined: the example is falsified' : 'time limit',
      });
    }
    return this.finish(s, [...decided.values()], unstable);
  }
}
