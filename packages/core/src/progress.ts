/**
 * Core never prints: long work reports through an optional callback, which the CLI turns into
 * progress bars and the web app into progress elements.
 */
export interface ProgressEvent {
  /** What is running, e.g. 'eval:pgd' or 'attack'. */
  task: string;
  /** Units done so far and in total (examples, batches, steps, as `unit` says). */
  done: number;
  total: number;
  unit: string;
  /** Optional live figures, e.g. { error: 0.31 }. */
  info?: Record<string, number>;
}

export type ProgressCallback = (event: ProgressEvent) => void;

/** Cooperative cancellation shared by long-running core functions. */
export interface CancelSignal {
  readonly aborted: boolean;
}
