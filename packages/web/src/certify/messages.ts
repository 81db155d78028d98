/** Certification errors in plain words, on top of the page's wording (app/messages.ts). */
import { toUserMessage, type UserMessage } from '../app/messages.js';

const TITLES: Record<string, string> = {
  SolverError: 'The LP/MIP solver (HiGHS) failed.',
  InvalidArgumentError: 'minmax cannot run this method on this model.',
  ShapeError: 'This model does not fit the digit: it cannot be certified here.',
};

/** Whether the error only says that the page cancelled the run (nothing to show). */
export function isCancellation(err: unknown): boolean {
  return err instanceof Error && (err.name === 'CancelledError' || err.name === 'AbortError');
}

export function certifyMessage(err: unknown, context?: string): UserMessage {
  const message = toUserMessage(err, context);
  const name = err instanceof Error ? err.name : '';
  return TITLES[name] ? { ...message, title: TITLES[name] } : message;
}
