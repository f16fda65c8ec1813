// Workspace diagnostics (workspace/diagnostic): the problems of every indexed file, so that the Problems
// panel lists them before any file is opened. The client asks again about two seconds after each
// answer; the request is held until the index or the settings change, so an idle workspace costs nothing.
// An answer is streamed as partial results in short slices with a turn of the event loop between them:
// hovers and the edited file's pull are not held up on a large workspace. Files whose diagnostics did
// not change since the client's previous result are answered "unchanged" (resultId = a hash of them).
// With netlens.diagnostics.scope = openFiles every file reports none (the open files are pulled per document).
//
// "Unchanged" trusts the client's previous result id to describe what it shows. For a file that was open
// it may not: the client shows its document pulls (which replace the workspace reports it skips while the
// file is open) yet keeps the workspace id of a report it never showed, and on close it drops a document
// pull still in flight. A quick fix, a revert and a close left the fixed file's empty list on screen, and
// the warning, back on disk, was answered "unchanged". So a file opened, edited or closed since its last
// full report made while it was closed is always reported in full.
import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type Connection,
  type TextDocuments,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerState } from '../state';
import type { Snapshot } from '../workspace/snapshot';
import type { Settings } from '../settings';
import { diagnosticsFor } from './diagnostics';

/** how long one slice may compute before the thread is given back */
const SLICE_MS = 8;
/** how often a held request looks for a change */
const HOLD_POLL_MS = 250;

/** A short stable hash of a file's diagnostics (FNV-1a), the report's resultId. */
export function resultIdOf(json: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    h ^= json.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36) + ':' + json.length.toString(36);
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'the request was cancelled');
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function registerWorkspaceDiagnostics(connection: Connection, state: ServerState, documents: TextDocuments<TextDocument>): void {
  /** what the last complete answer was computed from: the same snapshot and settings hold the next request */
  let answered: { snap: Snapshot; settings: Settings } | undefined;
  /** files whose client-side result id may not match what the client shows (see the header) */
  const unsure = new Set<string>();
  const doubt = (e: { document: TextDocument }) => unsure.add(e.document.uri);
  documents.onDidOpen(doubt);
  documents.onDidChangeContent(doubt);
  documents.onDidClose(doubt);
  const indexed = () => !state.indexing && state.lastIndex !== undefined;

  connection.languages.diagnostics.onWorkspace(async (params, token, _workDone, partial) => {
    // hold until there is something new to say (the first indexing done, then a change), and while a
    // rebuild is due (within the debounce time): an answer from the snapshot before it would be stale
    while (
      !indexed() ||
      !state.index.settled ||
      (answered && answered.snap === state.index.snapshot && answered.settings === state.settings)
    ) {
      if (token.isCancellationRequested) throw cancelled();
      await sleep(HOLD_POLL_MS);
    }
    const snap = state.index.snapshot;
    const settings = state.settings;
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    const uris = snap.findingUris();
    const current = new Set(uris);
    // files the client has results for that are gone from the workspace: clear them
    const pending = [...uris, ...[...previous.keys()].filter((u) => !current.has(u))];
    const collected: WorkspaceDocumentDiagnosticReport[] = [];
    let i = 0;
    while (i < pending.length) {
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      const until = Date.now() + SLICE_MS;
      do {
        const uri = pending[i++];
        const diagnostics = settings.diagnosticsScope === 'workspace' && current.has(uri) ? diagnosticsFor(snap, uri, state) : [];
        const resultId = resultIdOf(JSON.stringify(diagnostics));
        if (unsure.has(uri)) {
          items.push({ kind: DocumentDiagnosticReportKind.Full, uri, resultId, version: null, items: diagnostics });
          // reported while closed: from now on the client's id is this report's
          if (!documents.get(uri)) unsure.delete(uri);
        } else if (previous.get(uri) === resultId)
          items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, resultId, version: null });
        else if (diagnostics.length > 0 || previous.has(uri))
          items.push({ kind: DocumentDiagnosticReportKind.Full, uri, resultId, version: null, items: diagnostics });
      } while (i < pending.length && Date.now() < until);
      if (partial) {
        if (items.length > 0) partial.report({ items });
      } else collected.push(...items);
      await nextTurn();
      if (token.isCancellationRequested) throw cancelled();
      // a newer snapshot makes the rest stale: stop here, the client's next request starts from it
      if (state.index.snapshot !== snap || state.settings !== settings) return { items: collected };
    }
    answered = { snap, settings };
    return { items: collected };
  });
}
