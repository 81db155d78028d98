/**
 * The layer chain the ONNX importer builds, with the canonicalising folds applied as layers
 * arrive:
 *  - a bias-only constant Add after dense/conv goes into the bias (MatMul + Add → dense);
 *  - inference BatchNormalization after dense/conv is folded into its weights:
 *      y = γ (Wx + b − μ)/√(σ² + ε) + β  =  (aW) x + (a(b − μ) + β),  a = γ/√(σ² + ε)
 *    (exact in real arithmetic; the folded weights are rounded to float32 once);
 *  - consecutive affines merge: (x s₁ + t₁) s₂ + t₂ = x (s₁s₂) + (t₁s₂ + t₂);
 *  - consecutive reshapes/flattens collapse to the last one (a reshape never reorders elements).
 * Parameters are carried as float64 drafts until `finalize`, so several folds round only once.
 */
import { ShapeError } from '../errors.js';
import type { Layer, Param } from '../ir/network.js';
import {
  binary,
  broadcastShape,
  expandTo,
  fmtShape,
  sizeOf,
  withDims,
  type StaticTensor,
} from './import-static.js';

type Pads = [number, number, number, number];
type Pair = [number, number];

type DraftLayer =
  | { kind: 'dense'; name: string; weight: StaticTensor; bias?: StaticTensor }
  | {
      kind: 'conv';
      name: string;
      weight: StaticTensor;
      bias?: StaticTensor;
      strides: Pair;
      pads: Pads;
      dilations: Pair;
    }
  | { kind: 'affine'; name: string; scale?: StaticTensor; shift?: StaticTensor }
  | { kind: 'relu'; name: string }
  | { kind: 'flatten'; name: string }
  | { kind: 'reshape'; name: string; shape: number[] }
  | { kind: 'avgpool' | 'maxpool'; name: string; kernel: Pair; strides: Pair; pads: Pads; countIncludePad: boolean };

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

function convOut(inSize: number, k: number, s: number, p0: number, p1: number, d: number): number {
  return Math.floor((inSize + p0 + p1 - d * (k - 1) - 1) / s) + 1;
}

export class LayerChain {
  private readonly layers: DraftLayer[] = [];
  /** shapes[i] = per-example shape after i layers. */
  private readonly shapes: number[][];
  /** Identity of the current activation; bumps on every change, so a stale reader is detectable. */
  version = 0;

  constructor(inputShape: number[]) {
    this.shapes = [inputShape.slice()];
  }

  get shape(): number[] {
    return this.shapes[this.shapes.length - 1];
  }

  get length(): number {
    return this.layers.length;
  }

  private push(layer: DraftLayer, shape: number[]): void {
    this.layers.push(layer);
    this.shapes.push(shape);
    this.version++;
  }

  private last(): DraftLayer | undefined {
    return this.layers[this.layers.length - 1];
  }

  dense(weight: StaticTensor, bias: StaticTensor | undefined, name: string): void {
    const s = this.shape;
    const [out, inF] = weight.dims;
    if (s.length !== 1 || s[0] !== inF) {
      throw new ShapeError(`${name}: weight ${fmtShape(weight.dims)} expects input [N, ${inF}], got [N, ${s.join(', ')}]`);
    }
    if (bias && (bias.dims.length !== 1 || bias.dims[0] !== out)) {
      throw new ShapeError(`${name}: bias ${fmtShape(bias.dims)} does not match weight ${fmtShape(weight.dims)}`);
    }
    this.push({ kind: 'dense', name, weight, bias }, [out]);
  }

  conv(
    weight: StaticTensor,
    bias: StaticTensor | undefined,
    strides: Pair,
    pads: Pads,
    dilations: Pair,
    name: string,
  ): void {
    const s = this.shape;
    const [oc, ic, kh, kw] = weight.dims;
    if (s.length !== 3 || s[0] !== ic) {
      throw new ShapeError(`${name}: weight ${fmtShape(weight.dims)} expects input [N, ${ic}, H, W], got [N, ${s.join(', ')}]`);
    }
    if (bias && (bias.dims.length !== 1 || bias.dims[0] !== oc)) {
      throw new ShapeError(`${name}: bias ${fmtShape(bias.dims)} does not match weight ${fmtShape(weight.dims)}`);
    }
    const oh = convOut(s[1], kh, strides[0], pads[0], pads[2], dilations[0]);
    const ow = convOut(s[2], kw, strides[1], pads[1], pads[3], dilations[1]);
    if (oh < 1 || ow < 1) throw new ShapeError(`${name}: output ${oh}x${ow} of a ${kh}x${kw} conv on ${s[1]}x${s[2]}`);
    this.push({ kind: 'conv', name, weight, bias, strides, pads, dilations }, [oc, oh, ow]);
  }

