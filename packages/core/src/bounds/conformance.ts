/**
 * The conformance suite every IntervalEngine must pass, as framework-free cases (each `run`
 * throws ConformanceFailure on a violation), so that core's tests run it against the TS reference
 * and @minmax/bounds-wasm's tests against the WebAssembly engine:
 *   for (const c of intervalConformanceCases(factory)) it(c.name, c.run);
 * Soundness is checked against exact rational arithmetic (exact.ts), not against floats: the
 * bound must hold for the real-number value of the network, which is what a certificate claims.
 */
import type { Dataset } from '../data/dataset.js';
import { Rng } from '../data/rng.js';
import { InvalidArgumentError, MinmaxError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Network } from '../ir/network.js';
import { assertEncloses, ConformanceFailure, exampleOf, expectThrow, fail, randomBoxes, samplePoints, withEngine } from './conformance-helpers.js';
import { crownConformanceCases } from './crown-conformance.js';
import { Exact } from './exact.js';
import { linfBox } from './input-set.js';
import { exactForward, exactIbp } from './exact-network.js';
import { createReferenceIntervalEngine } from './reference-engine.js';
import { conformanceNetworks, NetBuilder, wideNetwork } from './random-network.js';
import type { IntervalBounds, IntervalEngineFactory, LinearMap } from './types.js';

export { ConformanceFailure };


export interface ConformanceCase {
  readonly name: string;
  run(): Promise<void>;
}

/** A network and input boxes with expected output bounds (e.g. published figures). */
export interface IbpFixture {
  readonly name: string;
  readonly network: Network;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly n: number;
  readonly expectedLower: readonly number[];
  readonly expectedUpper: readonly number[];
  /** Allowed |got − expected| / |expected|. */
  readonly rtol: number;
}

export interface ConformanceOptions {
  readonly seed?: number;
  /** Extra end-to-end cases, e.g. built from TUTORIAL_IBP_FIGURES by a test that can read files. */
  readonly fixtures?: readonly IbpFixture[];
}

/**
 * IBP logit bounds of the tutorial's released networks on MNIST test image 0 (a 7), ε = 0.1 box
 * clamped to [0, 1] (shared/tutorial-models/README.md, "Interval bounds on the first test image").
 * The figures are float32 PyTorch results, hence the 1e-4 relative tolerance.
 */
export const TUTORIAL_IBP_FIGURES = [
  {
    model: 'dnn2.onnx',
    image: 0,
    eps: 0.1,
    clamp: [0, 1] as const,
    rtol: 1e-4,
    lower: [-20.794655, -23.554483, -17.501461, -16.71551, -32.42357, -22.67279, -30.79689, -14.9981, -23.627762, -24.76149],
    upper: [18.328127, 14.5928, 26.335987, 28.887863, 18.655684, 28.70531, 11.502836, 32.54162, 24.40407, 25.302904],
  },
  {
    model: 'cnn.onnx',
    image: 0,
    eps: 0.1,
    clamp: [0, 1] as const,
    rtol: 1e-4,
    lower: [-2998.6592, -2728.1714, -2460.193, -2534.023, -3073.9976, -2425.4656, -2874.6404, -2319.738, -2541.7148, -2524.9368],
    upper: [2305.799, 2738.133, 2543.169, 2636.1572, 1995.432, 2955.592, 2503.6426, 2955.3687, 2904.1223, 2960.8352],
  },
] as const;

/**
 * TUTORIAL_IBP_FIGURES as conformance fixtures, from the MNIST test set and a loader of the
 * tutorial's model files (both supplied by the caller: core's barrel reads no files).
 */
export function tutorialIbpFixtures(test: Dataset, loadModel: (file: string) => Network): IbpFixture[] {
  const size = test.inputShape.reduce((a, b) => a * b, 1);
  return TUTORIAL_IBP_FIGURES.map((fig) => {
    const image = test.images.subarray(fig.image * size, (fig.image + 1) * size);
    const box = linfBox(image, fig.eps, { clamp: fig.clamp });
    return {
      name: `${fig.model} image ${fig.image} ε=${fig.eps} clamped`,
      network: loadModel(fig.model),
      lower: box.lower,
      upper: box.upper,
      n: 1,
      expectedLower: fig.lower,
      expectedUpper: fig.upper,
      rtol: fig.rtol,
    };
  });
}

