/**
 * Training metadata stored in the ONNX model's metadata_props (string → string), so a trained
 * file says how it was made and how it scored: method, ε, architecture, epochs, the full
 * configuration and the per-epoch log as JSON, the final figures and the training time.
 */
import type { Network } from '../ir/network.js';
import { formatArchitecture, parseArchitecture } from './architecture.js';
import type { TrainConfig } from './config.js';
import type { EpochRecord } from './trainer.js';

export const METADATA_PREFIX = 'minmax.train.';

export interface TrainingMetadata {
  method: string;
  arch: string;
  eps: number;
  epochs: number;
  seconds: number;
  config?: TrainConfig;
  final?: EpochRecord;
  history?: EpochRecord[];
  stopped?: string;
}

export function trainingMetadata(config: TrainConfig, history: readonly EpochRecord[], seconds: number, extra: Record<string, string> = {}): Record<string, string> {
  const p = METADATA_PREFIX;
  const final = history[history.length - 1];
  const out: Record<string, string> = {
    [`${p}method`]: config.method,
    [`${p}arch`]: formatArchitecture(parseArchitecture(config.arch)),
    [`${p}eps`]: String(config.eps),
    [`${p}epochs`]: String(history.length),
    [`${p}seconds`]: seconds.toFixed(1),
    [`${p}config`]: JSON.stringify(config),
    [`${p}history`]: JSON.stringify(history),
  };
  if (final) out[`${p}final`] = JSON.stringify(final);
  for (const [k, v] of Object.entries(extra)) out[`${p}${k}`] = v;
  return out;
}

/** The training metadata of a network trained by minmax, or undefined for other networks. */
export function readTrainingMetadata(net: Network): TrainingMetadata | undefined {
  const m = net.metadata ?? {};
  const get = (k: string): string | undefined => m[`${METADATA_PREFIX}${k}`];
  const method = get('method');
  if (method === undefined) return undefined;
  const json = <T>(k: string): T | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v) as T;
    } catch {
      return undefined;
    }
  };
  return {
    method,
    arch: get('arch') ?? '',
    eps: Number(get('eps')),
    epochs: Number(get('epochs')),
    seconds: Number(get('seconds')),
    config: json<TrainConfig>('config'),
    final: json<EpochRecord>('final'),
    history: json<EpochRecord[]>('history'),
    stopped: get('stopped'),
  };
}
