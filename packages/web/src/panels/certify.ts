/**
 * Certifies the selected digit against every ℓ∞ perturbation of radius ε: per-target lower bounds
 * of the margin z_y − z_t by IBP, CROWN and α-CROWN (core's certify on the WebAssembly engine),
 * the LP relaxation and the exact MIP (core's exact verifier, HiGHS), shown as the tutorial's
 * certificate table; the certified radius of a bound method by bisection; and the MIP's
 * counterexamples, re-classified by ONNX Runtime. All of it runs in the certify worker. Changing
 * the model or the digit abandons a running job and clears the results, so what is shown always
 * belongs to the digit and model on the page.
 */
import { diverging } from '@minmax/core';
import { drawDigit, h, replaceChildren, showMessage } from '../app/dom.js';
import type { UserMessage } from '../app/messages.js';
import type { AppState, ModelSource } from '../app/state.js';
import { linfDistance, perturbationImage, toPixels } from '../certify/image.js';
import { certifyMessage, isCancellation } from '../certify/messages.js';
import { BOUND_METHODS, isExact, METHOD_HINTS, METHOD_LABELS, METHODS, type BoundMethod, type Method } from '../certify/methods.js';
import { describeProgress, formatEps } from '../certify/progress.js';
import { CertifyRunner, type ModelHandle } from '../certify/runner.js';
import { certificateTable, formatBound, type CertificateTable, type MethodResult } from '../certify/table.js';
import { digitsAsFloat } from '../data/digits.js';
import { argmax } from '../model/softmax.js';
import { colormapGradient } from '../viz/paint.js';
import type { CounterexampleView, OpenedModel, RadiusResult } from '../workers/certify-api.js';
import { selectedLabel, type Panel, type PanelContext } from './panel.js';

type JobKind = Method | 'radius';

interface Job {
  kind: JobKind;
  ticket: number;
  started: number;
  cancelling: boolean;
}

const DEFAULT_EPS = 0.1;
const DEFAULT_TIME_LIMIT = 30;
const RADIUS_TOLERANCE = 1e-4;
/** Above this many ReLUs an LP/MIP encoding gets large; the page says so before the user waits. */
const LARGE_NETWORK = 2000;

