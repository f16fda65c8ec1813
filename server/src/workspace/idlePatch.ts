// After an edit, the new snapshot's policy index is patched as soon as an answer from that snapshot is out
// (the edited file's diagnostics, a hover, lenses), before the next request needs it: the code lenses and
// workload hovers that follow then count from an index already patched, each patch covers one edit (not
// every edit since the last lens), and the patch's code has run at every edit (the first lens of a session
// no longer compiles it). The open documents' workloads' degrees follow once the editor pauses. Only a patch
// proportional to the edit runs here (Snapshot.patchPolicyIndexIfCheap); a whole build, or a matrix, is left
// to the request that needs it.
import type { Snapshot } from './snapshot';
import type { WorkspaceIndex } from './index';
import type { Workload } from '../engine/model/types';
import { lookup } from '../engine/model/lookup';
import { whenIdle } from './whenIdle';

/** what the patch reads of the server's state (ServerState has it) */
export interface IdleState {
  index: WorkspaceIndex;
  indexing: boolean;
  lastRequest?: number;
  log(message: string): void;
}

/** at most this many workloads' degrees are counted ahead (a degree is one pass over the policy index's classes) */
const MAX_WARM_DEGREES = 16;

/**
 * Patches `snap`'s policy index after the answer being made now has been written, if `snap` is then still
 * the current snapshot, no rebuild waits and indexing has ended. The connection writes an answer on a later
 * turn (vscode-jsonrpc's write queue: setImmediate), so this waits two turns of setImmediate: the answer's
 * write was queued before the second.
 */
export function patchPolicyIndexSoon(state: IdleState, snap: Snapshot): void {
  if (!snap.canPatchPolicyIndex) return;
  setImmediate(() =>
    setImmediate(() => {
      if (state.index.snapshot !== snap || !state.index.settled || state.indexing) return;
      try {
        if (!snap.patchPolicyIndexIfCheap()) return;
      } catch (e) {
        state.log(`patching the policy index failed: ${(e as Error)?.stack ?? String(e)}`);
        return;
      }
      // the degrees (one pass over every class each: 50 ms on 50,000 workloads) once the editor pauses, so
      // that a burst of edits never waits behind them
      void whenIdle(state).then(() => {
        if (state.index.snapshot !== snap) return;
        try {
          snap.warmDegrees(openWorkloads(state, snap));
        } catch (e) {
          state.log(`counting the open documents' degrees failed: ${(e as Error)?.stack ?? String(e)}`);
        }
      });
    }),
  );
}

/** The open documents' workloads, at most MAX_WARM_DEGREES. */
function openWorkloads(state: Pick<IdleState, 'index'>, snap: Snapshot): Workload[] {
  const workloads: Workload[] = [];
  const l = lookup(snap.model);
  for (const uri of state.index.openUris) {
    for (const w of l.inFile(uri).workloads) {
      if (workloads.length >= MAX_WARM_DEGREES) return workloads;
      workloads.push(w);
    }
  }
  return workloads;
}
