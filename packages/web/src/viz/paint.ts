/**
 * Paints per-pixel values onto a canvas through a colour map (the page's ink on paper for
 * images, core's blue–white–red diverging map for perturbations, as in the CLI's attack grid),
 * and turns a map into a CSS gradient for its legend.
 */
import type { RGB } from '@minmax/core';

/** Fills `canvas` (resized to w×h) with colormap(values[i]); CSS scales it up, pixelated. */
export function paintValues(canvas: HTMLCanvasElement, values: ArrayLike<number>, w: number, h: number, colormap: (v: number) => RGB): void {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = colormap(values[i]);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** 'linear-gradient(to right, …)' sampling colormap on [−limit, limit] at `stops` points. */
export function colormapGradient(colormap: (v: number) => RGB, limit: number, stops = 9): string {
  const colors = Array.from({ length: stops }, (_, i) => {
    const v = -limit + (2 * limit * i) / (stops - 1);
    const [r, g, b] = colormap(v);
    return `rgb(${r}, ${g}, ${b})`;
  });
  return `linear-gradient(to right, ${colors.join(', ')})`;
}