  pool(kind: 'avgpool' | 'maxpool', kernel: Pair, strides: Pair, pads: Pads, countIncludePad: boolean, name: string): void {
    const s = this.shape;
    if (s.length !== 3) throw new ShapeError(`${name}: 2-D pooling needs input [N, C, H, W], got [N, ${s.join(', ')}]`);
    const oh = convOut(s[1], kernel[0], strides[0], pads[0], pads[2], 1);
    const ow = convOut(s[2], kernel[1], strides[1], pads[1], pads[3], 1);
    if (oh < 1 || ow < 1) throw new ShapeError(`${name}: output ${oh}x${ow} of a ${kernel.join('x')} pool on ${s[1]}x${s[2]}`);
    this.push({ kind, name, kernel, strides, pads, countIncludePad }, [s[0], oh, ow]);
  }

  relu(name: string): void {
    if (this.last()?.kind === 'relu') {
      // relu∘relu = relu; keep one layer but still mark the activation as consumed.
      this.version++;
      return;
    }
    this.push({ kind: 'relu', name }, this.shape.slice());
  }

  /** Reshape the per-example tensor (batch kept); rank 1 is a flatten. */
  reshape(target: number[], name: string): void {
    if (sizeOf(target) !== sizeOf(this.shape)) {
      throw new ShapeError(`${name}: cannot reshape [N, ${this.shape.join(', ')}] to [N, ${target.join(', ')}]`);
    }
    if (sameShape(target, this.shape)) {
      this.version++;
      return;
    }
    while (this.layers.length > 0 && (this.last()!.kind === 'reshape' || this.last()!.kind === 'flatten')) {
      this.layers.pop();
      this.shapes.pop();
    }
    if (sameShape(target, this.shape)) {
      this.version++;
      return;
    }
    if (target.length === 1) this.push({ kind: 'flatten', name }, target.slice());
    else this.push({ kind: 'reshape', name, shape: target.slice() }, target.slice());
  }

  /**
   * Brings a constant operand of an elementwise op into the canonical affine parameter form:
   * [] (scalar), [C, 1, …] (per channel) or the full per-example shape. A leading batch dim of 1
   * is dropped; a constant that would broadcast the activation to a larger shape is a ShapeError.
   */
  normalizeOperand(t: StaticTensor, name: string): StaticTensor {
    const shape = this.shape;
    let dims = t.dims;
    const full = `[N, ${shape.join(', ')}]`;
    if (dims.length > shape.length + 1 || (dims.length === shape.length + 1 && dims[0] !== 1)) {
      throw new ShapeError(`${name}: constant ${fmtShape(t.dims)} does not broadcast per example against ${full}`);
    }
    if (dims.length === shape.length + 1) dims = dims.slice(1);
    const b = broadcastShape(dims, shape);
    if (!sameShape(b, shape)) {
      throw new ShapeError(`${name}: constant ${fmtShape(t.dims)} would broadcast ${full} to [N, ${b.join(', ')}]`);
    }
    if (sizeOf(dims) === 1) return withDims(t, []);
    const padded = [...new Array<number>(shape.length - dims.length).fill(1), ...dims];
    if (padded[0] === shape[0] && padded.slice(1).every((d) => d === 1)) return withDims(t, padded);
    if (sameShape(padded, shape)) return withDims(t, padded);
    return expandTo(withDims(t, padded), shape);
  }

  /** y = x·scale + shift with operands already normalised (undefined = identity). */
  affine(scale: StaticTensor | undefined, shift: StaticTensor | undefined, name: string): void {
    if (!scale && !shift) {
      this.version++;
      return;
    }
    if (!scale && shift && this.foldBias(shift)) return;
    const prev = this.last();
    if (prev && prev.kind === 'affine') {
      const s1 = prev.scale;
      const t1 = prev.shift;
      prev.scale = s1 && scale ? binary('Mul', s1, scale) : (s1 ?? scale);
      const t1s = t1 && scale ? binary('Mul', t1, scale) : t1;
      prev.shift = t1s && shift ? binary('Add', t1s, shift) : (t1s ?? shift);
      this.version++;
      return;
    }
    this.push({ kind: 'affine', name, scale, shift }, this.shape.slice());
  }

