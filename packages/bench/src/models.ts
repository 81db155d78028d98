import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importOnnx, MinmaxError, type Network } from '@minmax/core';

/**
 * Benchmarks run the tutorial's released networks: they are the reference workload every figure
 * in the issues is stated for. They live in ../shared beside the repository (MINMAX_MODELS overrides).
 */
export function modelsDir(): string {
  if (process.env.MINMAX_MODELS) return process.env.MINMAX_MODELS;
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '../../../../shared/tutorial-models');
}

export function loadBenchModel(name: string): { file: string; bytes: Uint8Array; net: Network } {
  const file = resolve(modelsDir(), `${name}.onnx`);
  if (!existsSync(file)) throw new MinmaxError(`benchmark model not found: ${file} (set MINMAX_MODELS to the folder holding the tutorial's ONNX models)`);
  const bytes = new Uint8Array(readFileSync(file));
  return { file, bytes, net: importOnnx(bytes) };
}
