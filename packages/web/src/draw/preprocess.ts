/**
 * A hand drawing → an MNIST-like 28×28 digit, by MNIST's own recipe: crop the ink's bounding box,
 * scale it (aspect kept, area-averaged so thin strokes antialias instead of vanishing) to fit a
 * 20×20 box, and place it in the 28×28 frame so its centre of mass is the frame's centre.
 * Values are ink in [0, 1] (0 = background, 1 = full ink), as digitsAsFloat gives the test digits.
 */

export const DIGIT_SIZE = 28;
export const FIT_SIZE = 20;
/** Ink below this (out of 1) is antialiasing fuzz, not part of the digit's bounding box. */
const INK_THRESHOLD = 0.05;
/** Sub-pixel re-centring passes; each halves what little error the pixel grid leaves. */
const CENTRING_PASSES = 4;

export class EmptyDrawingError extends Error {
  override name = 'EmptyDrawingError';
  constructor() {
    super('The drawing is empty: draw a digit in the box first.');
  }
}

/** Ink per pixel from a canvas drawn in opaque strokes on a transparent background: alpha / 255. */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`${rgba.length} RGBA bytes for a ${width}×${height} image, expected ${width * height * 4}`);
  }
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3] / 255;
  return ink;
}

interface Box {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
}

function inkBox(ink: ArrayLike<number>, width: number, height: number): Box | null {
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] <= INK_THRESHOLD) continue;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      if (y >= y1) y1 = y + 1;
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

/**
 * Weights of source pixels [from, to) for each of `size` output pixels when source coordinate u
 * lands at output coordinate u·scale + offset: the overlap of the output pixel's footprint with
 * each source pixel, normalised by the footprint (area averaging, i.e. a box filter).
 */
function axisWeights(from: number, to: number, scale: number, offset: number, size: number): Float64Array {
  const n = to - from;
  const w = new Float64Array(size * n);
  for (let o = 0; o < size; o++) {
    const lo = (o - offset) / scale;
    const hi = (o + 1 - offset) / scale;
    for (let i = Math.max(0, Math.floor(lo)); i < Math.min(n, Math.ceil(hi)); i++) {
      const overlap = Math.min(hi, i + 1) - Math.max(lo, i);
      if (overlap > 0) w[o * n + i] = overlap * scale;
    }
  }
  return w;
}

function resample(ink: ArrayLike<number>, width: number, box: Box, scale: number, ox: number, oy: number): Float32Array {
  const cw = box.x1 - box.x0;
  const ch = box.y1 - box.y0;
  const wx = axisWeights(0, cw, scale, ox, DIGIT_SIZE);
  const wy = axisWeights(0, ch, scale, oy, DIGIT_SIZE);
  // Rows first (ch × 28), then columns (28 × 28).
  const rows = new Float64Array(ch * DIGIT_SIZE);
  for (let j = 0; j < ch; j++) {
    const src = (box.y0 + j) * width + box.x0;
    for (let o = 0; o < DIGIT_SIZE; o++) {
      let sum = 0;
      for (let i = 0; i < cw; i++) {
        const weight = wx[o * cw + i];
        if (weight !== 0) sum += weight * ink[src + i];
      }
      rows[j * DIGIT_SIZE + o] = sum;
    }
  }
  const out = new Float32Array(DIGIT_SIZE * DIGIT_SIZE);
  for (let oyi = 0; oyi < DIGIT_SIZE; oyi++) {
    for (let j = 0; j < ch; j++) {
      const weight = wy[oyi * ch + j];
      if (weight === 0) continue;
      for (let o = 0; o < DIGIT_SIZE; o++) out[oyi * DIGIT_SIZE + o] += weight * rows[j * DIGIT_SIZE + o];
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return out;
}

/** Centre of mass in pixel-index coordinates (pixel (0,0)'s centre is (0,0)); null without ink. */
export function centreOfMass(image: ArrayLike<number>, width: number, height: number): { x: number; y: number } | null {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = image[y * width + x];
      mass += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : null;
}

/**
 * The drawing `ink` (width×height, ink in [0, 1]) as a 28×28 MNIST-style digit in [0, 1].
 * Throws EmptyDrawingError when there is no ink to speak of.
 */
export function preprocessDrawing(ink: ArrayLike<number>, width: number, height: number): Float32Array {
  if (ink.length !== width * height) throw new RangeError(`${ink.length} pixels for a ${width}×${height} drawing`);
  const box = inkBox(ink, width, height);
  if (!box) throw new EmptyDrawingError();
  const scale = FIT_SIZE / Math.max(box.x1 - box.x0, box.y1 - box.y0);
  // Centre of mass of the cropped ink in continuous coordinates (pixel i spans [i, i+1]).
  const cropped = new Float32Array((box.x1 - box.x0) * (box.y1 - box.y0));
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) cropped[(y - box.y0) * (box.x1 - box.x0) + (x - box.x0)] = ink[y * width + x];
  }
  const com = centreOfMass(cropped, box.x1 - box.x0, box.y1 - box.y0);
  if (!com) throw new EmptyDrawingError();
  const centre = DIGIT_SIZE / 2;
  let ox = centre - (com.x + 0.5) * scale;
  let oy = centre - (com.y + 0.5) * scale;
  let out = resample(ink, width, box, scale, ox, oy);
  // The pixel grid moves the discrete centre of mass by up to half a pixel; nudge it back.
  for (let pass = 0; pass < CENTRING_PASSES; pass++) {
    const c = centreOfMass(out, DIGIT_SIZE, DIGIT_SIZE);
    if (!c) break;
    const dx = centre - 0.5 - c.x;
    const dy = centre - 0.5 - c.y;
    if (Math.abs(dx) < 0.01 && Math.abs(dy) < 0.01) break;
    ox += dx;
    oy += dy;
    out = resample(ink, width, box, scale, ox, oy);
  }
  return out;
}

/** [0, 1] values as the 0..255 bytes of a DigitSet (rounded, as MNIST's own bytes are). */
export function toPixelBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
  return out;
}
