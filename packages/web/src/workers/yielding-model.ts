/**
 * A GradientModel that lets the worker's event loop run before every forward pass and gradient.
 * onnxruntime-web's CPU (wasm) runs settle through promise jobs only, so without a task boundary a
 * Cancel message would wait in the queue until the whole attack or landscape had finished (both
 * poll their signal between model calls).
 */
import type { GradientModel } from '@minmax/core';

/** Resolves in a new task (a MessageChannel round trip: no timer clamping). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

export function yieldingModel(model: GradientModel): GradientModel {
  return {
    inputShape: model.inputShape,
    numClasses: model.numClasses,
    logits: async (x, n) => {
      await nextTask();
      return model.logits(x, n);
    },
    lossAndGrad: async (x, n, labels, objective, targets) => {
      await nextTask();
      return model.lossAndGrad(x, n, labels, objective, targets);
    },
    dispose: () => model.dispose(),
  };
}
