// Background work that gives way to the editor: the persisted index's save and the code cache's write after
// indexing run when the editor has asked for nothing for a moment and no rebuild waits, so that the edits
// and requests of a session's first seconds do not wait behind them (on L the save serialises 43 MB in 1 MB
// chunks, each a few milliseconds of the main thread; the code cache is one synchronous write).
import type { WorkspaceIndex } from './index';

/** the editor has asked nothing for this long (its requests set state.lastRequest) */
export const IDLE_MS = 150;

/** Resolves once the editor has asked for nothing for `idleMs` and no rebuild waits (at once if so already). */
export function whenIdle(state: { index: Pick<WorkspaceIndex, 'settled'>; lastRequest?: number }, idleMs = IDLE_MS): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const since = Date.now() - (state.lastRequest ?? 0);
      if (since >= idleMs && state.index.settled) resolve();
      else setTimeout(check, Math.max(10, idleMs - since));
    };
    check();
  });
}
