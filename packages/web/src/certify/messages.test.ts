import { SolverError, UnsupportedOpError } from '@minmax/core';
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../workers/rpc.js';
import { certifyMessage, isCancellation } from './messages.js';

describe('certifyMessage', () => {
  it('names the solver and keeps the detail', () => {
    expect(certifyMessage(new SolverError('HiGHS failed: out of memory'), 'small.onnx')).toEqual({
      title: 'The LP/MIP solver (HiGHS) failed.',
      detail: 'small.onnx: HiGHS failed: out of memory',
    });
  });

  it('uses the page’s wording for the rest, also for errors re-raised from the worker', () => {
    expect(certifyMessage(new RemoteError('UnsupportedOpError', 'MaxPool is not supported')).title).toBe(
      'This model uses an operation minmax does not support.',
    );
    expect(certifyMessage(new UnsupportedOpError('MaxPool', 'pool', 'no MIP encoding')).title).toBe('This model uses an operation minmax does not support.');
    expect(certifyMessage(new Error('boom')).title).toBe('Something went wrong.');
  });

  it('tells cancellations apart from failures', () => {
    expect(isCancellation(new RemoteError('CancelledError', 'cancelled'))).toBe(true);
    expect(isCancellation(new DOMException('cancelled', 'AbortError'))).toBe(true);
    expect(isCancellation(new RemoteError('WorkerError', 'the worker was stopped'))).toBe(false);
  });
});
