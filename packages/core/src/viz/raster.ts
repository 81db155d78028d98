/**
 * A minimal RGBA raster for figures (attack grids, perturbations). Platform-free: the CLI encodes
 * it as PNG, the browser can put it on a canvas as ImageData.
 */
import { foldText, GLYPH_H, GLYPH_W, glyph, textWidth } from './font.js';

export type RGB = readonly [number, number, number];

export class Raster {
  readonly data: Uint8ClampedArray;
  constructor(
    readonly width: number,
    readonly height: number,
    background: RGB = [255, 255, 255],
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      this.data[4 * i] = background[0];
      this.data[4 * i + 1] = background[1];
      this.data[4 * i + 2] = background[2];
      this.data[4 * i + 3] = 255;
    }
  }

  set(x: number, y: number, c: RGB): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = 4 * (y * this.width + x);
    this.data[i] = c[0];
    this.data[i + 1] = c[1];
    this.data[i + 2] = c[2];
  }

  fillRect(x: number, y: number, w: number, h: number, c: RGB): void {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) this.set(xx, yy, c);
  }

  /** Draws `values` (row-major h×w) magnified `scale`× with a colour map. */
  image(x: number, y: number, values: ArrayLike<number>, w: number, h: number, scale: number, colormap: (v: number) => RGB): void {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) this.fillRect(x + c * scale, y + r * scale, scale, scale, colormap(values[r * w + c]));
    }
  }

  /** Text centred on cx with its top at y. */
  text(cx: number, y: number, caption: string, scale: number, color: RGB): void {
    const text = foldText(caption);
    let x = Math.round(cx - textWidth(text, scale) / 2);
    for (const ch of text) {
      const cols = glyph(ch);
      for (let c = 0; c < GLYPH_W; c++) {
        for (let r = 0; r < GLYPH_H; r++) if ((cols[c] >> r) & 1) this.fillRect(x + c * scale, y + r * scale, scale, scale, color);
      }
      x += (GLYPH_W + 1) * scale;
    }
  }
}

/** Pixel intensities in [0,1] as grey (values outside are clipped: unclipped attacks may leave the box). */
export const grayscale = (v: number): RGB => {
  const g = Math.round(255 * Math.min(1, Math.max(0, v)));
  return [g, g, g];
};

/** A blue–white–red diverging map for signed values, saturating at ±limit. */
export function diverging(limit: number): (v: number) => RGB {
  return (v: number) => {
    const t = limit > 0 ? Math.max(-1, Math.min(1, v / limit)) : 0;
    if (t >= 0) return [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))] as const;
    return [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255] as const;
  };
}

export const GREEN: RGB = [0, 128, 0];
export const RED: RGB = [200, 0, 0];
export const BLACK: RGB = [0, 0, 0];
