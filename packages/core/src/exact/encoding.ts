/**
 * The mixed-integer encoding of Tjeng, Xiao & Tedrake (ICLR 2019), the tutorial's `form_milp`,
 * and its LP relaxation (`form_lp`, the "triangle" convex hull of each bounded ReLU).
 *
 * Columns: the input x in its box; per ReLU layer the pre-activation ẑ = A z_prev + b (one
 * equality row per neuron, column bounds [l, u]) and, for unstable neurons (l < 0 < u), the
 * post-activation z and the indicator v with
 *   z ≥ ẑ,  z ≥ 0,  z ≤ u·v,  z ≤ ẑ − l·(1 − v),  v ∈ {0,1} (MIP) or [0,1] (LP).
 * Stable neurons need no indicator: l ≥ 0 ⇒ z = ẑ (the same column); u ≤ 0 ⇒ z = 0 (no column,
 * dropped from the next layer's rows). The column bounds l ≤ ẑ ≤ u are implied by the box for the
 * exact network, and for interval bounds also by the relaxation, so the LP optimum equals the
 * tutorial's, which omitted them.
 *
 * Measured on the tutorial's `small` at ε = 0.1 and not adopted: the ideal single-neuron cuts of
 * Anderson et al. (Math. Programming 2020) on layer 0, separated at the LP optimum (3 rounds per
 * target), halve the branch-and-bound nodes but each has ~400 of the 784 input columns, so the
 * solves take ~20 % longer (top-30 sparse versions barely move the bound); relaxing the last
 * layer's indicators whose objective weight is ≥ 0 (same optimum) is no faster (4.3 vs 4.0 s/target).
 *
 * The encoding stops either at the network output (columns y with IBP bounds, for objectives)
 * or, for bound tightening, at the pre-activations of one ReLU layer ("head").
 */
import { InvalidArgumentError } from '../errors.js';
import type { NeuronBounds } from './interval.js';
import { ProblemBuilder, type Problem } from './problem.js';
import { reluDepth, type ReluChain } from './relu-chain.js';
import { multiplyVector } from './sparse.js';

export type Relaxation = 'milp' | 'lp';

export interface EncodeOptions {
  relaxation: Relaxation;
  /** Input box, flattened. */
  inputLower: Float64Array;
  inputUpper: Float64Array;
  /** Pre-activation bounds of every ReLU layer encoded (and of the head layer when `head` is set). */
  preact: readonly NeuronBounds[];
  /** Bounds of the network output (required when encoding to the output; they make every column bounded). */
  output?: NeuronBounds;
  /** Stop at the pre-activations of ReLU layer `head` (0-based) instead of the output. */
  head?: number;
}

export interface LayerColumns {
  /** Column of ẑ_j, or −1 for neurons proven inactive (u ≤ 0). */
  readonly preact: Int32Array;
  /** Column of z_j (= preact for active neurons), or −1 for inactive ones. */
  readonly post: Int32Array;
  /** Column of v_j for unstable neurons, else −1. */
  readonly indicator: Int32Array;
}

export interface Encoding {
  readonly problem: Problem;
  readonly relaxation: Relaxation;
  readonly inputStart: number;
  readonly inputSize: number;
  readonly layers: readonly LayerColumns[];
  /** Columns of the head: the network outputs, or the pre-activations of layer `head`. */
  readonly headStart: number;
  readonly headSize: number;
  /** Unstable neurons (= binary columns in the MIP). */
  readonly unstable: number;
  /** All columns for an input point x, or undefined if x leaves the bounds (for MIP starts). */
  pointColumns(x: ArrayLike<number>): Float64Array | undefined;
}

function checkFinite(b: NeuronBounds, what: string): void {
  for (let j = 0; j < b.lower.length; j++) {
    if (!Number.isFinite(b.lower[j]!) || !Number.isFinite(b.upper[j]!) || b.lower[j]! > b.upper[j]!) {
      throw new InvalidArgumentError(`${what}: neuron ${j} has bounds [${b.lower[j]}, ${b.upper[j]}]; the encoding needs finite, non-empty bounds`);
    }
  }
}