const U = 2 ** -53;

function randomLinearMap(rng: Rng, outDim: number, inDim: number): LinearMap {
  const weight = new Float64Array(outDim * inDim);
  for (let i = 0; i < weight.length; i++) {
    // Magnitudes spread over 2^±8 so that rounding errors of different terms differ in scale.
    weight[i] = rng.float() < 0.05 ? 0 : rng.normal() * 2 ** (rng.int(17) - 8);
  }
  const bias = Float64Array.from({ length: outDim }, () => rng.normal());
  return { weight, bias, outDim, inDim };
}

/** |b_i| + Σ_j max(|w_ij l_j|, |w_ij u_j|): the magnitude the rounding error of output i scales with. */
function linearScale(map: LinearMap, l: Float64Array, u: Float64Array, i: number): number {
  let scale = Math.abs(map.bias[i]!);
  for (let j = 0; j < map.inDim; j++) {
    const w = map.weight[i * map.inDim + j]!;
    scale += Math.max(Math.abs(w * l[j]!), Math.abs(w * u[j]!));
  }
  return scale;
}

/** Exact min and max of (W x + b)_i over the box. */
function exactLinearRange(map: LinearMap, l: Float64Array, u: Float64Array, i: number): { min: Exact; max: Exact } {
  let min = Exact.of(map.bias[i]!);
  let max = min;
  for (let j = 0; j < map.inDim; j++) {
    const w = Exact.of(map.weight[i * map.inDim + j]!);
    const a = w.mul(Exact.of(l[j]!));
    const b = w.mul(Exact.of(u[j]!));
    min = min.add(a.min(b));
    max = max.add(a.max(b));
  }
  return { min, max };
}

/** How far an outward-rounded n-term dot product may sit from the exact value (generous: 4× the proven bound). */
function roundingMargin(n: number, scale: number): number {
  return 4 * (n + 2) * U * scale + (n + 1) * 4 * Number.MIN_VALUE;
}

function layerScale(...bs: IntervalBounds[]): number {
  let m = 0;
  for (const b of bs) {
    for (const arr of [b.lower, b.upper]) for (const v of arr) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  }
  return m;
}

function assertClose(a: IntervalBounds, b: IntervalBounds, rel: number, what: string): void {
  if (a.lower.length !== b.lower.length || a.upper.length !== b.upper.length) {
    fail(`${what}: lengths differ (${a.lower.length} vs ${b.lower.length})`);
  }
  if (a.shape.join(',') !== b.shape.join(',') || a.n !== b.n) fail(`${what}: shapes differ [${a.shape}]×${a.n} vs [${b.shape}]×${b.n}`);
  const tol = rel * (1 + layerScale(a, b));
  for (const side of ['lower', 'upper'] as const) {
    for (let i = 0; i < a[side].length; i++) {
      const x = a[side][i]!;
      const y = b[side][i]!;
      if (!(x === y || Math.abs(x - y) <= tol)) fail(`${what}: ${side}[${i}] differs: ${x} vs ${y} (tolerance ${tol})`);
    }
  }
}

