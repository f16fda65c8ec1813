// Pull diagnostics: the findings of the last snapshot for the requested document.
import type { Connection } from 'vscode-languageserver';
import { DocumentDiagnosticReportKind } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { toDiagnostic } from './convert';

export function registerDiagnostics(connection: Connection, state: ServerState): void {
  connection.languages.diagnostics.on((params) => {
    state.lastRequest = Date.now();
    const snap = state.index.snapshot;
    const items = snap.findingsFor(params.textDocument.uri).flatMap((f) => toDiagnostic(snap, f, state.settings.rules) ?? []);
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });
}
