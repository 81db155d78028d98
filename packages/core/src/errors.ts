/**
 * Typed errors. Every error minmax raises for bad input is one of these, carrying the context a
 * user needs (op, node, shape, file, position) in its message, so the CLI can print one clear line.
 */
export class MinmaxError extends Error {
  override name = 'MinmaxError';
}

/** An ONNX op (or op variant) that minmax does not understand. Never silently approximated. */
export class UnsupportedOpError extends MinmaxError {
  override name = 'UnsupportedOpError';
  constructor(
    readonly opType: string,
    readonly nodeName: string,
    readonly detail?: string,
  ) {
    super(`unsupported op ${opType} (node '${nodeName}')${detail ? `: ${detail}` : ''}`);
  }
}

/** Bytes that are not a well-formed ONNX model (bad protobuf, missing graph, dangling names). */
export class OnnxParseError extends MinmaxError {
  override name = 'OnnxParseError';
}

/** Tensor shapes that do not fit together. */
export class ShapeError extends MinmaxError {
  override name = 'ShapeError';
}

/** A malformed data file (wrong magic number, dimensions, truncation). */
export class DataFormatError extends MinmaxError {
  override name = 'DataFormatError';
}

/** An invalid argument: negative epsilon, NaN inputs, unknown attack name, ... */
export class InvalidArgumentError extends MinmaxError {
  override name = 'InvalidArgumentError';
}

/** An execution provider that is not available in this runtime; the message says what to install. */
export class ExecutionProviderError extends MinmaxError {
  override name = 'ExecutionProviderError';
}

/** A linear / mixed-integer solver failure. */
export class SolverError extends MinmaxError {
  override name = 'SolverError';
}
