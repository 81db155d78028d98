/**
 * Draw a digit with mouse, touch or pen; "Use" turns it into an MNIST-style 28×28 digit
 * (src/draw/preprocess.ts) and makes it the selected digit for every other panel. A drawing has no
 * true label, so the page labels it with the model's prediction and says so here.
 */
import { h, replaceChildren } from '../app/dom.js';
import { EmptyDrawingError, inkFromRgba, preprocessDrawing, toPixelBytes } from '../draw/preprocess.js';
import type { Panel, PanelContext } from './panel.js';

const SIZE = 280;
/** About MNIST's stroke width relative to a digit's height once scaled to 20 px. */
const PEN_WIDTH = 20;
const PEN_COLOR = 'rgb(24, 28, 56)';

export function mountDrawPanel(container: HTMLElement, { store, controller }: PanelContext): Panel {
  const canvas = h('canvas', {
    class: 'draw-canvas',
    id: 'draw-canvas',
    width: SIZE,
    height: SIZE,
    'aria-label': 'Drawing area: draw one digit, then press Use',
  });
  const clearButton = h('button', { type: 'button', class: 'secondary', id: 'draw-clear', onclick: () => clear() }, 'Clear');
  const useButton = h('button', { type: 'button', class: 'primary', id: 'draw-use', onclick: () => void use() }, 'Use');
  const status = h('p', { class: 'draw-status small', id: 'draw-status', 'aria-live': 'polite' });
  container.id = 'draw';
  replaceChildren(
    container,
    h('h2', {}, 'Draw a digit'),
    h('p', { class: 'muted small' }, 'Cropped, scaled into 20×20 and centred by its mass in 28×28, as MNIST was, before the model sees it.'),
    canvas,
    h('div', { class: 'draw-actions' }, clearButton, useButton),
    status,
  );

  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let hasInk = false;
  let last: { x: number; y: number } | null = null;
  let problem: string | null = null;
  let using = false;

  function point(e: PointerEvent): { x: number; y: number } {
    const rect = canvas.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) * canvas.width) / rect.width, y: ((e.clientY - rect.top) * canvas.height) / rect.height };
  }

  function dot(p: { x: number; y: number }): void {
    if (!ctx) return;
    ctx.fillStyle = PEN_COLOR;
    ctx.beginPath();
    ctx.arc(p.x, p.y, PEN_WIDTH / 2, 0, 2 * Math.PI);
    ctx.fill();
  }

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !ctx) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
    dot(last);
    hasInk = true;
    problem = null;
    render();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last || !ctx) return;
    const p = point(e);
    ctx.strokeStyle = PEN_COLOR;
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
  });
  const end = () => {
    last = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  function clear(): void {
    ctx?.clearRect(0, 0, canvas.width, canvas.height);
    hasInk = false;
    problem = null;
    render();
  }

  async function use(): Promise<void> {
    if (!ctx) return;
    let pixels: Uint8Array;
    try {
      const ink = inkFromRgba(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
      pixels = toPixelBytes(preprocessDrawing(ink, canvas.width, canvas.height));
    } catch (err) {
      problem = err instanceof EmptyDrawingError ? err.message : `Could not read the drawing: ${String(err)}`;
      render();
      return;
    }
    problem = null;
    using = true;
    render();
    try {
      await controller.useDrawing(pixels);
    } finally {
      using = false;
      render();
    }
  }

  function render(): void {
    const s = store.get();
    useButton.disabled = using || !s.model || !s.digits || s.busy !== null;
    clearButton.disabled = !hasInk;
    const current = s.digits && s.drawnFrom !== null && s.selected >= s.drawnFrom ? s.selected : null;
    status.classList.toggle('warn', problem !== null);
    if (problem !== null) status.textContent = problem;
    else if (!s.model) status.textContent = 'Load a model to classify your drawing.';
    else if (current !== null && s.digits) {
      status.textContent =
        `Your drawing is digit #${current}, the selected digit. It has no true label, so Prediction, ` +
        `Attack, Certify and the loss landscape take the model’s prediction, ${s.digits.labels[current]}, as its label.`;
    } else status.textContent = hasInk ? 'Press Use to classify it.' : 'Draw one digit, large, in the box.';
    container.dataset.drawn = current === null ? '' : String(current);
  }

  const unsubscribe = store.subscribe(render);
  return { dispose: unsubscribe };
}
