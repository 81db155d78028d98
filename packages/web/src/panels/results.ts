/**
 * The tutorial's published error rates next to minmax's own reproduction (`minmax reproduce`):
 * clean, FGSM, PGD-40 and IBP-certified error at ε = 0.1 for each network, and the chapter-2
 * linear models at ε = 0.2. Reads results.json from the page's own origin; without one it says
 * how to produce it.
 */
import { h, messageContent, replaceChildren } from '../app/dom.js';
import { toUserMessage } from '../app/messages.js';
import { fetchResults, formatRate, METRIC_LABELS, METRICS, type LinearRow, type ResultRow, type Results } from '../results/results.js';
import type { Panel, PanelContext } from './panel.js';

const pair = (mine: number | null, theirs: number | undefined, missing: boolean): HTMLTableCellElement[] => [
  h('td', { class: 'num minmax' }, missing ? 'not trained' : formatRate(mine)),
  h('td', { class: 'num tutorial' }, formatRate(theirs)),
];

function modelCell(model: string, file: string, tutorialName: string | undefined): HTMLTableCellElement {
  return h(
    'th',
    { scope: 'row' },
    h('span', { class: 'results-model' }, model),
    h('span', { class: 'muted small results-file' }, [file, tutorialName ? `tutorial: ${tutorialName}` : ''].filter(Boolean).join(' · ')),
  );
}

function groupHeader(first: string, groups: string[]): HTMLTableSectionElement {
  return h(
    'thead',
    {},
    h('tr', {}, h('th', { rowspan: 2, scope: 'col' }, first), ...groups.map((g) => h('th', { colspan: 2, scope: 'colgroup', class: 'group' }, g)), h('th', { rowspan: 2, scope: 'col', class: 'num' }, 'images')),
    h('tr', {}, ...groups.flatMap(() => [h('th', { scope: 'col', class: 'num sub' }, 'minmax'), h('th', { scope: 'col', class: 'num sub' }, 'tutorial')])),
  );
}

function mainTable(rows: ResultRow[]): HTMLTableElement {
  return h(
    'table',
    { class: 'results-table', id: 'results-table' },
    h('caption', {}, 'MNIST test set, ℓ∞ ε = 0.1 · error rates (lower is better)'),
    groupHeader('model', METRICS.map((m) => METRIC_LABELS[m])),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-model': r.model, class: r.missing ? 'missing' : '' },
          modelCell(r.model, r.file, r.tutorial?.name),
          ...METRICS.flatMap((m) => pair(r[m], r.tutorial?.[m], r.missing)),
          h('td', { class: 'num muted' }, r.missing ? '' : r.n.toLocaleString('en-US')),
        ),
      ),
    ),
  );
}

function linearTable(rows: LinearRow[]): HTMLTableElement {
  return h(
    'table',
    { class: 'results-table', id: 'results-linear' },
    h('caption', {}, 'Chapter 2: linear classifiers, digits 0 vs 1, ℓ∞ ε = 0.2 · error rates'),
    groupHeader('model', ['clean', 'optimal attack']),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-model': r.model, class: r.missing ? 'missing' : '' },
          modelCell(r.model, r.file, undefined),
          ...pair(r.clean, r.tutorial?.clean, r.missing),
          ...pair(r.attacked, r.tutorial?.attacked, r.missing),
          h('td', { class: 'num muted' }, r.missing ? '' : r.n.toLocaleString('en-US')),
        ),
      ),
    ),
  );
}

function renderResults(body: HTMLElement, r: Results): void {
  const missing = [...r.rows, ...r.linear].filter((x) => x.missing).map((x) => x.model);
  replaceChildren(
    body,
    r.rows.length ? mainTable(r.rows) : null,
    r.linear.length ? linearTable(r.linear) : null,
    missing.length ? h('p', { class: 'muted small' }, `Not trained when the table was made: ${missing.join(', ')}. `, h('code', {}, 'pnpm cli reproduce --train'), ' trains them.') : null,
    h(
      'p',
      { class: 'muted small', id: 'results-meta' },
      `Made ${r.generatedAt || 'at an unknown date'}${r.device ? ` on ${r.device}` : ''} by `,
      h('code', {}, r.command || 'minmax reproduce'),
      '. The tutorial’s figures are the ones it publishes for its own networks.',
    ),
  );
}

export function mountResultsPanel(container: HTMLElement, _ctx: PanelContext): Panel {
  const body = h('div', { class: 'results-body', id: 'results-body' });
  container.id = 'results';
  container.dataset.state = 'loading';
  replaceChildren(
    container,
    h('div', { class: 'panel-head' }, h('h2', {}, 'Results: minmax vs the tutorial')),
    body,
  );
  replaceChildren(body, h('p', { class: 'muted small' }, 'Loading results.json…'));

  let disposed = false;
  void fetchResults(new URL('results.json', document.baseURI).href).then(
    (results) => {
      if (disposed) return;
      if (results === null) {
        container.dataset.state = 'absent';
        replaceChildren(
          body,
          h(
            'p',
            { class: 'results-absent', id: 'results-absent' },
            'The reproduction has not been run yet, so there is nothing to compare. Run ',
            h('code', {}, 'pnpm cli reproduce'),
            ' at the repository root (it writes docs/results.json), then rebuild or restart the page.',
          ),
        );
        return;
      }
      container.dataset.state = 'shown';
      renderResults(body, results);
    },
    (err: unknown) => {
      if (disposed) return;
      container.dataset.state = 'error';
      const m = toUserMessage(err, 'results.json');
      replaceChildren(body, h('div', { class: 'error', role: 'alert' }, ...messageContent(m)));
    },
  );

  return {
    dispose() {
      disposed = true;
    },
  };
}
