/**
 * Network → ONNX (opset 17, IR version 8), loadable by plain ONNX Runtime and by any other
 * ONNX consumer. Each layer maps to the standard op with the same semantics (dense → Gemm
 * transB=1, affine → Mul + Add, ...), parameters become initializers under their Param names
 * and network.metadata becomes metadata_props, so `importOnnx(exportOnnx(net))` gives back
 * the same layers, parameter names and metadata.
 */
import { InvalidArgumentError } from '../errors.js';
import type { Layer, Network, Param } from '../ir/network.js';
import { layerShapes } from '../ir/shapes.js';
import { encodeModel } from './proto.js';
import { DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from './types.js';

export const EXPORT_OPSET = 17;
export const EXPORT_IR_VERSION = 8;

export interface ExportOptions {
  /** producer_version written to the model (default: the package version). */
  producerVersion?: string;
  docString?: string;
  /** Graph name (default 'minmax'). */
  graphName?: string;
}

const ints = (name: string, v: number[]): AttributeProto => ({ name, value: { type: 'ints', ints: v.slice() } });
const int = (name: string, v: number): AttributeProto => ({ name, value: { type: 'int', i: v } });
const float = (name: string, v: number): AttributeProto => ({ name, value: { type: 'float', f: v } });

class Names {
  private readonly used = new Set<string>();
  reserve(name: string): void {
    this.used.add(name);
  }
  fresh(base: string): string {
    let n = base;
    for (let k = 2; this.used.has(n); k++) n = `${base}_${k}`;
    this.used.add(n);
    return n;
  }
}

/** Builds the ONNX model of a network (see the module comment for the op mapping). */
export function exportOnnx(net: Network, opts: ExportOptions = {}): ModelProto {
  const shapes = layerShapes(net);
  if (!net.inputName || !net.outputName) throw new InvalidArgumentError('the network needs an input and an output name');
  if (net.inputName === net.outputName) {
    throw new InvalidArgumentError(`input and output are both named '${net.inputName}'`);
  }

  const initializers: TensorProto[] = [];
  const params = new Map<string, Param>();
  const tensorNames = new Names();
  tensorNames.reserve(net.inputName);
  tensorNames.reserve(net.outputName);

  const addParam = (p: Param): string => {
    const seen = params.get(p.name);
    if (seen) {
      if (seen === p || seen.data === p.data) return p.name;
      throw new InvalidArgumentError(`two different parameters are both named '${p.name}'`);
    }
    if (p.name === net.inputName || p.name === net.outputName) {
      throw new InvalidArgumentError(`parameter '${p.name}' has the same name as the network input or output`);
    }
    params.set(p.name, p);
    tensorNames.reserve(p.name);
    initializers.push({ name: p.name, dims: p.shape.slice(), dataType: DataType.FLOAT, data: p.data });
    return p.name;
  };
  for (const layer of net.layers) {
    for (const p of layerParams(layer)) addParam(p);
  }

  const nodeNames = new Names();
  const nodes: NodeProto[] = [];
  let current = net.inputName;
  net.layers.forEach((layer, i) => {
    const isLast = i === net.layers.length - 1;
    const out = isLast ? net.outputName : tensorNames.fresh(`${layer.name}_output`);
    const node = (opType: string, input: string[], output: string, attribute: AttributeProto[] = [], name = layer.name) =>
      nodes.push({ name: nodeNames.fresh(name), opType, input, output: [output], attribute });
    switch (layer.kind) {
      case 'dense':
        node('Gemm', [current, layer.weight.name, layer.bias.name], out, [float('alpha', 1), float('beta', 1), int('transB', 1)]);
        break;
      case 'conv': {
        const [, , kh, kw] = layer.weight.shape;
        node('Conv', [current, layer.weight.name, layer.bias.name], out, [
          ints('dilations', layer.dilations),
          int('group', 1),
          ints('kernel_shape', [kh, kw]),
          ints('pads', layer.pads),
          ints('strides', layer.strides),
        ]);
        break;
      }
      case 'relu':
        node('Relu', [current], out);
        break;
      case 'flatten':
        node('Flatten', [current], out, [int('axis', 1)]);
        break;
      case 'reshape': {
        // -1 stands for the batch: the per-example size is fixed, so it is always inferable.
        const shapeName = tensorNames.fresh(`${layer.name}.shape`);
        initializers.push({
          name: shapeName,
          dims: [layer.shape.length + 1],
          dataType: DataType.INT64,
          data: BigInt64Array.from([-1, ...layer.shape].map((v) => BigInt(v))),
        });
        node('Reshape', [current, shapeName], out);
        break;
      }
      case 'affine': {
        const mid = tensorNames.fresh(`${layer.name}_scaled`);
        node('Mul', [current, layer.scale.name], mid);
        node('Add', [mid, layer.shift.name], out, [], `${layer.name}/shift`);
        break;
      }
      case 'avgpool':
        node('AveragePool', [current], out, [
          int('ceil_mode', 0),
          int('count_include_pad', layer.countIncludePad ? 1 : 0),
          ints('kernel_shape', layer.kernel),
          ints('pads', layer.pads),
          ints('strides', layer.strides),
        ]);
        break;
      case 'maxpool':
        node('MaxPool', [current], out, [
          int('ceil_mode', 0),
          ints('kernel_shape', layer.kernel),
          ints('pads', layer.pads),
          ints('strides', layer.strides),
        ]);
        break;
    }
    current = out;
  });
  if (net.layers.length === 0) {
    nodes.push({ name: 'identity', opType: 'Identity', input: [net.inputName], output: [net.outputName], attribute: [] });
  }

  const outShape = shapes[shapes.length - 1];
  const model: ModelProto = {
    irVersion: EXPORT_IR_VERSION,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    producerName: 'minmax',
    producerVersion: opts.producerVersion ?? '0.1.0',
    graph: {
      name: opts.graphName ?? 'minmax',
      node: nodes,
      initializer: initializers,
      input: [{ name: net.inputName, elemType: DataType.FLOAT, shape: ['N', ...net.inputShape] }],
      output: [{ name: net.outputName, elemType: DataType.FLOAT, shape: ['N', ...outShape] }],
      valueInfo: [],
    },
    metadataProps: Object.entries(net.metadata ?? {}).map(([key, value]) => ({ key, value: String(value) })),
  };
  if (opts.docString !== undefined) model.docString = opts.docString;
  return model;
}

/** Binary ONNX bytes of a network (`encodeModel(exportOnnx(net))`). */
export function saveOnnx(net: Network, opts: ExportOptions = {}): Uint8Array {
  return encodeModel(exportOnnx(net, opts));
}

function layerParams(layer: Layer): Param[] {
  switch (layer.kind) {
    case 'dense':
    case 'conv':
      return [layer.weight, layer.bias];
    case 'affine':
      return [layer.scale, layer.shift];
    default:
      return [];
  }
}
