/**
 * Conformance cases of the linear-relaxation bounds (CROWN, the Wong–Kolter dual, α-CROWN), run
 * by intervalConformanceCases against every engine. Soundness is checked against exact rational
 * arithmetic at sampled points; the backward kernels against an independent dense-matrix
 * implementation; the rounding terms on networks where plain float evaluation overshoots.
 */
import { Rng } from '../data/rng.js';
import { InvalidArgumentError, UnsupportedOpError } from '../errors.js';
import { applyLayer64 } from '../ir/forward.js';
import type { Network } from '../ir/network.js';
import { layerShapes } from '../ir/shapes.js';
import { certify } from './certify.js';
import { assertEncloses, expectThrow, fail, randomBoxes, samplePoints, withEngine } from './conformance-helpers.js';
import { alphaCrown, AlphaProblem } from './crown/alpha.js';
import { dualBound, layerBounds, specificationBounds } from './crown/api.js';
import { CrownContext } from './crown/context.js';
import { tightenIntermediate } from './crown/intermediate.js';
import { lowerSlope, type SlopeChoice } from './crown/relaxation.js';
import { backwardBound, specChannelsLast, type SpecBoundOptions } from './crown/spec-bounds.js';
import { Exact } from './exact.js';
import { exactForward } from './exact-network.js';
import { createReferenceIntervalEngine } from './reference-engine.js';
import { conformanceNetworks, NetBuilder } from './random-network.js';
import type { IntervalBounds, IntervalEngine, IntervalEngineFactory } from './types.js';
import type { ConformanceCase } from './conformance.js';

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function randomSpec(rng: Rng, rows: number, outputs: number): Float64Array {
  return Float64Array.from({ length: rows * outputs }, () => (rng.float() < 0.2 ? 0 : rng.normal()));
}

/** Exact C·z(x) for each row. */
function exactSpec(net: Network, x: Float64Array, spec: Float64Array, rows: number): Exact[] {
  const acts = exactForward(net, x);
  const z = acts[acts.length - 1]!;
  const out: Exact[] = [];
  for (let r = 0; r < rows; r++) {
    let v = Exact.ZERO;
    z.forEach((zi, i) => {
      const c = spec[r * z.length + i]!;
      if (c !== 0) v = v.add(Exact.of(c).mul(zi));
    });
    out.push(v);
  }
  return out;
}

/** Each linear layer as a dense matrix [out, in] and offset (float64, from the reference forward pass). */
function denseLayers(net: Network): { m: Float64Array; b: Float64Array; inSize: number; outSize: number }[] {
  const shapes = layerShapes(net);
  return net.layers.map((layer, i) => {
    const inSize = size(shapes[i]!);
    const outSize = size(shapes[i + 1]!);
    const b = applyLayer64(layer, shapes[i]!, shapes[i + 1]!, new Float64Array(inSize), 1);
    const eye = new Float64Array(inSize * inSize);
    for (let j = 0; j < inSize; j++) eye[j * inSize + j] = 1;
    const cols = applyLayer64(layer, shapes[i]!, shapes[i + 1]!, eye, inSize);
    const m = new Float64Array(outSize * inSize);
    for (let j = 0; j < inSize; j++) for (let o = 0; o < outSize; o++) m[o * inSize + j] = cols[j * outSize + o]! - b[o]!;
    return { m, b, inSize, outSize };
  });
}

/**
 * CROWN / the Wong–Kolter bound by plain float64 matrix algebra, independent of the kernels:
 * pre-activation bounds `pre` (C order) for every ReLU layer, box [l, u], one specification row.
 * No outward rounding: an oracle for the value, not for soundness.
 */
