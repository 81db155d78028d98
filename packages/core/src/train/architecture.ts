/**
 * Architectures for training, by name or by a compact spec. The named ones are the tutorial's
 * exactly (ch. 3 §4.3, ch. 4 §5.6), with PyTorch's nn.Sequential numbering for layer and
 * parameter names ('0.weight', '9.bias', …), so a network trained here has the same layer
 * shapes and initializer names as the released tutorial-models.
 *
 * Compact spec: comma-separated layer tokens, optionally led by an input token.
 *   in1x28x28            per-example input shape (default 1x28x28, MNIST)
 *   conv32k3s2p1         Conv2d(out 32, kernel 3, stride 2 (default 1), padding 1 (default 0))
 *   dense100 | fc100     Linear(·, 100) (flattening first is explicit: `flatten`)
 *   relu | flatten
 *   maxpool2 | avgpool2s2  square pooling, stride defaults to the kernel
 * or an MLP shorthand `784-200-10` (Flatten, then Linear layers with ReLU between; the first
 * number is the flattened input size). A JSON object {"input":[…],"layers":[{"kind":"conv",…}]}
 * is accepted as well.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Layer, Network, Param } from '../ir/network.js';
import { layerOutputShape } from '../ir/shapes.js';
import { Rng } from '../data/rng.js';
import { pytorchDefaultInit } from './init.js';

export type LayerSpec =
  | { kind: 'conv'; out: number; kernel: number; stride?: number; pad?: number }
  | { kind: 'dense'; out: number }
  | { kind: 'relu' }
  | { kind: 'flatten' }
  | { kind: 'maxpool' | 'avgpool'; kernel: number; stride?: number };

export interface ArchSpec {
  /** Per-example input shape, e.g. [1, 28, 28]. */
  input: number[];
  layers: LayerSpec[];
}

const CNN_TAIL = 'relu,flatten,dense100,relu,dense10';

/** The tutorial's networks (spec strings in the compact grammar above). */
export const ARCHITECTURES: Readonly<Record<string, { spec: string; description: string }>> = {
  mlp: { spec: '784-200-10', description: "model_dnn_2, the tutorial's \"MLP\" (ch. 3)" },
  dnn4: { spec: '784-200-100-100-10', description: 'model_dnn_4 (ch. 3)' },
  small: { spec: '784-50-20-10', description: 'model_small, 70 ReLUs (ch. 3, MILP/LP)' },
  cnn: {
    spec: `conv32k3p1,relu,conv32k3s2p1,relu,conv64k3p1,relu,conv64k3s2p1,${CNN_TAIL}`,
    description: 'model_cnn, the "ConvNet" (ch. 3/4), strides 1,2,1,2',
  },
  'cnn-ibp': {
    spec: `conv32k3s2p1,relu,conv32k3p1,relu,conv64k3p1,relu,conv64k3s2p1,${CNN_TAIL}`,
    description: 'model_cnn_robust_2, the IBP-trained ConvNet (ch. 4), strides 2,1,1,2',
  },
  linear: { spec: '784-1', description: 'the ch. 2 binary linear classifier, Linear(784, 1)' },
};

const posInt = (v: unknown, what: string, spec: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`architecture '${spec}': ${what} must be a positive integer, got ${String(v)}`);
  return v;
};
const nonNegInt = (v: unknown, what: string, spec: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InvalidArgumentError(`architecture '${spec}': ${what} must be an integer ≥ 0, got ${String(v)}`);
  return v;
};

