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
 * Functions timed in `rounds` alternating blocks of `reps` (each block after `warmup` calls);
 * each figure is the median over all its blocks' repetitions, so drift in the machine's load
 * reaches every figure alike.
 */
export async function timeGroup(fns: readonly (() => Promise<unknown>)[], { warmup = 10, reps = 20, rounds = 3 } = {}): Promise<Timing[]> {
  const times = fns.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < fns.length; k++) {
      const fn = fns[k]!;
      for (let i = 0; i < warmup; i++) await fn();
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        await fn();
        times[k]!.push(performance.now() - t0);
      }
    }
  }
  return times.map((ms) => {
    ms.sort((p, q) => p - q);
    return { medianMs: ms[Math.floor(ms.length / 2)]!, minMs: ms[0]!, reps: ms.length };
  });
}
