/**
 * Runs core's attacks off the page's main thread, the way the CLI's `minmax attack` does:
 * importOnnx → createRuntime(onnxruntime-web) → createGradientModel → createAttack(…).run. The
 * model is opened on the execution provider the page classifies with (WebGPU or wasm).
 */
import { createAttack, InvalidArgumentError, ShapeError, type GradientModel } from '@minmax/core';
import { describeOrtError } from '../runtime/ort-errors.js';
import type { Device } from '../runtime/device.js';
import type { AttackApi, AttackModelInfo, AttackOutcome } from './attack-api.js';
import { openGradientModel, serialQueue } from './ort.js';
import { expose, type CallContext, type WorkerScope } from './rpc.js';
import { yieldingModel } from './yielding-model.js';

let held: { info: AttackModelInfo; model: GradientModel } | null = null;
const serial = serialQueue();

async function release(): Promise<void> {
  const old = held;
  held = null;
  await old?.model.dispose();
}

async function open(name: string, bytes: Uint8Array, device: Device): Promise<AttackModelInfo> {
  await release();
  const model = await openGradientModel(bytes, device);
  held = { info: { name, device, inputShape: [...model.inputShape], classes: model.numClasses }, model };
  return held.info;
}

async function attackOne({ image, label, spec }: AttackApi['run']['args'], ctx: CallContext): Promise<AttackOutcome> {
  if (!held) throw new InvalidArgumentError('no model is open for attacks');
  const { model, info } = held;
  const size = info.inputShape.reduce((a, b) => a * b, 1);
  if (image.length !== size) throw new ShapeError(`the image has ${image.length} values; the model takes ${size}`);
  const attack = createAttack(spec.name, spec.options);
  const t0 = performance.now();
  try {
    // A copy: ORT's output may be a view the runtime still owns, and it is transferred below.
    const cleanLogits = (await model.logits(image, 1)).slice();
    const r = await attack.run(yieldingModel(model), {
      x: image,
      y: Int32Array.of(label),
      signal: ctx.signal,
      onProgress: (e) => ctx.progress(e),
    });
    const ms = performance.now() - t0;
    ctx.transfer(cleanLogits.buffer, r.logits.buffer, r.adversarial.buffer, r.delta.buffer);
    return {
      description: attack.describe(),
      norm: attack.config.threat.norm,
      eps: attack.config.threat.eps,
      cleanLogits,
      logits: r.logits,
      adversarial: r.adversarial,
      delta: r.delta,
      success: r.success[0] === 1,
      cancelled: r.cancelled,
      ms,
      device: info.device,
    };
  } catch (err) {
    throw describeOrtError(err, info.device);
  }
}

expose<AttackApi>(
  {
    load: ({ name, bytes, device }) => serial(() => open(name, bytes, device)),
    run: (args, ctx) => serial(() => attackOne(args, ctx)),
    unload: () =>
      serial(async () => {
        await release();
        return null;
      }),
  },
  self as unknown as WorkerScope,
);
