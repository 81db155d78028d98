/** The numbers printed under the loss-landscape figure (the same ones the figure draws). */

export interface LandscapeStats {
  title: string;
  min: number;
  max: number;
  clean: number;
}

/** Like the figure's captions: 3 significant digits, scientific below 0.001 (robust models' losses are tiny). */
export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return Math.abs(v) >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(3)));
}

/**
 * One sentence comparing the first surface's peak with the others' ("… 520× the peak of …"):
 * the tutorial's point is the ratio, not either number alone.
 */
export function comparePeaks(stats: readonly LandscapeStats[]): string | null {
  if (stats.length < 2) return null;
  const [first, ...rest] = stats;
  const parts = rest.map((s) => {
    if (!(s.max > 0) || !Number.isFinite(first.max)) return null;
    const ratio = first.max / s.max;
    const shown = ratio >= 10 ? Math.round(ratio).toLocaleString('en-US') : String(Number(ratio.toPrecision(2)));
    return `${first.title}'s highest loss is ${shown}× ${s.title}'s`;
  });
  const said = parts.filter((p): p is string => p !== null);
  return said.length ? `${said.join('; ')}.` : null;
}
