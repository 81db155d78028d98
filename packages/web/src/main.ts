/**
 * minmax web: entry point. Builds the layout, starts the inference worker and mounts the panels.
 * Further panels (certify, loss landscape) mount the same way: a container in the layout, a
 * `mountXPanel(container, ctx)` in src/panels/, heavy work in their own worker in src/workers/.
 */
import './styles.css';
import { Controller } from './app/controller.js';
import { h } from './app/dom.js';
import { initialState, type AppState } from './app/state.js';
import { Store } from './app/store.js';
import { mountAttackPanel } from './panels/attack.js';
import { mountCertifyPanel } from './panels/certify.js';
import { mountDevicePanel } from './panels/device.js';
import { mountDrawPanel } from './panels/draw.js';
import { mountGalleryPanel } from './panels/gallery.js';
import { mountLandscapePanel } from './panels/landscape.js';
import { mountModelPanel } from './panels/model.js';
import type { Panel, PanelContext } from './panels/panel.js';
import { mountPredictionPanel } from './panels/prediction.js';
import { mountResultsPanel } from './panels/results.js';
import type { InferenceApi } from './workers/inference-api.js';
import { WorkerClient } from './workers/rpc.js';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');

const slots = {
  device: h('div'),
  model: h('section', { class: 'card model-panel' }),
  gallery: h('section', { class: 'card gallery-panel' }),
  draw: h('section', { class: 'card draw-panel' }),
  prediction: h('section', { class: 'card prediction-panel' }),
  attack: h('section', { class: 'card attack-panel' }),
  // panels: certify (mounted by the certify panel)
  certify: h('section', { class: 'card certify-panel' }),
  landscape: h('section', { class: 'card landscape-panel wide' }),
  results: h('section', { class: 'card results-panel wide' }),
};

root.replaceChildren(
  h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, h('h1', {}, 'minmax'), h('p', { class: 'tagline' }, 'MNIST classifiers in your browser, on ONNX Runtime Web')),
    slots.device,
  ),
  h(
    'main',
    { class: 'layout' },
    h('div', { class: 'col' }, slots.model, slots.prediction),
    h('div', { class: 'col' }, slots.gallery, slots.draw, slots.attack, slots.certify),
    slots.landscape,
    slots.results,
  ),
  h(
    'footer',
    { class: 'muted small' },
    'Everything runs locally: the model, the digits and ONNX Runtime are served by this page; nothing is uploaded.',
  ),
);

const worker = new WorkerClient<InferenceApi>(
  new Worker(new URL('./workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'minmax-inference' }),
);
const store = new Store<AppState>(initialState);
const controller = new Controller(store, worker, {
  digits: new URL('digits.bin', document.baseURI).href,
  catalog: new URL('models/models.json', document.baseURI).href,
});
const ctx: PanelContext = { store, controller };
const panels: Panel[] = [
  mountDevicePanel(slots.device, ctx),
  mountModelPanel(slots.model, ctx),
  mountPredictionPanel(slots.prediction, ctx),
  mountGalleryPanel(slots.gallery, ctx),
  mountDrawPanel(slots.draw, ctx),
  mountAttackPanel(slots.attack, ctx),
  mountCertifyPanel(slots.certify, ctx),
  mountLandscapePanel(slots.landscape, ctx),
  mountResultsPanel(slots.results, ctx),
];

window.addEventListener('pagehide', () => {
  for (const panel of panels) panel.dispose();
  worker.dispose();
});

void controller.init();
