// The NetLens language server: wires the LSP connection to the workspace index and the handlers.
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeWatchedFilesNotification,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { WorkspaceIndex } from './workspace/index';
import { indexFolders, watchFiles } from './workspace/loader';
import { registerDiagnostics } from './handlers/diagnostics';
import { registerHover } from './handlers/hover';
import { registerCodeLens } from './handlers/codeLens';
import { registerCodeActions } from './handlers/codeActions';
import { registerRequests } from './handlers/requests';
import { FindingsCountedNotification, IndexChangedNotification, IndexSavedNotification, type IndexSavedParams } from './protocol';
import { Snapshot } from './workspace/snapshot';
import { PersistedIndex } from './workspace/persist';

// Persisted file models are only reused by the same build of the engine.
const ENGINE_VERSION = typeof NETLENS_BUILD === 'string' ? NETLENS_BUILD : 'dev';
declare const NETLENS_BUILD: string | undefined;
import { DEFAULT_SETTINGS, type ServerState, type Settings } from './state';
import type { ModelOptions } from './engine/model/types';

// The whole-workspace lint (for the status item's counts) starts this long after the last change
// and runs in slices of this length.
const LINT_IDLE_MS = 300;
const LINT_SLICE_MS = 8;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const state: ServerState = {
  index: new WorkspaceIndex({}),
  indexing: false,
  settings: { ...DEFAULT_SETTINGS },
  log: (m) => connection.console.log(m),
};
let folders: string[] = [];
let canWatch = false;
let canConfigure = false;
let canRefreshLenses = false;
let persisted: PersistedIndex | undefined;

function modelOptions(s: Settings): Partial<ModelOptions> {
  const o: Partial<ModelOptions> = { hostNetwork: s.hostNetwork, defaultNamespace: s.defaultNamespace || 'default' };
  if (s.clusterDomain) o.clusterDomain = s.clusterDomain;
  if (s.cni) o.cni = s.cni;
  if (!s.assumeClusterDns) o.assumeClusterDns = false;
  return o;
}

async function readSettings(): Promise<void> {
  if (!canConfigure) return;
  const [netlens, files] = await connection.workspace.getConfiguration([{ section: 'netlens' }, { section: 'files' }]);
  const n = (netlens ?? {}) as Partial<Settings> & {
    files?: { exclude?: string[]; maxSizeKB?: number; parseThreads?: number };
    dns?: { assumeClusterDns?: unknown };
  };
  const filesExclude = Object.entries(((files ?? {}) as { exclude?: Record<string, boolean> }).exclude ?? {})
    .filter(([, on]) => on)
    .map(([g]) => g);
  // settings.json may hold values of any type (VS Code only warns): each of the wrong type is ignored
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const exclude: unknown = n.files?.exclude;
  state.settings = {
    ...DEFAULT_SETTINGS,
    clusterDomain: text(n.clusterDomain, ''),
    hostNetwork: n.hostNetwork === 'pod' ? 'pod' : 'node',
    defaultNamespace: text(n.defaultNamespace, 'default'),
    cni: text(n.cni, ''),
    assumeClusterDns: n.dns?.assumeClusterDns !== false,
    filesExclude: [...filesExclude, ...(Array.isArray(exclude) ? exclude.filter((g): g is string => typeof g === 'string') : [])],
    maxFileSizeKB: typeof n.files?.maxSizeKB === 'number' ? n.files.maxSizeKB : DEFAULT_SETTINGS.maxFileSizeKB,
    parseThreads:
      typeof n.files?.parseThreads === 'number' && n.files.parseThreads >= 0
        ? Math.min(16, Math.floor(n.files.parseThreads))
        : DEFAULT_SETTINGS.parseThreads,
    rules: n.rules && typeof n.rules === 'object' && !Array.isArray(n.rules) ? n.rules : {},
    hoverMaxItems: typeof n.hoverMaxItems === 'number' ? n.hoverMaxItems : DEFAULT_SETTINGS.hoverMaxItems,
    codeLens: n.codeLens !== false,
  };
  state.index.setOptions(modelOptions(state.settings));
}

