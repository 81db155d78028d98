/**
 * scripts/bundle-models.mjs (run by the Vite config at dev-server start and build): the models the
 * page bundles, their list, and the descriptions read from minmax's training record.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildNetwork, importOnnx, resolveTrainConfig, saveOnnx, trainingMetadata } from '@minmax/core';
import { BUNDLED_MODELS, bundleModels, describeTraining, readOnnxMetadata } from '../../scripts/bundle-models.mjs';
import { parseCatalog } from './catalog.js';

const tutorialCnn = fileURLToPath(new URL('../../../../../shared/tutorial-models/cnn.onnx', import.meta.url));

/** A minmax-trained file as `minmax train` writes it: a network with its training record as metadata_props. */
function trainedModel(): Uint8Array {
  const net = buildNetwork('784-20-10', { seed: 1 });
  const config = resolveTrainConfig({ arch: '784-20-10', method: 'pgd', eps: 0.1, epochs: 2 });
  const final = { epoch: 2, lr: 0.1, eps: 0.1, trainLoss: 0.3, trainError: 0.1, trainErrorKind: 'adversarial', trainN: 100, testError: 0.0123, testLoss: 0.04, testN: 10000, robustError: 0.0456, robustKind: 'pgd' as const, robustN: 1000, trainSeconds: 1, evalSeconds: 1 };
  net.metadata = trainingMetadata(config, [{ ...final, epoch: 1 }, final], 12.3);
  return saveOnnx(net);
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function tempDirs(): { modelsDir: string; outDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'minmax-bundle-'));
  dirs.push(root);
  const modelsDir = join(root, 'models');
  mkdirSync(modelsDir);
  return { modelsDir, outDir: join(root, 'public', 'models') };
}

describe('bundled models', () => {
  it('reads metadata_props the way core’s ONNX importer does, without decoding the weights', () => {
    const bytes = trainedModel();
    expect(readOnnxMetadata(bytes)).toEqual(importOnnx(bytes).metadata);
    expect(readOnnxMetadata(new Uint8Array(readFileSync(tutorialCnn)))).toEqual({});
  });

  it('describes a model from its training record, with a fixed sentence for other files', () => {
    expect(describeTraining(readOnnxMetadata(trainedModel()))).toBe('PGD adversarial training, 2 epochs · test error 1.23% · PGD error 4.56% at ε=0.1');
    expect(describeTraining({})).toMatch(/no training record/);
  });

  it('copies the models that exist, lists them in the page’s order, and leaves the rest out', () => {
    const { modelsDir, outDir } = tempDirs();
    const trained = trainedModel();
    writeFileSync(join(modelsDir, 'cnn-pgd.onnx'), trained);
    writeFileSync(join(modelsDir, 'mlp.onnx'), readFileSync(tutorialCnn));
    writeFileSync(join(modelsDir, 'cnn.onnx.ckpt'), 'a checkpoint in progress');

    const entries = bundleModels({ modelsDir, outDir });
    expect(entries.map((e) => e.file)).toEqual(['mlp.onnx', 'cnn-pgd.onnx']);
    const listed = parseCatalog(JSON.parse(readFileSync(join(outDir, 'models.json'), 'utf8')));
    expect(listed).toEqual([
      { name: 'MLP (standard)', file: 'mlp.onnx', description: expect.stringMatching(/no training record/) },
      { name: 'ConvNet (PGD-trained)', file: 'cnn-pgd.onnx', description: expect.stringMatching(/^PGD adversarial training/) },
    ]);
    expect(new Uint8Array(readFileSync(join(outDir, 'cnn-pgd.onnx')))).toEqual(trained);
    expect(existsSync(join(outDir, 'cnn.onnx'))).toBe(false);

    // A model that disappears from models/ disappears from the page too.
    rmSync(join(modelsDir, 'mlp.onnx'));
    expect(bundleModels({ modelsDir, outDir }).map((e) => e.file)).toEqual(['cnn-pgd.onnx']);
    expect(existsSync(join(outDir, 'mlp.onnx'))).toBe(false);
  });

  it('writes an empty list when no model has been trained yet', () => {
    const { modelsDir, outDir } = tempDirs();
    expect(bundleModels({ modelsDir, outDir })).toEqual([]);
    expect(parseCatalog(JSON.parse(readFileSync(join(outDir, 'models.json'), 'utf8')))).toEqual([]);
  });

  it('names every bundled network', () => {
    expect(BUNDLED_MODELS.map((m) => m.name)).toEqual([
      'MLP (standard)',
      'ConvNet (standard)',
      'ConvNet (PGD-trained)',
      'ConvNet (IBP-trained)',
      'ConvNet (fast FGSM)',
    ]);
  });
});
