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
