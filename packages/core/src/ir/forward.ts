/**
 * Float64 reference forward pass of a Network: direct loops over the layer definitions in
 * `network.ts` (ONNX semantics: NCHW, floor-mode windows, pads = [top, left, bottom, right]),
 * sharing no code with the ONNX export or ONNX Runtime. Tests use it as the independent oracle
 * for imports, exports and autodiff graphs; the bounds code uses it to evaluate networks at
 * points exactly.
 */
import { ShapeError } from '../errors.js';
import type { AffineLayer, ConvLayer, DenseLayer, Layer, Network, PoolLayer } from './network.js';
import { layerShapes } from './shapes.js';

function size(s: readonly number[]): number {
  let n = 1;
  for (const d of s) n *= d;
  return n;
}

function dense(l: DenseLayer, x: Float64Array, n: number): Float64Array {
  const [out, inF] = l.weight.shape;
  const w = l.weight.data;
  const b = l.bias.data;
  const y = new Float64Array(n * out);
  for (let e = 0; e < n; e++) {
    const xo = e * inF;
    for (let o = 0; o < out; o++) {
      let s = b[o];
      const wo = o * inF;
      for (let i = 0; i < inF; i++) s += w[wo + i] * x[xo + i];
      y[e * out + o] = s;
    }
  }
  return y;
}

function conv(l: ConvLayer, inShape: number[], outShape: number[], x: Float64Array, n: number): Float64Array {
  const [c, h, wd] = inShape;
  const [oc, oh, ow] = outShape;
  const [, , kh, kw] = l.weight.shape;
  const [sh, sw] = l.strides;
  const [dh, dw] = l.dilations;
  const [pt, pl] = l.pads;
  const w = l.weight.data;
  const b = l.bias.data;
  const y = new Float64Array(n * oc * oh * ow);
  for (let e = 0; e < n; e++) {
    const xe = e * c * h * wd;
    for (let o = 0; o < oc; o++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let s = b[o];
          for (let ci = 0; ci < c; ci++) {
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - pt + ky * dh;
              if (iy < 0 || iy >= h) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - pl + kx * dw;
                if (ix < 0 || ix >= wd) continue;
                s += w[((o * c + ci) * kh + ky) * kw + kx] * x[xe + (ci * h + iy) * wd + ix];
              }
            }
          }
          y[((e * oc + o) * oh + oy) * ow + ox] = s;
        }
      }
    }
  }
  return y;
}

function pool(l: PoolLayer, inShape: number[], outShape: number[], x: Float64Array, n: number): Float64Array {
  const [c, h, wd] = inShape;
  const [, oh, ow] = outShape;
  const [kh, kw] = l.kernel;
  const [sh, sw] = l.strides;
  const [pt, pl] = l.pads;
  const isMax = l.kind === 'maxpool';
  const y = new Float64Array(n * c * oh * ow);
  for (let e = 0; e < n; e++) {
    for (let ci = 0; ci < c; ci++) {
      const xc = (e * c + ci) * h * wd;
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let acc = isMax ? -Infinity : 0;
          let count = 0;
          for (let ky = 0; ky < kh; ky++) {
            const iy = oy * sh - pt + ky;
            if (iy < 0 || iy >= h) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = ox * sw - pl + kx;
              if (ix < 0 || ix >= wd) continue;
              const v = x[xc + iy * wd + ix];
              if (isMax) {
                if (v > acc) acc = v;
              } else acc += v;
              count++;
            }
          }
          // Floor-mode windows never leave the padded extent, so with count_include_pad the
          // divisor is the full kernel area (ONNX AveragePool semantics).
          const v = isMax ? acc : acc / (l.countIncludePad ? kh * kw : count);
          y[((e * c + ci) * oh + oy) * ow + ox] = v;
        }
      }
    }
  }
  return y;
}

/** Index map from a flat per-example position to the broadcast operand position. */
function broadcastIndex(pShape: readonly number[], shape: readonly number[]): Int32Array {
  const total = size(shape);
  const idx = new Int32Array(total);
  const r = shape.length;
  const padded = [...new Array<number>(r - pShape.length).fill(1), ...pShape];
  const pStrides = new Array<number>(r);
  let acc = 1;
  for (let d = r - 1; d >= 0; d--) {
    pStrides[d] = padded[d] === 1 ? 0 : acc;
    acc *= padded[d];
  }
  for (let i = 0; i < total; i++) {
    let rem = i;
    let j = 0;
    let block = total;
    for (let d = 0; d < r; d++) {
      block /= shape[d];
      const k = Math.floor(rem / block);
      rem -= k * block;
      j += k * pStrides[d];
    }
    idx[i] = j;
  }
  return idx;
}

function affine(l: AffineLayer, shape: number[], x: Float64Array, n: number): Float64Array {
  const per = size(shape);
  const si = broadcastIndex(l.scale.shape, shape);
  const ti = broadcastIndex(l.shift.shape, shape);
  const s = l.scale.data;
  const t = l.shift.data;
  const y = new Float64Array(x.length);
  for (let e = 0; e < n; e++) {
    const o = e * per;
    for (let i = 0; i < per; i++) y[o + i] = x[o + i] * s[si[i]] + t[ti[i]];
  }
  return y;
}

/** One layer on a batch of `n` examples with per-example input shape `inShape`. */
export function applyLayer64(
  layer: Layer,
  inShape: number[],
  outShape: number[],
  x: Float64Array,
  n: number,
): Float64Array {
  switch (layer.kind) {
    case 'dense':
      return dense(layer, x, n);
    case 'conv':
      return conv(layer, inShape, outShape, x, n);
    case 'avgpool':
    case 'maxpool':
      return pool(layer, inShape, outShape, x, n);
    case 'relu':
      return x.map((v) => (v > 0 ? v : 0));
    case 'flatten':
    case 'reshape':
      return x.slice();
    case 'affine':
      return affine(layer, inShape, x, n);
  }
}

/**
 * Activations of every layer for a batch of `n` examples (x: [n, ...inputShape], row-major):
 * element 0 is the input itself, element i the output of layer i − 1.
 */
export function forwardLayers64(net: Network, x: Float64Array | Float32Array, n: number): Float64Array[] {
  const shapes = layerShapes(net);
  if (!Number.isInteger(n) || n < 0) throw new ShapeError(`batch size ${n} is not a non-negative integer`);
  const need = n * size(net.inputShape);
  if (x.length !== need) {
    throw new ShapeError(`input has ${x.length} values; ${n} examples of [${net.inputShape.join(', ')}] need ${need}`);
  }
  const acts: Float64Array[] = [Float64Array.from(x)];
  net.layers.forEach((layer, i) => {
    acts.push(applyLayer64(layer, shapes[i], shapes[i + 1], acts[i], n));
  });
  return acts;
}

/** Network output [n, outputSize] in float64. */
export function forward64(net: Network, x: Float64Array | Float32Array, n: number): Float64Array {
  const acts = forwardLayers64(net, x, n);
  return acts[acts.length - 1];
}
