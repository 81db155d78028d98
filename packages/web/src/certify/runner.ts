/**
 * The page's handle on the certify worker: starts it on first use, opens the page's current model
 * in it (once per model), runs one job at a time, and cancels. A MIP solve blocks the worker's
 * thread, so a cancel message can only be read between solves; when the worker has not stopped
 * within a grace period it is terminated, and the next job starts a fresh one.
 */
import type { ProgressEvent } from '@minmax/core';
import type { CertifyApi, OpenedModel } from '../workers/certify-api.js';
import { WorkerClient, type WorkerLike } from '../workers/rpc.js';

type JobMethod = Exclude<keyof CertifyApi, 'open' | 'close'>;

export interface ModelHandle {
  /** Identity of the model: a new key means new bytes to send. */
  key: unknown;
  name: string;
  /** The model file, in a buffer of its own: it is transferred to the worker. */
  bytes(): Promise<ArrayBuffer>;
}

export interface CertifyRunnerOptions {
  createWorker(): WorkerLike;
  /** Milliseconds a cancelled job may take to stop by itself before its worker is terminated. */
  graceMs?: number;
}

export class CertifyRunner {
  private client: WorkerClient<CertifyApi> | null = null;
  private opened: { key: unknown; info: Promise<OpenedModel> } | null = null;
  private job: { abort: AbortController; settled: boolean } | null = null;
  /** Settles when the last job started has stopped. */
  private tail: Promise<void> = Promise.resolve();
  private disposed = false;
  /** Workers terminated so far (a cancel that had to force its way). */
  terminations = 0;

  constructor(private readonly o: CertifyRunnerOptions) {}

  get busy(): boolean {
    return this.job !== null && !this.job.settled;
  }

  private worker(): WorkerClient<CertifyApi> {
    if (this.disposed) throw new Error('the certify panel was closed');
    this.client ??= new WorkerClient<CertifyApi>(this.o.createWorker());
    return this.client;
  }

  private ensureOpen(model: ModelHandle): Promise<OpenedModel> {
    const client = this.worker();
    if (!this.opened || this.opened.key !== model.key) {
      const info = model.bytes().then((bytes) => client.call('open', { name: model.name, bytes }, { transfer: [bytes] }));
      const opened = { key: model.key, info };
      this.opened = opened;
      // A model that failed to open is tried again by the next job.
      info.catch(() => {
        if (this.opened === opened) this.opened = null;
      });
    }
    return this.opened.info;
  }

  /**
   * Opens `model` in the worker (if needed) and runs one job on it. Jobs run one at a time: a job
   * started while another winds down (after cancel()) waits for it to stop.
   */
  async run<M extends JobMethod>(
    model: ModelHandle,
    method: M,
    args: CertifyApi[M]['args'],
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<{ model: OpenedModel; result: CertifyApi[M]['result'] }> {
    const job = { abort: new AbortController(), settled: false };
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.job = job;
    try {
      await previous;
      if (job.abort.signal.aborted) throw new DOMException('cancelled', 'AbortError');
      const info = await this.ensureOpen(model);
      if (job.abort.signal.aborted) throw new DOMException('cancelled', 'AbortError');
      const result = await this.worker().call(method, args, { signal: job.abort.signal, ...(onProgress ? { onProgress } : {}) });
      return { model: info, result };
    } finally {
      job.settled = true;
      if (this.job === job) this.job = null;
      release();
    }
  }

  /** Asks the running job to stop; terminates the worker if it does not within the grace period. */
  cancel(): void {
    const job = this.job;
    if (!job || job.settled) return;
    job.abort.abort();
    const client = this.client;
    setTimeout(() => {
      if (!job.settled && this.client === client) this.restart();
    }, this.o.graceMs ?? 1000);
  }

  private restart(): void {
    this.terminations++;
    const client = this.client;
    this.client = null;
    this.opened = null;
    client?.dispose();
  }

  dispose(): void {
    this.disposed = true;
    this.job?.abort.abort();
    this.client?.dispose();
    this.client = null;
    this.opened = null;
  }
}
