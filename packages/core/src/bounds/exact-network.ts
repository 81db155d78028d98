/**
 * Interval bound propagation in exact rational arithmetic, written directly from the layer
 * definitions (no im2col, no rounding): the ideal IBP that float engines must enclose, and, for a
 * point box (lower = upper), the exact forward pass that sampled soundness checks compare with.
 * Cost is high (bigint per multiply-add): meant for small networks in tests.
 */
import type { Network, Param } from '../ir/network.js';
import { Exact } from './exact.js';
import { broadcastParam, planIntervalNetwork } from './plan.js';

export interface ExactBounds {
  lower: Exact[];
  upper: Exact[];
}

const exactParams = (p: Param): Exact[] => Array.from(p.data, (v) => Exact.of(v));

/** Exact IBP bounds of every layer's output for one example box (lower/upper of inputSize values). */
export function exactIbp(net: Network, lower: ArrayLike<number>, upper: ArrayLike<number>): ExactBounds[] {
  const plan = planIntervalNetwork(net);
  let l = Array.from(lower, (v) => Exact.of(v));
  let u = Array.from(upper, (v) => Exact.of(v));
  const out: ExactBounds[] = [];
  for (const step of plan.steps) {
    const ol: Exact[] = [];
    const ou: Exact[] = [];
    switch (step.op) {
      case 'dense': {
        const w = exactParams(step.weight);
        const b = exactParams(step.bias);
        for (let i = 0; i < step.outSize; i++) {
          let lo = b[i]!;
          let hi = b[i]!;
          for (let j = 0; j < step.inSize; j++) {
            const wij = w[i * step.inSize + j]!;
            const neg = wij.sign() < 0;
            lo = lo.add(wij.mul(neg ? u[j]! : l[j]!));
            hi = hi.add(wij.mul(neg ? l[j]! : u[j]!));
          }
          ol.push(lo);
          ou.push(hi);
        }
        break;
      }
      case 'conv': {
        const g = step.geometry;
        const w = exactParams(step.weight);
        const b = exactParams(step.bias);
        for (let oc = 0; oc < g.outC; oc++) {
          for (let oy = 0; oy < g.outH; oy++) {
            for (let ox = 0; ox < g.outW; ox++) {
              let lo = b[oc]!;
              let hi = b[oc]!;
              for (let ic = 0; ic < g.inC; ic++) {
                for (let ky = 0; ky < g.kH; ky++) {
                  const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
                  if (iy < 0 || iy >= g.inH) continue;
                  for (let kx = 0; kx < g.kW; kx++) {
                    const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
                    if (ix < 0 || ix >= g.inW) continue;
                    const wv = w[((oc * g.inC + ic) * g.kH + ky) * g.kW + kx]!;
                    const at = (ic * g.inH + iy) * g.inW + ix;
                    const neg = wv.sign() < 0;
                    lo = lo.add(wv.mul(neg ? u[at]! : l[at]!));
                    hi = hi.add(wv.mul(neg ? l[at]! : u[at]!));
                  }
                }
              }
              ol.push(lo);
              ou.push(hi);
            }
          }
        }
        break;
      }
      case 'relu':
        for (let i = 0; i < step.inSize; i++) {
          ol.push(l[i]!.max(Exact.ZERO));
          ou.push(u[i]!.max(Exact.ZERO));
        }
        break;
      case 'affine': {
        const s = broadcastParam(step.scale, step.shape, step.name);
        const t = broadcastParam(step.shift, step.shape, step.name);
        for (let i = 0; i < step.inSize; i++) {
          const si = Exact.of(s[i]!);
          const ti = Exact.of(t[i]!);
          const neg = si.sign() < 0;
          ol.push(si.mul(neg ? u[i]! : l[i]!).add(ti));
          ou.push(si.mul(neg ? l[i]! : u[i]!).add(ti));
        }
        break;
      }
      case 'avgpool': {
        const g = step.geometry;
        for (let c = 0; c < g.channels; c++) {
          for (let oy = 0; oy < g.outH; oy++) {
            for (let ox = 0; ox < g.outW; ox++) {
              let lo = Exact.ZERO;
              let hi = Exact.ZERO;
              let count = 0;
              for (let ky = 0; ky < g.kH; ky++) {
                for (let kx = 0; kx < g.kW; kx++) {
                  const iy = oy * g.strideH - g.padTop + ky;
                  const ix = ox * g.strideW - g.padLeft + kx;
                  if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
                  const at = (c * g.inH + iy) * g.inW + ix;
                  lo = lo.add(l[at]!);
                  hi = hi.add(u[at]!);
                  count++;
                }
              }
              const div = g.countIncludePad ? g.kH * g.kW : count;
              ol.push(lo.divInt(div));
              ou.push(hi.divInt(div));
            }
          }
        }
        break;
      }
      case 'reshape':
        ol.push(...l);
        ou.push(...u);
        break;
    }
    out.push({ lower: ol, upper: ou });
    l = ol;
    u = ou;
  }
  return out;
}

/** Exact activations of every layer at the point x (one example). */
export function exactForward(net: Network, x: ArrayLike<number>): Exact[][] {
  return exactIbp(net, x, x).map((b) => b.lower);
}
