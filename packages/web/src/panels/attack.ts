/**
 * Attacks the selected digit with core's FGSM / PGD ℓ∞ / PGD ℓ2 (untargeted or towards a chosen
 * class) in the attack worker, and shows the adversarial image, the perturbation as a diverging
 * heat map and the prediction before and after. Changing the model, the provider or the digit
 * abandons a running attack and clears the result, so a result always belongs to what is shown.
 */
import { diverging, InvalidArgumentError } from '@minmax/core';
import { formatDuration, h, inkColor, replaceChildren, showMessage } from '../app/dom.js';
import { toUserMessage, type UserMessage } from '../app/messages.js';
import type { AppState, ModelSource } from '../app/state.js';
import { heatMapLimit, perturbationNorms } from '../attack/perturbation.js';
import {
  ATTACK_METHODS,
  defaultSettings,
  METHOD_LABELS,
  targetFor,
  toAttackSpec,
  usesClipOption,
  usesSteps,
  type AttackMethod,
} from '../attack/settings.js';
import { digitsAsFloat } from '../data/digits.js';
import { argmax, softmax } from '../model/softmax.js';
import { DEVICE_LABELS, type Device } from '../runtime/device.js';
import { colormapGradient, paintValues } from '../viz/paint.js';
import type { AttackApi, AttackOutcome } from '../workers/attack-api.js';
import { WorkerClient } from '../workers/rpc.js';
import { gradientBlocker, selectedLabel, type Panel, type PanelContext } from './panel.js';

type RunState = 'idle' | 'loading' | 'running' | 'done' | 'cancelled' | 'error';

interface Shown {
  outcome: AttackOutcome;
  label: number;
  target: number | null;
}

const DEFAULT_CLASSES = 10;

function formatProb(p: number): string {
  if (p >= 0.9995 && p < 1) return '>99.9%';
  if (p > 0 && p < 0.0005) return '<0.1%';
  return `${(p * 100).toFixed(1)}%`;
}

function top(logits: Float32Array): { cls: number; prob: number } {
  const cls = argmax(logits);
  return { cls, prob: softmax(logits)[cls] };
}

const trim = (v: number): string => String(Number(v.toPrecision(3)));

