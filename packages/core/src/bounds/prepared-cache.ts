/**
 * The per-Network cache behind IntervalEngine.ibp(net, …): one prepared network per Network
 * object, re-prepared when its structure changed or a larger batch needs more working memory, and
 * parameters re-read on every call so in-place training updates are never missed. Entries live
 * until the engine is disposed (or `drop`ped): they may hold WebAssembly memory.
 */
import type { Network } from '../ir/network.js';
import { resolveMaxBatch } from './ibp-driver.js';
import { planIntervalNetwork, planSignature } from './plan.js';
import type { PreparedIntervalNetwork, PrepareOptions } from './types.js';

interface Entry<T extends PreparedIntervalNetwork> {
  prepared: T;
  signature: string;
  /** Examples per pass the default budget allows; a larger batch re-prepares up to this. */
  cap: number;
}

export class PreparedCache<T extends PreparedIntervalNetwork = PreparedIntervalNetwork> {
  private readonly entries = new Map<Network, Entry<T>>();

  constructor(private readonly prepare: (net: Network, options: PrepareOptions) => T) {}

  get(net: Network, n: number): T {
    const plan = planIntervalNetwork(net);
    const signature = planSignature(plan);
    const entry = this.entries.get(net);
    if (entry && entry.signature === signature && entry.prepared.maxBatch >= Math.min(n, entry.cap)) {
      entry.prepared.refreshParameters();
      return entry.prepared;
    }
    this.drop(net);
    const cap = resolveMaxBatch(plan);
    const prepared = this.prepare(net, { maxBatch: Math.max(1, Math.min(n, cap)) });
    this.entries.set(net, { prepared, signature, cap });
    return prepared;
  }

  drop(net: Network): void {
    this.entries.get(net)?.prepared.dispose();
    this.entries.delete(net);
  }

  clear(): void {
    for (const e of this.entries.values()) e.prepared.dispose();
    this.entries.clear();
  }
}