  /** Folds a constant added to the output of the preceding dense/conv into its bias, if exact. */
  private foldBias(shift: StaticTensor): boolean {
    let k = this.layers.length - 1;
    while (k >= 0 && (this.layers[k].kind === 'reshape' || this.layers[k].kind === 'flatten')) k--;
    if (k < 0) return false;
    const target = this.layers[k];
    let perOut: StaticTensor;
    if (target.kind === 'dense') {
      // Reshapes keep element order, so a full-shape constant is a per-output-unit bias.
      const flat = withDims(expandTo(shift, this.shape), [sizeOf(this.shape)]);
      perOut = flat;
    } else if (target.kind === 'conv' && k === this.layers.length - 1) {
      const [c, h, w] = this.shape;
      const full = expandTo(shift, this.shape);
      const per = new Float64Array(c);
      for (let ch = 0; ch < c; ch++) {
        const v = full.data[ch * h * w];
        for (let i = 1; i < h * w; i++) if (full.data[ch * h * w + i] !== v) return false;
        per[ch] = v;
      }
      perOut =
        shift.dims.length === 3 && shift.dims[0] === c && shift.dims[1] === 1 && shift.dims[2] === 1
          ? withDims(shift, [c])
          : { dims: [c], float: true, data: per, origin: shift.origin, pristine: false };
    } else {
      return false;
    }
    target.bias = target.bias ? binary('Add', target.bias, perOut) : perOut;
    this.version++;
    return true;
  }

  /** Inference BatchNormalization with per-channel a = γ/√(σ²+ε), b = β − μa (see header). */
  batchNorm(a: StaticTensor, b: StaticTensor, name: string): void {
    const shape = this.shape;
    const c = shape[0];
    if (a.dims.length !== 1 || a.dims[0] !== c) {
      throw new ShapeError(`${name}: BatchNormalization parameters ${fmtShape(a.dims)} do not match ${c} channels of [N, ${shape.join(', ')}]`);
    }
    const prev = this.last();
    if (prev && (prev.kind === 'dense' || prev.kind === 'conv')) {
      const w = prev.weight;
      const per = sizeOf(w.dims) / c;
      const data = new Float64Array(w.data.length);
      for (let o = 0; o < c; o++) for (let i = 0; i < per; i++) data[o * per + i] = w.data[o * per + i] * a.data[o];
      prev.weight = { dims: w.dims.slice(), float: true, data, origin: w.origin, pristine: false };
      prev.bias = prev.bias ? binary('Add', binary('Mul', prev.bias, a), b) : b;
      this.version++;
      return;
    }
    const chShape = [c, ...shape.slice(1).map(() => 1)];
    this.affine(withDims(a, chShape), withDims(b, chShape), name);
  }

  /**
   * Float32 layers with deterministic, unique parameter names that also avoid `reserved` (the
   * network's input/output names, which share the ONNX tensor namespace with parameters).
   */
  finalize(reserved: readonly string[] = []): Layer[] {
    const used = new Set<string>(reserved);
    const unique = (base: string): string => {
      let n = base;
      for (let k = 2; used.has(n); k++) n = `${base}_${k}`;
      used.add(n);
      return n;
    };
    const layerNames = new Set<string>();
    const uniqueLayer = (base: string): string => {
      let n = base;
      for (let k = 2; layerNames.has(n); k++) n = `${base}_${k}`;
      layerNames.add(n);
      return n;
    };
    const param = (t: StaticTensor | undefined, layer: string, role: string, dims: number[], fill: number): Param => {
      if (!t) return { name: unique(`${layer}.${role}`), shape: dims, data: new Float32Array(sizeOf(dims)).fill(fill) };
      const base = t.origin ? (t.pristine ? t.origin : `${t.origin}.folded`) : `${layer}.${role}`;
      return { name: unique(base), shape: dims.slice(), data: Float32Array.from(t.data) };
    };
    return this.layers.map((l): Layer => {
      const name = uniqueLayer(l.name);
      switch (l.kind) {
        case 'dense':
          return {
            kind: 'dense',
            name,
            weight: param(l.weight, name, 'weight', l.weight.dims, 0),
            bias: param(l.bias, name, 'bias', [l.weight.dims[0]], 0),
          };
        case 'conv':
          return {
            kind: 'conv',
            name,
            weight: param(l.weight, name, 'weight', l.weight.dims, 0),
            bias: param(l.bias, name, 'bias', [l.weight.dims[0]], 0),
            strides: l.strides,
            pads: l.pads,
            dilations: l.dilations,
          };
        case 'affine':
          return {
            kind: 'affine',
            name,
            scale: param(l.scale, name, 'scale', l.scale?.dims ?? [], 1),
            shift: param(l.shift, name, 'shift', l.shift?.dims ?? [], 0),
          };
        case 'relu':
          return { kind: 'relu', name };
        case 'flatten':
          return { kind: 'flatten', name };
        case 'reshape':
          return { kind: 'reshape', name, shape: l.shape.slice() };
        case 'avgpool':
        case 'maxpool':
          return {
            kind: l.kind,
            name,
            kernel: l.kernel,
            strides: l.strides,
            pads: l.pads,
            countIncludePad: l.countIncludePad,
          };
      }
    });
  }
}
