import { describe, expect, it } from 'vitest';
import { ExecutionProviderError, MinmaxError, OnnxParseError, ShapeError } from '@minmax/core';
import { describeOrtError } from './ort-errors.js';

describe('ONNX Runtime error wording', () => {
  it('names the problem and keeps ORT’s status string as detail', () => {
    const parse = describeOrtError(new Error("Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model because protobuf parsing failed."), 'wasm');
    expect(parse).toBeInstanceOf(OnnxParseError);
    expect(parse.message).toMatch(/could not read this file as an ONNX model.*protobuf parsing failed/);

    const backend = describeOrtError(new Error('no available backend found. ERR: [webgpu] Error: WebGPU is not supported in current environment'), 'webgpu');
    expect(backend).toBeInstanceOf(ExecutionProviderError);
    expect(backend.message).toMatch(/^WebGPU could not start in this browser; switch to WebAssembly \(CPU\)/);

    const op = describeOrtError(new Error('[ONNXRuntimeError] : 9 : NOT_IMPLEMENTED : Could not find an implementation for Foo(1) node with name \'f\''), 'wasm');
    expect(op).toBeInstanceOf(ExecutionProviderError);
    expect(op.message).toMatch(/WebAssembly \(CPU\) does not support an operator.*Foo/);

    expect(describeOrtError(new Error('INVALID_GRAPH : bad'), 'wasm')).toBeInstanceOf(ShapeError);
    expect(describeOrtError('weird', 'wasm').message).toBe('ONNX Runtime failed on WebAssembly (CPU). (weird)');
  });

  it('passes minmax’s own errors through unchanged', () => {
    const own = new ShapeError('model input has shape [N, 3]');
    expect(describeOrtError(own, 'webgpu')).toBe(own);
    expect(describeOrtError(new MinmaxError('x'), 'wasm').message).toBe('x');
  });
});
