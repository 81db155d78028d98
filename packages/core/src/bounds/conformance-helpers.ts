/** Framework-free assertion helpers shared by the conformance suites (conformance.ts, crown-conformance.ts). */
import type { Rng } from '../data/rng.js';
import { MinmaxError } from '../errors.js';
import type { Exact } from './exact.js';
import type { IntervalEngine, IntervalEngineFactory } from './types.js';

export class ConformanceFailure extends MinmaxError {
  override name = 'ConformanceFailure';
}

export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

export async function withEngine(factory: IntervalEngineFactory, fn: (engine: IntervalEngine) => void | Promise<void>): Promise<void> {
  const engine = await factory();
  try {
    await fn(engine);
  } finally {
    engine.dispose();
  }
}

export function expectThrow(fn: () => unknown, type: abstract new (...args: never[]) => Error, what: string): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    fail(`${what}: expected ${type.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  fail(`${what}: expected ${type.name}, but nothing was thrown`);
}

/** n random boxes of `size`: centres in [0, 1], radii up to `maxEps`, some degenerate coordinates. */
export function randomBoxes(rng: Rng, size: number, n: number, maxEps: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(n * size);
  const upper = new Float64Array(n * size);
  for (let i = 0; i < n * size; i++) {
    const c = rng.float();
    const r = rng.float() < 0.1 ? 0 : rng.float() * maxEps;
    lower[i] = c - r;
    upper[i] = c + r;
  }
  return { lower, upper };
}

/** Points of the box [l, u] (one example): the two extreme corners, random corners, interior points. */
export function samplePoints(rng: Rng, l: Float64Array, u: Float64Array, interior: number, corners: number): Float64Array[] {
  const pts: Float64Array[] = [l.slice(), u.slice()];
  for (let k = 0; k < corners + interior; k++) {
    const x = new Float64Array(l.length);
    for (let j = 0; j < x.length; j++) {
      const t = k < corners ? (rng.float() < 0.5 ? 0 : 1) : rng.float();
      x[j] = Math.min(u[j]!, Math.max(l[j]!, l[j]! + (u[j]! - l[j]!) * t));
    }
    pts.push(x);
  }
  return pts;
}

export function exampleOf(b: { lower: Float64Array; upper: Float64Array }, e: number, size: number): { l: Float64Array; u: Float64Array } {
  return { l: b.lower.subarray(e * size, (e + 1) * size), u: b.upper.subarray(e * size, (e + 1) * size) };
}

export function assertEncloses(lower: number, upper: number, v: Exact, what: string): void {
  if (Number.isNaN(lower) || Number.isNaN(upper)) fail(`${what}: NaN bound [${lower}, ${upper}]`);
  if (!v.geNumber(lower) || !v.leNumber(upper)) {
    fail(`${what}: exact value ${v.toNumber()} (≈) is outside the bounds [${lower}, ${upper}]`);
  }
}

