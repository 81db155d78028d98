/**
 * Relu's reverse rule at the kink and below it, where finite differences cannot speak: the
 * gradient is exactly 0 for X ≤ 0 (PyTorch's threshold_backward convention) and exactly dY above,
 * in the float64 interpreter and in ONNX Runtime; and the mask is read from Relu's output, so the
 * Relu input keeps a single consumer (which lets ORT fuse Conv+Relu).
 */
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../onnx/interpreter.js';
import { GraphBuilder, type FloatType } from '../builder.js';
import { grad } from '../grad.js';
import { runOrt } from '../../test-util/autodiff.js';

const xs = [-2, -1e-30, -0, 0, 1e-40, 2 ** -126, 1e-30, 0.5, 3];
const dys = [1.5, -2, 3, -4, 0.25, 0.5, -0.75, 2, -1];

function build(floatType: FloatType) {
  const b = new GraphBuilder({ floatType });
  const x = b.input('x', [xs.length]);
  const y = b.relu(x);
  const [gx] = grad(b, y, [x], { seed: b.constant(dys, [dys.length]) });
  b.output('gx', gx);
  return b.toModel();
}

describe('Relu reverse rule', () => {
  it('is 0 where X ≤ 0 and dY where X > 0, exactly, in float64 graphs', () => {
    const want = xs.map((v, i) => (v > 0 ? dys[i] : 0));
    const feeds = { x: { dims: [xs.length], data: Float64Array.from(xs) } };
    const ref = Array.from(runGraph(build('float64'), feeds).gx.data as Float64Array);
    expect(ref.map((v) => v + 0)).toEqual(want);
  });

  it('in float32 is exact for every normal float; a subnormal output passes the fraction 2¹²⁶·Y', async () => {
    // 1e-40 is a float32 subnormal (below 2⁻¹²⁶, the smallest normal, which passes in full).
    const sub = Math.fround(1e-40);
    const want = xs.map((v, i) => Math.fround(v <= 0 ? 0 : Math.fround(v) === sub ? dys[i] * 2 ** 126 * sub : dys[i]));
    expect(want[4]).toBeGreaterThan(0);
    expect(want[4]).toBeLessThan(dys[4] / 100);
    const feeds = { x: { dims: [xs.length], data: Float64Array.from(xs, Math.fround) } };
    const ort = Array.from((await runOrt(build('float32'), feeds)).gx);
    expect(ort.map((v) => v + 0)).toEqual(want);
    const ref = Array.from(runGraph(build('float32'), feeds).gx.data as Float64Array);
    expect(ref.map((v) => Math.fround(v) + 0)).toEqual(want);
  });

  it('reads the mask from the output: the input has Relu as its only consumer', () => {
    const model = build('float32');
    const consumers = model.graph.node.filter((n) => n.input.includes('x'));
    expect(consumers.map((n) => n.opType)).toEqual(['Relu']);
    expect(model.graph.node.map((n) => n.opType)).not.toContain('Where');
    expect(model.graph.node.map((n) => n.opType)).toContain('HardSigmoid');
  });
});
