/**
 * The CLI is where the platform is chosen: it registers onnxruntime-node and hands the module to
 * core, which only knows onnxruntime-common's API.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { createRuntime, importOnnx, InvalidArgumentError, MinmaxError, type Network, type Runtime } from '@minmax/core';

export type Device = 'cpu' | 'cuda' | 'webgpu';

export function parseDevice(d: string | undefined): Device {
  const device = d ?? 'cpu';
  if (device !== 'cpu' && device !== 'cuda' && device !== 'webgpu') {
    throw new InvalidArgumentError(`--device must be cpu, cuda or webgpu, got '${device}'`);
  }
  return device;
}

export async function nodeRuntime(device: Device, threads?: number): Promise<Runtime> {
  return createRuntime(ort, { device, threads: threads ?? availableParallelism() });
}

export function loadNetwork(file: string): Network {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MinmaxError(code === 'ENOENT' ? `model file not found: ${file}` : `cannot read model file ${file}: ${(e as Error).message}`);
  }
  try {
    return importOnnx(bytes);
  } catch (e) {
    if (e instanceof MinmaxError) e.message = `${file}: ${e.message}`;
    throw e;
  }
}
