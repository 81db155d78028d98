/**
 * Graphs whose parameters are graph inputs (named Param.name) rather than initializers, for work
 * that runs while training changes the weights: the attacks inside adversarial training and the
 * per-epoch evaluation. One session then serves every batch; the current weights are fed on each
 * run instead of rebuilding a session per update.
 */
import { emitNetwork, networkParams } from '../../autodiff/forward.js';
import { GRAD_NAME, INPUT_NAME, LABEL_NAME, LOGITS_NAME, LOSS_NAME, TARGET_NAME, BATCH_DIM } from '../../autodiff/graphs.js';
import { GraphBuilder, type FloatType, type Value } from '../../autodiff/builder.js';
import { grad } from '../../autodiff/grad.js';
import { emitObjective } from '../../autodiff/objectives.js';
import { ShapeError } from '../../errors.js';
import type { Network, Param } from '../../ir/network.js';
import { isTargeted, type Objective } from '../../model.js';
import { DataType, type ModelProto } from '../../onnx/types.js';

export interface LiveGraph {
  b: GraphBuilder;
  x: Value;
  params: Map<string, Value>;
  /** Records the forward pass input → logits (once; later calls return the same value). */
  logits(): Value;
}

/** Starts a graph with the input and one graph input per parameter. */
export function beginLive(net: Network, name: string, floatType?: FloatType): LiveGraph {
  const b = new GraphBuilder({ floatType, graphName: name });
  const x = b.input(INPUT_NAME, [BATCH_DIM, ...net.inputShape]);
  const params = new Map<string, Value>();
  for (const p of networkParams(net)) params.set(p.name, b.input(p.name, p.shape));
  let logits: Value | undefined;
  return {
    b,
    x,
    params,
    logits() {
      if (!logits) {
        logits = emitNetwork(b, net, x, (p: Param) => params.get(p.name) as Value);
        if (logits.shape.length !== 2) throw new ShapeError(`network output [${logits.shape.join(', ')}] is not [N, classes]`);
      }
      return logits;
    },
  };
}

/** input, parameters → logits. */
export function buildLiveLogitsModel(net: Network, floatType?: FloatType): ModelProto {
  const g = beginLive(net, 'minmax_live_logits', floatType);
  g.b.output(LOGITS_NAME, g.logits());
  return g.b.toModel('minmax: logits with parameters as inputs');
}

/** input, label[, target], parameters → logits, loss [N], grad = ∂(reduced objective)/∂input. */
export function buildLiveInputGradModel(net: Network, objective: Objective, floatType?: FloatType): ModelProto {
  const g = beginLive(net, 'minmax_live_input_grad', floatType);
  const label = g.b.input(LABEL_NAME, [BATCH_DIM], DataType.INT64);
  const target = isTargeted(objective.kind) ? g.b.input(TARGET_NAME, [BATCH_DIM], DataType.INT64) : undefined;
  const logits = g.logits();
  const { losses, total } = emitObjective(g.b, logits, label, objective, target);
  const [gx] = grad(g.b, total, [g.x]);
  g.b.output(LOGITS_NAME, logits);
  g.b.output(LOSS_NAME, losses);
  g.b.output(GRAD_NAME, gx, g.x.shape);
  return g.b.toModel(`minmax: ${objective.kind} input gradient with parameters as inputs`);
}
