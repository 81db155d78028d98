import { describe, expect, it } from 'vitest';
import type { GradientModel, LossAndGrad } from '@minmax/core';
import { nextTask, yieldingModel } from './yielding-model.js';

/** A GradientModel that answers through promise jobs only, as onnxruntime-web's wasm backend does. */
function microtaskModel(log: string[]): GradientModel {
  return {
    inputShape: [2],
    numClasses: 2,
    logits: async () => {
      log.push('forward');
      return new Float32Array(2);
    },
    lossAndGrad: async (): Promise<LossAndGrad> => {
      log.push('gradient');
      return { logits: new Float32Array(2), losses: new Float32Array(1), grad: new Float32Array(2) };
    },
    dispose: async () => undefined,
  };
}

describe('yielding GradientModel', () => {
  it('lets a message that arrived meanwhile (a Cancel) be handled before each gradient', async () => {
    const log: string[] = [];
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => log.push('cancel');
    const x = new Float32Array(2);
    const labels = Int32Array.of(0);

    const plain = microtaskModel(log);
    port2.postMessage('cancel');
    await plain.lossAndGrad(x, 1, labels, { kind: 'ce' });
    await plain.lossAndGrad(x, 1, labels, { kind: 'ce' });
    expect(log).toEqual(['gradient', 'gradient']);
    await nextTask();
    await nextTask();
    expect(log).toEqual(['gradient', 'gradient', 'cancel']);

    log.length = 0;
    const model = yieldingModel(microtaskModel(log));
    port2.postMessage('cancel');
    await model.lossAndGrad(x, 1, labels, { kind: 'ce' });
    expect(log).toEqual(['cancel', 'gradient']);
    port1.close();
  });

  it('lets a Cancel in before each forward pass too (the loss landscape runs batches of forward passes)', async () => {
    const log: string[] = [];
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => log.push('cancel');
    const model = yieldingModel(microtaskModel(log));
    port2.postMessage('cancel');
    await model.logits(new Float32Array(2), 1);
    expect(log).toEqual(['cancel', 'forward']);
    port1.close();
  });

  it('passes shape, logits and dispose through', async () => {
    const inner = microtaskModel([]);
    const model = yieldingModel(inner);
    expect(model.inputShape).toBe(inner.inputShape);
    expect(model.numClasses).toBe(2);
    expect(await model.logits(new Float32Array(2), 1)).toHaveLength(2);
    await expect(model.dispose()).resolves.toBeUndefined();
  });
});
