import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertifyApi, OpenedModel } from '../workers/certify-api.js';
import { expose, type Handlers, type WorkerLike, type WorkerScope } from '../workers/rpc.js';
import { CertifyRunner, type ModelHandle } from './runner.js';

const INFO: OpenedModel = { name: 'm.onnx', classes: 10, inputSize: 784, relus: 70 };

/** A worker over a real MessagePort pair, whose handlers the test writes; records what it saw. */
function fakeWorkers(handlers: (log: string[]) => Partial<Handlers<CertifyApi>>) {
  const log: string[] = [];
  const ports: MessagePort[] = [];
  let created = 0;
  const createWorker = (): WorkerLike => {
    const id = ++created;
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    expose<CertifyApi>(
      {
        open: ({ name, bytes }) => {
          log.push(`w${id} open ${name} ${bytes.byteLength}`);
          return INFO;
        },
        close: () => null,
        ...handlers(log),
      } as Handlers<CertifyApi>,
      port2 as unknown as WorkerScope,
    );
    port2.start();
    port1.start();
    return {
      postMessage: (m, t) => port1.postMessage(m, t as never),
      addEventListener: (type: string, l: (e: never) => void) => {
        if (type === 'message') port1.addEventListener('message', l as never);
      },
      terminate: () => {
        log.push(`w${id} terminated`);
        port1.close();
        port2.close();
      },
    };
  };
  return { log, ports, createWorker, created: () => created };
}

const model = (key: unknown, name = 'm.onnx'): ModelHandle => ({ key, name, bytes: async () => new ArrayBuffer(16) });
const query = { x: new Float32Array(784), label: 7, eps: 0.1, clamp: false };

let cleanup: MessagePort[] = [];
afterEach(() => {
  for (const p of cleanup) p.close();
  cleanup = [];
});

describe('CertifyRunner', () => {
  it('opens a model once per key and streams progress', async () => {
    const w = fakeWorkers((log) => ({
      bounds: ({ method }, ctx) => {
        log.push(`bounds ${method}`);
        ctx.progress({ task: 'certify:ibp', done: 1, total: 1, unit: 'images' });
        return { kind: 'bounds', method, eps: 0.1, clamp: false, label: 7, margins: new Float64Array(10), status: 'not verified', seconds: 0 };
      },
    }));
    cleanup = w.ports;
    const runner = new CertifyRunner({ createWorker: w.createWorker });
    const a = model({});
    const events: number[] = [];
    const r1 = await runner.run(a, 'bounds', { ...query, method: 'ibp' }, (e) => events.push(e.done));
    expect(r1.model).toEqual(INFO);
    expect(r1.result.method).toBe('ibp');
    await runner.run(a, 'bounds', { ...query, method: 'crown' });
    await runner.run(model({}, 'other.onnx'), 'bounds', { ...query, method: 'ibp' });
    expect(w.log).toEqual(['w1 open m.onnx 16', 'bounds ibp', 'bounds crown', 'w1 open other.onnx 16', 'bounds ibp']);
    expect(events).toEqual([1]);
    runner.dispose();
  });

  it('starts a job only after a cancelled one has stopped', async () => {
    const w = fakeWorkers((log) => ({
      radius: async (_a, ctx) => {
        log.push('radius started');
        while (!ctx.signal.aborted) await new Promise((r) => setTimeout(r, 2));
        await new Promise((r) => setTimeout(r, 20));
        log.push('radius stopped');
        const e = new Error('cancelled');
        e.name = 'CancelledError';
        throw e;
      },
      bounds: ({ method }) => {
        log.push(`bounds ${method}`);
        return { kind: 'bounds', method, eps: 0.1, clamp: false, label: 7, margins: new Float64Array(10), status: 'verified', seconds: 0 };
      },
    }));
    cleanup = w.ports;
    const runner = new CertifyRunner({ createWorker: w.createWorker, graceMs: 1000 });
    const first = runner.run(model(1), 'radius', { x: query.x, label: 7, clamp: false, method: 'ibp', start: 0.1, tolerance: 1e-4 });
    first.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect(runner.busy).toBe(true);
    runner.cancel();
    const second = await runner.run(model(1), 'bounds', { ...query, method: 'ibp' });
    expect(second.result.status).toBe('verified');
    await expect(first).rejects.toMatchObject({ name: 'CancelledError' });
    expect(w.log).toEqual(['w1 open m.onnx 16', 'radius started', 'radius stopped', 'bounds ibp']);
    expect(runner.busy).toBe(false);
    runner.dispose();
  });

  it('lets a job that honours the cancel stop by itself, without terminating the worker', async () => {
    const w = fakeWorkers(() => ({
      exact: async (_args, ctx) => {
        while (!ctx.signal.aborted) await new Promise((r) => setTimeout(r, 2));
        const e = new Error('cancelled');
        e.name = 'CancelledError';
        throw e;
      },
    }));
    cleanup = w.ports;
    const runner = new CertifyRunner({ createWorker: w.createWorker, graceMs: 500 });
    const job = runner.run(model(1), 'exact', { ...query, method: 'mip', timeLimit: 10 });
    await new Promise((r) => setTimeout(r, 20));
    runner.cancel();
    await expect(job).rejects.toMatchObject({ name: 'CancelledError' });
    expect(runner.terminations).toBe(0);
    runner.dispose();
  });

  it('terminates a worker stuck in a solve, and the next job starts a fresh one and re-opens the model', async () => {
    let stuck = true;
    const w = fakeWorkers((log) => ({
      exact: () => (stuck ? new Promise(() => undefined) : Promise.reject(new Error('unreachable'))),
      bounds: ({ method }) => {
        log.push(`bounds ${method}`);
        return { kind: 'bounds', method, eps: 0.1, clamp: false, label: 7, margins: new Float64Array(10), status: 'verified', seconds: 0 };
      },
    }));
    cleanup = w.ports;
    const runner = new CertifyRunner({ createWorker: w.createWorker, graceMs: 20 });
    const m = model('same');
    const job = runner.run(m, 'exact', { ...query, method: 'mip', timeLimit: 10 });
    await new Promise((r) => setTimeout(r, 10));
    runner.cancel();
    await expect(job).rejects.toMatchObject({ name: 'WorkerError' });
    expect(runner.terminations).toBe(1);
    stuck = false;
    const next = await runner.run(m, 'bounds', { ...query, method: 'ibp' });
    expect(next.result.status).toBe('verified');
    expect(w.created()).toBe(2);
    expect(w.log).toEqual(['w1 open m.onnx 16', 'w1 terminated', 'w2 open m.onnx 16', 'bounds ibp']);
    runner.dispose();
  });
});
