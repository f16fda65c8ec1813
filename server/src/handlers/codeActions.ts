// Quick fixes for NetLens diagnostics, computed from the findings of the snapshot that has the document's latest text.
import type { CodeAction, Connection, TextEdit } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { fixesFor } from '../engine/lint/fixes';
import { toRange } from './convert';
import { checkCancelled } from './cancel';
import { snapshotFor } from './snapshotFor';

export function registerCodeActions(connection: Connection, state: ServerState): void {
  connection.onCodeAction(async (params, token) => {
    state.lastRequest = Date.now();
    checkCancelled(token);
    const uri = params.textDocument.uri;
    const snap = await snapshotFor(state, uri, token);
    if (snap.text(uri) === undefined) return [];
    const li = snap.lines(uri);
    const start = li.offset(params.range.start);
    const end = li.offset(params.range.end);
    const actions: CodeAction[] = [];
    for (const f of snap.findingsFor(uri)) {
      if (f.ref.end < start || f.ref.start > end) continue;
      const diagnostic = params.context.diagnostics.find(
        (d) => d.code === f.code && d.source === 'netlens' && li.offset(d.range.start) === f.ref.start,
      );
      for (const fix of fixesFor(f, { model: snap.model, text: (u) => snap.text(u) })) {
        const changes: Record<string, TextEdit[]> = {};
        for (const e of fix.edits)
          (changes[e.uri] ??= []).push({ range: toRange(snap, { uri: e.uri, start: e.start, end: e.end }), newText: e.newText });
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
          ...(fix.preferred ? { isPreferred: true } : {}),
          edit: { changes },
        });
      }
    }
    return actions;
  });
}