function linearCases(factory: IntervalEngineFactory, seed: number): ConformanceCase[] {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 1, 2],
    [1, 5, 1],
    [17, 33, 3],
    [10, 64, 2],
    [4, 257, 1],
    [3, 600, 9],
  ];
  return [
    {
      name: 'linear: lower ≤ exact min and upper ≥ exact max of W·x+b over the box, within the rounding margin',
      run: () =>
        withEngine(factory, (engine) => {
          const rng = new Rng(seed);
          for (const [outDim, inDim, n] of shapes) {
            const map = randomLinearMap(rng, outDim, inDim);
            const box = randomBoxes(rng, inDim, n, 2 ** (rng.int(9) - 4));
            const r = engine.linear(map, box.lower, box.upper, n);
            if (r.lower.length !== n * outDim || r.n !== n || r.shape.join() !== `${outDim}`) {
              fail(`linear ${outDim}x${inDim}: result has length ${r.lower.length}, n ${r.n}, shape [${r.shape}]`);
            }
            for (let e = 0; e < n; e++) {
              const { l, u } = exampleOf(box, e, inDim);
              for (let i = 0; i < outDim; i++) {
                const { min, max } = exactLinearRange(map, l, u, i);
                const scale = linearScale(map, l, u, i);
                const what = `linear ${outDim}x${inDim}, example ${e}, output ${i}`;
                const lo = r.lower[e * outDim + i]!;
                const hi = r.upper[e * outDim + i]!;
                if (!min.geNumber(lo)) fail(`${what}: lower ${lo} exceeds the exact minimum ${min.toNumber()}`);
                if (!max.leNumber(hi)) fail(`${what}: upper ${hi} is below the exact maximum ${max.toNumber()}`);
                const margin = roundingMargin(inDim, scale);
                if (min.sub(Exact.of(lo)).toNumber() > margin || Exact.of(hi).sub(max).toNumber() > margin) {
                  fail(`${what}: [${lo}, ${hi}] is looser than the rounding margin ${margin} around [${min.toNumber()}, ${max.toNumber()}]`);
                }
              }
            }
          }
        }),
    },
    {
      name: 'linear: sampled points and corners of the box map inside the bounds (exact arithmetic)',
      run: () =>
        withEngine(factory, (engine) => {
          const rng = new Rng(seed + 1);
          for (const [outDim, inDim] of shapes) {
            const map = randomLinearMap(rng, outDim, inDim);
            const box = randomBoxes(rng, inDim, 1, 0.5);
            const r = engine.linear(map, box.lower, box.upper, 1);
            for (const x of samplePoints(rng, box.lower, box.upper, 4, 4)) {
              for (let i = 0; i < outDim; i++) {
                let v = Exact.of(map.bias[i]!);
                for (let j = 0; j < inDim; j++) v = v.add(Exact.of(map.weight[i * inDim + j]!).mul(Exact.of(x[j]!)));
                assertEncloses(r.lower[i]!, r.upper[i]!, v, `linear ${outDim}x${inDim} output ${i}`);
              }
            }
          }
        }),
    },
    {
      name: 'linear: point boxes enclose the exact value under cancellation and underflow (where plain float evaluation is wrong)',
      run: () =>
        withEngine(factory, (engine) => {
          const rows: { w: number[]; b: number; x: number[] }[] = [
            { w: [1, 1e16, -1e16, 3.3], b: 0, x: [0.1, 1.7, 1.7, 1 / 3] },
            { w: [1e-200, 1e-200, -3e-170], b: 0, x: [1e-200, 3e-200, 0] },
            { w: [1e-160, -1e-160], b: 0, x: [1e-160, 7e-161] },
            { w: [0.1, 0.2, -0.3], b: 1e-17, x: [1, 1, 1] },
            { w: [2 ** 52, 1, -(2 ** 52)], b: 0.5, x: [1, 0.5, 1] },
            { w: [3, -1 / 3, 1e-300], b: -1, x: [1 / 3, 3, 1e-20] },
          ];
          let naiveWrong = 0;
          for (const [k, row] of rows.entries()) {
            const map: LinearMap = { weight: Float64Array.from(row.w), bias: Float64Array.of(row.b), outDim: 1, inDim: row.w.length };
            const x = Float64Array.from(row.x);
            const r = engine.linear(map, x, x, 1);
            let exact = Exact.of(row.b);
            let naive = row.b;
            for (let j = 0; j < row.w.length; j++) {
              exact = exact.add(Exact.of(row.w[j]!).mul(Exact.of(row.x[j]!)));
              naive += row.w[j]! * row.x[j]!;
            }
            if (exact.cmp(Exact.of(naive)) !== 0) naiveWrong++;
            assertEncloses(r.lower[0]!, r.upper[0]!, exact, `crafted row ${k}`);
          }
          // The rows must be hard: round-to-nearest evaluation misses the exact value on most of them.
          if (naiveWrong < 4) fail(`only ${naiveWrong} crafted rows defeat naive float evaluation; the case lost its power`);
        }),
    },
    {
      name: 'linear: overflow and infinite inputs give infinite bounds, never NaN',
      run: () =>
        withEngine(factory, (engine) => {
          const map: LinearMap = { weight: Float64Array.of(1e300, -1e300, 0), bias: Float64Array.of(0), outDim: 1, inDim: 3 };
          const r1 = engine.linear(map, Float64Array.of(1e300, -1, 5), Float64Array.of(1e300, 1, 5), 1);
          if (r1.lower[0] !== -Infinity || r1.upper[0] !== Infinity) fail(`overflow: got [${r1.lower[0]}, ${r1.upper[0]}], expected (−∞, ∞)`);
          const r2 = engine.linear(map, Float64Array.of(-Infinity, 0, -Infinity), Float64Array.of(1, 0, Infinity), 1);
          if (r2.lower[0] !== -Infinity || Number.isNaN(r2.upper[0]!) || !(r2.upper[0]! >= 1e300)) {
            fail(`infinite inputs: got [${r2.lower[0]}, ${r2.upper[0]}]`);
          }
        }),
    },
    {
      name: 'linear: agrees with the reference engine within the rounding margin',
      run: () =>
        withEngine(factory, (engine) => {
          const ref = createReferenceIntervalEngine();
          const rng = new Rng(seed + 2);
          for (const [outDim, inDim, n] of [...shapes, [50, 784, 4] as [number, number, number]]) {
            const map = randomLinearMap(rng, outDim, inDim);
            const box = randomBoxes(rng, inDim, n, 0.3);
            const a = engine.linear(map, box.lower, box.upper, n);
            const b = ref.linear(map, box.lower, box.upper, n);
            for (let e = 0; e < n; e++) {
              const { l, u } = exampleOf(box, e, inDim);
              for (let i = 0; i < outDim; i++) {
                const tol = 2 * roundingMargin(inDim, linearScale(map, l, u, i));
                const k = e * outDim + i;
                if (Math.abs(a.lower[k]! - b.lower[k]!) > tol || Math.abs(a.upper[k]! - b.upper[k]!) > tol) {
                  fail(`linear ${outDim}x${inDim}[${k}]: [${a.lower[k]}, ${a.upper[k]}] vs reference [${b.lower[k]}, ${b.upper[k]}]`);
                }
              }
            }
          }
          ref.dispose();
        }),
    },
    {
      name: 'linear: rejects malformed maps and boxes with typed errors',
      run: () =>
        withEngine(factory, (engine) => {
          const map: LinearMap = { weight: new Float64Array(6), bias: new Float64Array(2), outDim: 2, inDim: 3 };
          const ok = new Float64Array(3);
          expectThrow(() => engine.linear({ ...map, inDim: 4 }, ok, ok, 1), ShapeError, 'weight length mismatch');
          expectThrow(() => engine.linear({ ...map, bias: new Float64Array(3) }, ok, ok, 1), ShapeError, 'bias length mismatch');
          expectThrow(() => engine.linear({ ...map, weight: new Float64Array(6).fill(NaN) }, ok, ok, 1), InvalidArgumentError, 'NaN weight');
          expectThrow(() => engine.linear(map, new Float64Array(2), new Float64Array(2), 1), InvalidArgumentError, 'box length mismatch');
          expectThrow(() => engine.linear(map, Float64Array.of(0, 1, 0), Float64Array.of(0, 0, 0), 1), InvalidArgumentError, 'lower > upper');
          expectThrow(() => engine.linear(map, Float64Array.of(0, NaN, 0), ok, 1), InvalidArgumentError, 'NaN bound');
        }),
    },
  ];
}