function denseCrown(net: Network, pre: readonly (IntervalBounds | undefined)[], l: Float64Array, u: Float64Array, c: Float64Array, slope: SlopeChoice): number {
  const layers = denseLayers(net);
  let a = Float64Array.from(c);
  let bound = 0;
  for (let i = net.layers.length - 1; i >= 0; i--) {
    const layer = net.layers[i]!;
    const { m, b, inSize, outSize } = layers[i]!;
    if (layer.kind === 'relu') {
      const p = pre[i]!;
      for (let j = 0; j < outSize; j++) {
        const lo = p.lower[j]!;
        const hi = p.upper[j]!;
        if (lo >= 0) continue;
        if (hi <= 0) {
          a[j] = 0;
          continue;
        }
        const s = hi / (hi - lo);
        if (a[j]! >= 0) a[j] = lowerSlope(slope, lo, hi, s) * a[j]!;
        else {
          bound += -s * a[j]! * lo;
          a[j] = s * a[j]!;
        }
      }
      continue;
    }
    for (let o = 0; o < outSize; o++) bound += a[o]! * b[o]!;
    const next = new Float64Array(inSize);
    for (let o = 0; o < outSize; o++) for (let j = 0; j < inSize; j++) next[j] = next[j]! + a[o]! * m[o * inSize + j]!;
    a = next;
  }
  for (let j = 0; j < a.length; j++) bound += a[j]! * (a[j]! >= 0 ? l[j]! : u[j]!);
  return bound;
}

function crownSoundnessCase(factory: IntervalEngineFactory, seed: number, index: number, name: string, build: () => Network): ConformanceCase {
  return {
    name: `crown ${name}: no method's bound exceeds the exact C·z at sampled points; CROWN layer bounds enclose exact activations`,
    run: () =>
      withEngine(factory, (engine) => {
        const net = build();
        const rng = new Rng(seed + 100 + index);
        const shapes = layerShapes(net);
        const inSize = size(shapes[0]!);
        const outputs = size(shapes[shapes.length - 1]!);
        const box = randomBoxes(rng, inSize, 1, 0.15);
        const rows = 3;
        const spec = randomSpec(rng, rows, outputs);
        const points = samplePoints(rng, box.lower, box.upper, 3, 3);
        const exact = points.map((x) => exactSpec(net, x, spec, rows));
        const configs: SpecBoundOptions[] = [
          { method: 'ibp' },
          { method: 'crown' },
          { method: 'crown', slope: 'wong-kolter' },
          { method: 'crown', intermediate: 'ibp' },
          { method: 'alpha-crown', alpha: { iterations: 4 } },
        ];
        for (const options of configs) {
          const r = specificationBounds(engine, net, box.lower, box.upper, spec, rows, options);
          for (const bounds of [r.lower, r.ibp, ...(r.own ? [r.own] : [])]) {
            bounds.forEach((v, row) => {
              if (Number.isNaN(v)) fail(`${JSON.stringify(options)} row ${row}: NaN bound`);
              exact.forEach((e, p) => {
                if (!e[row]!.geNumber(v)) fail(`${JSON.stringify(options)} row ${row}: bound ${v} exceeds the exact value ${e[row]!.toNumber()} at point ${p}`);
              });
            });
          }
        }
        const layers = layerBounds(engine, net, box.lower, box.upper, { method: 'crown', allNeurons: true });
        for (const x of points) {
          exactForward(net, x).forEach((acts, li) => {
            acts.forEach((v, k) => assertEncloses(layers[li]!.lower[k]!, layers[li]!.upper[k]!, v, `crown layer ${li} (${net.layers[li]!.kind}) element ${k}`));
          });
        }
      }),
  };
}

