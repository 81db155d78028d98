/**
 * Checks on the batches attacks and training hand to ONNX Runtime. ORT would either reject them
 * with an opaque message or, worse, accept them: a NaN pixel propagates silently into every
 * gradient, and an out-of-range label makes GatherElements read another row or fail deep inside.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

export function checkBatch(x: Float32Array, n: number, inputShape: readonly number[]): void {
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`batch size must be a non-negative integer, got ${n}`);
  if (!(x instanceof Float32Array)) throw new InvalidArgumentError('x must be a Float32Array');
  const per = inputShape.reduce((a, d) => a * d, 1);
  if (x.length !== n * per) {
    throw new ShapeError(`x has ${x.length} values, but a batch of ${n} inputs of shape ${fmt(inputShape)} needs ${n * per}`);
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v || v === Infinity || v === -Infinity) {
      throw new InvalidArgumentError(`x contains ${v} at example ${Math.floor(i / per)}, element ${i % per}`);
    }
  }
}

export function checkClasses(what: 'labels' | 'targets', v: Int32Array | undefined, n: number, numClasses: number): Int32Array {
  if (!(v instanceof Int32Array)) throw new InvalidArgumentError(`${what} must be an Int32Array`);
  if (v.length !== n) throw new ShapeError(`${what} has ${v.length} entries for a batch of ${n}`);
  for (let i = 0; i < n; i++) {
    if (v[i] < 0 || v[i] >= numClasses) throw new InvalidArgumentError(`${what}[${i}] = ${v[i]} is outside [0, ${numClasses})`);
  }
  return v;
}

export const toInt64 = (v: Int32Array): BigInt64Array => BigInt64Array.from(v, (c) => BigInt(c));