export function encode(chain: ReluChain, o: EncodeOptions): Encoding {
  const depth = reluDepth(chain);
  const stop = o.head ?? depth;
  if (!(Number.isInteger(stop) && stop >= 0 && stop <= depth)) throw new InvalidArgumentError(`head layer ${o.head} is outside [0, ${depth}]`);
  if (o.inputLower.length !== chain.inputSize || o.inputUpper.length !== chain.inputSize) {
    throw new InvalidArgumentError(`input box has ${o.inputLower.length} values, the network takes ${chain.inputSize}`);
  }
  const pb = new ProblemBuilder();
  const inputStart = pb.numCols;
  for (let i = 0; i < chain.inputSize; i++) {
    const l = o.inputLower[i]!;
    const u = o.inputUpper[i]!;
    if (!(Number.isFinite(l) && Number.isFinite(u) && l <= u)) throw new InvalidArgumentError(`input box: element ${i} is [${l}, ${u}]`);
    pb.col(l, u);
  }
  let prevPost = Int32Array.from({ length: chain.inputSize }, (_, i) => inputStart + i);
  const layers: LayerColumns[] = [];
  let unstable = 0;

  /** Rows col_j − Σ A_jk z_k = b_j for each j with a column. */
  const linkRows = (seg: (typeof chain.segments)[number], cols: Int32Array): void => {
    const { starts, indices, values } = seg.map;
    for (let j = 0; j < seg.map.rows; j++) {
      if (cols[j]! < 0) continue;
      const rc: number[] = [cols[j]!];
      const rv: number[] = [1];
      for (let k = starts[j]!; k < starts[j + 1]!; k++) {
        const c = prevPost[indices[k]!]!;
        if (c >= 0) {
          rc.push(c);
          rv.push(-values[k]!);
        }
      }
      pb.row(rc, rv, seg.bias[j]!, seg.bias[j]!);
    }
  };

  for (let k = 0; k < stop; k++) {
    const seg = chain.segments[k]!;
    const b = o.preact[k];
    if (!b || b.lower.length !== seg.map.rows) throw new InvalidArgumentError(`missing or mis-sized pre-activation bounds for ReLU layer ${k}`);
    checkFinite(b, `ReLU layer ${k}`);
    const n = seg.map.rows;
    const preact = new Int32Array(n).fill(-1);
    const post = new Int32Array(n).fill(-1);
    const indicator = new Int32Array(n).fill(-1);
    for (let j = 0; j < n; j++) {
      const l = b.lower[j]!;
      const u = b.upper[j]!;
      if (u <= 0) continue;
      preact[j] = pb.col(l, u);
      if (l >= 0) post[j] = preact[j]!;
      else {
        post[j] = pb.col(0, u);
        indicator[j] = pb.col(0, 1, o.relaxation === 'milp');
        unstable++;
      }
    }
    linkRows(seg, preact);
    for (let j = 0; j < n; j++) {
      if (indicator[j]! < 0) continue;
      const l = b.lower[j]!;
      const u = b.upper[j]!;
      const p = preact[j]!;
      const z = post[j]!;
      const v = indicator[j]!;
      pb.row([z, p], [1, -1], 0, Infinity);
      pb.row([z, v], [1, -u], -Infinity, 0);
      pb.row([z, p, v], [1, -1, -l], -Infinity, -l);
    }
    layers.push({ preact, post, indicator });
    prevPost = post;
  }

  const headSeg = chain.segments[stop]!;
  const headBounds = stop < depth ? o.preact[stop] : o.output;
  if (!headBounds || headBounds.lower.length !== headSeg.map.rows) {
    throw new InvalidArgumentError(stop < depth ? `missing bounds for head layer ${stop}` : 'missing output bounds');
  }
  checkFinite(headBounds, stop < depth ? `head layer ${stop}` : 'output');
  const headStart = pb.numCols;
  const headCols = new Int32Array(headSeg.map.rows);
  for (let j = 0; j < headSeg.map.rows; j++) headCols[j] = pb.col(headBounds.lower[j]!, headBounds.upper[j]!);
  linkRows(headSeg, headCols);

  const problem = pb.build();
  const pointColumns = (x: ArrayLike<number>): Float64Array | undefined => {
    const cols = new Float64Array(problem.numCols);
    let a: ArrayLike<number> = x;
    for (let i = 0; i < chain.inputSize; i++) cols[inputStart + i] = x[i]!;
    for (let k = 0; k <= stop; k++) {
      const seg = chain.segments[k]!;
      const pre = multiplyVector(seg.map, a, seg.bias);
      if (k === stop) {
        for (let j = 0; j < pre.length; j++) cols[headStart + j] = pre[j]!;
        break;
      }
      const L = layers[k]!;
      const out = new Float64Array(pre.length);
      for (let j = 0; j < pre.length; j++) {
        out[j] = Math.max(0, pre[j]!);
        if (L.preact[j]! >= 0) cols[L.preact[j]!] = pre[j]!;
        if (L.post[j]! >= 0) cols[L.post[j]!] = out[j]!;
        if (L.indicator[j]! >= 0) cols[L.indicator[j]!] = pre[j]! > 0 ? 1 : 0;
      }
      a = out;
    }
    for (let j = 0; j < problem.numCols; j++) {
      if (!(cols[j]! >= problem.colLower[j]! && cols[j]! <= problem.colUpper[j]!)) return undefined;
    }
    return cols;
  };
  return { problem, relaxation: o.relaxation, inputStart, inputSize: chain.inputSize, layers, headStart, headSize: headSeg.map.rows, unstable, pointColumns };
}
