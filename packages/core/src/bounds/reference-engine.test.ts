import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { loadMnist } from '../node/mnist.js';
import { importOnnx } from '../onnx/import.js';
import { intervalConformanceCases, TUTORIAL_IBP_FIGURES, type IbpFixture } from './conformance.js';
import { linfBox } from './input-set.js';
import { createReferenceIntervalEngine } from './reference-engine.js';

const modelDir = new URL('../../../../../shared/tutorial-models/', import.meta.url);

async function tutorialFixtures(): Promise<IbpFixture[]> {
  const test = await loadMnist('test');
  const size = test.inputShape.reduce((a, b) => a * b, 1);
  return TUTORIAL_IBP_FIGURES.map((fig) => {
    const image = test.images.subarray(fig.image * size, (fig.image + 1) * size);
    const box = linfBox(image, fig.eps, { clamp: fig.clamp });
    return {
      name: `${fig.model} image ${fig.image} ε=${fig.eps} clamped`,
      network: importOnnx(new Uint8Array(readFileSync(new URL(fig.model, modelDir)))),
      lower: box.lower,
      upper: box.upper,
      n: 1,
      expectedLower: fig.lower,
      expectedUpper: fig.upper,
      rtol: fig.rtol,
    };
  });
}

const fixtures = await tutorialFixtures();

describe('reference interval engine: conformance', () => {
  for (const c of intervalConformanceCases(createReferenceIntervalEngine, { fixtures })) it(c.name, c.run);
});
