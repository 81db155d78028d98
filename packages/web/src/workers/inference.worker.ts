/**
 * Owns the ONNX Runtime session that classifies digits, off the page's main thread. The model
 * bytes stay here so switching execution provider needs no re-upload.
 */
import { OnnxParseError } from '@minmax/core';
import { checkMinmaxSupport } from '../model/compat.js';
import { Classifier } from '../runtime/classifier.js';
import { probeWebGpu, type Device } from '../runtime/device.js';
import { describeOrtError } from '../runtime/ort-errors.js';
import { ort } from './ort.js';
import { expose, type WorkerScope } from './rpc.js';
import type { InferenceApi, LoadedModel } from './inference-api.js';

/** The model as uploaded, kept so a failed provider switch can be retried on another one. */
let source: { name: string; bytes: Uint8Array; minmax: LoadedModel['minmax'] } | null = null;
let classifier: Classifier | null = null;

function describe(): LoadedModel {
  if (!source || !classifier) throw new OnnxParseError('no model is loaded');
  return { name: source.name, device: classifier.device, sizeBytes: source.bytes.length, minmax: source.minmax, ...classifier.info };
}

async function closeSession(): Promise<void> {
  const old = classifier;
  classifier = null;
  await old?.dispose();
}

async function openSession(device: Device): Promise<LoadedModel> {
  if (!source) throw new OnnxParseError('no model is loaded');
  await closeSession();
  try {
    classifier = await Classifier.create(ort, source.bytes, device);
  } catch (err) {
    throw describeOrtError(err, device);
  }
  return describe();
}

expose<InferenceApi>(
  {
    probe: async () => ({ webgpu: await probeWebGpu(self.navigator) }),

    load: async ({ name, bytes, device }) => {
      await closeSession();
      source = null;
      const model = new Uint8Array(bytes);
      const minmax = checkMinmaxSupport(model);
      source = { name, bytes: model, minmax };
      try {
        return await openSession(device);
      } catch (err) {
        source = null;
        // Core's parser names the byte where the file stops being ONNX; clearer than ORT's status string.
        if (!minmax.supported && minmax.malformed) throw new OnnxParseError(minmax.reason);
        throw err;
      }
    },

    setDevice: async ({ device }) => openSession(device),

    classify: async ({ images, count }, ctx) => {
      if (!classifier) throw new OnnxParseError('no model is loaded');
      const t0 = performance.now();
      const { logits, classes } = await classifier.run(images, count);
      const ms = performance.now() - t0;
      ctx.transfer(logits.buffer);
      return { logits, classes, ms };
    },

    unload: async () => {
      await closeSession();
      source = null;
      return null;
    },
  },
  self as unknown as WorkerScope,
);
