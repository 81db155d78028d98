/**
 * PyTorch's default initialisation of Linear and Conv2d (torch ≥ 1.0, `reset_parameters`):
 * kaiming_uniform_(a=√5) on the weight, i.e. bound = gain·√(3/fan_in) with gain = √(2/(1+a²)) =
 * √(1/3), which is exactly 1/√fan_in; the bias is U(−1/√fan_in, 1/√fan_in) as well. fan_in is
 * in_features for Linear and in_channels·kH·kW for Conv2d (tutorial §1, "Init [I]").
 * Bit-exact agreement with torch is impossible (different RNG), only the distribution matches.
 */
import type { Rng } from '../data/rng.js';
import type { Network, Param } from '../ir/network.js';

function fill(p: Param, bound: number, rng: Rng): void {
  for (let i = 0; i < p.data.length; i++) p.data[i] = Math.fround(rng.uniform(-bound, bound));
}

/** Re-initialises every dense and conv layer of `net` in place, layer by layer, weight then bias. */
export function pytorchDefaultInit(net: Network, rng: Rng): void {
  for (const layer of net.layers) {
    if (layer.kind !== 'dense' && layer.kind !== 'conv') continue;
    const fanIn = layer.weight.shape.slice(1).reduce((a, d) => a * d, 1);
    const bound = 1 / Math.sqrt(fanIn);
    fill(layer.weight, bound, rng);
    fill(layer.bias, bound, rng);
  }
}