connection.onInitialize((params: InitializeParams) => {
  folders = (params.workspaceFolders ?? [])
    .map((f) => URI.parse(f.uri))
    .filter((u) => u.scheme === 'file')
    .map((u) => u.fsPath);
  if (folders.length === 0 && params.rootUri) folders = [URI.parse(params.rootUri).fsPath];
  canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  canConfigure = !!params.capabilities.workspace?.configuration;
  canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  const storage = (params.initializationOptions as { storagePath?: string } | undefined)?.storagePath;
  persisted = PersistedIndex.in(storage, ENGINE_VERSION);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'netlens', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  await readSettings();
  if (canWatch) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{yaml,yml,json,conf,conflist}' }, { globPattern: '**/Corefile' }],
    });
  }
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('NetLens', 0, 'Indexing', false);
  state.indexing = true;
  try {
    const started = Date.now();
    const loaded = persisted ? await persisted.load(state.settings.defaultNamespace) : 0;
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
    saveIndex();
  } catch (e) {
    // keep serving open documents; the client waits for lastIndex, so set it even on failure
    state.lastIndex = { files: state.index.fileCount, reused: 0, ms: 0 };
    state.index.flush();
    state.log(`indexing failed: ${(e as Error).message}`);
    indexSaved({ files: 0, written: false, error: 'indexing failed' });
  } finally {
    state.indexing = false;
    state.progress = undefined;
    progress.done();
  }
});

/**
 * Saves the persisted index in the background (indexing is done; nothing waits for it but a shutdown)
 * and tells the client with netlens/indexSaved once the save has finished, written or not.
 */
function saveIndex(): void {
  const entries = state.index.diskFileModels();
  const started = Date.now();
  const save = persisted ? persisted.save(entries, state.settings.defaultNamespace) : Promise.resolve(false);
  save.then(
    (written) => {
      if (written) state.log(`saved the index of ${entries.length} files in ${Date.now() - started} ms`);
      indexSaved({ files: written ? entries.length : 0, written });
    },
    (e: Error) => {
      state.log(`could not save the index: ${e.message}`);
      indexSaved({ files: 0, written: false, error: e.message });
    },
  );
}

function indexSaved(params: IndexSavedParams): void {
  connection.sendNotification(IndexSavedNotification, params).catch(() => undefined);
}

// A save in flight is finished before the shutdown response, so that the exit that follows loses
// nothing; a process that exits without that wait (exit without shutdown, client gone, timeout) leaves
// no temp file behind, and index.json is only ever replaced whole.
connection.onShutdown(() => persisted?.settled());
process.on('exit', () => persisted?.discardUnfinished());

connection.onDidChangeConfiguration(() => void readSettings());

documents.onDidOpen((e) => state.index.setOpen(e.document.uri, e.document.getText()));
documents.onDidChangeContent((e) => state.index.setOpen(e.document.uri, e.document.getText()));
documents.onDidClose((e) => state.index.close(e.document.uri));

state.index.onDidChange((snap) => {
  connection.languages.diagnostics.refresh().catch(() => undefined);
  connection.sendNotification(IndexChangedNotification, { version: snap.version }).catch(() => undefined);
  if (canRefreshLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  countFindingsWhenIdle(snap);
});

/**
 * Lints the rest of the workspace in short slices once edits and requests pause, so that the status item's
 * counts follow the workspace without delaying the next edit's diagnostics. A newer snapshot
 * abandons the pass (its own pass starts over from the files it has not linted).
 */
function countFindingsWhenIdle(snap: Snapshot): void {
  const steps = snap.lintSteps();
  const slice = () => {
    if (state.index.snapshot !== snap) return;
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

watchFiles(connection, state);
registerDiagnostics(connection, state);
registerHover(connection, state);
registerCodeLens(connection, state);
registerCodeActions(connection, state);
registerRequests(connection, state);

documents.listen(connection);
connection.listen();
