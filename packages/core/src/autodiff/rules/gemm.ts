/**
 * Gemm: Y = α·op(A)·op(B) + β·C. With A' = op(A), B' = op(B):
 * ∂A' = α·dY·B'ᵀ, ∂B' = α·A'ᵀ·dY, ∂C = β·dY summed over C's broadcast axes; a transposed operand
 * receives the transpose of its op's gradient, which Gemm's own trans flags express without a
 * separate Transpose.
 */
import { getFloat, getInt } from '../attributes.js';
import type { Value } from '../builder.js';
import { sumToShape } from '../unbroadcast.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const gemmVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  const g = outputGrad(ctx);
  const A = inputAt(ctx, 0);
  const B = inputAt(ctx, 1);
  const C = node.inputs[2];
  const alpha = getFloat(node, 'alpha', 1);
  const beta = getFloat(node, 'beta', 1);
  const tA = getInt(node, 'transA', 0) === 1;
  const tB = getInt(node, 'transB', 0) === 1;
  const mm = (x: Value, tx: boolean, y: Value, ty: boolean): Value => b.gemm(x, y, undefined, { alpha, transA: tx, transB: ty });
  // A: dA = dY·B'ᵀ, or (dY·B'ᵀ)ᵀ = B'·dYᵀ when A enters transposed.
  const dA = needs[0] ? (tA ? mm(B, tB, g, true) : mm(g, false, B, !tB)) : undefined;
  // B: dB = A'ᵀ·dY, or (A'ᵀ·dY)ᵀ = dYᵀ·A' when B enters transposed.
  const dB = needs[1] ? (tB ? mm(g, true, A, tA) : mm(A, !tA, g, false)) : undefined;
  let dC: Value | undefined;
  if (needs[2] && C) dC = sumToShape(b, beta === 1 ? g : b.mul(g, b.scalar(beta, g.dtype)), C, `Gemm '${node.name}' C`);
  return [dA, dB, dC];
};