function denseOracleCase(factory: IntervalEngineFactory, seed: number, index: number, name: string, build: () => Network): ConformanceCase {
  return {
    name: `crown ${name}: with given pre-activation bounds, equals an independent dense-matrix CROWN / Wong–Kolter computation`,
    run: () =>
      withEngine(factory, (engine) => {
        const net = build();
        const rng = new Rng(seed + 200 + index);
        const shapes = layerShapes(net);
        const inSize = size(shapes[0]!);
        const outputs = size(shapes[shapes.length - 1]!);
        const box = randomBoxes(rng, inSize, 1, 0.1);
        const ibp = engine.ibp(net, box.lower, box.upper, 1, { layers: 'all' });
        const pre = net.layers.map((l, i) => (l.kind === 'relu' ? (i === 0 ? { lower: box.lower, upper: box.upper, n: 1, shape: shapes[0]! } : ibp.layers[i - 1]) : undefined));
        const rows = 4;
        const spec = randomSpec(rng, rows, outputs);
        for (const slope of ['adaptive', 'wong-kolter'] as const) {
          const got = dualBound(engine, net, box.lower, box.upper, spec, rows, pre, { slope });
          for (let r = 0; r < rows; r++) {
            const want = denseCrown(net, pre, box.lower, box.upper, spec.subarray(r * outputs, (r + 1) * outputs), slope);
            if (!(Math.abs(got[r]! - want) <= 1e-9 * (1 + Math.abs(want)))) fail(`${slope} row ${r}: ${got[r]} vs dense oracle ${want}`);
            if (!(got[r]! <= want + 1e-12 * (1 + Math.abs(want)))) fail(`${slope} row ${r}: sound bound ${got[r]} above the unrounded value ${want}`);
          }
        }
      }),
  };
}

/** An MLP on an ℓ∞ ball, for the closed form of Wong & Kolter (2018), Thm. 1. */
function wongKolterCase(factory: IntervalEngineFactory, seed: number): ConformanceCase {
  return {
    name: "crown: the 'wong-kolter' slope gives the dual objective J of Wong & Kolter (2018, Thm. 1)",
    run: () =>
      withEngine(factory, (engine) => {
        const rng = new Rng(seed + 300);
        const net = new NetBuilder(rng, [6]).dense(8).relu().dense(7).relu().dense(3).build();
        const x = Float64Array.from({ length: 6 }, () => rng.float());
        const eps = 0.25;
        const l = x.map((v) => v - eps);
        const u = x.map((v) => v + eps);
        const ibp = engine.ibp(net, l, u, 1, { layers: 'all' });
        const pre = net.layers.map((layer, i) => (layer.kind === 'relu' ? ibp.layers[i - 1] : undefined));
        const c = Float64Array.of(1, -1, 0.5);
        const got = dualBound(engine, net, l, u, c, 1, pre, { slope: 'wong-kolter' })[0]!;
        // J = −Σ ν_{i+1}ᵀ b_i − xᵀν̂₁ − ε‖ν̂₁‖₁ + Σ_i Σ_{j∈I_i} ℓ_ij [ν_ij]₊ with ν_k = −c, ν̂_i = W_iᵀ ν_{i+1}, ν_i = D_i ν̂_i.
        const dense = net.layers.filter((layer) => layer.kind === 'dense') as Extract<Network['layers'][number], { kind: 'dense' }>[];
        let nu = Float64Array.from(c, (v) => -v);
        let J = 0;
        for (let k = dense.length - 1; k >= 0; k--) {
          const d = dense[k]!;
          const [out, inp] = d.weight.shape as [number, number];
          for (let o = 0; o < out; o++) J -= nu[o]! * d.bias.data[o]!;
          const hat = new Float64Array(inp);
          for (let o = 0; o < out; o++) for (let j = 0; j < inp; j++) hat[j] = hat[j]! + d.weight.data[o * inp + j]! * nu[o]!;
          if (k === 0) {
            for (let j = 0; j < inp; j++) J += -x[j]! * hat[j]! - eps * Math.abs(hat[j]!);
            break;
          }
          const p = pre[2 * k - 1]!;
          nu = new Float64Array(inp);
          for (let j = 0; j < inp; j++) {
            const lo = p.lower[j]!;
            const hi = p.upper[j]!;
            if (hi <= 0) nu[j] = 0;
            else if (lo >= 0) nu[j] = hat[j]!;
            else {
              nu[j] = (hi / (hi - lo)) * hat[j]!;
              J += lo * Math.max(nu[j]!, 0);
            }
          }
        }
        if (!(Math.abs(got - J) <= 1e-9 * (1 + Math.abs(J)))) fail(`dual bound ${got} differs from J = ${J}`);
        if (!(got <= J + 1e-12 * (1 + Math.abs(J)))) fail(`sound dual bound ${got} is above the unrounded J = ${J}`);
      }),
  };
}

