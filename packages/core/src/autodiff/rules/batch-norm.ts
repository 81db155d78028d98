/**
 * BatchNormalization, inference mode: y = s·(x − μ)·r + β with r = (σ² + ε)^(−1/2) per channel
 * (axis 1). ∂x = dY·s·r; ∂s = Σ dY·(x − μ)·r; ∂β = Σ dY; ∂μ = −s·r·Σ dY;
 * ∂σ² = −½·s·r³·Σ dY·(x − μ); sums over every axis but the channel.
 */
import { UnsupportedOpError } from '../../errors.js';
import { getFloat, getInt } from '../attributes.js';
import type { Value } from '../builder.js';
import { inputAt, outputGrad, type VjpRule } from './types.js';

export const batchNormVjp: VjpRule = (ctx) => {
  const { b, node, needs } = ctx;
  if (getInt(node, 'training_mode', 0) !== 0) throw new UnsupportedOpError(node.opType, node.name, 'training_mode=1 has no reverse rule');
  const X = inputAt(ctx, 0);
  const [scale, mean, variance] = [inputAt(ctx, 1), inputAt(ctx, 3), inputAt(ctx, 4)];
  const g = outputGrad(ctx);
  const rank = X.shape.length;
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  const perChannel = (v: Value): Value => (spatial.length > 0 ? b.unsqueeze(v, spatial) : v);
  const sumAxes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  const r = b.div(b.scalar(1, X.dtype), b.sqrt(b.add(variance, b.scalar(getFloat(node, 'epsilon', 1e-5), X.dtype))));
  const centred = needs[1] || needs[4] ? b.sub(X, perChannel(mean)) : undefined;
  const sr = b.mul(scale, r);
  const gSum = needs[2] || needs[3] ? b.reduceSum(g, sumAxes, false) : undefined;
  const gCentredSum = centred ? b.reduceSum(b.mul(g, centred), sumAxes, false) : undefined;
  return [
    needs[0] ? b.mul(g, perChannel(sr)) : undefined,
    needs[1] && gCentredSum ? b.mul(gCentredSum, r) : undefined,
    needs[2] ? gSum : undefined,
    needs[3] && gSum ? b.neg(b.mul(gSum, sr)) : undefined,
    needs[4] && gCentredSum ? b.mul(gCentredSum, b.mul(b.mul(sr, b.mul(r, r)), b.scalar(-0.5, X.dtype))) : undefined,
  ];
};
