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