/**
 * Networks that are affine on the box (every ReLU stably active, huge biases) with heavy
 * cancellation: CROWN is exact there, so the exact minimum is known in rational arithmetic, and
 * plain float evaluation of the same backward pass often lands above it.
 */
function roundingCase(factory: IntervalEngineFactory, seed: number): ConformanceCase {
  return {
    name: 'crown: the transport and rounding terms keep the bound below the exact minimum where plain float evaluation overshoots',
    run: () =>
      withEngine(factory, (engine) => {
        const rng = new Rng(seed + 400);
        let overshoots = 0;
        const trials = 40;
        for (let t = 0; t < trials; t++) {
          const b = new NetBuilder(rng, [4]).dense(5).relu().dense(3).build();
          const l1 = b.layers[0]!;
          const l3 = b.layers[2]!;
          if (l1.kind !== 'dense' || l3.kind !== 'dense') fail('expected dense layers');
          for (let i = 0; i < l1.weight.data.length; i++) l1.weight.data[i] = rng.normal() * 2 ** (rng.int(21) - 10);
          for (let i = 0; i < 5; i++) l1.bias.data[i] = 2 ** 36 * (1 + rng.float());
          for (let i = 0; i < l3.weight.data.length; i++) l3.weight.data[i] = rng.normal() * 2 ** (rng.int(9) - 4);
          for (let i = 0; i < 3; i++) l3.bias.data[i] = -(2 ** 36) * rng.float();
          const x = Float64Array.from({ length: 4 }, () => rng.float());
          const l = x.map((v) => v - 2 ** -8);
          const u = x.map((v) => v + 2 ** -8);
          const c = Float64Array.from({ length: 3 }, () => rng.normal());
          // Exact minimum of the affine map c·(W3 (W1 x + b1) + b3) over the box.
          let constant = Exact.ZERO;
          const coef: Exact[] = Array.from({ length: 4 }, () => Exact.ZERO);
          for (let o = 0; o < 3; o++) {
            const co = Exact.of(c[o]!);
            constant = constant.add(co.mul(Exact.of(l3.bias.data[o]!)));
            for (let h = 0; h < 5; h++) {
              const w = co.mul(Exact.of(l3.weight.data[o * 5 + h]!));
              constant = constant.add(w.mul(Exact.of(l1.bias.data[h]!)));
              for (let j = 0; j < 4; j++) coef[j] = coef[j]!.add(w.mul(Exact.of(l1.weight.data[h * 4 + j]!)));
            }
          }
          let min = constant;
          coef.forEach((a, j) => (min = min.add(a.mul(Exact.of(a.sign() >= 0 ? l[j]! : u[j]!)))));
          const ibp = engine.ibp(b, l, u, 1, { layers: 'all' });
          if (ibp.layers[0]!.lower.some((v) => !(v > 0))) fail('crafted network is not stably active on the box');
          const pre = [undefined, ibp.layers[0], undefined];
          const got = dualBound(engine, b, l, u, c, 1, pre, { slope: 'adaptive' })[0]!;
          if (!min.geNumber(got)) fail(`trial ${t}: bound ${got} exceeds the exact minimum ${min.toNumber()}`);
          const scale = 2 ** 40;
          if (min.sub(Exact.of(got)).toNumber() > 1e-9 * scale) fail(`trial ${t}: bound ${got} is far below the exact minimum ${min.toNumber()}`);
          const naive = denseCrown(b, pre, l, u, c, 'adaptive');
          if (!min.geNumber(naive)) overshoots++;
        }
        if (overshoots < 3) fail(`plain float evaluation overshot the exact minimum in only ${overshoots}/${trials} trials: the case lost its power`);
      }),
  };
}

