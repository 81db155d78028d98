/**
 * The graphs of provably robust training and of its per-epoch certified error (tutorial §5.6,
 * Gowal et al. 2018 for IBP, Zhang et al. 2020 for CROWN-IBP):
 *
 *   margin  m [N, C]: lower bounds on z_y − z_j over the ℓ∞ box x ± ε, not clamped to [0, 1]
 *           (the tutorial's ch. 4 convention). IBP bounds the network up to its last hidden
 *           layer and the specification-folded last layer analytically (§4.9); CROWN-IBP mixes
 *           in the CROWN bound: m = β·m_CROWN + (1 − β)·m_IBP.
 *   loss    [N]: the robust cross-entropy CE(−m, y), which upper-bounds the worst-case CE
 *           (the tutorial's `CrossEntropyLoss(−lower_bound, y)`); with the clean loss mixed in,
 *           κ·CE(f(x), y) + (1 − κ)·CE(−m, y).
 *   grad:P  the gradient of the batch mean of `loss` with respect to each parameter P.
 *
 * Inputs: 'input' [N, …], 'label' int64 [N], 'eps' [] and, when used, 'kappa' [] and 'beta' [];
 * parameters are graph inputs named Param.name.
 */
import { emitObjective } from '../../autodiff/objectives.js';
import { grad } from '../../autodiff/grad.js';
import { BATCH_DIM, LABEL_NAME, LOGITS_NAME, LOSS_NAME, paramGradName } from '../../autodiff/graphs.js';
import type { FloatType, Value } from '../../autodiff/builder.js';
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import type { Network, Param } from '../../ir/network.js';
import { DataType, type ModelProto } from '../../onnx/types.js';
import { emitCrownBound } from './crown.js';
import { emitIntervalPropagation } from './interval.js';
import { beginLive } from './live.js';
import { foldedIntervalBound, foldSpecification } from './spec.js';

export const EPS_NAME = 'eps';
export const KAPPA_NAME = 'kappa';
export const BETA_NAME = 'beta';
export const MARGIN_NAME = 'margin';

export type BoundMethod = 'ibp' | 'crown-ibp';

export interface BoundModelOptions {
  method: BoundMethod;
  /** Emit parameter gradients (training); false gives the bound only (evaluation). */
  gradients: boolean;
  /** Mix in the clean cross-entropy with weight 'kappa' and output the clean 'logits'. */
  clean?: boolean;
  floatType?: FloatType;
}

export function buildBoundModel(net: Network, options: BoundModelOptions): ModelProto {
  const { method, gradients, clean = false } = options;
  if (method !== 'ibp' && method !== 'crown-ibp') throw new InvalidArgumentError(`unknown bound method '${String(method)}' (expected ibp or crown-ibp)`);
  const last = net.layers[net.layers.length - 1];
  if (!last || last.kind !== 'dense') throw new ShapeError('bound training needs a network that ends with a dense layer (the specification is folded into it)');
  const g = beginLive(net, `minmax_${method.replace('-', '_')}`, options.floatType);
  const { b, x, params } = g;
  const param = (p: Param): Value => params.get(p.name) as Value;
  const label = b.input(LABEL_NAME, [BATCH_DIM], DataType.INT64);
  const eps = b.input(EPS_NAME, []);
  const kappa = clean ? b.input(KAPPA_NAME, []) : undefined;
  const beta = method === 'crown-ibp' ? b.input(BETA_NAME, []) : undefined;

  const hidden = net.layers.slice(0, -1);
  const input = { mu: x, r: b.expand(eps, b.shapeOf(x)) };
  const boxes = emitIntervalPropagation(b, hidden, input, param);
  const spec = foldSpecification(b, param(last.weight), param(last.bias), label);
  const top = boxes[boxes.length - 1];
  if (top.mu.shape.length !== 2) throw new ShapeError(`the last dense layer's input [${top.mu.shape.join(', ')}] is not [N, features]`);
  let margin = foldedIntervalBound(b, spec, top.mu, top.r);
  if (beta) {
    const crown = emitCrownBound(b, hidden, boxes, spec, param);
    margin = b.add(b.mul(beta, crown), b.mul(b.sub(b.scalar(1), beta), margin));
  }

  let losses = emitObjective(b, b.neg(margin), label, { kind: 'ce', reduction: 'mean' }).losses;
  if (kappa) {
    const cleanLoss = emitObjective(b, g.logits(), label, { kind: 'ce', reduction: 'mean' }).losses;
    losses = b.add(b.mul(kappa, cleanLoss), b.mul(b.sub(b.scalar(1), kappa), losses));
  }
  b.output(MARGIN_NAME, margin);
  b.output(LOSS_NAME, losses);
  if (clean) b.output(LOGITS_NAME, g.logits());
  if (gradients) {
    const names = [...params.keys()];
    const grads = grad(b, b.reduceMean(losses, [0], false), names.map((n) => params.get(n) as Value));
    names.forEach((n, i) => b.output(paramGradName(n), grads[i], params.get(n)?.shape));
  }
  return b.toModel(`minmax: ${method} margin bounds and robust loss${gradients ? ' with parameter gradients' : ''}`);
}
