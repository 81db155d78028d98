import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { loadMnist } from '../node/mnist.js';
import { importOnnx } from '../onnx/import.js';
import { intervalConformanceCases, tutorialIbpFixtures } from './conformance.js';
import { createReferenceIntervalEngine } from './reference-engine.js';

const modelDir = new URL('../../../../../shared/tutorial-models/', import.meta.url);

const fixtures = tutorialIbpFixtures(await loadMnist('test'), (file) => importOnnx(new Uint8Array(readFileSync(new URL(file, modelDir)))));

describe('reference interval engine: conformance', () => {
  for (const c of intervalConformanceCases(createReferenceIntervalEngine, { fixtures })) it(c.name, c.run);
});
