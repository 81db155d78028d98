/** The selected digit, large, with the model's class probabilities as bars and the raw logits. */
import { drawDigit, formatMs, h, replaceChildren } from '../app/dom.js';
import { digitPixels } from '../data/digits.js';
import { argmax, softmax } from '../model/softmax.js';
import { DEVICE_LABELS } from '../runtime/device.js';
import type { Panel, PanelContext } from './panel.js';

function formatProb(p: number): string {
  if (p >= 0.9995 && p < 1) return '>99.9%';
  if (p > 0 && p < 0.0005) return '<0.1%';
  return `${(p * 100).toFixed(1)}%`;
}

export function mountPredictionPanel(container: HTMLElement, { store }: PanelContext): Panel {
  const canvas = h('canvas', { class: 'big-digit', 'aria-hidden': 'true' });
  const caption = h('p', { class: 'digit-caption' });
  const verdict = h('div', { class: 'verdict', id: 'verdict', 'aria-live': 'polite' });
  const bars = h('ol', { class: 'bars', id: 'bars', start: 0 });
  const meta = h('p', { class: 'muted small', id: 'prediction-meta' });
  container.id = 'prediction';
  replaceChildren(
    container,
    h('h2', {}, 'Prediction'),
    h('div', { class: 'prediction-body' }, h('figure', {}, canvas, caption), h('div', { class: 'prediction-main' }, verdict, bars, meta)),
  );

  let drawn: { digits: unknown; index: number } | null = null;
  const unsubscribe = store.subscribe((s) => {
    const digits = s.digits;
    if (!digits) return;
    if (drawn?.digits !== digits || drawn.index !== s.selected) {
      drawn = { digits, index: s.selected };
      drawDigit(canvas, digitPixels(digits, s.selected), digits.rows, digits.cols);
      caption.textContent = `test digit #${s.selected} · label ${digits.labels[s.selected]}`;
    }
    const p = s.prediction && s.prediction.index === s.selected ? s.prediction : null;
    const label = digits.labels[s.selected];
    if (!p) {
      delete container.dataset.predicted;
      delete container.dataset.logits;
      delete container.dataset.index;
      delete container.dataset.device;
      verdict.classList.remove('wrong');
      replaceChildren(
        verdict,
        h('p', { class: 'muted' }, s.model ? 'Classifying…' : 'Load a model to classify this digit.'),
      );
      replaceChildren(bars);
      meta.textContent = '';
      return;
    }
    const predicted = argmax(p.logits);
    const probs = softmax(p.logits);
    container.dataset.predicted = String(predicted);
    container.dataset.index = String(p.index);
    container.dataset.device = p.device;
    container.dataset.logits = JSON.stringify(Array.from(p.logits));
    verdict.classList.toggle('wrong', predicted !== label);
    replaceChildren(
      verdict,
      h('span', { class: 'verdict-digit' }, String(predicted)),
      h(
        'span',
        { class: 'verdict-text' },
        h('strong', {}, predicted === label ? 'Correct' : `Wrong — the label is ${label}`),
        h('span', { class: 'muted small' }, `${formatProb(probs[predicted])} confident`),
      ),
    );
    replaceChildren(
      bars,
      ...Array.from(probs, (prob, c) =>
        h(
          'li',
          {
            class: ['bar', c === predicted ? 'predicted' : '', c === label ? 'label' : ''].join(' ').trim(),
            'data-class': c,
            'data-prob': prob,
            'data-logit': p.logits[c],
          },
          h('span', { class: 'bar-class' }, String(c)),
          h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width: ${(prob * 100).toFixed(2)}%` })),
          h('span', { class: 'bar-prob' }, formatProb(prob)),
          h('span', { class: 'bar-logit', title: 'logit' }, p.logits[c].toFixed(2)),
        ),
      ),
    );
    meta.textContent = `${DEVICE_LABELS[p.device]} · ${formatMs(p.ms)} for this digit · bars: softmax probability, right: logit`;
  });
  return { dispose: unsubscribe };
}
