/**
 * The loss around the selected digit on a plane through the ε-box (tutorial ch. 4): core's
 * lossLandscape along the gradient sign and a random sign direction, drawn by core's
 * lossSurfaceFigure — the open model beside a second one (by default the PGD-trained ConvNet next
 * to the standard one), so the standard model's cliff and the robust model's plateau sit side by
 * side. Runs in the landscape worker with progress and Cancel. Changing the model, the provider
 * or the digit abandons a run and clears the figure, so a figure always belongs to what is shown.
 */
import { InvalidArgumentError } from '@minmax/core';
import { formatDuration, h, replaceChildren, showMessage } from '../app/dom.js';
import { toUserMessage, type UserMessage } from '../app/messages.js';
import type { AppState, ModelSource } from '../app/state.js';
import { digitsAsFloat } from '../data/digits.js';
import {
  checkSettings,
  comparisonChoices,
  comparisonValue,
  DEFAULT_EPS,
  DEFAULT_RESOLUTION,
  defaultComparison,
  MAX_RESOLUTION,
  type Comparison,
} from '../landscape/settings.js';
import { comparePeaks, formatLoss } from '../landscape/summary.js';
import { catalogFileUrl } from '../model/catalog.js';
import { DEVICE_LABELS } from '../runtime/device.js';
import type { LandscapeApi, LandscapeModel, LandscapeOutcome } from '../workers/landscape-api.js';
import { WorkerClient } from '../workers/rpc.js';
import { gradientBlocker, selectedLabel, type Panel, type PanelContext } from './panel.js';

type RunState = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

/** The random direction's seed: the CLI's default, so `minmax landscape` draws the same plane. */
const SEED = 0;

