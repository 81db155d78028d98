/**
 * The three graphs minmax runs in ONNX Runtime (contract in the project brief):
 * (a) logits, (b) logits + per-example objective + input gradient (attacks),
 * (c) logits + objective + parameter gradients with parameters as graph inputs (training updates
 * weights by feeding new tensors instead of rebuilding sessions).
 * The batch dimension is the symbol 'N'; float tensors are float32 unless `floatType` says float64.
 */
import { ShapeError } from '../errors.js';
import type { Network, Param } from '../ir/network.js';
import type { Objective } from '../model.js';
import { isTargeted } from '../model.js';
import { DataType, type ModelProto } from '../onnx/types.js';
import { GraphBuilder, type ConvGradientForm, type FloatType, type Value } from './builder.js';
import { emitNetwork, networkParams } from './forward.js';
import { grad } from './grad.js';
import { emitObjective } from './objectives.js';
import { shapeStr } from './shapes.js';

export const BATCH_DIM = 'N';
export const INPUT_NAME = 'input';
export const LABEL_NAME = 'label';
export const TARGET_NAME = 'target';
export const LOGITS_NAME = 'logits';
export const LOSS_NAME = 'loss';
export const GRAD_NAME = 'grad';
export const paramGradName = (paramName: string): string => `grad:${paramName}`;

export interface GraphOptions {
  /** Element type of float tensors (default float32). */
  floatType?: FloatType;
  /** Form of convolution input gradients (default 'conv'; see GraphBuilderOptions). */
  convGradients?: ConvGradientForm;
}

interface Begun {
  b: GraphBuilder;
  x: Value;
  params: Map<string, Value>;
}

function begin(net: Network, name: string, paramsAsInputs: boolean, options: GraphOptions): Begun {
  const b = new GraphBuilder({ floatType: options.floatType, graphName: name, convGradients: options.convGradients });
  const x = b.input(INPUT_NAME, [BATCH_DIM, ...net.inputShape]);
  const params = new Map<string, Value>();
  for (const p of networkParams(net))
    params.set(p.name, paramsAsInputs ? b.input(p.name, p.shape) : b.param(p.name, p.shape, p.data));
  return { b, x, params };
}

function forward(net: Network, s: Begun): Value {
  const logits = emitNetwork(s.b, net, s.x, (p: Param) => s.params.get(p.name) as Value);
  if (logits.shape.length !== 2)
    throw new ShapeError(`network output ${shapeStr(logits.shape)} is not [N, classes]; end the network with a dense or flatten layer`);
  return logits;
}

function objectiveInputs(b: GraphBuilder, objective: Objective): { label: Value; target?: Value } {
  const label = b.input(LABEL_NAME, [BATCH_DIM], DataType.INT64);
  const target = isTargeted(objective.kind) ? b.input(TARGET_NAME, [BATCH_DIM], DataType.INT64) : undefined;
  return { label, target };
}

/** (a) input [N,…] → logits [N,C]; parameters as initializers. */
export function buildLogitsModel(net: Network, options: GraphOptions = {}): ModelProto {
  const s = begin(net, 'minmax_logits', false, options);
  s.b.output(LOGITS_NAME, forward(net, s));
  return s.b.toModel('minmax: logits');
}

/** (b) input, label[, target] → logits, loss [N], grad [N,…] = ∂(reduced objective)/∂input. */
export function buildInputGradModel(net: Network, objective: Objective, options: GraphOptions = {}): ModelProto {
  const s = begin(net, 'minmax_input_grad', false, options);
  const { label, target } = objectiveInputs(s.b, objective);
  const logits = forward(net, s);
  const { losses, total } = emitObjective(s.b, logits, label, objective, target);
  const [gx] = grad(s.b, total, [s.x]);
  s.b.output(LOGITS_NAME, logits);
  s.b.output(LOSS_NAME, losses);
  s.b.output(GRAD_NAME, gx, s.x.shape);
  return s.b.toModel(`minmax: ${objective.kind} (${objective.reduction ?? 'mean'}) and its input gradient`);
}

/** (c) input, label[, target], one input per parameter → logits, loss [N], 'grad:'+name per parameter. */
export function buildParamGradModel(net: Network, objective: Objective, options: GraphOptions = {}): ModelProto {
  const s = begin(net, 'minmax_param_grad', true, options);
  const { label, target } = objectiveInputs(s.b, objective);
  const logits = forward(net, s);
  const { losses, total } = emitObjective(s.b, logits, label, objective, target);
  const names = [...s.params.keys()];
  const grads = grad(s.b, total, names.map((n) => s.params.get(n) as Value));
  s.b.output(LOGITS_NAME, logits);
  s.b.output(LOSS_NAME, losses);
  names.forEach((n, i) => s.b.output(paramGradName(n), grads[i], s.params.get(n)?.shape));
  return s.b.toModel(`minmax: ${objective.kind} (${objective.reduction ?? 'mean'}) and its parameter gradients`);
}