function alphaCases(factory: IntervalEngineFactory, seed: number): ConformanceCase[] {
  const build = (): Network => new NetBuilder(new Rng(seed + 500), [5]).dense(12).relu().dense(10).relu().dense(4).build();
  const setup = (engine: IntervalEngine) => {
    const net = build();
    const rng = new Rng(seed + 501);
    const box = randomBoxes(rng, 5, 1, 0.6);
    const ctx = new CrownContext(engine.cached(net));
    ctx.setInput(box.lower, box.upper);
    tightenIntermediate(ctx);
    const rows = 3;
    const spec = specChannelsLast(ctx, randomSpec(rng, rows, 4), rows);
    return { ctx, spec, rows, rng };
  };
  return [
    {
      name: "alpha-crown: the first iterate is exactly CROWN's bound and the result is the best iterate (never below CROWN)",
      run: () =>
        withEngine(factory, (engine) => {
          const { ctx, spec, rows } = setup(engine);
          try {
            const crown = backwardBound(ctx, spec, rows, 0);
            const problem = new AlphaProblem(ctx, spec, rows);
            const first = problem.evaluate(false);
            problem.release();
            first.forEach((v, r) => {
              if (v !== crown[r]) fail(`row ${r}: first α-iterate ${v} differs from CROWN ${crown[r]}`);
            });
            const result = alphaCrown(ctx, spec, rows, { iterations: 15 });
            if (result.history[0]!.some((v, r) => v !== crown[r])) fail('alphaCrown did not start from CROWN');
            result.lower.forEach((v, r) => {
              const best = Math.max(...result.history.map((h) => h[r]!));
              if (v !== best) fail(`row ${r}: reported ${v}, best iterate ${best}`);
              if (!(v >= crown[r]!)) fail(`row ${r}: α-CROWN ${v} below CROWN ${crown[r]}`);
            });
            if (!result.lower.some((v, r) => v > crown[r]! + 1e-9 * (1 + Math.abs(v)))) fail('α-CROWN improved no row: the case lost its power');
          } finally {
            ctx.dispose();
          }
        }),
    },
    {
      name: 'alpha-crown: the analytic gradient of the bound in the slopes matches central finite differences',
      run: () =>
        withEngine(factory, (engine) => {
          const { ctx, spec, rows, rng } = setup(engine);
          const problem = new AlphaProblem(ctx, spec, rows);
          try {
            const alpha = problem.getAlpha().map((a) => a.map(() => 0.1 + 0.8 * rng.float()));
            problem.setAlpha(alpha);
            problem.evaluate(true);
            const grad = problem.getGradient();
            let checked = 0;
            const h = 1e-6;
            grad.forEach((g, j) => {
              for (let i = 0; i < g.length && checked < 60; i++) {
                if (g[i] === 0) continue;
                const row = Math.floor(i / problem.relus[j]!.size);
                const plus = alpha.map((a) => a.slice());
                const minus = alpha.map((a) => a.slice());
                plus[j]![i] = plus[j]![i]! + h;
                minus[j]![i] = minus[j]![i]! - h;
                problem.setAlpha(plus);
                const bp = problem.evaluate(false)[row]!;
                problem.setAlpha(minus);
                const bm = problem.evaluate(false)[row]!;
                const fd = (bp - bm) / (2 * h);
                if (!(Math.abs(fd - g[i]!) <= 1e-5 * (1 + Math.abs(g[i]!)))) fail(`slope ${j}:${i}: gradient ${g[i]} vs finite difference ${fd}`);
                checked++;
              }
            });
            if (checked < 5) fail(`only ${checked} slopes had a non-zero gradient: the case lost its power`);
          } finally {
            problem.release();
            ctx.dispose();
          }
        }),
    },
  ];
}

