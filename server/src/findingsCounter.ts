// Counts the whole workspace's findings for the status item in the background: in short slices once
// edits and requests pause, so that the counts follow the workspace without delaying the next edit's
// diagnostics. A newer snapshot abandons the pass (its own pass starts over from the files it has not linted).
import type { Connection } from 'vscode-languageserver';
import { FindingsCountedNotification } from '../../protocol/messages';
import { Snapshot } from './workspace/snapshot';
import type { ServerState } from './state';

/** the pass starts this long after the last change or request */
const LINT_IDLE_MS = 300;
/** and runs in slices of this length */
const LINT_SLICE_MS = 8;

export function countFindingsWhenIdle(connection: Connection, state: ServerState, snap: Snapshot): void {
  const steps = snap.lintSteps();
  const slice = () => {
    if (state.index.snapshot !== snap) return;
    // while indexing, a snapshot is soon replaced by the next (and its counts with it): counting it linted
    // most of L again and again for nothing (5 s of the main thread's 19 s in one profile); the last one
    // (made before indexing ends) is counted once indexing has ended
    if (state.indexing) {
      setTimeout(slice, LINT_IDLE_MS);
      return;
    }
    const sinceRequest = Date.now() - (state.lastRequest ?? 0);
    if (sinceRequest < LINT_IDLE_MS) {
      setTimeout(slice, LINT_IDLE_MS - sinceRequest); // the user is working: let their requests have the thread
      return;
    }
    const until = Date.now() + LINT_SLICE_MS;
    while (Date.now() < until) {
      if (steps.next().done) {
        state.counted = { version: snap.version, counts: Snapshot.count(snap.allFindings(), state.settings.rules) };
        connection.sendNotification(FindingsCountedNotification, { version: snap.version }).catch(() => undefined);
        return;
      }
    }
    setImmediate(slice); // lets queued requests (a pull for the edited file) run between slices
  };
  setTimeout(slice, LINT_IDLE_MS);
}
