import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { expose, RemoteError, WorkerClient, type WorkerLike, type WorkerScope } from './rpc.js';
import type { ProgressEvent } from '@minmax/core';

interface TestApi {
  double: { args: { values: Float32Array }; result: Float32Array };
  count: { args: { to: number }; result: { reached: number } };
  fail: { args: { kind: string }; result: never };
}

/** A real MessagePort pair: the same structured-clone / transfer semantics as a Worker. */
function connect(): { client: WorkerClient<TestApi>; ports: MessagePort[] } {
  const { port1, port2 } = new MessageChannel();
  const scope = port2 as unknown as WorkerScope;
  expose<TestApi>(
    {
      double: ({ values }, ctx) => {
        const out = values.map((v) => 2 * v);
        ctx.transfer(out.buffer);
        return out;
      },
      count: async ({ to }, ctx) => {
        let i = 0;
        for (; i < to && !ctx.signal.aborted; i++) {
          ctx.progress({ task: 'count', done: i + 1, total: to, unit: 'steps' });
          await new Promise((r) => setTimeout(r, 2));
        }
        return { reached: i };
      },
      fail: ({ kind }) => {
        const err = new Error(`bad ${kind}`);
        err.name = 'ShapeError';
        throw err;
      },
    },
    scope,
  );
  port2.start();
  const worker: WorkerLike = {
    postMessage: (m, t) => port1.postMessage(m, t as never),
    addEventListener: (type: string, l: (e: never) => void) => {
      if (type === 'message') port1.addEventListener('message', l as never);
    },
    terminate: () => port1.close(),
  };
  const client = new WorkerClient<TestApi>(worker);
  port1.start();
  return { client, ports: [port1, port2] };
}

let open: MessagePort[] = [];
afterEach(() => {
  for (const p of open) p.close();
  open = [];
});

describe('worker RPC', () => {
  it('returns results and moves transferred buffers instead of copying them', async () => {
    const { client, ports } = connect();
    open = ports;
    const values = new Float32Array([1, 2, 3]);
    const result = await client.call('double', { values }, { transfer: [values.buffer] });
    expect(Array.from(result)).toEqual([2, 4, 6]);
    expect(values.byteLength).toBe(0);
  });

  it('streams progress and stops a call when its AbortSignal fires', async () => {
    const { client, ports } = connect();
    open = ports;
    const events: ProgressEvent[] = [];
    const full = await client.call('count', { to: 5 }, { onProgress: (e) => events.push(e) });
    expect(full.reached).toBe(5);
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4, 5]);

    const abort = new AbortController();
    const partial = client.call('count', { to: 10_000 }, { onProgress: (e) => e.done === 3 && abort.abort(), signal: abort.signal });
    const { reached } = await partial;
    expect(reached).toBeGreaterThanOrEqual(3);
    expect(reached).toBeLessThan(10_000);
  });

  it('re-raises worker errors with their class name, and unknown methods', async () => {
    const { client, ports } = connect();
    open = ports;
    const err = await client.call('fail', { kind: 'shape' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).name).toBe('ShapeError');
    expect((err as Error).message).toBe('bad shape');
    await expect(client.call('missing' as 'fail', { kind: '' })).rejects.toThrow(/no method 'missing'/);
  });

  it('rejects calls after dispose', async () => {
    const { client, ports } = connect();
    open = ports;
    client.dispose();
    await expect(client.call('double', { values: new Float32Array(1) })).rejects.toThrow(/stopped/);
  });
});
