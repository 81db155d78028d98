/**
 * The page's actions. Panels call these; results land in the store. Worker replies that arrive
 * after a newer action superseded them (another model, provider or digit) are dropped, so the
 * page never shows logits of one model next to the name of another.
 */
import { digitsAsFloat, fetchDigits } from '../data/digits.js';
import { appendDigit, relabelDrawings } from '../draw/drawn-digits.js';
import { catalogFileUrl, fetchCatalog, type CatalogEntry } from '../model/catalog.js';
import { argmax } from '../model/softmax.js';
import { defaultDevice, type Device } from '../runtime/device.js';
import type { InferenceApi } from '../workers/inference-api.js';
import type { WorkerClient } from '../workers/rpc.js';
import { toUserMessage } from './messages.js';
import type { AppState } from './state.js';
import type { Store } from './store.js';

export interface AssetUrls {
  digits: string;
  catalog: string;
}

export class Controller {
  /** Bumped by every action that makes earlier classifications stale. */
  private generation = 0;
  /** Name of the model the worker holds, even while no session is open (after a failed switch). */
  private workerModel: string | null = null;

  constructor(
    readonly store: Store<AppState>,
    private readonly worker: WorkerClient<InferenceApi>,
    private readonly urls: AssetUrls,
  ) {}

  async init(): Promise<void> {
    try {
      const [digits, probe, catalog] = await Promise.all([
        fetchDigits(this.urls.digits),
        this.worker.call('probe', {}),
        fetchCatalog(this.urls.catalog).catch((err: unknown) => {
          this.store.set({ error: toUserMessage(err, 'bundled model list') });
          return { entries: [], baseUrl: this.urls.catalog };
        }),
      ]);
      this.store.set({ digits, webgpu: probe.webgpu, device: defaultDevice(probe.webgpu), catalog, busy: null });
      if (catalog.entries.length > 0) await this.loadCatalogEntry(catalog.entries[0]);
    } catch (err) {
      this.store.set({ busy: null, error: toUserMessage(err) });
    }
  }

  async loadFile(file: File): Promise<void> {
    await this.load(file.name, () => file.arrayBuffer());
  }

  async loadCatalogEntry(entry: CatalogEntry): Promise<void> {
    const catalog = this.store.get().catalog;
    if (!catalog) return;
    const url = catalogFileUrl(entry, catalog.baseUrl);
    await this.load(entry.name, async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
      return response.arrayBuffer();
    });
  }

  async setDevice(device: Device): Promise<void> {
    const name = this.workerModel;
    if (name === null) {
      this.store.set({ device });
      return;
    }
    const generation = ++this.generation;
    this.store.set({ device, busy: `Opening ${name} on ${device === 'webgpu' ? 'WebGPU' : 'WebAssembly'}…`, error: null });
    try {
      const reopened = await this.worker.call('setDevice', { device });
      if (generation !== this.generation) return;
      this.store.set({ model: reopened, gallery: null, prediction: null });
      await this.classifyAll(generation);
    } catch (err) {
      if (generation !== this.generation) return;
      this.store.set({ model: null, gallery: null, prediction: null, busy: null, error: toUserMessage(err, name) });
    }
  }

  async select(index: number): Promise<void> {
    const { digits } = this.store.get();
    if (!digits || index < 0 || index >= digits.count) return;
    this.store.set({ selected: index });
    if (this.store.get().model) await this.classifySelected(this.generation);
  }

  /**
   * Makes a drawing (rows·cols bytes, 0..255) the selected digit. It has no true label, so it is
   * labelled with the open model's prediction (and relabelled when the model changes).
   */
  async useDrawing(pixels: Uint8Array): Promise<void> {
    const { digits, model } = this.store.get();
    if (!digits || !model) return;
    const generation = this.generation;
    try {
      const image = Float32Array.from(pixels, (v) => v / 255);
      const result = await this.worker.call('classify', { images: image, count: 1 });
      const s = this.store.get();
      if (generation !== this.generation || !s.digits) return;
      const index = s.digits.count;
      const g = s.gallery;
      const logits = g && g.logits.length === index * g.classes ? new Float32Array([...g.logits, ...result.logits]) : null;
      this.store.set({
        digits: appendDigit(s.digits, pixels, argmax(result.logits)),
        drawnFrom: s.drawnFrom ?? index,
        selected: index,
        gallery: g && logits ? { ...g, logits } : null,
        prediction: { ...result, device: model.device, index },
      });
    } catch (err) {
      if (generation !== this.generation) return;
      this.store.set({ error: toUserMessage(err, 'your drawing') });
    }
  }

  private async load(name: string, read: () => Promise<ArrayBuffer>): Promise<void> {
    const generation = ++this.generation;
    const { device } = this.store.get();
    this.workerModel = null;
    this.store.set({ busy: `Loading ${name}…`, error: null, model: null, source: null, gallery: null, prediction: null });
    try {
      const bytes = await read();
      // The inference worker takes the buffer; other workers (attack, certify) open theirs from this copy.
      const source = { name, bytes: new Uint8Array(bytes.slice(0)) };
      const model = await this.worker.call('load', { name, bytes, device }, { transfer: [bytes] });
      if (generation !== this.generation) return;
      this.workerModel = name;
      this.store.set({ model, source });
      await this.classifyAll(generation);
    } catch (err) {
      if (generation !== this.generation) return;
      this.store.set({ busy: null, error: toUserMessage(err, name) });
    }
  }

  private async classifyAll(generation: number): Promise<void> {
    const { digits, model } = this.store.get();
    if (!digits || !model) return;
    this.store.set({ busy: `Classifying ${digits.count} digits…` });
    const result = await this.worker.call('classify', { images: digitsAsFloat(digits), count: digits.count });
    if (generation !== this.generation) return;
    // A drawing's label is the model's prediction: follow the model that just took over.
    const { drawnFrom } = this.store.get();
    const relabelled =
      drawnFrom === null ? digits : relabelDrawings(digits, drawnFrom, (i) => argmax(result.logits, i * result.classes, result.classes));
    this.store.set({ digits: relabelled, gallery: { ...result, device: model.device }, busy: null });
    await this.classifySelected(generation);
  }

  private async classifySelected(generation: number): Promise<void> {
    const { digits, model, selected } = this.store.get();
    if (!digits || !model) return;
    try {
      const result = await this.worker.call('classify', { images: digitsAsFloat(digits, selected, 1), count: 1 });
      if (generation !== this.generation || this.store.get().selected !== selected) return;
      this.store.set({ prediction: { ...result, device: model.device, index: selected } });
    } catch (err) {
      if (generation !== this.generation) return;
      this.store.set({ error: toUserMessage(err, model.name) });
    }
  }
}
