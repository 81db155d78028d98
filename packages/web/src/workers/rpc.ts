/**
 * Typed calls into a Web Worker. Every panel that does heavy work (inference now; attacks,
 * certification and loss landscapes later) runs it in a worker so the page never freezes, and
 * talks to it through this one protocol: request/response by id, progress events streamed back
 * while a call runs, and cooperative cancellation (core's CancelSignal) from the page.
 *
 * An `Api` type maps method names to { args, result }; the worker `expose`s handlers for it and the
 * page holds a `WorkerClient<Api>`.
 */
import type { CancelSignal, ProgressEvent } from '@minmax/core';

/** Constraint for an Api type: every method has args and a result (an interface, no index signature). */
export type Api<A> = { [M in keyof A]: { args: unknown; result: unknown } };

export interface CallContext {
  /** Streams a progress event to the caller's onProgress. */
  progress(event: ProgressEvent): void;
  /** Set once the caller aborts; long handlers poll it between units of work. */
  readonly signal: CancelSignal;
  /** Buffers to move (not copy) to the page with the result; the worker must not touch them afterwards. */
  transfer(...buffers: Transferable[]): void;
}

export type Handlers<A extends Api<A>> = {
  [M in keyof A]: (args: A[M]['args'], ctx: CallContext) => A[M]['result'] | Promise<A[M]['result']>;
};

/** An error raised in the worker, re-created on the page with its original class name. */
export class RemoteError extends Error {
  constructor(
    readonly remoteName: string,
    message: string,
  ) {
    super(message);
    this.name = remoteName;
  }
}

type ToWorker =
  | { kind: 'call'; id: number; method: string; args: unknown }
  | { kind: 'cancel'; id: number };

type FromWorker =
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; name: string; message: string }
  | { kind: 'progress'; id: number; event: ProgressEvent };

/** The part of a worker global scope `expose` needs (kept structural so tests can drive it). */
export interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export function expose<A extends Api<A>>(handlers: Handlers<A>, scope: WorkerScope): void {
  const running = new Map<number, { aborted: boolean }>();
  scope.addEventListener('message', (event: MessageEvent) => {
    const msg = event.data as ToWorker;
    if (msg.kind === 'cancel') {
      const state = running.get(msg.id);
      if (state) state.aborted = true;
      return;
    }
    const handler = handlers[msg.method as keyof A];
    const signal = { aborted: false };
    running.set(msg.id, signal);
    const transfers: Transferable[] = [];
    const ctx: CallContext = {
      progress: (e) => scope.postMessage({ kind: 'progress', id: msg.id, event: e } satisfies FromWorker),
      signal,
      transfer: (...buffers) => transfers.push(...buffers),
    };
    void (async () => {
      try {
        if (!handler) throw new RemoteError('InvalidArgumentError', `worker has no method '${msg.method}'`);
        const value = await handler(msg.args as A[keyof A]['args'], ctx);
        scope.postMessage({ kind: 'result', id: msg.id, value } satisfies FromWorker, transfers);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        scope.postMessage({ kind: 'error', id: msg.id, name: e.name, message: e.message } satisfies FromWorker);
      } finally {
        running.delete(msg.id);
      }
    })();
  });
}

export interface CallOptions {
  transfer?: Transferable[];
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** The part of a Worker the client needs (a MessagePort pair stands in for one in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (event: ProgressEvent) => void;
}

export class WorkerClient<A extends Api<A>> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event: MessageEvent) => this.receive(event.data as FromWorker));
    // A worker that fails to load or throws outside a call would leave every caller hanging.
    worker.addEventListener('error', (event: ErrorEvent) => {
      this.fail(new RemoteError('WorkerError', event.message || 'the background worker failed to start'));
    });
  }

  call<M extends keyof A & string>(method: M, args: A[M]['args'], options: CallOptions = {}): Promise<A[M]['result']> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<A[M]['result']>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress });
      if (options.signal) {
        const cancel = () => this.worker.postMessage({ kind: 'cancel', id } satisfies ToWorker, []);
        options.signal.addEventListener('abort', cancel, { once: true });
      }
      this.worker.postMessage({ kind: 'call', id, method, args } satisfies ToWorker, options.transfer ?? []);
      // Cancelling before the call is even posted still has to reach the worker, after the call.
      if (options.signal?.aborted) this.worker.postMessage({ kind: 'cancel', id } satisfies ToWorker, []);
    });
  }

  dispose(): void {
    this.worker.terminate();
    this.fail(new RemoteError('WorkerError', 'the worker was stopped'));
  }

  private receive(msg: FromWorker): void {
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    if (msg.kind === 'progress') {
      pending.onProgress?.(msg.event);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.kind === 'result') pending.resolve(msg.value);
    else pending.reject(new RemoteError(msg.name, msg.message));
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
