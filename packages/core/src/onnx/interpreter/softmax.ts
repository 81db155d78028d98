/**
 * Softmax and LogSoftmax. Opset ≥13: normalise along one axis (default −1). Before 13: the input is
 * coerced to 2-D at `axis` (default 1) and each row [axis:] is normalised as a whole.
 * Both subtract the maximum first, so exp never overflows.
 */
import { attrInt, floatIn, normAxis, sizeOf, type OpContext, type OpImpl } from './tensor.js';

const softmax =
  (log: boolean): OpImpl =>
  (inputs, ctx: OpContext) => {
    const x = floatIn(inputs, 0, ctx);
    const r = x.dims.length;
    const legacy = ctx.opset < 13;
    const axis = normAxis(attrInt(ctx, 'axis', legacy ? 1 : -1), Math.max(r, 1), ctx);
    const outer = sizeOf(x.dims.slice(0, axis));
    const len = legacy ? sizeOf(x.dims.slice(axis)) : (x.dims[axis] ?? 1);
    const inner = legacy ? 1 : sizeOf(x.dims.slice(axis + 1));
    const out = new Float64Array(x.data.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        let max = -Infinity;
        for (let j = 0; j < len; j++) max = Math.max(max, x.data[base + j * inner]);
        let sum = 0;
        for (let j = 0; j < len; j++) sum += Math.exp(x.data[base + j * inner] - max);
        const logSum = Math.log(sum);
        for (let j = 0; j < len; j++) {
          const z = x.data[base + j * inner] - max;
          out[base + j * inner] = log ? z - logSum : Math.exp(z) / sum;
        }
      }
    }
    return [{ dims: x.dims.slice(), data: out }];
  };

export const softmaxOps: Record<string, OpImpl> = { Softmax: softmax(false), LogSoftmax: softmax(true) };
