// Diagnostics, pulled (textDocument/diagnostic: the answer waits for the snapshot that includes the
// document's latest version) or, for clients without pull diagnostics, pushed
// (textDocument/publishDiagnostics for the open documents after each snapshot, cleared on close).
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { DocumentDiagnosticReportKind, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { looksLikeKubernetes } from '../engine/parse/sniff';
import type { ServerState } from '../state';
import type { Snapshot } from '../workspace/snapshot';
import { toDiagnostic } from './convert';
import { snapshotFor } from './snapshotFor';
import { exposureDiagnostics } from './changes';
import { patchPolicyIndexSoon } from '../workspace/idlePatch';

/** A document's diagnostics in a snapshot, after the user's severity settings. */
export function diagnosticsFor(snap: Snapshot, uri: string, state: ServerState): Diagnostic[] {
  const findings = snap.findingsFor(uri);
  // a file that does not look like Kubernetes at all (a CI workflow, a compose file) gets no "skipped" hint
  const quiet = findings.some((f) => f.code === 'skipped') && !looksLikeKubernetes(uri, snap.text(uri) ?? '');
  const diagnostics = findings.flatMap((f) => (quiet && f.code === 'skipped' ? [] : (toDiagnostic(snap, f, state.settings.rules) ?? [])));
  // what the edit newly opens to everyone, against git HEAD (trusted workspaces in git only)
  let exposed: Diagnostic[] = [];
  try {
    exposed = exposureDiagnostics(state, snap, uri);
  } catch (e) {
    state.log(`comparing with git HEAD failed: ${String(e)}`); // never at the cost of the file's own diagnostics
  }
  return [...diagnostics, ...exposed];
}

export function registerDiagnostics(connection: Connection, state: ServerState, documents: TextDocuments<TextDocument>): void {
  connection.languages.diagnostics.on(async (params, token) => {
    state.lastRequest = Date.now();
    const uri = params.textDocument.uri;
    const snap = await snapshotFor(state, uri, token, documents.get(uri)?.version);
    const items = diagnosticsFor(snap, uri, state);
    // once these are out, the snapshot's policy index is patched for the lenses that follow the edit
    patchPolicyIndexSoon(state, snap);
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });
}

/**
 * Publishes the diagnostics of every open document after each snapshot that includes its latest
 * version (a document with a newer edit waiting is published by the snapshot that has it), unless
 * they are what was last published for that version; clears them when the document closes.
 */
export function pushDiagnostics(connection: Connection, state: ServerState, documents: TextDocuments<TextDocument>): void {
  const published = new Map<string, string>();
  const publish = (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => {
    const key = `${version}\n${JSON.stringify(diagnostics)}`;
    if (published.get(uri) === key) return;
    published.set(uri, key);
    connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics }).catch(() => undefined);
  };
  state.index.onDidChange((snap) => {
    for (const doc of documents.all()) {
      const version = state.index.includedVersion(doc.uri);
      if (version === undefined) continue;
      publish(doc.uri, version, diagnosticsFor(snap, doc.uri, state));
    }
    patchPolicyIndexSoon(state, snap);
  });
  documents.onDidClose((e) => {
    published.delete(e.document.uri);
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(() => undefined);
  });
}
