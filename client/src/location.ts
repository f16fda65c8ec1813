// Converting the server's locations (protocol.ts) to VS Code's, and showing them in an editor.
import * as vscode from 'vscode';
import type * as P from '../../protocol/messages';

function toRange(r: P.Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Accepts a protocol Location, a vscode.Location, or an object carrying one as `location`. */
export function asLocation(arg: unknown): P.Location | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  if (arg instanceof vscode.Location) {
    const r = arg.range;
    return {
      uri: arg.uri.toString(),
      range: { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } },
    };
  }
  const o = arg as { uri?: unknown; range?: unknown; location?: unknown };
  if (typeof o.uri === 'string' && o.range && typeof o.range === 'object') return o as P.Location;
  return o.location !== undefined ? asLocation(o.location) : undefined;
}

/** Opens the location's document with its range selected and in view. */
export async function showLocation(
  loc: P.Location,
  options: { preview?: boolean; preserveFocus?: boolean; viewColumn?: vscode.ViewColumn } = {},
): Promise<vscode.TextEditor> {
  const range = toRange(loc.range);
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(loc.uri), {
    selection: new vscode.Range(range.start, range.start.line === range.end.line ? range.end : range.start),
    preview: options.preview ?? true,
    preserveFocus: options.preserveFocus ?? false,
    ...(options.viewColumn !== undefined ? { viewColumn: options.viewColumn } : {}),
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

/** A short `file.yaml:12` for tooltips and descriptions. */
export function shortLocation(loc: P.Location): string {
  const path = vscode.Uri.parse(loc.uri);
  return `${vscode.workspace.asRelativePath(path, false)}:${loc.range.start.line + 1}`;
}
