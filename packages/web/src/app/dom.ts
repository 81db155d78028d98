/** Element construction without a UI framework. */
import type { UserMessage } from './messages.js';

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((event: never) => void);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value as EventListener);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A UserMessage as the page shows one: the sentence in bold, the technical detail under it. */
export function messageContent(m: UserMessage): HTMLElement[] {
  return [h('strong', {}, m.title), h('p', { class: 'small' }, m.detail)];
}

/** Shows `m` in an alert box, or hides the box when there is none. */
export function showMessage(box: HTMLElement, m: UserMessage | null): void {
  box.hidden = m === null;
  replaceChildren(box, ...(m ? messageContent(m) : []));
}

const PAPER = [255, 255, 255] as const;
const INK = [24, 28, 56] as const;

/** The page's colour for a pixel intensity t in [0,1] (0 = paper, 1 = ink); t outside is clipped. */
export function inkColor(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, t));
  return [0, 1, 2].map((c) => Math.round(PAPER[c] + (INK[c] - PAPER[c]) * u)) as [number, number, number];
}

/** Paints a grayscale digit (0 = paper, 255 = ink) onto a canvas of the digit's own size. */
export function drawDigit(canvas: HTMLCanvasElement, pixels: Uint8Array, rows: number, cols: number): void {
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const [r, g, b] = inkColor(pixels[i] / 255);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Like formatMs, in seconds from 1 s on (attacks on a software GPU take tens of seconds). */
export function formatDuration(ms: number): string {
  return ms < 1000 ? formatMs(ms) : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
