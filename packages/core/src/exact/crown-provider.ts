/**
 * Pre-activation bounds from CROWN (backward linear bound propagation, packages/core/src/bounds
 * with the reference or WebAssembly kernels), as a LinearBoundsProvider for the exact verifier:
 * tighter big-M constants and fewer unstable ReLUs than interval bounds, at the cost of one
 * backward pass per layer.
 */
import { layerBounds, type LayerBoundsOptions } from '../bounds/crown/api.js';
import type { IntervalEngine } from '../bounds/types.js';
import type { NeuronBounds } from './interval.js';
import type { LinearBoundsProvider } from './verifier.js';

export function crownBoundsProvider(engine: IntervalEngine, options: LayerBoundsOptions = {}): LinearBoundsProvider {
  return (net, lower, upper, layers) => {
    const all = layerBounds(engine, net, lower, upper, { method: 'crown', ...options });
    const out = new Map<number, NeuronBounds>();
    for (const l of layers) {
      const b = all[l];
      if (l >= 0 && b) out.set(l, { lower: b.lower, upper: b.upper });
    }
    return out;
  };
}
