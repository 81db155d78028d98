/**
 * The subset of the ONNX protobuf schema (onnx/onnx.proto3, IR version 8) that minmax reads and
 * writes, as plain objects. Field names follow the proto; optional fields are omitted when absent.
 * `proto.ts` encodes and decodes these to the binary wire format.
 */

/** TensorProto.DataType values used by minmax. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  DOUBLE: 11,
} as const;
export type DataTypeCode = number;

export interface TensorProto {
  name?: string;
  dims: number[];
  dataType: DataTypeCode;
  /** Decoded element values. FLOAT → Float32Array, DOUBLE → Float64Array,
   *  INT64 → BigInt64Array, INT32/INT8/UINT8/BOOL → Int32Array. Decoders fill this from
   *  raw_data or the typed repeated fields, whichever is present. */
  data: Float32Array | Float64Array | BigInt64Array | Int32Array;
}

export type AttributeValue =
  | { type: 'float'; f: number }
  | { type: 'int'; i: number }
  | { type: 'string'; s: string }
  | { type: 'tensor'; t: TensorProto }
  | { type: 'floats'; floats: number[] }
  | { type: 'ints'; ints: number[] }
  | { type: 'strings'; strings: string[] }
  | { type: 'graph'; raw: Uint8Array };

export interface AttributeProto {
  name: string;
  value: AttributeValue;
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute: AttributeProto[];
}

/** One dimension: a fixed size, or a symbolic name (e.g. the batch 'N'). */
export type Dim = number | string;

export interface ValueInfoProto {
  name: string;
  /** Tensor element type (TensorProto.DataType) and shape; shape omitted when unknown. */
  elemType: DataTypeCode;
  shape?: Dim[];
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
}

export interface OperatorSetId {
  domain: string;
  version: number;
}

export interface ModelProto {
  irVersion: number;
  opsetImport: OperatorSetId[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph: GraphProto;
  metadataProps: { key: string; value: string }[];
}