export function mountLandscapePanel(container: HTMLElement, { store }: PanelContext): Panel {
  const worker = new WorkerClient<LandscapeApi>(
    new Worker(new URL('../workers/landscape.worker.ts', import.meta.url), { type: 'module', name: 'minmax-landscape' }),
  );

  let state: RunState = 'idle';
  let shown: LandscapeOutcome | null = null;
  let error: UserMessage | null = null;
  let running: AbortController | null = null;
  let ticket = 0;
  let comparison: Comparison = { kind: 'none' };
  let uploaded: { name: string; bytes: Uint8Array } | null = null;
  /** Bundled models fetched for comparison, by catalog name. */
  const fetched = new Map<string, Uint8Array>();
  /** A stable key per byte array, so the worker keeps models open across runs. */
  const keys = new WeakMap<Uint8Array, string>();
  let nextKey = 1;
  const keyOf = (bytes: Uint8Array): string => {
    let key = keys.get(bytes);
    if (!key) keys.set(bytes, (key = `m${nextKey++}`));
    return key;
  };

  // ── form ──
  const eps = h('input', { type: 'number', id: 'landscape-eps', min: 0, max: 1, step: 'any', inputmode: 'decimal', value: DEFAULT_EPS });
  const resolution = h('input', { type: 'number', id: 'landscape-resolution', min: 3, max: MAX_RESOLUTION, step: 1, inputmode: 'numeric', value: DEFAULT_RESOLUTION });
  const compareSelect = h('select', { id: 'landscape-compare', 'aria-label': 'Compare with' });
  const compareFile = h('input', { type: 'file', id: 'landscape-compare-file', accept: '.onnx', class: 'visually-hidden' });
  const compareFileButton = h('button', { type: 'button', class: 'secondary small-button', onclick: () => compareFile.click() }, 'Compare with a file…');
  const runButton = h('button', { type: 'button', class: 'primary', id: 'landscape-run', onclick: () => void run() }, 'Draw the landscape');
  const cancelButton = h('button', { type: 'button', class: 'secondary', id: 'landscape-cancel', onclick: () => running?.abort() }, 'Cancel');
  const progress = h('progress', { id: 'landscape-progress', max: 1, value: 0 });
  const progressText = h('span', { class: 'muted small', id: 'landscape-progress-text', 'aria-live': 'polite' });

  const canvas = h('canvas', { id: 'landscape-figure', class: 'landscape-figure', 'aria-label': 'loss surfaces' });
  const statsBody = h('tbody');
  const stats = h(
    'table',
    { class: 'landscape-stats', id: 'landscape-stats' },
    h('thead', {}, h('tr', {}, h('th', {}, 'model'), h('th', {}, 'clean loss'), h('th', {}, 'min loss'), h('th', {}, 'max loss'))),
    statsBody,
  );
  const verdict = h('p', { class: 'landscape-verdict', id: 'landscape-verdict', 'aria-live': 'polite' });
  const meta = h('p', { class: 'muted small', id: 'landscape-meta' });
  const errorBox = h('div', { class: 'error', id: 'landscape-error', role: 'alert' });
  const context = h('p', { class: 'muted small', id: 'landscape-context' });

  container.id = 'landscape';
  replaceChildren(
    container,
    h('div', { class: 'panel-head' }, h('h2', {}, 'Loss landscape'), context),
    h(
      'p',
      { class: 'muted small' },
      'Cross-entropy at x + u·r + v·sign(∇ₓ loss) for u, v in [−ε, ε], r a random sign direction. A standard network’s loss climbs steeply along the gradient sign; a robustly trained one stays flat.',
    ),
    h(
      'div',
      { class: 'landscape-form' },
      h('label', { class: 'field', for: 'landscape-eps' }, h('span', {}, 'radius ε'), eps),
      h('label', { class: 'field', for: 'landscape-resolution' }, h('span', {}, 'points per axis'), resolution),
      h('label', { class: 'field landscape-compare', for: 'landscape-compare' }, h('span', {}, 'compare with'), compareSelect),
      compareFileButton,
      compareFile,
      h('div', { class: 'attack-actions' }, runButton, cancelButton),
    ),
    h('div', { class: 'attack-progress' }, progress, progressText),
    h('div', { class: 'landscape-canvas-wrap' }, canvas),
    stats,
    verdict,
    meta,
    errorBox,
  );

  function bundledNames(s: AppState): string[] {
    return s.catalog?.entries.map((e) => e.name) ?? [];
  }

  function renderChoices(s: AppState): void {
    const choices = comparisonChoices(s.source?.name ?? null, bundledNames(s), uploaded?.name ?? null);
    const value = comparisonValue(comparison);
    if (!choices.some((c) => c.value === value)) comparison = { kind: 'none' };
    replaceChildren(compareSelect, ...choices.map((c) => h('option', { value: c.value, selected: c.value === comparisonValue(comparison) }, c.label)));
  }

  compareSelect.addEventListener('change', () => {
    const v = compareSelect.value;
    if (v === 'none') comparison = { kind: 'none' };
    else if (v.startsWith('bundled:')) comparison = { kind: 'bundled', name: v.slice('bundled:'.length) };
    else if (uploaded) comparison = { kind: 'file', ...uploaded };
  });

  compareFile.addEventListener('change', () => {
    const file = compareFile.files?.[0];
    compareFile.value = '';
    if (!file) return;
    void file.arrayBuffer().then((buffer) => {
      uploaded = { name: file.name, bytes: new Uint8Array(buffer) };
      comparison = { kind: 'file', ...uploaded };
      renderChoices(store.get());
      render(store.get());
    });
  });

  /** Why Run is unavailable right now, or null. */
  function blocker(s: AppState): string | null {
    return gradientBlocker(s, 'Load a model to draw its loss landscape.');
  }

  function abandon(): void {
    ticket++;
    running?.abort();
    running = null;
    shown = null;
    error = null;
    state = 'idle';
  }

  async function comparisonModel(s: AppState): Promise<LandscapeModel | null> {
    const c = comparison;
    if (c.kind === 'none') return null;
    if (c.kind === 'file') return { key: keyOf(c.bytes), name: c.name, bytes: c.bytes };
    let bytes = fetched.get(c.name);
    if (!bytes) {
      const entry = s.catalog?.entries.find((e) => e.name === c.name);
      if (!entry || !s.catalog) throw new InvalidArgumentError(`${c.name} is not among the bundled models`);
      const url = catalogFileUrl(entry, s.catalog.baseUrl);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
      bytes = new Uint8Array(await response.arrayBuffer());
      fetched.set(c.name, bytes);
    }
    return { key: keyOf(bytes), name: c.name, bytes };
  }

  async function run(): Promise<void> {
    const s = store.get();
    const label = selectedLabel(s);
    if (blocker(s) !== null || label === null || !s.digits || !s.model || !s.source || running) return;
    let settings;
    try {
      settings = checkSettings({ eps: eps.value.trim() === '' ? Number.NaN : Number(eps.value), resolution: Number(resolution.value) });
    } catch (err) {
      error = { title: 'Check the landscape settings.', detail: (err as Error).message };
      state = 'error';
      render(s);
      return;
    }
    const source: ModelSource = s.source;
    const device = s.model.device;
    const mine = ++ticket;
    const abort = new AbortController();
    running = abort;
    error = null;
    shown = null;
    state = 'running';
    progress.max = 1;
    progress.value = 0;
    progressText.textContent = 'Opening the models for gradients…';
    delete container.dataset.pointsDone;
    render(s);
    try {
      const other = await comparisonModel(s);
      if (mine !== ticket) return;
      const models: LandscapeModel[] = [{ key: keyOf(source.bytes), name: source.name, bytes: source.bytes }, ...(other ? [other] : [])];
      const image = digitsAsFloat(s.digits, s.selected, 1);
      const outcome = await worker.call(
        'run',
        { models, image, label, eps: settings.eps, resolution: settings.resolution, seed: SEED, device },
        {
          transfer: [image.buffer],
          signal: abort.signal,
          onProgress: (e) => {
            if (mine !== ticket) return;
            progress.max = e.total;
            progress.value = e.done;
            progressText.textContent = `${e.done} / ${e.total} ${e.unit}`;
            container.dataset.pointsDone = String(e.done);
          },
        },
      );
      if (mine !== ticket) return;
      shown = outcome;
      state = outcome.cancelled ? 'cancelled' : 'done';
    } catch (err) {
      if (mine !== ticket) return;
      error = toUserMessage(err, source.name);
      state = 'error';
    } finally {
      if (running === abort) running = null;
    }
    render(store.get());
  }

  function drawFigure(o: LandscapeOutcome | null): void {
    const fig = o?.figure;
    if (!fig) {
      canvas.width = 0;
      canvas.height = 0;
      return;
    }
    canvas.width = fig.width;
    canvas.height = fig.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(fig.width, fig.height);
    image.data.set(fig.data);
    ctx.putImageData(image, 0, 0);
  }

  let drawn: LandscapeOutcome | null = null;

  function render(s: AppState): void {
    const why = blocker(s);
    const busy = state === 'running';
    for (const input of [eps, resolution, compareSelect, compareFileButton]) input.disabled = busy;
    runButton.disabled = busy || why !== null;
    runButton.title = why ?? '';
    cancelButton.disabled = !busy || running === null;
    cancelButton.hidden = !busy;
    if (!busy && state !== 'cancelled' && (why !== null || !shown)) progressText.textContent = why ?? '';
    progress.hidden = !busy && state !== 'cancelled';

    const label = selectedLabel(s);
    context.textContent =
      label === null ? '' : `test digit #${s.selected} · label ${label}${s.model ? ` · ${s.model.name} on ${DEVICE_LABELS[s.model.device]}` : ''}`;
    container.dataset.state = state;
    container.dataset.index = String(s.selected);

    if (drawn !== shown) {
      drawn = shown;
      drawFigure(shown);
    }
    const surfaces = shown?.figure ? shown.surfaces : [];
    stats.hidden = surfaces.length === 0;
    replaceChildren(
      statsBody,
      ...surfaces.map((x) =>
        h(
          'tr',
          { 'data-model': x.name, 'data-clean': x.clean, 'data-min': x.min, 'data-max': x.max },
          h('th', { scope: 'row' }, x.name),
          h('td', {}, formatLoss(x.clean)),
          h('td', {}, formatLoss(x.min)),
          h('td', {}, formatLoss(x.max)),
        ),
      ),
    );
    if (state === 'cancelled') {
      verdict.textContent = 'Cancelled: no figure was drawn.';
      meta.textContent = '';
    } else if (shown?.figure) {
      verdict.textContent = comparePeaks(surfaces.map((x) => ({ title: x.name, min: x.min, max: x.max, clean: x.clean }))) ?? '';
      const first = surfaces[0];
      meta.textContent = `ε = ${first.eps} · ${first.resolution}×${first.resolution} points per model · seed ${SEED} · ${formatDuration(shown.ms)} on ${DEVICE_LABELS[shown.device]}`;
    } else {
      verdict.textContent = '';
      meta.textContent = busy ? '' : 'Choose ε, the grid and a model to compare with, then draw.';
    }
    showMessage(errorBox, error);
  }

  const unsubscribe = store.subscribe((s, prev) => {
    const modelChanged = s.source !== prev.source || s.model?.device !== prev.model?.device || (s.model === null) !== (prev.model === null);
    if (modelChanged || s.selected !== prev.selected || s.digits !== prev.digits) {
      if (running || shown || state === 'error' || state === 'cancelled') abandon();
    }
    if (s.source !== prev.source && s.source) {
      const preferred = defaultComparison(s.source.name, bundledNames(s));
      if (preferred) comparison = { kind: 'bundled', name: preferred };
      else if (comparison.kind === 'bundled') comparison = { kind: 'none' };
    }
    if (s.source !== prev.source || s.catalog !== prev.catalog || compareSelect.childElementCount === 0) renderChoices(s);
    render(s);
  });
  renderChoices(store.get());
  render(store.get());

  return {
    dispose() {
      unsubscribe();
      abandon();
      // Terminating the worker frees its ONNX Runtime sessions and WASM memory with it.
      worker.dispose();
    },
  };
}
