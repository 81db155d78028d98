/**
 * A model name as a panel title in core's surface figure: its bitmap font has letters, digits and
 * a few signs only (anything else draws as '?', so "cnn_robust.onnx" would read "CNN?ROBUST.ONNX"),
 * and the title is drawn at 2× across one 420-pixel panel.
 */
import { textWidth } from '@minmax/core';

const DRAWABLE = /[A-Za-z0-9 .,=:+<>/()%-]/;
/** Panel width (core's default) less a margin, at the title's scale. */
const MAX_WIDTH = 400;
const SCALE = 2;

export function figureTitle(name: string): string {
  let title = '';
  for (const ch of name.trim()) title += DRAWABLE.test(ch) ? ch : ch === '_' ? '-' : ' ';
  title = title.replace(/\s+/g, ' ');
  if (textWidth(title, SCALE) <= MAX_WIDTH) return title;
  while (title.length > 1 && textWidth(`${title}..`, SCALE) > MAX_WIDTH) title = title.slice(0, -1);
  return `${title.trimEnd()}..`;
}