const seconds = (s: number): string => (s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(s < 10 ? 2 : 1)} s`);

export function mountCertifyPanel(container: HTMLElement, { store }: PanelContext): Panel {
  const runner = new CertifyRunner({
    createWorker: () => new Worker(new URL('../workers/certify.worker.ts', import.meta.url), { type: 'module', name: 'minmax-certify' }),
  });

  let results: Partial<Record<Method, MethodResult>> = {};
  let radius: RadiusResult | null = null;
  let radiusMethod: BoundMethod = 'ibp';
  let opened: { source: ModelSource; info: OpenedModel } | null = null;
  let job: Job | null = null;
  let ticket = 0;
  let error: UserMessage | null = null;
  let note: string | null = null;
  /** Target whose counterexample is shown (null: the first one found). */
  let chosenTarget: number | null = null;
  let lastProgress = '';

  // ── controls ──
  const eps = h('input', { type: 'number', id: 'certify-eps', min: 0, step: 'any', inputmode: 'decimal', value: DEFAULT_EPS });
  const clamp = h('input', { type: 'checkbox', id: 'certify-clamp' });
  const timeLimit = h('input', { type: 'number', id: 'certify-time-limit', min: 1, step: 'any', inputmode: 'decimal', value: DEFAULT_TIME_LIMIT });
  const methodButtons = Object.fromEntries(
    METHODS.map((m) => [
      m,
      h('button', { type: 'button', class: `secondary method-button${isExact(m) ? ' exact' : ''}`, 'data-method': m, title: METHOD_HINTS[m], onclick: () => void start(m) }, METHOD_LABELS[m]),
    ]),
  ) as Record<Method, HTMLButtonElement>;
  const cancelButton = h('button', { type: 'button', class: 'secondary', id: 'certify-cancel', onclick: () => cancel() }, 'Cancel');
  const progress = h('progress', { id: 'certify-progress', max: 1, value: 0 });
  const progressText = h('span', { class: 'muted small', id: 'certify-progress-text', 'aria-live': 'polite' });
  const progressRow = h('div', { class: 'certify-progress' }, progress, progressText);
  const sizeNote = h('p', { class: 'muted small certify-size', id: 'certify-size' });

  const status = h('div', { class: 'certify-status', id: 'certify-status', 'aria-live': 'polite' });
  const tableCaption = h('caption', {});
  const thead = h('thead');
  const tbody = h('tbody');
  const tfoot = h('tfoot');
  const table = h('table', { class: 'certify-table', id: 'certify-table' }, tableCaption, thead, tbody, tfoot);

  const ceAdv = h('canvas', { class: 'certify-image', id: 'certify-ce-image', 'aria-label': 'counterexample input' });
  const ceDelta = h('canvas', { class: 'certify-image', id: 'certify-ce-delta', 'aria-label': 'counterexample perturbation' });
  const ceLegend = h('div', { class: 'heat-legend', 'aria-hidden': 'true' });
  const ceLegendLabels = h('div', { class: 'heat-legend-labels muted small' });
  const ceText = h('div', { class: 'certify-ce-text' });
  const ceCaption = h('figcaption', {});
  const counterexample = h(
    'div',
    { class: 'certify-ce', id: 'certify-counterexample' },
    h('h3', {}, 'Counterexample'),
    h(
      'div',
      { class: 'certify-ce-body' },
      h('figure', {}, ceAdv, ceCaption),
      h('figure', {}, ceDelta, h('figcaption', {}, 'its change from the digit'), ceLegend, ceLegendLabels),
      ceText,
    ),
  );

  const radiusButtons = Object.fromEntries(
    BOUND_METHODS.map((m) => [
      m,
      h('button', { type: 'button', class: 'seg', 'data-method': m, onclick: () => chooseRadiusMethod(m) }, METHOD_LABELS[m]),
    ]),
  ) as Record<BoundMethod, HTMLButtonElement>;
  const radiusRun = h('button', { type: 'button', class: 'primary', id: 'certify-radius-run', onclick: () => void start('radius') }, 'Find certified radius');
  const radiusResult = h('div', { class: 'certify-radius-result', id: 'certify-radius-result', 'aria-live': 'polite' });
  const errorBox = h('div', { class: 'error', id: 'certify-error', role: 'alert' });
  const context = h('p', { class: 'muted small', id: 'certify-context' });

  container.id = 'certify';
  replaceChildren(
    container,
    h('div', { class: 'panel-head' }, h('h2', {}, 'Certify'), context),
    h(
      'div',
      { class: 'certify-controls' },
      h(
        'div',
        { class: 'certify-fields' },
        h('label', { class: 'field', for: 'certify-eps' }, h('span', {}, 'radius ε (ℓ∞)'), eps),
        h('label', { class: 'field', for: 'certify-time-limit' }, h('span', {}, 'MIP/LP time limit per target (s)'), timeLimit),
        h('label', { class: 'check small', for: 'certify-clamp' }, clamp, 'clamp the box to [0, 1]'),
      ),
      h(
        'div',
        { class: 'certify-methods', role: 'group', 'aria-label': 'Compute margin bounds' },
        h('span', { class: 'muted small' }, 'Bounds:'),
        ...METHODS.map((m) => methodButtons[m]),
        cancelButton,
      ),
      progressRow,
      sizeNote,
    ),
    status,
    h('div', { class: 'certify-table-wrap' }, table),
    counterexample,
    h(
      'div',
      { class: 'certify-radius', id: 'certify-radius' },
      h('h3', {}, 'Certified radius'),
      h(
        'div',
        { class: 'certify-radius-controls' },
        h('div', { class: 'segmented', role: 'group', 'aria-label': 'Bound method for the radius' }, ...BOUND_METHODS.map((m) => radiusButtons[m])),
        radiusRun,
      ),
      radiusResult,
    ),
    errorBox,
  );

  function readNumber(input: HTMLInputElement): number {
    return input.value.trim() === '' ? Number.NaN : Number(input.value);
  }

  function blocker(s: AppState): string | null {
    if (!s.digits) return 'Loading the test digits…';
    if (!s.model || !s.source) return 'Load a model to certify it.';
    if (!s.model.minmax.supported) return `minmax cannot analyse this model: ${s.model.minmax.reason}`;
    if (s.busy !== null) return s.busy;
    return null;
  }

  function clearResults(): void {
    results = {};
    radius = null;
    chosenTarget = null;
    note = null;
  }

  /** Drops a running job's result (the page moved on) and asks the worker to stop. */
  function abandon(): void {
    ticket++;
    if (job) runner.cancel();
    job = null;
    error = null;
    clearResults();
  }

  function cancel(): void {
    if (!job) return;
    job.cancelling = true;
    lastProgress = 'Cancelling…';
    runner.cancel();
    render(store.get());
  }

  function chooseRadiusMethod(m: BoundMethod): void {
    if (m === radiusMethod) return;
    radiusMethod = m;
    radius = null;
    render(store.get());
  }

  for (const input of [eps, clamp]) {
    input.addEventListener(input === clamp ? 'change' : 'input', () => {
      // Every result on the panel is for one box; a new box starts a new table.
      clearResults();
      error = null;
      render(store.get());
    });
  }

  async function start(kind: JobKind): Promise<void> {
    const s = store.get();
    if (job || blocker(s) !== null || !s.digits || !s.source) return;
    const e = readNumber(eps);
    const limit = readNumber(timeLimit);
    if (!(Number.isFinite(e) && e >= 0)) {
      error = { title: 'Check the radius.', detail: `ε must be a number ≥ 0, got '${eps.value}'.` };
      render(s);
      return;
    }
    if (isExact(kind as Method) && !(Number.isFinite(limit) && limit > 0)) {
      error = { title: 'Check the time limit.', detail: `the time limit must be a number of seconds > 0, got '${timeLimit.value}'.` };
      render(s);
      return;
    }
    const source = s.source;
    const index = s.selected;
    const label = s.digits.labels[index];
    const x = digitsAsFloat(s.digits, index, 1);
    const mine = ++ticket;
    const current: Job = { kind, ticket: mine, started: performance.now(), cancelling: false };
    job = current;
    error = null;
    note = null;
    lastProgress = opened?.source === source ? 'Starting…' : `Opening ${source.name} for certification…`;
    progress.removeAttribute('value');
    render(s);
    const handle: ModelHandle = { key: source, name: source.name, bytes: async () => source.bytes.slice().buffer };
    const onProgress = (p: Parameters<typeof describeProgress>[0]): void => {
      if (mine !== ticket || current.cancelling) return;
      progress.max = p.total;
      progress.value = p.done;
      lastProgress = describeProgress(p);
      progressText.textContent = lastProgress;
    };
    const box = { x, label, eps: e, clamp: clamp.checked };
    try {
      let info: OpenedModel;
      if (kind === 'radius') {
        const r = await runner.run(handle, 'radius', { x, label, clamp: clamp.checked, method: radiusMethod, start: e > 0 ? e : DEFAULT_EPS, tolerance: RADIUS_TOLERANCE }, onProgress);
        info = r.model;
        if (mine !== ticket) return;
        radius = r.result;
      } else if (isExact(kind)) {
        const r = await runner.run(handle, 'exact', { ...box, method: kind, timeLimit: limit }, onProgress);
        info = r.model;
        if (mine !== ticket) return;
        results = { ...results, [kind]: r.result };
        chosenTarget = null;
      } else {
        const r = await runner.run(handle, 'bounds', { ...box, method: kind }, onProgress);
        info = r.model;
        if (mine !== ticket) return;
        results = { ...results, [kind]: r.result };
      }
      opened = { source, info };
    } catch (err) {
      if (mine !== ticket) return;
      if (current.cancelling || isCancellation(err)) note = 'Cancelled.';
      else error = certifyMessage(err, source.name);
    } finally {
      if (job === current) job = null;
    }
    render(store.get());
  }

  // ── rendering ──
  function renderTable(t: CertificateTable, s: AppState): void {
    const e = readNumber(eps);
    replaceChildren(
      tableCaption,
      `The margin z${t.label} − zₜ over the ℓ∞ box of radius ε = ${formatEps(e)}${clamp.checked ? ' ∩ [0, 1]' : ''} around digit #${s.selected}: `,
      'lower bounds (IBP, CROWN, α-CROWN), the relaxed minimum (LP), the exact minimum (MIP). ',
      h('span', { class: 'legend-proven' }, 'green'),
      ': proven > 0; ',
      h('span', { class: 'legend-falsified' }, 'red'),
      ': counterexample.',
    );
    replaceChildren(
      thead,
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'target t'),
        ...METHODS.map((m) => h('th', { scope: 'col', title: METHOD_HINTS[m], 'data-method': m }, METHOD_LABELS[m])),
      ),
    );
    replaceChildren(
      tbody,
      ...t.rows.map((row) =>
        h(
          'tr',
          { 'data-target': row.target },
          h('th', { scope: 'row' }, String(row.target)),
          ...METHODS.map((m) => {
            const c = row.cells[m];
            if (!c) return h('td', { class: 'cell empty', 'data-method': m, 'data-target': row.target }, '·');
            const attrs = { class: `cell ${c.state}`, 'data-method': m, 'data-target': row.target, 'data-value': c.value, 'data-state': c.state, title: c.title };
            if (c.state === 'falsified') {
              return h(
                'td',
                attrs,
                h('button', { type: 'button', class: 'cell-link', title: `Show the counterexample for target ${row.target}`, onclick: () => showCounterexample(row.target) }, c.text),
              );
            }
            return h('td', attrs, c.text);
          }),
        ),
      ),
    );
    replaceChildren(
      tfoot,
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'status'),
        ...METHODS.map((m) => {
          const col = t.columns[m];
          return h('td', { class: `col-status ${col ? col.status.replace(' ', '-') : 'empty'}`, 'data-method': m, 'data-status': col?.status ?? '' }, col ? col.status : '');
        }),
      ),
      h(
        'tr',
        { class: 'muted' },
        h('th', { scope: 'row' }, 'time'),
        ...METHODS.map((m) => h('td', { class: 'col-time' }, t.columns[m] ? seconds(t.columns[m].seconds) : '')),
      ),
    );
  }

  function showCounterexample(target: number): void {
    chosenTarget = target;
    render(store.get());
  }

  function renderCounterexample(s: AppState, t: CertificateTable): void {
    const found = (['mip', 'lp'] as const).flatMap((m) => {
      const r = results[m];
      return r && r.kind === 'exact' ? r.targets.filter((tv) => tv.counterexample).map((tv) => ({ method: m, tv, eps: r.eps })) : [];
    });
    const shown = found.find((f) => f.tv.target === chosenTarget) ?? found[0];
    counterexample.hidden = !shown || !s.digits;
    if (!shown || !s.digits) {
      for (const k of ['target', 'method', 'predicted', 'uploadedPredicted']) delete counterexample.dataset[k];
      return;
    }
    const ce = shown.tv.counterexample as CounterexampleView;
    ceCaption.textContent = `the input the ${METHOD_LABELS[shown.method]} found`;
    const { rows, cols } = s.digits;
    const clean = digitsAsFloat(s.digits, s.selected, 1);
    drawDigit(ceAdv, toPixels(ce.x), rows, cols);
    const limit = shown.eps > 0 ? shown.eps : 1;
    const raster = perturbationImage(ce.x, clean, limit, rows, cols);
    ceDelta.width = cols;
    ceDelta.height = rows;
    ceDelta.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(raster.data), cols, rows), 0, 0);
    ceLegend.style.background = colormapGradient(diverging(limit), limit);
    replaceChildren(ceLegendLabels, h('span', {}, `−${formatEps(limit)}`), h('span', {}, '0'), h('span', {}, `+${formatEps(limit)}`));
    const y = t.label;
    const target = shown.tv.target;
    const uploaded = ce.uploaded;
    counterexample.dataset.target = String(target);
    counterexample.dataset.method = shown.method;
    counterexample.dataset.predicted = String(ce.predicted);
    if ('predicted' in uploaded) counterexample.dataset.uploadedPredicted = String(uploaded.predicted);
    else delete counterexample.dataset.uploadedPredicted;
    const margin = ce.logits[y] - ce.logits[target];
    replaceChildren(
      ceText,
      h(
        'p',
        {},
        h('strong', {}, `${METHOD_LABELS[shown.method]}, target ${target}: `),
        `${shown.method === 'mip' ? 'min' : 'relaxed min'} z${y} − z${target} = ${formatBound(shown.tv.objective)} < 0, and this input of the box makes the network prefer ${target} over ${y}.`,
      ),
      h(
        'p',
        { class: 'ce-check' },
        'Re-checked in float32 ONNX Runtime (minmax’s import of the network): class ',
        h('strong', { class: ce.predicted === y ? '' : 'bad' }, String(ce.predicted)),
        `, z${y} − z${target} = ${formatBound(margin)}.`,
      ),
      'predicted' in uploaded
        ? h(
            'p',
            { class: 'ce-check', id: 'certify-ce-uploaded' },
            `The uploaded file ${s.source?.name ?? ''} in ONNX Runtime: class `,
            h('strong', { class: uploaded.predicted === y ? '' : 'bad' }, String(uploaded.predicted)),
            '.',
          )
        : h('p', { class: 'ce-check warn', id: 'certify-ce-uploaded' }, `The uploaded file could not be run on it: ${uploaded.error}`),
      h('p', { class: 'muted small' }, `‖x′ − x‖∞ = ${formatEps(linfDistance(ce.x, clean))} ≤ ε = ${formatEps(shown.eps)}${found.length > 1 ? ' · click another red cell for its counterexample' : ''}`),
    );
  }

  function renderRadius(s: AppState): void {
    for (const m of BOUND_METHODS) radiusButtons[m].setAttribute('aria-pressed', String(m === radiusMethod));
    const r = radius;
    if (!r) {
      for (const k of ['radius', 'upper', 'outcome', 'method']) delete radiusResult.dataset[k];
      replaceChildren(
        radiusResult,
        h(
          'p',
          { class: 'muted small' },
          `The largest ε at which ${METHOD_LABELS[radiusMethod]} verifies digit #${s.selected}, to ${RADIUS_TOLERANCE} (bisection on ε${clamp.checked ? ', box clamped to [0, 1]' : ''}).`,
        ),
      );
      return;
    }
    radiusResult.dataset.radius = String(r.radius);
    radiusResult.dataset.upper = r.upper === null ? '' : String(r.upper);
    radiusResult.dataset.outcome = r.outcome;
    radiusResult.dataset.method = r.method;
    const name = METHOD_LABELS[r.method];
    const headline =
      r.outcome === 'none'
        ? `${name} does not verify digit #${s.selected} even at ε = 0: the network misclassifies it (or its margin is within rounding of 0).`
        : r.outcome === 'at-max'
          ? `${name} verifies every ε up to ${formatEps(r.radius)}: the whole input range.`
          : `verified at ε = ${formatEps(r.radius)}, not at ${formatEps(r.upper ?? NaN)}`;
    const scale = Math.max(r.upper ?? r.radius, readNumber(eps) || 0, 1e-3) * 1.15;
    const pct = (v: number): string => `${Math.min(100, (100 * v) / scale).toFixed(2)}%`;
    const current = readNumber(eps);
    replaceChildren(
      radiusResult,
      h(
        'p',
        { class: 'radius-headline' },
        h('span', { class: 'radius-value', id: 'certify-radius-value' }, `ε* = ${formatEps(r.radius)}`),
        h('span', { class: 'muted small' }, ` ${r.outcome === 'converged' ? headline : ''} · ${name} · ${r.steps.length} steps · ${seconds(r.seconds)}`),
      ),
      r.outcome === 'converged' ? null : h('p', { class: 'small' }, headline),
      h(
        'div',
        { class: 'radius-bar', 'aria-hidden': 'true' },
        h('span', { class: 'radius-fill', style: `width: ${pct(r.radius)}` }),
        r.upper !== null ? h('span', { class: 'radius-fail', style: `left: ${pct(r.upper)}` }) : null,
        Number.isFinite(current) ? h('span', { class: 'radius-current', style: `left: ${pct(current)}`, title: `ε in the box above: ${formatEps(current)}` }) : null,
      ),
      h(
        'ol',
        { class: 'radius-steps', 'aria-label': 'bisection steps' },
        ...r.steps.map((st) => h('li', { class: st.verified ? 'ok' : 'no', title: st.verified ? 'verified' : 'not verified' }, `${formatEps(st.eps)} ${st.verified ? '✓' : '✗'}`)),
      ),
    );
  }

  function renderStatus(s: AppState, t: CertificateTable): void {
    const label = t.label;
    const o = t.overall;
    const predicted = s.prediction && s.prediction.index === s.selected ? argmax(s.prediction.logits) : null;
    const headline = { verified: 'Verified', 'not verified': o.falsified ? 'Not verified — counterexample found' : 'Not verified', unknown: 'Unknown', none: 'Not certified yet' }[o.status];
    status.className = `certify-status ${o.status.replace(' ', '-')}`;
    status.dataset.status = o.status;
    status.dataset.falsified = String(o.falsified);
    replaceChildren(
      status,
      h('strong', { class: 'status-headline' }, headline),
      h('span', { class: 'small' }, o.reason),
      predicted !== null && predicted !== label
        ? h('span', { class: 'small warn' }, `The model predicts ${predicted} for this digit (label ${label}): no method can verify it.`)
        : null,
    );
  }

  function render(s: AppState): void {
    const why = blocker(s);
    const running = job !== null;
    const label = selectedLabel(s);
    context.textContent = label === null ? '' : `test digit #${s.selected} · label ${label}${s.source ? ` · ${s.source.name}` : ''}`;

    for (const m of METHODS) {
      const b = methodButtons[m];
      b.disabled = running || why !== null;
      b.title = why ?? METHOD_HINTS[m];
      b.classList.toggle('active', job?.kind === m);
      b.classList.toggle('done', results[m] !== undefined);
    }
    for (const input of [eps, clamp, timeLimit]) input.disabled = running;
    for (const m of BOUND_METHODS) radiusButtons[m].disabled = running;
    radiusRun.disabled = running || why !== null;
    radiusRun.title = why ?? '';
    cancelButton.hidden = !running;
    cancelButton.disabled = !running || (job?.cancelling ?? false);
    progress.hidden = !running;
    progressText.textContent = running ? lastProgress : (note ?? why ?? '');
    progressRow.hidden = !running && progressText.textContent === '';
    container.dataset.state = running ? 'running' : error ? 'error' : 'idle';
    container.dataset.job = job?.kind ?? '';

    const info = opened && opened.source === s.source ? opened.info : null;
    sizeNote.hidden = !info;
    sizeNote.textContent = info
      ? `${info.name}: ${info.relus.toLocaleString('en')} ReLUs${info.relus > LARGE_NETWORK ? ' — LP and MIP encode every one of them and may take minutes here; the time limit bounds each target' : '; the MIP has a binary variable per ReLU the box leaves undecided'}.`
      : '';

    const classes = info?.classes ?? s.model?.classes ?? 10;
    if (label !== null) {
      const t = certificateTable(classes, label, results);
      renderStatus(s, t);
      renderTable(t, s);
      renderCounterexample(s, t);
    }
    renderRadius(s);

    showMessage(errorBox, error);
  }

  // While a job runs, the progress line also says how long it has been running.
  const ticker = setInterval(() => {
    if (!job || job.cancelling) return;
    const elapsed = (performance.now() - job.started) / 1000;
    progressText.textContent = `${lastProgress} · ${elapsed.toFixed(0)} s`;
  }, 1000);

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.source !== prev.source || s.selected !== prev.selected || s.digits !== prev.digits) {
      if (job || Object.keys(results).length > 0 || radius || error) abandon();
    }
    render(s);
  });

  return {
    dispose() {
      unsubscribe();
      clearInterval(ticker);
      ticket++;
      runner.dispose();
    },
  };
}
