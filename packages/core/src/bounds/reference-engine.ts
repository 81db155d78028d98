/**
 * The plain-TS interval engine: straightforward loops over float64 with the same outward
 * rounding as the WebAssembly engine (@minmax/bounds-wasm). It is the oracle the WASM engine is
 * checked against and the fallback where WebAssembly is unavailable.
 */
import { MinmaxError } from '../errors.js';
import type { Network } from '../ir/network.js';
import { resolveMaxBatch, runIbp } from './ibp-driver.js';
import { validateBox } from './input-set.js';
import { validateLinearMap } from './linear-map.js';
import { assertFiniteParam, broadcastParam, planIntervalNetwork, replan, type IntervalPlan } from './plan.js';
import { PreparedCache } from './prepared-cache.js';
import { convBounds } from './reference/conv.js';
import { affineBounds, reluBounds } from './reference/elementwise.js';
import { linearRows } from './reference/linear.js';
import { avgPoolBounds } from './reference/pool.js';
import type {
  IbpOptions,
  IbpResult,
  IntervalBounds,
  IntervalEngine,
  LinearMap,
  PreparedIntervalNetwork,
  PrepareOptions,
} from './types.js';

/** Parameters of one step as float64 snapshots (affine ones broadcast to the full shape). */
interface StepParams {
  a: Float64Array;
  b: Float64Array;
}

function snapshot(plan: IntervalPlan): (StepParams | undefined)[] {
  return plan.steps.map((s) => {
    switch (s.op) {
      case 'dense':
      case 'conv':
        assertFiniteParam(s.weight, s.name);
        assertFiniteParam(s.bias, s.name);
        return { a: Float64Array.from(s.weight.data), b: Float64Array.from(s.bias.data) };
      case 'affine':
        assertFiniteParam(s.scale, s.name);
        assertFiniteParam(s.shift, s.name);
        return { a: broadcastParam(s.scale, s.shape, s.name), b: broadcastParam(s.shift, s.shape, s.name) };
      default:
        return undefined;
    }
  });
}

class ReferencePreparedNetwork implements PreparedIntervalNetwork {
  private params: (StepParams | undefined)[];
  private colL: Float64Array;
  private colU: Float64Array;
  private disposed = false;

  constructor(
    readonly network: Network,
    readonly plan: IntervalPlan,
    readonly maxBatch: number,
    private readonly onDispose: (p: ReferencePreparedNetwork) => void,
  ) {
    this.params = snapshot(plan);
    let col = 0;
    for (const s of plan.steps) {
      if (s.op === 'conv') col = Math.max(col, s.geometry.outH * s.geometry.outW * s.geometry.inC * s.geometry.kH * s.geometry.kW);
    }
    this.colL = new Float64Array(col);
    this.colU = new Float64Array(col);
  }

  refreshParameters(): void {
    this.check();
    this.params = snapshot(replan(this.network, this.plan));
  }

  ibp(lower: Float64Array, upper: Float64Array, n: number, options?: IbpOptions): IbpResult {
    this.check();
    return runIbp(this.plan, this.maxBatch, lower, upper, n, options, (inL, inU, count, want, emit) => {
      let l = inL;
      let u = inU;
      for (const step of this.plan.steps) {
        const p = this.params[step.layer];
        let ol: Float64Array = new Float64Array(count * step.outSize);
        let ou: Float64Array = new Float64Array(count * step.outSize);
        switch (step.op) {
          case 'dense':
            linearRows(p!.a, p!.b, step.inSize, step.outSize, l, u, 0, count, ol, ou, 0, step.outSize, 1);
            break;
          case 'conv':
            convBounds(step.geometry, p!.a, p!.b, l, u, ol, ou, count, this.colL, this.colU);
            break;
          case 'relu':
            reluBounds(l, u, ol, ou, count * step.outSize);
            break;
          case 'affine':
            affineBounds(p!.a, p!.b, step.outSize, l, u, ol, ou, count);
            break;
          case 'avgpool':
            avgPoolBounds(step.geometry, l, u, ol, ou, count);
            break;
          case 'reshape':
            ol = l;
            ou = u;
            break;
        }
        if (want[step.layer]) emit(step.layer, ol, ou);
        l = ol;
        u = ou;
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.params = [];
    this.onDispose(this);
  }

  private check(): void {
    if (this.disposed) throw new MinmaxError('this prepared network has been disposed');
  }
}

class ReferenceIntervalEngine implements IntervalEngine {
  readonly name = 'reference';
  private readonly cache = new PreparedCache((net, options) => this.prepare(net, options));
  private readonly live = new Set<ReferencePreparedNetwork>();
  private disposed = false;

  linear(map: LinearMap, lower: Float64Array, upper: Float64Array, n: number): IntervalBounds {
    this.check();
    validateLinearMap(map);
    validateBox(lower, upper, n, map.inDim, 'linear input');
    const outL = new Float64Array(n * map.outDim);
    const outU = new Float64Array(n * map.outDim);
    linearRows(map.weight, map.bias, map.inDim, map.outDim, lower, upper, 0, n, outL, outU, 0, map.outDim, 1);
    return { lower: outL, upper: outU, n, shape: [map.outDim] };
  }

  prepare(net: Network, options?: PrepareOptions): PreparedIntervalNetwork {
    this.check();
    const plan = planIntervalNetwork(net);
    const prepared = new ReferencePreparedNetwork(net, plan, resolveMaxBatch(plan, options), (p) => this.live.delete(p));
    this.live.add(prepared);
    return prepared;
  }

  ibp(net: Network, lower: Float64Array, upper: Float64Array, n: number, options?: IbpOptions): IbpResult {
    this.check();
    return this.cache.get(net, n).ibp(lower, upper, n, options);
  }

  dispose(): void {
    this.cache.clear();
    for (const p of [...this.live]) p.dispose();
    this.disposed = true;
  }

  private check(): void {
    if (this.disposed) throw new MinmaxError('this interval engine has been disposed');
  }
}

/** The plain-TS IntervalEngine (synchronous; holds no native memory). */
export function createReferenceIntervalEngine(): IntervalEngine {
  return new ReferenceIntervalEngine();
}