function parseToken(token: string, spec: string): LayerSpec {
  const t = token.toLowerCase();
  if (t === 'relu') return { kind: 'relu' };
  if (t === 'flatten') return { kind: 'flatten' };
  let m = /^conv(\d+)k(\d+)(?:s(\d+))?(?:p(\d+))?$/.exec(t);
  if (m) return { kind: 'conv', out: posInt(+m[1], 'conv channels', spec), kernel: posInt(+m[2], 'conv kernel', spec), stride: m[3] ? posInt(+m[3], 'conv stride', spec) : 1, pad: m[4] ? nonNegInt(+m[4], 'conv padding', spec) : 0 };
  m = /^(?:dense|fc)(\d+)$/.exec(t);
  if (m) return { kind: 'dense', out: posInt(+m[1], 'dense size', spec) };
  m = /^(maxpool|avgpool)(\d+)(?:s(\d+))?$/.exec(t);
  if (m) {
    const kernel = posInt(+m[2], 'pool kernel', spec);
    return { kind: m[1] as 'maxpool' | 'avgpool', kernel, stride: m[3] ? posInt(+m[3], 'pool stride', spec) : kernel };
  }
  throw new InvalidArgumentError(
    `architecture '${spec}': unknown layer token '${token}' (expected convOUTkK[sS][pP], denseN, relu, flatten, maxpoolK[sS], avgpoolK[sS])`,
  );
}

function parseMlp(spec: string): ArchSpec {
  const sizes = spec.split('-').map((s) => posInt(Number(s), 'layer size', spec));
  if (sizes.length < 2) throw new InvalidArgumentError(`architecture '${spec}': an MLP needs an input size and at least one layer`);
  const input = sizes[0] === 784 ? [1, 28, 28] : [sizes[0]];
  const layers: LayerSpec[] = [{ kind: 'flatten' }];
  sizes.slice(1).forEach((out, i) => {
    if (i > 0) layers.push({ kind: 'relu' });
    layers.push({ kind: 'dense', out });
  });
  return { input, layers };
}

function fromJson(spec: string): ArchSpec {
  let v: unknown;
  try {
    v = JSON.parse(spec);
  } catch (e) {
    throw new InvalidArgumentError(`architecture JSON does not parse: ${(e as Error).message}`);
  }
  const o = v as Partial<ArchSpec>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.layers)) throw new InvalidArgumentError('architecture JSON needs a "layers" array');
  const input = o.input ?? [1, 28, 28];
  if (!Array.isArray(input)) throw new InvalidArgumentError('architecture JSON: "input" must be an array of dimensions');
  input.forEach((d) => posInt(d, 'input dimension', 'JSON'));
  const layers = o.layers.map((l: LayerSpec) => {
    switch (l?.kind) {
      case 'relu':
      case 'flatten':
        return { kind: l.kind };
      case 'dense':
        return { kind: 'dense', out: posInt(l.out, 'dense out', 'JSON') };
      case 'conv':
        return { kind: 'conv', out: posInt(l.out, 'conv out', 'JSON'), kernel: posInt(l.kernel, 'conv kernel', 'JSON'), stride: posInt(l.stride ?? 1, 'conv stride', 'JSON'), pad: nonNegInt(l.pad ?? 0, 'conv pad', 'JSON') };
      case 'maxpool':
      case 'avgpool':
        return { kind: l.kind, kernel: posInt(l.kernel, 'pool kernel', 'JSON'), stride: posInt(l.stride ?? l.kernel, 'pool stride', 'JSON') };
      default:
        throw new InvalidArgumentError(`architecture JSON: unknown layer kind '${String((l as { kind?: unknown })?.kind)}'`);
    }
  }) as LayerSpec[];
  return { input: [...input], layers };
}

/** An architecture by name (ARCHITECTURES), compact spec string or JSON. */
export function parseArchitecture(nameOrSpec: string): ArchSpec {
  const s = nameOrSpec.trim();
  if (s === '') throw new InvalidArgumentError('architecture is empty');
  const named = ARCHITECTURES[s];
  if (named) return parseArchitecture(named.spec);
  if (s.startsWith('{')) return fromJson(s);
  if (/^\d+(-\d+)+$/.test(s)) return parseMlp(s);
  const tokens = s.split(',').map((t) => t.trim()).filter(Boolean);
  let input = [1, 28, 28];
  const first = /^in(\d+(?:x\d+)*)$/i.exec(tokens[0] ?? '');
  if (first) {
    input = first[1].split('x').map((d) => posInt(Number(d), 'input dimension', s));
    tokens.shift();
  }
  if (tokens.length === 0) {
    const names = Object.keys(ARCHITECTURES).join(', ');
    throw new InvalidArgumentError(`architecture '${s}' has no layers (named architectures: ${names})`);
  }
  return { input, layers: tokens.map((t) => parseToken(t, s)) };
}

