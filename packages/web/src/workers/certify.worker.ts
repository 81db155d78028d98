/**
 * Certification off the page's main thread: margin bounds, exact LP / MIP, certified radius for
 * one model (see certify/session.ts). ONNX Runtime Web (WebAssembly) runs core's counterexample
 * re-checks and the uploaded file itself.
 */
import type { OrtModule } from '@minmax/core';
import { CertifySession, type CertifyPlatform } from '../certify/session.js';
import { Classifier } from '../runtime/classifier.js';
import { describeOrtError } from '../runtime/ort-errors.js';
import type { CertifyApi } from './certify-api.js';
import { ort } from './ort.js';
import { expose, type WorkerScope } from './rpc.js';

const platform: CertifyPlatform = {
  ort: ort as unknown as OrtModule,
  device: 'wasm',
  async openUploaded(bytes) {
    let classifier: Classifier;
    try {
      classifier = await Classifier.create(ort, bytes, 'wasm');
    } catch (err) {
      throw describeOrtError(err, 'wasm');
    }
    return { logits: async (x) => (await classifier.run(x, 1)).logits, dispose: () => classifier.dispose() };
  },
};

let session: CertifySession | null = null;

function current(): CertifySession {
  if (!session) throw new Error('no model is open for certification');
  return session;
}

expose<CertifyApi>(
  {
    open: async ({ name, bytes }) => {
      const old = session;
      session = null;
      await old?.dispose();
      session = CertifySession.open(name, new Uint8Array(bytes), platform);
      return session.info;
    },
    bounds: (args, ctx) => {
      const r = current().bounds(args, { signal: ctx.signal, onProgress: ctx.progress });
      ctx.transfer(r.margins.buffer);
      return r;
    },
    exact: (args, ctx) => current().exact(args, { signal: ctx.signal, onProgress: ctx.progress }),
    radius: (args, ctx) => current().radius(args, { signal: ctx.signal, onProgress: ctx.progress }),
    close: async () => {
      const old = session;
      session = null;
      await old?.dispose();
      return null;
    },
  },
  self as unknown as WorkerScope,
);
