// The NetLens language server's entry (dist/serverMain.js): the LSP connection and the answer to
// `initialize`, which needs nothing of the engine. The rest of the server (serve.ts: the workspace index, the
// handlers, the engine and yaml) is loaded right after that answer has been written, before the connection
// dispatches the next message (vscode-jsonrpc takes one message per turn of the event loop): the editor's activation waits for the answer, not for the engine's module init
// (docs/performance.md, Extension activation). Every handler is registered before `initialized` or any
// request after `initialize` is handled, as when they were registered at the start.
import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';

type Serve = typeof import('./serve');

const connection = createConnection(ProposedFeatures.all);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  // vscode-languageserver writes the answer in promise callbacks once this returns, and vscode-jsonrpc
  // dispatches each next message from its own setImmediate, queued after this one (FIFO): so serve.ts is
  // loaded after the answer is out and before anything else is handled (test/server/lazy-serve.test.ts)
  setImmediate(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: esbuild defers its module init to here
    (require('./serve') as Serve).serve(connection, params);
  });
  // the client pulls diagnostics (textDocument/diagnostic); else they are pushed (as serve.ts reads it too)
  const canPull = !!params.capabilities.textDocument?.diagnostic;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      ...(canPull ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'netlens', version: '0.1.0' },
  };
});

connection.listen();
