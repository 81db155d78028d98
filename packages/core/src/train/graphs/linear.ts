/**
 * The chapter-2 binary linear classifier h(x) = wᵀx + b with labels y ∈ {0, 1} (ỹ = 2y − 1) and
 * the logistic loss L(z) = log(1 + e^{−z}) (PyTorch's BCEWithLogits). Its exact robust
 * counterpart under ℓ∞ perturbations of size ε is
 *   max_{‖δ‖∞ ≤ ε} L(ỹ·(wᵀ(x+δ) + b)) = L(ỹ·(wᵀx + b) − ε‖w‖₁),
 * attained at δ* = −ỹ ε sign(w) (tutorial §3.1); the notebook writes the robust logit as
 * wᵀx + b − ε ỹ ‖w‖₁ inside BCEWithLogits, which is the same. ε = 0 is standard training.
 *
 * Inputs: 'input' [N, …], 'label' int64 [N] in {0, 1}, 'eps' [], parameters as inputs.
 * Outputs: 'logits' [N] (wᵀx + b), 'robust_logits' [N], 'loss' [N] = L(ỹ·robust logit), and
 * 'grad:'+name for each parameter (gradient of the batch-mean loss).
 */
import type { GraphBuilder, FloatType, Value } from '../../autodiff/builder.js';
import { grad } from '../../autodiff/grad.js';
import { BATCH_DIM, LABEL_NAME, LOGITS_NAME, LOSS_NAME, paramGradName } from '../../autodiff/graphs.js';
import { ShapeError } from '../../errors.js';
import type { DenseLayer, Network } from '../../ir/network.js';
import { DataType, type ModelProto } from '../../onnx/types.js';
import { EPS_NAME } from './bound-model.js';
import { beginLive } from './live.js';

export const ROBUST_LOGITS_NAME = 'robust_logits';

/** The single dense layer of a linear binary classifier (optionally after a flatten/reshape). */
export function linearLayer(net: Network): DenseLayer {
  const dense = net.layers.filter((l) => l.kind === 'dense');
  const others = net.layers.filter((l) => l.kind !== 'dense' && l.kind !== 'flatten' && l.kind !== 'reshape');
  if (dense.length !== 1 || others.length > 0 || dense[0].weight.shape[0] !== 1) {
    throw new ShapeError('linear-robust training needs a linear binary classifier: flatten, then one dense layer with a single output (architecture "linear")');
  }
  return dense[0] as DenseLayer;
}

/** log(1 + e^{−z}) = relu(−z) + log(1 + e^{−|z|}), finite for every z. */
export function logisticLoss(b: GraphBuilder, z: Value): Value {
  return b.add(b.relu(b.neg(z)), b.log(b.add(b.scalar(1), b.exp(b.neg(b.abs(z))))));
}

export function buildLinearModel(net: Network, options: { floatType?: FloatType } = {}): ModelProto {
  const layer = linearLayer(net);
  const g = beginLive(net, 'minmax_linear_robust', options.floatType);
  const { b, params } = g;
  const label = b.input(LABEL_NAME, [BATCH_DIM], DataType.INT64);
  const eps = b.input(EPS_NAME, []);
  const yp = b.squeeze(g.logits(), [1]);
  const sign = b.sub(b.mul(b.cast(label, b.floatType), b.scalar(2)), b.scalar(1));
  const l1 = b.reduceSum(b.abs(params.get(layer.weight.name) as Value), undefined, false);
  const robust = b.sub(yp, b.mul(b.mul(eps, sign), l1));
  const losses = logisticLoss(b, b.mul(sign, robust));
  b.output(LOGITS_NAME, yp);
  b.output(ROBUST_LOGITS_NAME, robust);
  b.output(LOSS_NAME, losses);
  const names = [...params.keys()];
  const grads = grad(b, b.reduceMean(losses, [0], false), names.map((n) => params.get(n) as Value));
  names.forEach((n, i) => b.output(paramGradName(n), grads[i], params.get(n)?.shape));
  return b.toModel('minmax: ch. 2 robust logistic loss of a linear classifier and its parameter gradients');
}
