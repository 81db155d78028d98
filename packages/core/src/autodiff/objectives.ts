/**
 * The attack/training objectives of `model.ts` as graph nodes on logits z [N,C] with int64 labels
 * y [N] (and targets t [N]), per example and reduced to the scalar that is differentiated.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Objective } from '../model.js';
import type { GraphBuilder, Value } from './builder.js';
import { dimsProduct } from './dims.js';
import { shapeStr } from './shapes.js';

/** Masks the true class out of the margin's max: finite (unlike −∞) so the masked entry never
 *  produces NaN, and below any float32 logit. */
const MASKED_LOGIT = -3.4028234663852886e38;

export interface ObjectiveValues {
  /** [N] per-example objective. */
  losses: Value;
  /** Scalar: mean (default) or sum of `losses`. */
  total: Value;
}

/** z[i, idx[i]] as [N]. */
function pick(b: GraphBuilder, z: Value, idx: Value): Value {
  return b.squeeze(b.gatherElements(z, b.unsqueeze(idx, [1]), 1), [1]);
}

export function emitObjective(b: GraphBuilder, logits: Value, label: Value, objective: Objective, target?: Value): ObjectiveValues {
  if (logits.shape.length !== 2) throw new ShapeError(`objective: logits must be [N, classes], got ${shapeStr(logits.shape)}`);
  let losses: Value;
  switch (objective.kind) {
    case 'ce':
      // −log_softmax(z)[y], PyTorch's cross_entropy = nll_loss ∘ log_softmax, so the reverse pass
      // rounds like PyTorch's log_softmax backward.
      losses = b.neg(pick(b, b.logSoftmax(logits, 1), label));
      break;
    case 'margin': {
      const classes = logits.shape[1];
      if (typeof classes !== 'number' || classes < 2)
        throw new ShapeError(`objective 'margin': needs a static class count ≥ 2, logits ${shapeStr(logits.shape)}`);
      const isTrue = b.equal(b.unsqueeze(label, [1]), b.int64s(Array.from({ length: classes }, (_, j) => j)));
      const others = b.where(isTrue, b.scalar(MASKED_LOGIT, logits.dtype), logits);
      losses = b.sub(b.reduceMax(others, [1], false), pick(b, logits, label));
      break;
    }
    case 'targeted':
    case 'targeted-sum': {
      if (!target) throw new InvalidArgumentError(`objective '${objective.kind}' needs target classes`);
      const zt = pick(b, logits, target);
      losses =
        objective.kind === 'targeted'
          ? b.sub(zt, pick(b, logits, label))
          : // z_t − Σ_{j≠t} z_j written as the tutorial's 2·z_t − Σ_j z_j.
            b.sub(b.mul(zt, b.scalar(2, logits.dtype)), b.reduceSum(logits, [1], false));
      break;
    }
    default:
      throw new InvalidArgumentError(`unknown objective '${(objective as Objective).kind}'`);
  }
  const sum = b.reduceSum(losses, [0], false);
  const reduction = objective.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum') throw new InvalidArgumentError(`unknown reduction '${String(reduction)}'`);
  const total = reduction === 'sum' ? sum : b.div(sum, dimsProduct(b, logits, [0], logits.dtype));
  return { losses, total };
}
