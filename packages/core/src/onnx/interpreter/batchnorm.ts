/**
 * BatchNormalization in inference mode: y = scale·(x − mean)/√(var + ε) + B per channel (axis 1).
 * training_mode = 1 (opset 14) updates running statistics and is not an inference op: rejected.
 */
import { attrFloat, attrInt, floatIn, opError, shapeError, shapeStr, sizeOf, type OpImpl } from './tensor.js';

const BatchNormalization: OpImpl = (inputs, ctx) => {
  if (attrInt(ctx, 'training_mode', 0) !== 0) throw opError(ctx, 'training_mode = 1');
  if (ctx.node.output.filter((o) => o !== '').length > 1) throw opError(ctx, 'running-statistics outputs exist only in training mode');
  const x = floatIn(inputs, 0, ctx);
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => floatIn(inputs, i, ctx));
  const eps = attrFloat(ctx, 'epsilon', 1e-5);
  if (x.dims.length < 2) throw shapeError(ctx, `X ${shapeStr(x.dims)} needs a channel axis`);
  const c = x.dims[1];
  for (const p of [scale, bias, mean, variance]) {
    if (p.data.length !== c) throw shapeError(ctx, `per-channel input ${shapeStr(p.dims)} does not match ${c} channels of X ${shapeStr(x.dims)}`);
  }
  const inner = sizeOf(x.dims.slice(2));
  const out = new Float64Array(x.data.length);
  for (let n = 0; n < x.dims[0]; n++) {
    for (let ch = 0; ch < c; ch++) {
      const a = scale.data[ch] / Math.sqrt(variance.data[ch] + eps);
      const base = (n * c + ch) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = a * (x.data[base + i] - mean.data[ch]) + bias.data[ch];
    }
  }
  return [{ dims: x.dims.slice(), data: out }];
};

export const batchNormOps: Record<string, OpImpl> = { BatchNormalization };
