/**
 * Timing primitives. Every figure is a median over repetitions after warm-up, and ratios are
 * always of two figures measured in the same process, same runtime and same run.
 */
export interface Timing {
  medianMs: number;
  minMs: number;
  reps: number;
}

export async function time(fn: () => Promise<unknown>, { warmup = 3, reps = 20 } = {}): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)], minMs: ms[0], reps };
}

/**
 * Two functions timed in `rounds` alternating blocks of `reps` (each block after `warmup` calls);
 * each figure is the median over all its blocks' repetitions.
 */
export async function timePair(a: () => Promise<unknown>, b: () => Promise<unknown>, { warmup = 10, reps = 20, rounds = 3 } = {}): Promise<{ a: Timing; b: Timing }> {
  const block = async (fn: () => Promise<unknown>, into: number[]) => {
    for (let i = 0; i < warmup; i++) await fn();
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await fn();
      into.push(performance.now() - t0);
    }
  };
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await block(a, ta);
    await block(b, tb);
  }
  const summary = (ms: number[]): Timing => {
    ms.sort((p, q) => p - q);
    return { medianMs: ms[Math.floor(ms.length / 2)], minMs: ms[0], reps: ms.length };
  };
  return { a: summary(ta), b: summary(tb) };
}
