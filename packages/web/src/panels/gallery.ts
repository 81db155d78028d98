/** The MNIST test digits to classify; once a model is loaded, its mistakes are marked. */
import { drawDigit, formatMs, h, replaceChildren } from '../app/dom.js';
import { digitPixels } from '../data/digits.js';
import { argmax } from '../model/softmax.js';
import { DEVICE_LABELS } from '../runtime/device.js';
import type { Panel, PanelContext } from './panel.js';

export function mountGalleryPanel(container: HTMLElement, { store, controller }: PanelContext): Panel {
  const summary = h('p', { class: 'gallery-summary muted small', id: 'gallery-summary', 'aria-live': 'polite' });
  const grid = h('div', { class: 'gallery', id: 'gallery', role: 'listbox', 'aria-label': 'MNIST test digits' });
  const title = h('h2', {}, 'MNIST test digits');
  replaceChildren(container, h('div', { class: 'panel-head' }, title, summary), grid);
  let cells: HTMLButtonElement[] = [];

  grid.addEventListener('keydown', (e) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 10, ArrowUp: -10 }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const next = store.get().selected + step;
    if (next >= 0 && next < cells.length) {
      void controller.select(next);
      cells[next].focus();
    }
  });

  const unsubscribe = store.subscribe((s, prev) => {
    const digits = s.digits;
    if (!digits) return;
    const fresh = cells.length !== digits.count;
    if (fresh) {
      title.textContent = `MNIST test digits 0–${digits.count - 1}`;
      cells = Array.from({ length: digits.count }, (_, i) => {
        const canvas = h('canvas', { 'aria-hidden': 'true' });
        drawDigit(canvas, digitPixels(digits, i), digits.rows, digits.cols);
        return h(
          'button',
          {
            type: 'button',
            class: 'digit',
            role: 'option',
            'data-index': i,
            'data-label': digits.labels[i],
            'aria-label': `test digit ${i}, label ${digits.labels[i]}`,
            onclick: () => void controller.select(i),
          },
          canvas,
          h('span', { class: 'badge' }),
        );
      });
      replaceChildren(grid, ...cells);
    }
    if (fresh || s.selected !== prev.selected) {
      cells.forEach((c, i) => {
        c.setAttribute('aria-selected', String(i === s.selected));
        c.tabIndex = i === s.selected ? 0 : -1;
      });
    }
    if (fresh || s.gallery !== prev.gallery || s.model !== prev.model) {
      const g = s.gallery;
      let correct = 0;
      cells.forEach((cell, i) => {
        const badge = cell.querySelector('.badge') as HTMLElement;
        if (!g) {
          cell.classList.remove('wrong', 'right');
          delete cell.dataset.predicted;
          badge.textContent = '';
          return;
        }
        const predicted = argmax(g.logits, i * g.classes, g.classes);
        const ok = predicted === digits.labels[i];
        if (ok) correct++;
        cell.dataset.predicted = String(predicted);
        cell.classList.toggle('wrong', !ok);
        cell.classList.toggle('right', ok);
        badge.textContent = ok ? '' : String(predicted);
        cell.title = ok ? `label ${digits.labels[i]}, predicted ${predicted}` : `label ${digits.labels[i]}, but predicted ${predicted}`;
      });
      summary.textContent = g
        ? `${correct} / ${digits.count} correct · ${DEVICE_LABELS[g.device]} · ${formatMs(g.ms)} for the batch`
        : 'Load a model to classify them all.';
    }
  });
  return { dispose: unsubscribe };
}