export function mountAttackPanel(container: HTMLElement, { store }: PanelContext): Panel {
  const worker = new WorkerClient<AttackApi>(
    new Worker(new URL('../workers/attack.worker.ts', import.meta.url), { type: 'module', name: 'minmax-attack' }),
  );

  let settings = defaultSettings('pgd');
  let state: RunState = 'idle';
  let shown: Shown | null = null;
  let error: UserMessage | null = null;
  let running: AbortController | null = null;
  /** Bumped whenever a running attack's result would no longer fit the page. */
  let ticket = 0;
  /** What the worker has open: the page's model bytes on a provider. */
  let opened: { source: ModelSource; device: Device } | null = null;
  let opening: string | null = null;

  // ── form ──
  const methodButtons = Object.fromEntries(
    ATTACK_METHODS.map((m) => [
      m,
      h('button', { type: 'button', class: 'seg', 'data-method': m, onclick: () => chooseMethod(m) }, METHOD_LABELS[m]),
    ]),
  ) as Record<AttackMethod, HTMLButtonElement>;
  const untargeted = h('input', { type: 'radio', name: 'attack-goal', id: 'attack-untargeted', value: 'untargeted', checked: true });
  const targeted = h('input', { type: 'radio', name: 'attack-goal', id: 'attack-targeted', value: 'targeted' });
  const targetSelect = h('select', { id: 'attack-target', 'aria-label': 'Target class' });
  const eps = h('input', { type: 'number', id: 'attack-eps', min: 0, step: 'any', inputmode: 'decimal' });
  const alpha = h('input', { type: 'number', id: 'attack-alpha', min: 0, step: 'any', inputmode: 'decimal' });
  const steps = h('input', { type: 'number', id: 'attack-steps', min: 1, max: 10000, step: 1, inputmode: 'numeric' });
  const clip = h('input', { type: 'checkbox', id: 'attack-clip' });
  const alphaField = h('label', { class: 'field', for: 'attack-alpha' }, h('span', {}, 'step α'), alpha);
  const stepsField = h('label', { class: 'field', for: 'attack-steps' }, h('span', {}, 'steps'), steps);
  const clipField = h('label', { class: 'check small', for: 'attack-clip' }, clip, 'clip x + δ to [0, 1]');
  const runButton = h('button', { type: 'button', class: 'primary', id: 'attack-run', onclick: () => void run() }, 'Run attack');
  const cancelButton = h('button', { type: 'button', class: 'secondary', id: 'attack-cancel', onclick: () => running?.abort() }, 'Cancel');
  const progress = h('progress', { id: 'attack-progress', max: 1, value: 0 });
  const progressText = h('span', { class: 'muted small', id: 'attack-progress-text', 'aria-live': 'polite' });

  const form = h(
    'div',
    { class: 'attack-form' },
    h('div', { class: 'segmented', role: 'group', 'aria-label': 'Attack' }, ...ATTACK_METHODS.map((m) => methodButtons[m])),
    h(
      'fieldset',
      { class: 'goal' },
      h('legend', { class: 'visually-hidden' }, 'Goal'),
      h('label', { class: 'check small', for: 'attack-untargeted' }, untargeted, 'untargeted: any wrong class'),
      h('label', { class: 'check small', for: 'attack-targeted' }, targeted, 'targeted: make it a ', targetSelect),
    ),
    h('div', { class: 'fields' }, h('label', { class: 'field', for: 'attack-eps' }, h('span', {}, 'radius ε'), eps), alphaField, stepsField),
    clipField,
    h('div', { class: 'attack-actions' }, runButton, cancelButton),
    h('div', { class: 'attack-progress' }, progress, progressText),
  );

  // ── results ──
  const cleanCanvas = h('canvas', { class: 'attack-image', id: 'attack-clean', 'aria-label': 'clean digit' });
  const advCanvas = h('canvas', { class: 'attack-image', id: 'attack-adversarial', 'aria-label': 'adversarial digit' });
  const deltaCanvas = h('canvas', { class: 'attack-image', id: 'attack-delta', 'aria-label': 'perturbation heat map' });
  const cleanCaption = h('figcaption', {});
  const advCaption = h('figcaption', {});
  const deltaCaption = h('figcaption', {});
  const legend = h('div', { class: 'heat-legend', 'aria-hidden': 'true' });
  const legendLabels = h('div', { class: 'heat-legend-labels muted small' });
  const before = h('div', { class: 'attack-pred', id: 'attack-before' });
  const after = h('div', { class: 'attack-pred', id: 'attack-after' });
  const verdict = h('p', { class: 'attack-verdict', id: 'attack-verdict', 'aria-live': 'polite' });
  const meta = h('p', { class: 'muted small', id: 'attack-meta' });
  const errorBox = h('div', { class: 'error', id: 'attack-error', role: 'alert' });
  const context = h('p', { class: 'muted small', id: 'attack-context' });

  container.id = 'attack';
  replaceChildren(
    container,
    h('div', { class: 'panel-head' }, h('h2', {}, 'Attack'), context),
    h(
      'div',
      { class: 'attack-body' },
      form,
      h(
        'div',
        { class: 'attack-results' },
        h(
          'div',
          { class: 'attack-figures' },
          h('figure', {}, cleanCanvas, cleanCaption),
          h('figure', {}, advCanvas, advCaption),
          h('figure', {}, deltaCanvas, deltaCaption, legend, legendLabels),
        ),
        h('div', { class: 'attack-preds' }, before, h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'), after),
        verdict,
        meta,
      ),
    ),
    errorBox,
  );

  function readNumber(input: HTMLInputElement): number {
    return input.value.trim() === '' ? Number.NaN : Number(input.value);
  }

  function syncInputs(): void {
    eps.value = String(settings.eps);
    alpha.value = String(settings.alpha);
    steps.value = String(settings.steps);
    clip.checked = settings.clip;
    targeted.checked = settings.targeted;
    untargeted.checked = !settings.targeted;
  }

  function chooseMethod(method: AttackMethod): void {
    settings = defaultSettings(method, settings);
    syncInputs();
    render(store.get());
  }

  eps.addEventListener('input', () => (settings = { ...settings, eps: readNumber(eps) }));
  alpha.addEventListener('input', () => (settings = { ...settings, alpha: readNumber(alpha) }));
  steps.addEventListener('input', () => (settings = { ...settings, steps: readNumber(steps) }));
  clip.addEventListener('change', () => (settings = { ...settings, clip: clip.checked }));
  for (const radio of [untargeted, targeted]) {
    radio.addEventListener('change', () => {
      settings = { ...settings, targeted: targeted.checked };
      render(store.get());
    });
  }
  // Picking a target from the list implies a targeted attack.
  targetSelect.addEventListener('change', () => {
    settings = { ...settings, target: Number(targetSelect.value), targeted: true };
    syncInputs();
    render(store.get());
  });

  function classes(s: AppState): number {
    return s.model?.classes ?? DEFAULT_CLASSES;
  }

  /** Why Run is unavailable right now, or null. */
  function blocker(s: AppState): string | null {
    return gradientBlocker(s, 'Load a model to attack it.');
  }

  function abandon(): void {
    ticket++;
    running?.abort();
    running = null;
    shown = null;
    error = null;
    state = 'idle';
  }

  async function run(): Promise<void> {
    const s = store.get();
    const label = selectedLabel(s);
    if (blocker(s) !== null || label === null || !s.digits || !s.model || !s.source || running) return;
    const source = s.source;
    const device = s.model.device;
    let spec;
    try {
      spec = toAttackSpec(settings, label, classes(s));
    } catch (err) {
      error = err instanceof InvalidArgumentError ? { title: 'Check the attack settings.', detail: err.message } : toUserMessage(err);
      state = 'error';
      render(s);
      return;
    }
    const mine = ++ticket;
    const abort = new AbortController();
    running = abort;
    error = null;
    shown = null;
    progress.max = 1;
    progress.value = 0;
    const image = digitsAsFloat(s.digits, s.selected, 1);
    try {
      if (opened?.source !== source || opened.device !== device) {
        opened = null;
        opening = source.name;
        state = 'loading';
        render(s);
        await worker.call('load', { name: source.name, bytes: source.bytes, device });
        opened = { source, device };
        if (mine !== ticket) return;
      }
      state = 'running';
      progressText.textContent = 'Starting…';
      delete container.dataset.stepsDone;
      render(store.get());
      const outcome = await worker.call(
        'run',
        { image, label, spec },
        {
          transfer: [image.buffer],
          signal: abort.signal,
          onProgress: (e) => {
            if (mine !== ticket) return;
            progress.max = e.total;
            progress.value = e.done;
            progressText.textContent = `${e.done} / ${e.total} ${e.unit}`;
            container.dataset.stepsDone = String(e.done);
          },
        },
      );
      if (mine !== ticket) return;
      shown = { outcome, label, target: spec.options.target ?? null };
      state = outcome.cancelled ? 'cancelled' : 'done';
    } catch (err) {
      if (mine !== ticket) return;
      opened = null;
      error = toUserMessage(err, source.name);
      state = 'error';
    } finally {
      if (running === abort) running = null;
    }
    render(store.get());
  }

  function renderTargets(s: AppState): void {
    const label = selectedLabel(s);
    const n = classes(s);
    if (label !== null) settings = { ...settings, target: targetFor(label, settings.target, n) };
    replaceChildren(
      targetSelect,
      ...Array.from({ length: n }, (_, c) =>
        h('option', { value: c, disabled: c === label, selected: c === settings.target }, c === label ? `${c} (label)` : String(c)),
      ),
    );
  }

  function renderPrediction(el: HTMLElement, title: string, logits: Float32Array | null, label: number | null): void {
    if (!logits) {
      replaceChildren(el, h('span', { class: 'muted small' }, title), h('span', { class: 'attack-pred-digit muted' }, '–'));
      return;
    }
    const { cls, prob } = top(logits);
    el.classList.toggle('wrong', label !== null && cls !== label);
    replaceChildren(
      el,
      h('span', { class: 'muted small' }, title),
      h('span', { class: 'attack-pred-digit' }, String(cls)),
      h('span', { class: 'small' }, `${formatProb(prob)}`),
    );
  }

  let drawnClean: { digits: unknown; index: number } | null = null;

  function render(s: AppState): void {
    const label = selectedLabel(s);
    const why = blocker(s);
    const busy = state === 'loading' || state === 'running';

    for (const m of ATTACK_METHODS) {
      methodButtons[m].setAttribute('aria-pressed', String(m === settings.method));
      methodButtons[m].disabled = busy;
    }
    alphaField.hidden = !usesSteps(settings.method);
    stepsField.hidden = !usesSteps(settings.method);
    clipField.hidden = !usesClipOption(settings.method);
    for (const input of [untargeted, targeted, targetSelect, eps, alpha, steps, clip]) input.disabled = busy;
    runButton.disabled = busy || why !== null;
    runButton.title = why ?? '';
    cancelButton.disabled = !busy || running === null;
    cancelButton.hidden = !busy;

    if (state === 'loading') progressText.textContent = `Opening ${opening ?? 'the model'} for gradients…`;
    // After a run the last "k / N steps" stays, next to the full (or, cancelled, partial) bar.
    else if (!busy && (why !== null || !shown)) progressText.textContent = why ?? '';
    progress.hidden = !busy && !shown;

    const deviceLabel = s.model ? DEVICE_LABELS[s.model.device] : null;
    context.textContent =
      label === null
        ? ''
        : `test digit #${s.selected} · label ${label}${s.model ? ` · ${s.model.name} on ${deviceLabel}` : ''}`;

    if (s.digits && (drawnClean?.digits !== s.digits || drawnClean.index !== s.selected)) {
      drawnClean = { digits: s.digits, index: s.selected };
      paintValues(cleanCanvas, digitsAsFloat(s.digits, s.selected, 1), s.digits.cols, s.digits.rows, inkColor);
    }
    cleanCaption.textContent = 'clean';

    container.dataset.state = state;
    container.dataset.index = String(s.selected);
    const r = shown;
    if (!r) {
      for (const key of ['cleanPred', 'advPred', 'success', 'linf', 'l2', 'device', 'cancelled']) delete container.dataset[key];
      for (const c of [advCanvas, deltaCanvas]) {
        c.width = 0;
        c.height = 0;
      }
      advCaption.textContent = 'adversarial';
      deltaCaption.textContent = 'perturbation δ';
      legend.style.background = '';
      legend.hidden = true;
      replaceChildren(legendLabels);
      renderPrediction(before, 'before', null, null);
      renderPrediction(after, 'after', null, null);
      verdict.textContent = '';
      verdict.className = 'attack-verdict';
      meta.textContent = busy ? '' : 'Choose an attack and run it on the selected digit.';
    } else {
      const o = r.outcome;
      const rows = s.digits?.rows ?? 28;
      const cols = s.digits?.cols ?? 28;
      const limit = heatMapLimit(o.norm, o.eps, o.delta);
      const cmap = diverging(limit);
      paintValues(advCanvas, o.adversarial, cols, rows, inkColor);
      paintValues(deltaCanvas, o.delta, cols, rows, cmap);
      legend.hidden = false;
      legend.style.background = colormapGradient(cmap, limit);
      replaceChildren(legendLabels, h('span', {}, `−${trim(limit)}`), h('span', {}, '0'), h('span', {}, `+${trim(limit)}`));
      const norms = perturbationNorms(o.delta);
      const cleanTop = top(o.cleanLogits);
      const advTop = top(o.logits);
      advCaption.textContent = 'adversarial';
      deltaCaption.textContent = o.norm === 'linf' ? 'perturbation δ (colour: ±ε)' : 'perturbation δ (colour: ±max |δ|)';
      renderPrediction(before, 'before', o.cleanLogits, r.label);
      renderPrediction(after, 'after', o.logits, r.label);
      const flipped = advTop.cls !== cleanTop.cls;
      verdict.className = `attack-verdict ${o.success ? 'success' : 'held'}`;
      verdict.textContent =
        r.target !== null
          ? o.success
            ? `The model now says ${advTop.cls}, the target.`
            : `The model did not reach the target ${r.target}; it says ${advTop.cls}.`
          : flipped
            ? `Prediction flipped: ${cleanTop.cls} → ${advTop.cls}.`
            : `The prediction held: still ${advTop.cls}.`;
      if (o.cancelled) verdict.textContent += ' (cancelled early: the best perturbation found so far)';
      meta.textContent = `${o.description} · ‖δ‖∞ ${norms.linf.toFixed(4)} · ‖δ‖₂ ${norms.l2.toFixed(3)} · ${formatDuration(o.ms)} on ${DEVICE_LABELS[o.device]}`;
      container.dataset.cleanPred = String(cleanTop.cls);
      container.dataset.advPred = String(advTop.cls);
      container.dataset.success = String(o.success);
      container.dataset.cancelled = String(o.cancelled);
      container.dataset.linf = String(norms.linf);
      container.dataset.l2 = String(norms.l2);
      container.dataset.device = o.device;
    }

    showMessage(errorBox, error);
  }

  syncInputs();
  const unsubscribe = store.subscribe((s, prev) => {
    const modelChanged = s.source !== prev.source || s.model?.device !== prev.model?.device || (s.model === null) !== (prev.model === null);
    if (modelChanged || s.selected !== prev.selected || s.digits !== prev.digits) {
      if (running || shown || state === 'error') abandon();
    }
    if (s.selected !== prev.selected || s.digits !== prev.digits || s.model?.classes !== prev.model?.classes || targetSelect.childElementCount === 0) {
      renderTargets(s);
    }
    render(s);
  });

  return {
    dispose() {
      unsubscribe();
      abandon();
      worker.dispose();
    },
  };
}
