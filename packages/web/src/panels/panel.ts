/**
 * What every panel gets: the shared state and the page's actions. A panel builds its own DOM
 * inside the container it is given, re-renders from store updates, and releases its
 * subscriptions (and any worker it owns) in dispose().
 */
import type { Controller } from '../app/controller.js';
import type { AppState } from '../app/state.js';
import type { Store } from '../app/store.js';

export interface PanelContext {
  store: Store<AppState>;
  controller: Controller;
}

export interface Panel {
  dispose(): void;
}

/** Label of the selected digit (a drawn digit's is the model's prediction), or null before digits load. */
export function selectedLabel(s: AppState): number | null {
  return s.digits ? s.digits.labels[s.selected] : null;
}

/**
 * Why a gradient-based action (attack, loss landscape) cannot run now, or null. `noModel` is
 * the hint shown before a model is loaded.
 */
export function gradientBlocker(s: AppState, noModel: string): string | null {
  if (!s.digits) return 'Loading the test digits…';
  if (!s.model || !s.source) return noModel;
  if (!s.model.minmax.supported) return `minmax cannot compute gradients of this model: ${s.model.minmax.reason}`;
  if (s.busy !== null) return s.busy;
  return null;
}