/** The compact spec string of an architecture (round-trips through parseArchitecture). */
export function formatArchitecture(a: ArchSpec): string {
  const tok = (l: LayerSpec): string => {
    switch (l.kind) {
      case 'conv':
        return `conv${l.out}k${l.kernel}${(l.stride ?? 1) !== 1 ? `s${l.stride}` : ''}${(l.pad ?? 0) !== 0 ? `p${l.pad}` : ''}`;
      case 'dense':
        return `dense${l.out}`;
      case 'maxpool':
      case 'avgpool':
        return `${l.kind}${l.kernel}${(l.stride ?? l.kernel) !== l.kernel ? `s${l.stride}` : ''}`;
      default:
        return l.kind;
    }
  };
  return [`in${a.input.join('x')}`, ...a.layers.map(tok)].join(',');
}

const zeros = (name: string, shape: number[]): Param => ({ name, shape, data: new Float32Array(shape.reduce((a, d) => a * d, 1)) });

/**
 * The network of an architecture with PyTorch-default initial weights drawn from `rng` (or
 * `new Rng(seed)`), layer by layer, weight before bias, as nn.Sequential construction does.
 */
export function buildNetwork(arch: ArchSpec | string, init: { seed?: number; rng?: Rng } = {}): Network {
  const a = typeof arch === 'string' ? parseArchitecture(arch) : arch;
  const layers: Layer[] = [];
  let shape = [...a.input];
  const where = formatArchitecture(a);
  a.layers.forEach((l, i) => {
    let layer: Layer;
    switch (l.kind) {
      case 'conv': {
        if (shape.length !== 3) throw new InvalidArgumentError(`architecture '${where}': conv layer ${i} needs a [C, H, W] input, got [${shape.join(', ')}]`);
        const p = l.pad ?? 0;
        const s = l.stride ?? 1;
        layer = { kind: 'conv', name: `/${i}/Conv`, weight: zeros(`${i}.weight`, [l.out, shape[0], l.kernel, l.kernel]), bias: zeros(`${i}.bias`, [l.out]), strides: [s, s], pads: [p, p, p, p], dilations: [1, 1] };
        break;
      }
      case 'dense':
        if (shape.length !== 1) throw new InvalidArgumentError(`architecture '${where}': dense layer ${i} needs a flat input, got [${shape.join(', ')}] (add 'flatten')`);
        layer = { kind: 'dense', name: `/${i}/Gemm`, weight: zeros(`${i}.weight`, [l.out, shape[0]]), bias: zeros(`${i}.bias`, [l.out]) };
        break;
      case 'relu':
        layer = { kind: 'relu', name: `/${i}/Relu` };
        break;
      case 'flatten':
        layer = { kind: 'flatten', name: `/${i}/Flatten` };
        break;
      case 'maxpool':
      case 'avgpool': {
        const s = l.stride ?? l.kernel;
        layer = { kind: l.kind, name: `/${i}/${l.kind === 'maxpool' ? 'MaxPool' : 'AveragePool'}`, kernel: [l.kernel, l.kernel], strides: [s, s], pads: [0, 0, 0, 0], countIncludePad: false };
        break;
      }
    }
    layers.push(layer);
    try {
      shape = layerOutputShape(layer, shape);
    } catch (e) {
      throw new InvalidArgumentError(`architecture '${where}': layer ${i} (${l.kind}) does not fit: ${(e as Error).message}`);
    }
  });
  if (shape.length !== 1) throw new InvalidArgumentError(`architecture '${where}' ends in shape [${shape.join(', ')}]; end it with a dense layer`);
  const net: Network = { inputName: 'input', inputShape: [...a.input], outputName: 'logits', layers, metadata: {} };
  pytorchDefaultInit(net, init.rng ?? new Rng(init.seed ?? 0));
  return net;
}