function networkCases(factory: IntervalEngineFactory, seed: number): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const [index, { name }] of conformanceNetworks(new Rng(seed)).entries()) {
    const build = (): Network => conformanceNetworks(new Rng(seed))[index]!.net;
    cases.push({
      name: `ibp ${name}: every layer encloses the exact IBP bounds and stays within 1e-9 of them`,
      run: () =>
        withEngine(factory, (engine) => {
          const net = build();
          const rng = new Rng(seed + 10 + index);
          const size = net.inputShape.reduce((a, b) => a * b, 1);
          const n = 3;
          const box = randomBoxes(rng, size, n, 0.2);
          const r = engine.ibp(net, box.lower, box.upper, n, { layers: 'all' });
          for (let e = 0; e < n; e++) {
            const { l, u } = exampleOf(box, e, size);
            const exact = exactIbp(net, l, u);
            exact.forEach((eb, li) => {
              const got = r.layers[li]!;
              const len = eb.lower.length;
              const scale = 1 + layerScale(got);
              for (let k = 0; k < len; k++) {
                const lo = got.lower[e * len + k]!;
                const hi = got.upper[e * len + k]!;
                const what = `layer ${li} (${net.layers[li]!.kind}), example ${e}, element ${k}`;
                if (!eb.lower[k]!.geNumber(lo) || !eb.upper[k]!.leNumber(hi)) {
                  fail(`${what}: [${lo}, ${hi}] does not enclose the exact IBP bounds [${eb.lower[k]!.toNumber()}, ${eb.upper[k]!.toNumber()}]`);
                }
                if (eb.lower[k]!.sub(Exact.of(lo)).toNumber() > 1e-9 * scale || Exact.of(hi).sub(eb.upper[k]!).toNumber() > 1e-9 * scale) {
                  fail(`${what}: [${lo}, ${hi}] is far from the exact IBP bounds [${eb.lower[k]!.toNumber()}, ${eb.upper[k]!.toNumber()}]`);
                }
              }
            });
            const last = exact[exact.length - 1]!;
            if (r.lower.length !== n * last.lower.length) fail(`output has ${r.lower.length} values, expected ${n * last.lower.length}`);
          }
        }),
    });
    cases.push({
      name: `ibp ${name}: activations of sampled points and corners never leave any layer's bounds (exact forward pass)`,
      run: () =>
        withEngine(factory, (engine) => {
          const net = build();
          const rng = new Rng(seed + 20 + index);
          const size = net.inputShape.reduce((a, b) => a * b, 1);
          const box = randomBoxes(rng, size, 1, 0.3);
          const r = engine.ibp(net, box.lower, box.upper, 1, { layers: 'all' });
          for (const x of samplePoints(rng, box.lower, box.upper, 3, 3)) {
            exactForward(net, x).forEach((acts, li) => {
              const b = r.layers[li]!;
              acts.forEach((v, k) => assertEncloses(b.lower[k]!, b.upper[k]!, v, `layer ${li} (${net.layers[li]!.kind}) element ${k}`));
            });
          }
        }),
    });
  }
  cases.push({
    name: 'ibp: agrees with the reference engine on every layer (random nets, MNIST-sized MLP, clamped boxes)',
    run: () =>
      withEngine(factory, (engine) => {
        const ref = createReferenceIntervalEngine();
        const rng = new Rng(seed + 30);
        const nets = [...conformanceNetworks(new Rng(seed)).map((c) => c.net), wideNetwork(rng)];
        for (const [k, net] of nets.entries()) {
          const size = net.inputShape.reduce((a, b) => a * b, 1);
          const box = randomBoxes(rng, size, 5, 0.1);
          for (let i = 0; i < box.lower.length; i++) box.lower[i] = Math.max(0, box.lower[i]!);
          const a = engine.ibp(net, box.lower, box.upper, 5, { layers: 'all' });
          const b = ref.ibp(net, box.lower, box.upper, 5, { layers: 'all' });
          a.layers.forEach((la, li) => assertClose(la!, b.layers[li]!, 1e-10, `net ${k} layer ${li}`));
          assertClose(a, b, 1e-10, `net ${k} output`);
        }
        ref.dispose();
      }),
  });
  cases.push({
    name: 'ibp: passes of maxBatch examples, the per-network cache and single-example calls give the same bounds',
    run: () =>
      withEngine(factory, (engine) => {
        const net = conformanceNetworks(new Rng(seed))[1]!.net;
        const rng = new Rng(seed + 40);
        const size = net.inputShape.reduce((a, b) => a * b, 1);
        const n = 5;
        const box = randomBoxes(rng, size, n, 0.1);
        const prepared = engine.prepare(net, { maxBatch: 2 });
        if (prepared.maxBatch !== 2) fail(`maxBatch option ignored: ${prepared.maxBatch}`);
        const batched = prepared.ibp(box.lower, box.upper, n, { layers: [2] });
        const cached = engine.ibp(net, box.lower, box.upper, n, { layers: [2] });
        assertClose(batched, cached, 1e-12, 'prepared vs engine.ibp');
        assertClose(batched.layers[2]!, cached.layers[2]!, 1e-12, 'prepared vs engine.ibp, layer 2');
        if (batched.layers.some((l, i) => (i === 2) !== (l !== undefined))) fail('layers other than the requested one were returned');
        for (let e = 0; e < n; e++) {
          const { l, u } = exampleOf(box, e, size);
          const single = prepared.ibp(l.slice(), u.slice(), 1);
          const part: IntervalBounds = {
            lower: batched.lower.subarray(e * 3, e * 3 + 3),
            upper: batched.upper.subarray(e * 3, e * 3 + 3),
            n: 1,
            shape: batched.shape,
          };
          assertClose(single, part, 1e-12, `example ${e} alone vs in a batch`);
        }
        const empty = prepared.ibp(new Float64Array(0), new Float64Array(0), 0);
        if (empty.lower.length !== 0 || empty.n !== 0) fail('n = 0 must give empty bounds');
        prepared.dispose();
        expectThrow(() => prepared.ibp(box.lower, box.upper, n), MinmaxError, 'ibp after prepared.dispose()');
      }),
  });
  cases.push({
    name: 'ibp: in-place parameter updates are seen by engine.ibp and by refreshParameters, not by a stale prepared network',
    run: () =>
      withEngine(factory, (engine) => {
        const net = conformanceNetworks(new Rng(seed))[0]!.net;
        const rng = new Rng(seed + 50);
        const box = randomBoxes(rng, 7, 2, 0.1);
        const prepared = engine.prepare(net);
        const before = engine.ibp(net, box.lower, box.upper, 2);
        const dense = net.layers[2]!;
        if (dense.kind !== 'dense') fail('expected a dense layer at index 2');
        for (let i = 0; i < dense.weight.data.length; i++) dense.weight.data[i] = dense.weight.data[i]! * 2;
        const after = engine.ibp(net, box.lower, box.upper, 2);
        const fresh = createReferenceIntervalEngine();
        assertClose(after, fresh.ibp(net, box.lower, box.upper, 2), 1e-10, 'engine.ibp after an in-place update');
        if (after.upper.every((v, i) => v === before.upper[i])) fail('engine.ibp did not see the updated weights');
        assertClose(prepared.ibp(box.lower, box.upper, 2), before, 1e-12, 'prepared network before refreshParameters');
        prepared.refreshParameters();
        assertClose(prepared.ibp(box.lower, box.upper, 2), after, 1e-12, 'prepared network after refreshParameters');
        // A structural change: engine.ibp re-prepares, a prepared network refuses to refresh.
        net.layers = [...net.layers, { kind: 'relu', name: 'extra_relu' }];
        const grown = engine.ibp(net, box.lower, box.upper, 2);
        if (grown.lower.some((v) => v < 0)) fail('structural change not picked up by engine.ibp (expected ReLU output ≥ 0)');
        expectThrow(() => prepared.refreshParameters(), ShapeError, 'refreshParameters after a structural change');
        prepared.dispose();
        fresh.dispose();
      }),
  });
  cases.push({
    name: 'ibp: a network without layers returns its input box; a single dense layer equals linear()',
    run: () =>
      withEngine(factory, (engine) => {
        const rng = new Rng(seed + 60);
        const id = new NetBuilder(rng, [2, 3]).build();
        const box = randomBoxes(rng, 6, 2, 0.5);
        const r = engine.ibp(id, box.lower, box.upper, 2, { layers: 'all' });
        if (r.layers.length !== 0 || r.shape.join() !== '2,3') fail(`identity network: layers ${r.layers.length}, shape [${r.shape}]`);
        if (r.lower.some((v, i) => v !== box.lower[i]) || r.upper.some((v, i) => v !== box.upper[i])) fail('identity network changed the box');
        const dense = new NetBuilder(rng, [6]).dense(4).build();
        const layer = dense.layers[0]!;
        if (layer.kind !== 'dense') fail('expected dense');
        const viaIbp = engine.ibp(dense, box.lower, box.upper, 2);
        const viaLinear = engine.linear({ weight: layer.weight.data, bias: layer.bias.data, outDim: 4, inDim: 6 }, box.lower, box.upper, 2);
        assertClose(viaIbp, viaLinear, 1e-12, 'ibp vs linear');
      }),
  });
  cases.push({
    name: 'ibp: unsupported layers, shape mismatches, bad boxes and bad options raise typed errors',
    run: () =>
      withEngine(factory, (engine) => {
        const rng = new Rng(seed + 70);
        const pooled = new NetBuilder(rng, [1, 4, 4]).conv(2, [3, 3], [1, 1], [1, 1, 1, 1]).maxpool([2, 2]).build();
        const err = expectThrow(() => engine.prepare(pooled), UnsupportedOpError, 'maxpool');
        if ((err as UnsupportedOpError).opType !== 'MaxPool') fail(`maxpool error names op '${(err as UnsupportedOpError).opType}'`);
        const net = new NetBuilder(rng, [5]).dense(3).build();
        const badShape: Network = { ...net, inputShape: [4] };
        expectThrow(() => engine.prepare(badShape), ShapeError, 'dense input size mismatch');
        const convOnFlat = new NetBuilder(rng, [1, 3, 3]).flatten().build();
        convOnFlat.layers.push(new NetBuilder(rng, [1, 3, 3]).conv(1, [2, 2]).layers[0]!);
        expectThrow(() => engine.prepare(convOnFlat), ShapeError, 'conv on a flat input');
        const nanNet = new NetBuilder(rng, [5]).dense(3).build();
        const nanLayer = nanNet.layers[0]!;
        if (nanLayer.kind === 'dense') nanLayer.weight.data[4] = NaN;
        expectThrow(() => engine.prepare(nanNet), InvalidArgumentError, 'NaN weight');
        const box = randomBoxes(rng, 5, 2, 0.1);
        expectThrow(() => engine.ibp(net, box.lower, box.upper, 3), InvalidArgumentError, 'n larger than the boxes');
        const swapped = engine.ibp.bind(engine, net, box.upper, box.lower, 2);
        if (box.lower.some((v, i) => v < box.upper[i]!)) expectThrow(swapped, InvalidArgumentError, 'lower > upper');
        expectThrow(() => engine.ibp(net, box.lower, box.upper, 2, { layers: [1] }), InvalidArgumentError, 'layer index out of range');
        expectThrow(() => engine.prepare(net, { maxBatch: 0 }), InvalidArgumentError, 'maxBatch 0');
      }),
  });
  cases.push({
    name: 'dispose: a disposed engine refuses further work',
    run: async () => {
      const engine = await factory();
      const net = new NetBuilder(new Rng(seed), [3]).dense(2).build();
      const prepared = engine.prepare(net);
      engine.dispose();
      const box = new Float64Array(3);
      expectThrow(() => engine.ibp(net, box, box, 1), MinmaxError, 'engine.ibp after dispose');
      expectThrow(() => engine.linear({ weight: new Float64Array(3), bias: new Float64Array(1), outDim: 1, inDim: 3 }, box, box, 1), MinmaxError, 'linear after dispose');
      expectThrow(() => prepared.ibp(box, box, 1), MinmaxError, 'prepared.ibp after engine.dispose');
    },
  });
  return cases;
}

