// "NetLens: Explain Connection at Cursor" (netlens.explainAtCursor): asks the server what the cursor is on
// (netlens/explainAt). A connection implied there (e.g. a Service URL in an env value) is explained right
// away; otherwise a query from the workload under the cursor is offered. Args: {uri, position, interactive}.
import * as vscode from 'vscode';
import type * as P from '../../../protocol/messages';
import type { Ctx } from '../ctx';
import { presentQuery, queryCommand } from './query';
import { commandFailed, whenIndexed } from './util';

export interface ExplainAtArgs {
  uri?: string | vscode.Uri;
  position?: P.Position;
  /** false: never open quick picks (only explain a connection found at the position) */
  interactive?: boolean;
  show?: boolean;
}

export interface ExplainAtOutcome extends P.ExplainAtResult {
  /** the query that ran from the workload under the cursor, when the user went on with it */
  followUp?: P.QueryResultDto;
}

export async function explainAtCursorCommand(ctx: Ctx, arg?: ExplainAtArgs): Promise<ExplainAtOutcome | undefined> {
  const editor = vscode.window.activeTextEditor;
  const uri = arg?.uri !== undefined ? arg.uri.toString() : editor?.document.uri.toString();
  const position =
    arg?.position ?? (editor ? { line: editor.selection.active.line, character: editor.selection.active.character } : undefined);
  if (!uri || !position) {
    void vscode.window.showInformationMessage('NetLens: open a Kubernetes manifest and put the cursor on a workload or a host reference.');
    return undefined;
  }
  let at: P.ExplainAtResult;
  try {
    await whenIndexed(ctx);
    at = await ctx.client.explainAt({ uri, position: { line: position.line, character: position.character } });
  } catch (err) {
    return commandFailed(ctx, 'explaining the cursor position', err);
  }
  if (at.query) {
    if (arg?.show !== false) await presentQuery(ctx, at.query);
    return at;
  }
  if (arg?.interactive === false) return at;
  if (at.workload) {
    // No connection at the cursor: the destination picker of a query from this workload is the offer.
    const followUp = await queryCommand(ctx, { from: at.workload });
    return followUp ? { ...at, followUp } : at;
  }
  if (at.policy) {
    void vscode.commands.executeCommand('netlens.focusPolicy', at.policy);
    return at;
  }
  void vscode.window.showInformationMessage(
    'NetLens: put the cursor on a workload, a NetworkPolicy, or a host reference (e.g. a Service URL in an env value).',
  );
  return at;
}
