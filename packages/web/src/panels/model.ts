/** Choosing a model: drop or pick an .onnx file, or one of the models served with the page. */
import { formatBytes, h, replaceChildren, showMessage } from '../app/dom.js';
import type { Panel, PanelContext } from './panel.js';

export function mountModelPanel(container: HTMLElement, { store, controller }: PanelContext): Panel {
  const input = h('input', { type: 'file', id: 'model-file', accept: '.onnx,application/octet-stream', class: 'visually-hidden' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void controller.loadFile(file);
  });
  const drop = h(
    'label',
    { class: 'dropzone', for: 'model-file' },
    h('span', { class: 'drop-icon', 'aria-hidden': 'true' }, '⬆'),
    h('span', {}, h('strong', {}, 'Drop an ONNX model here'), ' or ', h('span', { class: 'link' }, 'choose a file')),
    h('span', { class: 'muted small' }, 'Input [N,1,28,28] or [N,784] in [0,1], output: class logits'),
  );
  for (const type of ['dragenter', 'dragover'] as const) {
    drop.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add('dragging');
    });
  }
  for (const type of ['dragleave', 'drop'] as const) drop.addEventListener(type, () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const file = e.dataTransfer?.files?.[0];
    if (file) void controller.loadFile(file);
  });

  const catalog = h('div', { class: 'catalog' });
  const info = h('div', { class: 'model-info', id: 'model-info' });
  const busy = h('p', { class: 'busy', id: 'busy', 'aria-live': 'polite' });
  const error = h('div', { class: 'error', id: 'model-error', role: 'alert' });

  replaceChildren(container, h('h2', {}, 'Model'), drop, input, catalog, busy, error, info);

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.catalog !== prev.catalog || s.busy !== prev.busy || catalog.childElementCount === 0) {
      const entries = s.catalog?.entries ?? [];
      replaceChildren(
        catalog,
        h('h3', {}, 'Bundled models'),
        entries.length === 0
          ? h('p', { class: 'muted small' }, 'None yet — models served from models/models.json appear here.')
          : h(
              'ul',
              { class: 'catalog-list' },
              ...entries.map((entry) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    { type: 'button', class: 'chip', disabled: s.busy !== null, onclick: () => void controller.loadCatalogEntry(entry) },
                    entry.name,
                  ),
                  entry.description ? h('span', { class: 'muted small' }, entry.description) : null,
                ),
              ),
            ),
      );
    }

    busy.hidden = s.busy === null;
    busy.textContent = s.busy ?? '';
    document.body.dataset.busy = String(s.busy !== null);

    showMessage(error, s.error);

    info.hidden = s.model === null;
    const m = s.model;
    if (m && m !== prev.model) {
      replaceChildren(
        info,
        h('p', { class: 'model-name' }, m.name, h('span', { class: 'muted small' }, ` · ${formatBytes(m.sizeBytes)}`)),
        h(
          'dl',
          {},
          h('dt', {}, 'Input'),
          h('dd', {}, h('code', {}, `${m.inputName} [${m.dynamicBatch ? 'N' : '1'}, ${m.inputDims.join(', ')}]`)),
          h('dt', {}, 'Output'),
          h('dd', {}, h('code', {}, `${m.outputName} [${m.dynamicBatch ? 'N' : '1'}, ${m.classes ?? '?'}]`)),
          h('dt', {}, 'minmax'),
          h(
            'dd',
            { class: m.minmax.supported ? 'ok' : 'warn', id: 'minmax-support' },
            m.minmax.supported
              ? `can analyze it${m.minmax.summary ? `: ${m.minmax.summary}` : ''}`
              : `classification only — minmax cannot analyze it: ${m.minmax.reason}`,
          ),
        ),
      );
    }
  });
  return { dispose: unsubscribe };
}
