/**
 * The GEMM (unfolded patches) formulation of the Conv weight gradient, taken from 8 input channels
 * on, against central finite differences in float64 through the Conv rule (input, weight and bias
 * gradients), and ONNX Runtime float32 against the float64 reference: strides 1/2/3, pads 0/1/2
 * (also asymmetric), kernels 1/3/5, dilations 1/2, trailing rows a stride never reads, and
 * 1-D/3-D windows. The few-channel convolution formulation is covered by rules.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkVjp } from '../../test-util/autodiff.js';

const cases = [
  { x: [2, 8, 5, 5], w: [3, 8, 3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] },
  { x: [2, 8, 6, 6], w: [2, 8, 3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1] },
  { x: [1, 8, 5, 4], w: [2, 8, 1, 1], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1] },
  { x: [1, 8, 6, 6], w: [2, 8, 5, 5], strides: [1, 1], pads: [2, 2, 2, 2], dilations: [1, 1] },
  { x: [1, 8, 7, 6], w: [2, 8, 3, 3], strides: [1, 1], pads: [2, 0, 1, 2], dilations: [2, 2] },
  // Strides leave unread trailing rows and columns (their gradient is 0 and they must not leak in).
  { x: [2, 8, 8, 9], w: [2, 8, 3, 2], strides: [2, 3], pads: [0, 0, 0, 0], dilations: [1, 2] },
  { x: [1, 9, 7], w: [2, 9, 3], strides: [2], pads: [2, 1], dilations: [2] },
  { x: [1, 8, 3, 4, 3], w: [2, 8, 2, 3, 1], strides: [1, 2, 1], pads: [1, 0, 0, 0, 1, 0], dilations: [1, 1, 1] },
];

describe('Conv weight gradient as one GEMM over unfolded patches', () => {
  for (const c of cases)
    it(`x [${c.x}] w [${c.w}] s ${c.strides} p ${c.pads} d ${c.dilations}`, async () => {
      const r = await checkVjp({
        inputs: [{ name: 'x', shape: c.x }, { name: 'w', shape: c.w }, { name: 'b', shape: [c.w[0]] }],
        build: (b, x) => b.conv(x.x, x.w, x.b, c),
      });
      expect(r.maxFdError, 'analytic vs finite differences').toBeLessThan(1e-6);
      expect(r.maxOrtError, 'ORT float32 vs interpreter').toBeLessThan(1e-4);
      expect(r.model.graph.node.map((n) => n.opType)).toContain('Gemm');
    });
});
