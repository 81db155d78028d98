/**
 * The attack figure: one row per example — the clean image with its prediction, the adversarial
 * image with its prediction (green when correct, red when wrong, as the tutorial's plot_images),
 * and the perturbation on a diverging map. The perturbation is shown at its true scale relative
 * to ε (saturating at ±ε), which is the tutorial's "magnified noise" without picking a factor.
 */
import { InvalidArgumentError } from '../errors.js';
import { BLACK, diverging, grayscale, GREEN, Raster, RED } from './raster.js';

export interface AttackGridRow {
  clean: ArrayLike<number>;
  adversarial: ArrayLike<number>;
  label: number;
  cleanPrediction: number;
  adversarialPrediction: number;
  /** Optional caption above the adversarial image, e.g. the target class. */
  note?: string;
}

export interface AttackGridOptions {
  width: number;
  height: number;
  /** Saturation of the perturbation colour map (usually ε for ℓ∞). */
  perturbationLimit: number;
  scale?: number;
  title?: string;
}

export function attackGrid(rows: AttackGridRow[], opts: AttackGridOptions): Raster {
  if (rows.length === 0) throw new InvalidArgumentError('attack grid: no rows to draw');
  const s = opts.scale ?? 6;
  const { width: w, height: h } = opts;
  const pad = 10;
  const caption = 7 * 2 + 8;
  const cellW = w * s;
  const titleH = opts.title ? caption + 4 : 0;
  const header = caption;
  const rowH = caption + h * s + pad;
  const raster = new Raster(3 * cellW + 4 * pad, titleH + header + rows.length * rowH + pad);
  if (opts.title) raster.text(raster.width / 2, pad, opts.title, 2, BLACK);
  const colX = [pad, 2 * pad + cellW, 3 * pad + 2 * cellW];
  const heads = ['CLEAN', 'ADVERSARIAL', `DELTA (+-${trim(opts.perturbationLimit)})`];
  heads.forEach((t, i) => raster.text(colX[i] + cellW / 2, titleH + pad / 2, t, 2, BLACK));
  const cmap = diverging(opts.perturbationLimit);
  rows.forEach((row, k) => {
    const y0 = titleH + header + k * rowH;
    const delta = Array.from(row.adversarial, (v, i) => v - row.clean[i]);
    const okClean = row.cleanPrediction === row.label;
    const okAdv = row.adversarialPrediction === row.label;
    raster.text(colX[0] + cellW / 2, y0 + 4, `Y=${row.label} P=${row.cleanPrediction}`, 2, okClean ? GREEN : RED);
    raster.text(colX[1] + cellW / 2, y0 + 4, `P=${row.adversarialPrediction}${row.note ? ' ' + row.note : ''}`, 2, okAdv ? GREEN : RED);
    raster.image(colX[0], y0 + caption, row.clean, w, h, s, grayscale);
    raster.image(colX[1], y0 + caption, row.adversarial, w, h, s, grayscale);
    raster.image(colX[2], y0 + caption, delta, w, h, s, cmap);
  });
  return raster;
}

function trim(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