function agreementCase(factory: IntervalEngineFactory, seed: number): ConformanceCase {
  return {
    name: 'crown: bounds agree with the reference engine (every method, random networks)',
    run: () =>
      withEngine(factory, (engine) => {
        const ref = createReferenceIntervalEngine();
        try {
          const rng = new Rng(seed + 600);
          for (const { net } of conformanceNetworks(new Rng(seed))) {
            const shapes = layerShapes(net);
            const box = randomBoxes(rng, size(shapes[0]!), 1, 0.1);
            const outputs = size(shapes[shapes.length - 1]!);
            const spec = randomSpec(rng, 2, outputs);
            for (const method of ['ibp', 'crown', 'alpha-crown'] as const) {
              const a = specificationBounds(engine, net, box.lower, box.upper, spec, 2, { method, alpha: { iterations: 3 } });
              const b = specificationBounds(ref, net, box.lower, box.upper, spec, 2, { method, alpha: { iterations: 3 } });
              a.lower.forEach((v, r) => {
                if (!(Math.abs(v - b.lower[r]!) <= 1e-9 * (1 + Math.abs(v)))) fail(`${method} row ${r}: ${v} vs reference ${b.lower[r]}`);
              });
            }
          }
        } finally {
          ref.dispose();
        }
      }),
  };
}

function errorCase(factory: IntervalEngineFactory, seed: number): ConformanceCase {
  return {
    name: 'crown: unsupported layers, bad specifications, labels and threat models raise typed errors',
    run: () =>
      withEngine(factory, (engine) => {
        const rng = new Rng(seed + 700);
        const pooled = new NetBuilder(rng, [1, 4, 4]).conv(2, [3, 3]).maxpool([2, 2]).build();
        const box = randomBoxes(rng, 16, 1, 0.1);
        expectThrow(() => specificationBounds(engine, pooled, box.lower, box.upper, Float64Array.of(1, -1), 1, { method: 'crown' }), UnsupportedOpError, 'maxpool');
        const net = new NetBuilder(rng, [3]).dense(4).relu().dense(2).build();
        const b3 = randomBoxes(rng, 3, 1, 0.1);
        expectThrow(() => specificationBounds(engine, net, b3.lower, b3.upper, Float64Array.of(1, -1, 0), 1, { method: 'crown' }), InvalidArgumentError, 'spec length');
        expectThrow(() => specificationBounds(engine, net, b3.lower, b3.upper, Float64Array.of(1, -1), 1, { method: 'lp' as 'crown' }), InvalidArgumentError, 'unknown method');
        const x = Float32Array.of(0.1, 0.2, 0.3);
        expectThrow(() => certify(net, x, Int32Array.of(2), { norm: 'linf', eps: 0.1 }, { engine }), InvalidArgumentError, 'label out of range');
        expectThrow(() => certify(net, x, Int32Array.of(1), { norm: 'l2', eps: 0.1 }, { engine }), InvalidArgumentError, 'l2 threat');
        expectThrow(() => certify(net, x, Int32Array.of(1), { norm: 'linf', eps: -1 }, { engine }), InvalidArgumentError, 'negative eps');
      }),
  };
}

/** All CROWN conformance cases for engines made by `factory`. */
export function crownConformanceCases(factory: IntervalEngineFactory, seed: number): ConformanceCase[] {
  const nets = [
    ...conformanceNetworks(new Rng(seed)).map(({ name }, i) => ({ name, build: () => conformanceNetworks(new Rng(seed))[i]!.net })),
    { name: 'deep mlp', build: () => new NetBuilder(new Rng(seed + 1), [6]).dense(10).relu().dense(10).relu().dense(8).relu().dense(3).build() },
  ];
  return [
    ...nets.map((n, i) => crownSoundnessCase(factory, seed, i, n.name, n.build)),
    ...nets.map((n, i) => denseOracleCase(factory, seed, i, n.name, n.build)),
    wongKolterCase(factory, seed),
    roundingCase(factory, seed),
    ...alphaCases(factory, seed),
    agreementCase(factory, seed),
    errorCase(factory, seed),
  ];
}
