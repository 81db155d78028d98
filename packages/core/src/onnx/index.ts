export { importOnnx } from './import.js';
export { exportOnnx, saveOnnx, EXPORT_OPSET, EXPORT_IR_VERSION, type ExportOptions } from './export.js';
export { decodeModel, encodeModel } from './proto.js';
export { runGraph, defaultOpset, SUPPORTED_OPS, type RefTensor } from './interpreter.js';
export {
  DataType,
  type DataTypeCode,
  type TensorProto,
  type AttributeValue,
  type AttributeProto,
  type NodeProto,
  type Dim,
  type ValueInfoProto,
  type GraphProto,
  type OperatorSetId,
  type ModelProto,
} from './types.js';
