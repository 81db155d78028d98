/** Progress events of a certification run as one line for the page. */
import type { ProgressEvent } from '@minmax/core';
import { METHOD_LABELS, type BoundMethod } from './methods.js';

/** ε for the page: up to 4 decimals, no trailing zeros. */
export function formatEps(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(4))) : String(v);
}

export function describeProgress(e: ProgressEvent): string {
  const [kind, detail] = e.task.split(':');
  if (kind === 'radius') {
    const method = METHOD_LABELS[detail as BoundMethod] ?? detail;
    const i = e.info ?? {};
    const step = `${method} at ε = ${formatEps(i.eps ?? NaN)}: ${i.verified ? 'verified' : 'not verified'}`;
    const bracket = i.hi !== undefined ? `radius in [${formatEps(i.lo ?? 0)}, ${formatEps(i.hi)}]` : `radius ≥ ${formatEps(i.lo ?? 0)}`;
    return `Step ${e.done} of ~${e.total} · ${step} · ${bracket}`;
  }
  if (kind === 'verify') return `${(detail ?? '').toUpperCase()}: ${e.done} of ${e.total} targets solved`;
  if (e.task === 'crown:layers') return `CROWN: bounds of layer ${e.done} of ${e.total}`;
  if (e.task === 'alpha-crown') return `α-CROWN: slope optimisation step ${e.done} of ${e.total}`;
  if (kind === 'certify') return `${METHOD_LABELS[detail as BoundMethod] ?? detail}: ${e.done} of ${e.total} ${e.unit}`;
  return `${e.task}: ${e.done} of ${e.total} ${e.unit}`;
}
