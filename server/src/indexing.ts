// The initial indexing of the workspace folders (with progress), and the background save of the
// persisted index that follows it, told to the client with netlens/indexSaved.
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { IndexSavedNotification, type IndexSavedParams } from '../../protocol/messages';
import { indexFolders } from './workspace/loader';
import type { PersistedIndex } from './workspace/persist';
import type { ServerState } from './state';
import { skippedLines } from './skipLog';

export async function indexWorkspace(
  connection: Connection,
  state: ServerState,
  folders: string[],
  persisted: PersistedIndex | undefined,
  creating?: Promise<WorkDoneProgressServerReporter>,
): Promise<void> {
  const progress = await (creating ?? connection.window.createWorkDoneProgress());
  progress.begin('NetLens', 0, 'Indexing', false);
  state.indexing = true;
  try {
    const started = Date.now();
    // the persisted index is read while the folders are walked
    const loading = persisted ? persisted.load(state.settings.defaultNamespace, state.log) : Promise.resolve(0);
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
      undefined,
      loading,
    );
    const loaded = await loading;
    state.lastIndex = { files: n.files, reused: n.reused, ms: Date.now() - started };
    state.log(
      `indexed ${n.files} files in ${folders.length} folder(s) in ${Date.now() - started} ms (${n.reused} of ${loaded} from the persisted index${n.workers ? `; parsed on ${n.workers} worker threads` : ''})`,
    );
    for (const line of skippedLines(state.index.snapshot)) state.log(line);
    // The save and the policy index wait until the editor's first requests after indexing have been answered
    // (it pulls the open documents' diagnostics on the refresh the last snapshot sent): on M the save's hashing and
    // writing and the policy index were 0.3-0.5 s of the main thread between the end of indexing and the first
    // diagnostics (docs/performance.md, "The first seconds of a small repository").
    afterFirstRequests(state, () => {
      saveIndex(connection, state, persisted);
      // the policy index, once: the first workload file's lenses after an edit then patch it instead of building
      // it (about 0.4 s on 10,000 workloads)
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

/** the work after indexing starts once a request has come and none since for this long (ms) */
export const AFTER_INDEXING_QUIET_MS = 100;
/** or this long after indexing, whatever comes */
export const AFTER_INDEXING_MAX_MS = 1000;

/**
 * Runs `work` once the requests that follow indexing pause: the editor pulls its open documents' diagnostics
 * on the refresh the last snapshot sent, so `work` waits for a first request after indexing and then for
 * AFTER_INDEXING_QUIET_MS without one (a client slow to ask, under load, used to find the save or the policy
 * index in its way); at the latest AFTER_INDEXING_MAX_MS after indexing (a client that pulls nothing), or at
 * once when state.afterIndexing() is called (a shutdown).
 */
function afterFirstRequests(state: ServerState, work: () => void): void {
  const ended = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (state.afterIndexing === run) state.afterIndexing = undefined;
    work();
  };
  const check = () => {
    const now = Date.now();
    const asked = (state.lastRequest ?? 0) >= ended;
    const quietFor = asked ? now - state.lastRequest! : 0;
    if ((asked && quietFor >= AFTER_INDEXING_QUIET_MS) || now - ended >= AFTER_INDEXING_MAX_MS) run();
    else timer = setTimeout(check, Math.max(1, Math.min(AFTER_INDEXING_QUIET_MS - quietFor, AFTER_INDEXING_MAX_MS - (now - ended))));
  };
  state.afterIndexing = run;
  timer = setTimeout(check, AFTER_INDEXING_QUIET_MS);
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
  const save = persisted ? persisted.save(entries, state.settings.defaultNamespace) : Promise.resolve(false);
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