function fixtureCases(factory: IntervalEngineFactory, fixtures: readonly IbpFixture[]): ConformanceCase[] {
  return fixtures.map((f) => ({
    name: `ibp fixture ${f.name}: output bounds match the expected figures (rtol ${f.rtol})`,
    run: () =>
      withEngine(factory, (engine) => {
        const r = engine.ibp(f.network, f.lower, f.upper, f.n);
        for (const [side, expected] of [['lower', f.expectedLower], ['upper', f.expectedUpper]] as const) {
          if (r[side].length !== expected.length) fail(`${f.name}: ${r[side].length} ${side} bounds, expected ${expected.length}`);
          expected.forEach((v, i) => {
            const got = r[side][i]!;
            if (!(Math.abs(got - v) <= f.rtol * Math.abs(v))) fail(`${f.name}: ${side}[${i}] = ${got}, expected ${v} (rtol ${f.rtol})`);
          });
        }
      }),
  }));
}

/** All conformance cases for engines made by `factory`. */
export function intervalConformanceCases(factory: IntervalEngineFactory, options: ConformanceOptions = {}): ConformanceCase[] {
  const seed = options.seed ?? 20240611;
  return [
    ...linearCases(factory, seed),
    ...networkCases(factory, seed),
    ...crownConformanceCases(factory, seed),
    ...fixtureCases(factory, options.fixtures ?? []),
  ];
}
