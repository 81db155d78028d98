import { describe, expect, it } from 'vitest';
import { UnsupportedOpError } from '../errors.js';
import { runGraph } from '../onnx/interpreter.js';
import { DataType } from '../onnx/types.js';
import { checkVjp } from '../test-util/autodiff.js';
import { GraphBuilder } from './builder.js';
import { grad } from './grad.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('grad', () => {
  it('Relu gradient is 0 at exactly 0 and 1 above (PyTorch convention)', () => {
    const b = new GraphBuilder({ floatType: 'float64' });
    const x = b.input('x', [4]);
    const [g] = grad(b, b.reduceSum(b.relu(x), undefined, false), [x]);
    b.output('g', g);
    const out = runGraph(b.toModel(), { x: { dims: [4], data: f64([-1, 0, 0, 2]) } });
    expect(Array.from(out.g.data as Float64Array)).toEqual([0, 0, 0, 1]);
  });

  it('gives zeros for a value the output does not depend on, with its shape', () => {
    const b = new GraphBuilder({ floatType: 'float64' });
    const x = b.input('x', [2, 3]);
    const u = b.input('u', [5]);
    const [gx, gu] = grad(b, b.reduceSum(b.exp(x), undefined, false), [x, u]);
    b.output('gx', gx);
    b.output('gu', gu);
    const out = runGraph(b.toModel(), { x: { dims: [2, 3], data: f64([0, 1, 2, 3, 4, 5]) }, u: { dims: [5], data: f64([1, 2, 3, 4, 5]) } });
    expect(out.gu.dims).toEqual([5]);
    expect(Array.from(out.gu.data as Float64Array)).toEqual([0, 0, 0, 0, 0]);
    expect((out.gx.data as Float64Array)[5]).toBeCloseTo(Math.exp(5), 12);
  });

  it('uses an explicit seed (vector–Jacobian product of a non-scalar output)', () => {
    const b = new GraphBuilder({ floatType: 'float64' });
    const x = b.input('x', [3]);
    const v = b.input('v', [3]);
    const [g] = grad(b, b.mul(x, x), [x], { seed: v });
    b.output('g', g);
    const out = runGraph(b.toModel(), { x: { dims: [3], data: f64([1, 2, 3]) }, v: { dims: [3], data: f64([1, 10, 100]) } });
    expect(Array.from(out.g.data as Float64Array)).toEqual([2, 40, 600]);
  });

  it('differentiates with respect to an intermediate value and its source together', () => {
    const b = new GraphBuilder({ floatType: 'float64' });
    const x = b.input('x', [2]);
    const h = b.mul(x, b.scalar(3));
    const y = b.reduceSum(b.mul(h, h), undefined, false);
    const [gx, gh] = grad(b, y, [x, h]);
    b.output('gx', gx);
    b.output('gh', gh);
    const out = runGraph(b.toModel(), { x: { dims: [2], data: f64([1, -2]) } });
    expect(Array.from(out.gh.data as Float64Array)).toEqual([6, -12]);
    expect(Array.from(out.gx.data as Float64Array)).toEqual([18, -36]);
  });

  it('does not differentiate through integer values (labels, shapes)', () =>
    checkVjp({
      inputs: [
        { name: 'x', shape: [3, 4] },
        { name: 'y', shape: [3], ints: [1, 0, 3] },
      ],
      build: (b, v) => b.mul(b.gatherElements(v.x, b.unsqueeze(v.y, [1]), 1), b.cast(b.gather(b.shapeOf(v.x), b.constant([1], [], DataType.INT64), 0), b.floatType)),
    }).then((r) => expect(r.maxFdError).toBeLessThan(1e-6)));

  it('refuses an op without a rule on the gradient path with UnsupportedOpError', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [3]);
    const y = b.scatterElements(x, b.int64s([0, 1, 2]), x, 0);
    expect(() => grad(b, b.reduceSum(y, undefined, false), [x])).toThrow(UnsupportedOpError);
  });

  it('a second reverse pass differentiates the first (second derivative of x³)', () => {
    const b = new GraphBuilder({ floatType: 'float64' });
    const x = b.input('x', [2]);
    const y = b.reduceSum(b.mul(x, b.mul(x, x)), undefined, false);
    const [g] = grad(b, y, [x]);
    const [gg] = grad(b, b.reduceSum(g, undefined, false), [x]);
    b.output('gg', gg);
    const out = runGraph(b.toModel(), { x: { dims: [2], data: f64([1, -2]) } });
    expect(Array.from(out.gg.data as Float64Array)).toEqual([6, -12]);
  });
});
