/**
 * ONNX Runtime's errors are C++ status strings ("[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : …");
 * these turn the common ones into sentences a user can act on, keeping the original as detail.
 */
import { ExecutionProviderError, MinmaxError, OnnxParseError, ShapeError } from '@minmax/core';
import { DEVICE_LABELS, type Device } from './device.js';

export function describeOrtError(err: unknown, device: Device): Error {
  if (err instanceof MinmaxError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const detail = raw.replace(/\s+/g, ' ').trim();
  if (/no available backend|backend not found|webgpu is not supported|requestAdapter|GPUAdapter/i.test(detail)) {
    return new ExecutionProviderError(
      `${DEVICE_LABELS[device]} could not start in this browser; switch to ${DEVICE_LABELS[device === 'webgpu' ? 'wasm' : 'webgpu']}. (${detail})`,
    );
  }
  if (/protobuf parsing failed|INVALID_PROTOBUF|Failed to load model/i.test(detail)) {
    return new OnnxParseError(`ONNX Runtime could not read this file as an ONNX model. (${detail})`);
  }
  if (/NOT_IMPLEMENTED|Could not find an implementation|is not supported|Unsupported/i.test(detail)) {
    return new ExecutionProviderError(
      `ONNX Runtime on ${DEVICE_LABELS[device]} does not support an operator in this model. (${detail})`,
    );
  }
  if (/INVALID_GRAPH|INVALID_ARGUMENT|shape/i.test(detail)) {
    return new ShapeError(`ONNX Runtime rejected the model's graph. (${detail})`);
  }
  return new MinmaxError(`ONNX Runtime failed on ${DEVICE_LABELS[device]}. (${detail})`);
}
