/**
 * A float64 reference interpreter for ONNX graphs (opset-17 semantics, default domain), for the
 * op set the autodiff emits. It exists to check ONNX Runtime's float32 results independently:
 * every float op computes in float64 (float32 initializers and Constants widen exactly), index
 * tensors stay exact int64. Plain loops, correctness first; one file per op family under
 * `interpreter/`.
 */
import { InvalidArgumentError, OnnxParseError, ShapeError, UnsupportedOpError } from '../errors.js';
import { batchNormOps } from './interpreter/batchnorm.js';
import { convOps } from './interpreter/conv.js';
import { elementwiseOps } from './interpreter/elementwise.js';
import { indexingOps } from './interpreter/indexing.js';
import { linalgOps } from './interpreter/linalg.js';
import { poolOps } from './interpreter/pool.js';
import { reduceOps } from './interpreter/reduce.js';
import { shapeOps } from './interpreter/shape.js';
import { softmaxOps } from './interpreter/softmax.js';
import { fromTensorProto, isFloatType, isInt, isIntegerType, shapeStr, type OpImpl, type RefTensor } from './interpreter/tensor.js';
import { DataType, type ModelProto, type ValueInfoProto } from './types.js';

export type { RefTensor } from './interpreter/tensor.js';

const OPS: Record<string, OpImpl> = {
  ...elementwiseOps,
  ...linalgOps,
  ...convOps,
  ...poolOps,
  ...shapeOps,
  ...indexingOps,
  ...reduceOps,
  ...softmaxOps,
  ...batchNormOps,
};

/** Op types the interpreter implements (the autodiff's op vocabulary). */
export const SUPPORTED_OPS: readonly string[] = Object.keys(OPS).sort();

/** Default-domain opset of the model; a model that imports none is read with opset 17 semantics. */
export function defaultOpset(model: ModelProto): number {
  const imp = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return imp?.version ?? 17;
}

function checkFeed(info: ValueInfoProto, t: RefTensor): void {
  const expectInt = isIntegerType(info.elemType);
  const expectFloat = isFloatType(info.elemType) || info.elemType === DataType.BOOL;
  if ((expectInt && !isInt(t)) || (expectFloat && isInt(t))) {
    throw new InvalidArgumentError(`input '${info.name}': element type ${info.elemType} needs ${expectInt ? 'a BigInt64Array' : 'a Float64Array'}`);
  }
  const n = t.dims.reduce((a, d) => a * d, 1);
  if (n !== t.data.length) throw new ShapeError(`input '${info.name}': ${t.data.length} values for dims ${shapeStr(t.dims)}`);
  const shape = info.shape;
  if (!shape) return;
  if (shape.length !== t.dims.length || shape.some((d, i) => typeof d === 'number' && d !== t.dims[i])) {
    throw new ShapeError(`input '${info.name}': dims ${shapeStr(t.dims)} do not match the declared [${shape.join(',')}]`);
  }
}

/**
 * Evaluates `model` on `feeds` and returns the requested values (graph outputs by default; any
 * intermediate value name may be requested). Only nodes the requested values depend on run.
 * Nodes must be in topological order, as ONNX requires.
 */
export function runGraph(model: ModelProto, feeds: Record<string, RefTensor>, outputs?: string[]): Record<string, RefTensor> {
  const g = model.graph;
  const opset = defaultOpset(model);
  const values = new Map<string, RefTensor>();
  for (const init of g.initializer) {
    if (!init.name) throw new OnnxParseError('initializer without a name');
    values.set(init.name, fromTensorProto(init, { opType: 'initializer', nodeName: init.name }));
  }
  const inputNames = new Set(g.input.map((i) => i.name));
  for (const name of Object.keys(feeds)) {
    if (!inputNames.has(name)) throw new InvalidArgumentError(`feed '${name}' is not a graph input (inputs: ${[...inputNames].join(', ')})`);
  }
  for (const info of g.input) {
    const t = feeds[info.name];
    if (t === undefined) {
      // A graph input that is also an initializer has a default value (IR ≥ 4 semantics).
      if (values.has(info.name)) continue;
      throw new InvalidArgumentError(`missing feed for graph input '${info.name}'`);
    }
    checkFeed(info, t);
    values.set(info.name, t);
  }

  const wanted = outputs ?? g.output.map((o) => o.name);
  const producer = new Map<string, number>();
  g.node.forEach((node, i) => node.output.forEach((o) => o && producer.set(o, i)));
  for (const name of wanted) {
    if (!values.has(name) && !producer.has(name)) throw new InvalidArgumentError(`unknown output '${name}'`);
  }
  // Backward reachability from the requested values decides which nodes run.
  const needed = new Uint8Array(g.node.length);
  const stack = wanted.filter((n) => !values.has(n));
  while (stack.length > 0) {
    const name = stack.pop() as string;
    const i = producer.get(name);
    if (i === undefined || needed[i]) continue;
    needed[i] = 1;
    for (const inp of g.node[i].input) if (inp && !values.has(inp)) stack.push(inp);
  }

  g.node.forEach((node, i) => {
    if (!needed[i]) return;
    const nodeName = node.name || `#${i} → ${node.output[0] ?? ''}`;
    if (node.domain && node.domain !== 'ai.onnx') throw new UnsupportedOpError(node.opType, nodeName, `domain '${node.domain}'`);
    const impl = OPS[node.opType];
    if (!impl) throw new UnsupportedOpError(node.opType, nodeName);
    const args = node.input.map((name) => {
      if (!name) return undefined;
      const v = values.get(name);
      if (!v) throw new OnnxParseError(`node '${nodeName}' (${node.opType}) reads '${name}', which no earlier node, input or initializer defines`);
      return v;
    });
    const results = impl(args, { node, nodeName, opset });
    node.output.forEach((name, k) => {
      if (!name) return;
      const r = results[k];
      if (!r) throw new UnsupportedOpError(node.opType, nodeName, `output ${k} is not produced`);
      values.set(name, r);
    });
  });

  const out: Record<string, RefTensor> = {};
  for (const name of wanted) out[name] = values.get(name) as RefTensor;
  return out;
}
