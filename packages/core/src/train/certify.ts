/**
 * IBP-certified error (tutorial §5.6, `epoch_robust_err`): an example counts as an error unless
 * every lower bound on z_y − z_j over the box x ± ε (not clamped to [0, 1]) is ≥ 0. The bounds are
 * the float32 interval graph of `graphs/bound-model.ts` run by ONNX Runtime, i.e. the tutorial's
 * own computation; for certificates with outward rounding use the engines in `bounds/`.
 */
import { INPUT_NAME, LABEL_NAME } from '../autodiff/graphs.js';
import { batches, exampleCount, type Dataset } from '../data/dataset.js';
import type { Network } from '../ir/network.js';
import type { CancelSignal, ProgressCallback } from '../progress.js';
import type { Runtime } from '../runtime/runtime.js';
import { toInt64 } from '../runtime/validate.js';
import { classCount } from '../runtime/ort-model.js';
import { buildBoundModel, EPS_NAME, MARGIN_NAME } from './graphs/bound-model.js';
import { countUncertified } from './metrics.js';
import { floats, ParamSession } from './param-session.js';

export interface CertifyOptions {
  eps: number;
  limit?: number;
  batchSize?: number;
  onProgress?: ProgressCallback;
  signal?: CancelSignal;
}

/** Certified error of `session` (an IBP bound graph of some network) over `data`. */
export async function certifiedErrorWith(session: ParamSession, inputShape: readonly number[], classes: number, data: Dataset, o: CertifyOptions): Promise<{ error: number; n: number }> {
  const opts = { batchSize: o.batchSize ?? 500, limit: o.limit };
  const total = exampleCount(data, opts);
  let bad = 0;
  let done = 0;
  for (const b of batches(data, opts)) {
    if (o.signal?.aborted) break;
    const r = await session.run(
      {
        [INPUT_NAME]: { data: b.x, dims: [b.n, ...inputShape] },
        [LABEL_NAME]: { data: toInt64(b.y), dims: [b.n] },
        [EPS_NAME]: { data: Float32Array.of(o.eps), dims: [] },
      },
      [MARGIN_NAME],
    );
    bad += countUncertified(floats(r, MARGIN_NAME, b.n * classes), b.n, classes);
    done += b.n;
    o.onProgress?.({ task: 'eval:certified', done, total, unit: 'examples', info: { error: bad / done } });
  }
  return { error: done > 0 ? bad / done : NaN, n: done };
}

/** IBP-certified error of `net` at radius `eps` on `data` (see the module comment). */
export async function ibpCertifiedError(runtime: Runtime, net: Network, data: Dataset, o: CertifyOptions): Promise<{ error: number; n: number }> {
  const session = await ParamSession.create(runtime, net, buildBoundModel(net, { method: 'ibp', gradients: false }));
  try {
    return await certifiedErrorWith(session, net.inputShape, classCount(net), data, o);
  } finally {
    await session.dispose();
  }
}
