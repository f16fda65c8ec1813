// The NetLens language server behind its answer to `initialize` (main.ts): wires the LSP connection to the
// workspace index and the handlers. main.ts loads this module (and with it the engine, yaml and the
// workspace) right after that answer has been written and before the connection dispatches the next message,
// so the editor's wait for `initialize` does not include them (docs/performance.md, Extension activation).
import {
  CodeLensRefreshRequest,
  TextDocuments,
  DidChangeWatchedFilesNotification,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { WorkspaceIndex } from './workspace/index';
import { watchFiles } from './workspace/loader';
import { pushDiagnostics, registerDiagnostics } from './handlers/diagnostics';
import { registerWorkspaceDiagnostics } from './handlers/workspaceDiagnostics';
import { registerHover } from './handlers/hover';
import { registerCodeLens } from './handlers/codeLens';
import { registerCodeActions } from './handlers/codeActions';
import { registerRequests } from './handlers/requests';
import { registerGraph } from './handlers/graph';
import { forgetHead, registerChanges } from './handlers/changes';
import { HEAD_WATCH_GLOBS } from './workspace/gitHead';
import {
  HeadChangedNotification,
  IndexChangedNotification,
  WorkspaceTrustNotification,
  type WorkspaceTrustParams,
} from '../../protocol/messages';
import { PersistedIndex } from './workspace/persist';

/** how long the start holds rebuilds that no request waits for (a longer indexing rebuilds as it goes) */
const INITIAL_HOLD_MS = 2000;

// Persisted file models are only reused by the same build of the engine.
const ENGINE_VERSION = typeof NETLENS_BUILD === 'string' ? NETLENS_BUILD : 'dev';
declare const NETLENS_BUILD: string | undefined;
import type { ServerState } from './state';
import { DEFAULT_SETTINGS, modelOptions, settingsFrom } from './settings';
import { countFindingsWhenIdle } from './findingsCounter';
import { indexWorkspace } from './indexing';
import { helmCacheDirIn } from './render/helmRender';
import { codeCacheHandle } from './codeCache';

/**
 * Sets the server up for the client that sent `params` (already answered by main.ts): the state, the document
 * sync and every handler. Runs before the connection dispatches any message after `initialize`.
 */
export function serve(connection: Connection, params: InitializeParams): void {
  const documents = new TextDocuments(TextDocument);
  const state: ServerState = {
    index: new WorkspaceIndex({}),
    folders: [],
    indexing: false,
    settings: { ...DEFAULT_SETTINGS },
    workspaceTrusted: false,
    log: (m) => connection.console.log(m),
  };
  state.index.log = state.log;
  // until the initial indexing ends with its flush, nothing rebuilds unless a request waits (WorkspaceIndex.hold)
  state.index.hold(INITIAL_HOLD_MS);
  let canWatch = false;
  let canConfigure = false;
  let canRefreshLenses = false;
  /** the client pulls diagnostics (textDocument/diagnostic); else they are pushed */
  let canPull = false;
  let canRefreshDiagnostics = false;
  let persisted: PersistedIndex | undefined;
  /** the settings read from the client have been applied once (later reads that change nothing are not) */
  let settingsApplied = false;

  async function readSettings(): Promise<void> {
    if (!canConfigure) return;
    try {
      const [netlens, files] = await connection.workspace.getConfiguration([{ section: 'netlens' }, { section: 'files' }]);
      const next = settingsFrom(netlens, files);
      // VS Code's client says the configuration changed right after it starts (and on any change in any
      // section): the same settings again rebuild nothing (an extra rebuild while indexing delays the first diagnostics)
      const same = settingsApplied && JSON.stringify(next) === JSON.stringify(state.settings);
      state.settings = next;
      if (same) return;
    } catch (e) {
      // a client that cannot answer keeps the defaults: indexing must not wait on it
      state.log(`could not read the settings: ${(e as Error).message}`);
      return;
    }
    settingsApplied = true;
    state.index.scopes.configureSetting(state.settings.scopes);
    state.index.setOptions(modelOptions(state.settings));
    configureHelm();
  }

  /** Helm renders chart scopes with the netlens.helm.path setting, only in a trusted workspace. */
  function configureHelm(): void {
    state.index.configureHelm({
      ...(state.settings.helmPath ? { helmPath: state.settings.helmPath } : {}),
      trusted: state.workspaceTrusted === true,
      ...(helmCacheDirIn(state.storagePath) ? { cacheDir: helmCacheDirIn(state.storagePath) } : {}),
    });
  }

  connection.onInitialized(async () => {
    const cache = codeCacheHandle();
    if (cache && cache.status !== 'off') state.log(`code cache: ${cache.status}`);
    // the three round trips before indexing go out together: the settings (which indexing needs), the
    // watchers and the progress (which it does not wait for)
    const progress = connection.window.createWorkDoneProgress();
    if (canWatch) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/*.{yaml,yml,json,conf,conflist}' },
            { globPattern: '**/Corefile' },
            // a commit or checkout changes what the Changes view compares with
            ...HEAD_WATCH_GLOBS.map((globPattern) => ({ globPattern })),
          ],
        })
        .catch((e: Error) => state.log(`could not watch the files: ${e.message}`));
    }
    await readSettings();
    await indexWorkspace(connection, state, state.folders, persisted, progress);
    saveCodeCacheWhenIdle();
  });

  /**
   * V8's code cache of this bundle (codeCache.ts; dist/server.js loaded it): written once, a moment after the
   * first indexing, so that it holds the code that start and indexing compiled (the parser, the engine, the
   * handlers that answered the first requests); not when the start used a valid cache.
   */
  function saveCodeCacheWhenIdle(): void {
    const cache = codeCacheHandle();
    if (!cache || cache.status === 'off' || cache.status === 'accepted') return;
    setTimeout(() => {
      const started = Date.now();
      if (cache.save())
        state.log(
          `wrote the code cache (${cache.status === 'rejected' ? 'the one found did not fit' : 'none yet'}) in ${Date.now() - started} ms`,
        );
    }, 1000).unref();
  }

  // A save in flight is finished before the shutdown response, so that the exit that follows loses
  // nothing; a process that exits without that wait (exit without shutdown, client gone, timeout) leaves
  // no temp file behind, and index.json is only ever replaced whole.
  connection.onShutdown(() => {
    state.afterIndexing?.(); // a save that waited for the first requests after indexing starts now
    return persisted?.settled();
  });
  process.on('exit', () => persisted?.discardUnfinished());

  connection.onDidChangeConfiguration(() => void readSettings());
  connection.onNotification(WorkspaceTrustNotification, (p: WorkspaceTrustParams) => {
    state.workspaceTrusted = p?.trusted === true;
    configureHelm();
  });

  documents.onDidOpen((e) => {
    state.index.setOpen(e.document.uri, e.document.getText(), e.document.version);
    // Workaround, root cause not found: after a quick fix, a revert, a close and a reopen, the e2e suite
    // (under load) saw the reopened file without its warning and the status counts at 0 warnings, i.e. the
    // server's own snapshot without the reverted text, unless a pull is asked for shortly after the open.
    // Removing this passed the exthost suite twice on an idle machine and failed it once under load.
    // (A document opened before indexing ends is covered by the refresh after each snapshot below.)
    if (canRefreshDiagnostics) setTimeout(() => connection.languages.diagnostics.refresh().catch(() => undefined), 300);
  });
  documents.onDidChangeContent((e) => state.index.setOpen(e.document.uri, e.document.getText(), e.document.version));
  documents.onDidClose((e) => state.index.close(e.document.uri));

  state.index.onDidChange((snap) => {
    // every new snapshot (the one that ends indexing too) asks the client to pull its open documents again:
    // a document opened before the workspace was read gets its whole-workspace diagnostics
    // (test/server/open-before-indexed.test.ts), a reopened one the current ones
    if (canRefreshDiagnostics) connection.languages.diagnostics.refresh().catch(() => undefined);
    connection.sendNotification(IndexChangedNotification, { version: snap.version }).catch(() => undefined);
    if (canRefreshLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    countFindingsWhenIdle(connection, state, snap);
  });

  watchFiles(connection, state, () => {
    forgetHead(state);
    connection.sendNotification(HeadChangedNotification, {}).catch(() => undefined);
    if (canRefreshLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });
  registerDiagnostics(connection, state, documents);
  registerWorkspaceDiagnostics(connection, state, documents);
  registerHover(connection, state);
  registerCodeLens(connection, state);
  registerCodeActions(connection, state);
  registerRequests(connection, state);
  registerGraph(connection, state);
  registerChanges(connection, state);

  documents.listen(connection);

  // what the initialize request told (main.ts answered it), applied after every handler is registered, as when
  // the handlers were registered at the start and this ran in the initialize handler
  {
    state.folders = (params.workspaceFolders ?? [])
      .map((f) => URI.parse(f.uri))
      .filter((u) => u.scheme === 'file')
      .map((u) => u.fsPath);
    if (state.folders.length === 0 && params.rootUri) state.folders = [URI.parse(params.rootUri).fsPath];
    // scope ids are relative to the workspace folders (kustomize:overlays/prod)
    state.index.scopes.roots = state.folders;
    canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canConfigure = !!params.capabilities.workspace?.configuration;
    canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    canPull = !!params.capabilities.textDocument?.diagnostic; // as main.ts announced diagnosticProvider
    canRefreshDiagnostics = !!params.capabilities.workspace?.diagnostics?.refreshSupport;
    if (!canPull) pushDiagnostics(connection, state, documents);
    // initializationOptions are optional (VS Code's client sends storagePath; other editors send nothing or anything)
    const options: unknown = params.initializationOptions;
    const { storagePath, workspaceTrusted } = (options && typeof options === 'object' ? options : {}) as Record<string, unknown>;
    const storage = typeof storagePath === 'string' ? storagePath : undefined;
    state.storagePath = storage;
    // only an explicit true: an editor that says nothing about trust does not get helm run on its workspace
    state.workspaceTrusted = workspaceTrusted === true;
    configureHelm();
    persisted = PersistedIndex.in(storage, ENGINE_VERSION);
  }
}
