/**
 * Options of `minmax verify`, shared by the bound methods (ibp, crown, alpha-crown: verify.ts)
 * and the exact methods (lp, mip, complete: verify-exact.ts), so one command line serves both.
 */
import type { Parsed } from '../args.js';

export const verifyOptions = {
  model: { type: 'string', description: 'ONNX model file' },
  method: { type: 'string', description: 'ibp, crown, alpha-crown, lp, mip or complete', default: 'ibp' },
  eps: { type: 'number', description: 'ℓ∞ radius of the input box', default: 0.1, min: 0 },
  clamp: { type: 'boolean', description: 'intersect the box with the data domain [0,1]' },
  index: { type: 'number', description: 'verify one test image', min: 0, integer: true },
  limit: { type: 'number', description: 'verify the first N test images', min: 1, integer: true },
  bounds: { type: 'string', description: 'pre-activation bounds for lp/mip: interval, crown or lp', default: 'interval' },
  'time-limit': { type: 'number', description: 'seconds per example (lp/mip/complete)', min: 0 },
  'target-time-limit': { type: 'number', description: 'seconds per target solve (lp/mip/complete)', min: 0 },
  'per-target': { type: 'boolean', description: 'report every target class (with --index)' },
  device: { type: 'string', description: 'execution provider for attacks/re-checks: cpu, cuda, webgpu', default: 'cpu' },
  threads: { type: 'number', description: 'threads', min: 1, integer: true },
  json: { type: 'boolean', description: 'print one JSON object on stdout' },
  intermediate: { type: 'string', description: 'pre-activation bounds for crown/alpha-crown: crown (layer by layer) or ibp (CROWN-IBP)', default: 'crown' },
  slope: { type: 'string', description: 'lower ReLU slopes for crown: adaptive (CROWN) or wong-kolter (dual network)', default: 'adaptive' },
  'alpha-iterations': { type: 'number', description: 'gradient steps of alpha-crown', default: 20, min: 1, integer: true },
  'alpha-lr': { type: 'number', description: 'step size (Adam) of alpha-crown', default: 0.1, min: 0 },
} as const;

export type VerifyOptions = Parsed<typeof verifyOptions>;
