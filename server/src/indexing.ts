// The initial indexing of the workspace folders (with progress), and the background save of the
// persisted index that follows it, told to the client with netlens/indexSaved.
import type { Connection } from 'vscode-languageserver';
import { IndexSavedNotification, type IndexSavedParams } from '../../protocol/messages';
import { indexFolders } from './workspace/loader';
import type { PersistedIndex } from './workspace/persist';
import type { ServerState } from './state';
import { skippedLines } from './skipLog';
import { whenIdle } from './workspace/whenIdle';

export async function indexWorkspace(
  connection: Connection,
  state: ServerState,
  folders: string[],
  persisted: PersistedIndex | undefined,
): Promise<void> {
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('NetLens', 0, 'Indexing', false);
  state.indexing = true;
  try {
    const started = Date.now();
    const loaded = persisted ? await persisted.load(state.settings.defaultNamespace, state.log) : 0;
    const n = await indexFolders(
      state,
      folders,
      state.settings.filesExclude,
      {
        report: (pct: number, message: string) => {
          state.progress = message;
          progress.report(pct, message);
        },
      },
      persisted,
    );
    state.lastIndex = { files: n.files, reused: n.reused, ms: Date.now() - started };
    state.log(
      `indexed ${n.files} files in ${folders.length} folder(s) in ${Date.now() - started} ms (${n.reused} of ${loaded} from the persisted index${n.workers ? `; parsed on ${n.workers} worker threads` : ''})`,
    );
    for (const line of skippedLines(state.index.snapshot)) state.log(line);
    saveIndex(connection, state, persisted);
    // the policy index, once, on the next turn (after the requests already queued): the first workload
    // file's lenses after an edit then patch it instead of building it (about 0.4 s on 10,000 workloads)
    setImmediate(() => {
      const started = Date.now();
      try {
        if (state.index.snapshot.warmPolicyIndex()) state.log(`built the policy index in ${Date.now() - started} ms`);
      } catch (e) {
        state.log(`building the policy index failed: ${(e as Error).message}`);
      }
    });
  } catch (e) {
    // keep serving open documents; the client waits for lastIndex, so set it even on failure
    state.lastIndex = { files: state.index.fileCount, reused: 0, ms: 0 };
    state.index.flush();
    state.log(`indexing failed: ${(e as Error).message}`);
    indexSaved(connection, { files: 0, written: false, error: 'indexing failed' });
  } finally {
    state.indexing = false;
    state.progress = undefined;
    progress.done();
  }
}

/**
 * Saves the persisted index in the background (indexing is done; nothing waits for it but a shutdown)
 * and tells the client with netlens/indexSaved once the save has finished, written or not.
 */
function saveIndex(connection: Connection, state: ServerState, persisted: PersistedIndex | undefined): void {
  const entries = state.index.diskFileModels();
  if (persisted?.holds(entries, state.settings.defaultNamespace)) {
    state.log(`the persisted index of ${entries.length} files is up to date: not written again`);
    indexSaved(connection, { files: entries.length, written: false, unchanged: true });
    return;
  }
  const started = Date.now();
  // between its steps the save waits while the editor is busy (the first edits of a session come first)
  const save = persisted ? persisted.save(entries, state.settings.defaultNamespace, () => whenIdle(state)) : Promise.resolve(false);
  save.then(
    (written) => {
      if (written) state.log(`saved the index of ${entries.length} files in ${Date.now() - started} ms`);
      indexSaved(connection, { files: written ? entries.length : 0, written });
    },
    (e: Error) => {
      state.log(`could not save the index: ${e.message}`);
      indexSaved(connection, { files: 0, written: false, error: e.message });
    },
  );
}

function indexSaved(connection: Connection, params: IndexSavedParams): void {
  connection.sendNotification(IndexSavedNotification, params).catch(() => undefined);
}
