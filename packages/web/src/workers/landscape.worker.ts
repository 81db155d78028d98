/**
 * Computes loss landscapes off the page's main thread, the way `minmax landscape` does: importOnnx
 * → createRuntime(onnxruntime-web) → createGradientModel → core's lossLandscape, then core's
 * lossSurfaceFigure for the picture. Models stay open between runs (keyed by the page), so
 * changing ε or the resolution does not re-import them.
 */
import { lossLandscape, lossSurfaceFigure, type GradientModel, type LossLandscape } from '@minmax/core';
import { figureTitle } from '../landscape/title.js';
import { describeOrtError } from '../runtime/ort-errors.js';
import type { Device } from '../runtime/device.js';
import type { LandscapeApi, LandscapeModel, LandscapeOutcome } from './landscape-api.js';
import { openGradientModel, serialQueue } from './ort.js';
import { expose, type CallContext, type WorkerScope } from './rpc.js';
import { yieldingModel } from './yielding-model.js';

/** Grid points per forward pass: small enough that progress moves and Cancel lands within a moment. */
const BATCH = 64;

const open = new Map<string, GradientModel>();
const serial = serialQueue();

/** The models asked for, opened on `device`; others are closed (at most the two a figure shows stay open). */
async function models(wanted: LandscapeModel[], device: Device): Promise<GradientModel[]> {
  const keys = new Set(wanted.map((m) => `${device}:${m.key}`));
  for (const [key, model] of [...open]) {
    if (keys.has(key)) continue;
    open.delete(key);
    await model.dispose();
  }
  const out: GradientModel[] = [];
  for (const m of wanted) {
    const key = `${device}:${m.key}`;
    let model = open.get(key);
    if (!model) {
      model = await openGradientModel(m.bytes, device);
      open.set(key, model);
    }
    out.push(model);
  }
  return out;
}

async function run(args: LandscapeApi['run']['args'], ctx: CallContext): Promise<LandscapeOutcome> {
  const { image, label, eps, resolution, seed, device } = args;
  const t0 = performance.now();
  const opened = await models(args.models, device);
  const perModel = resolution * resolution;
  const total = perModel * opened.length;
  const landscapes: LossLandscape[] = [];
  let cancelled = false;
  try {
    for (let i = 0; i < opened.length; i++) {
      const L = await lossLandscape(yieldingModel(opened[i]), image, label, {
        eps,
        resolution,
        seed,
        batchSize: BATCH,
        signal: ctx.signal,
        onProgress: (e) => ctx.progress({ task: 'landscape', done: i * perModel + e.done, total, unit: 'points' }),
      });
      if (L.cancelled) {
        cancelled = true;
        break;
      }
      landscapes.push(L);
    }
  } catch (err) {
    throw describeOrtError(err, device);
  }
  const surfaces = landscapes.map((L, i) => ({ name: args.models[i].name, eps: L.eps, resolution: L.resolution, clean: L.clean, min: L.min, max: L.max }));
  let figure: LandscapeOutcome['figure'] = null;
  if (!cancelled) {
    const raster = lossSurfaceFigure(landscapes.map((landscape, i) => ({ title: figureTitle(args.models[i].name), landscape })));
    figure = { width: raster.width, height: raster.height, data: raster.data };
    ctx.transfer(raster.data.buffer);
  }
  return { surfaces, figure, cancelled, ms: performance.now() - t0, device };
}

async function closeAll(): Promise<null> {
  const all = [...open.values()];
  open.clear();
  for (const m of all) await m.dispose();
  return null;
}

expose<LandscapeApi>(
  {
    run: (args, ctx) => serial(() => run(args, ctx)),
    unload: () => serial(closeAll),
  },
  self as unknown as WorkerScope,
);
