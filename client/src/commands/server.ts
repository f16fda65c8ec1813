// Server and help commands: restart the server, show its output, open the documentation.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

const DOCS_URL = 'https://github.com/netlens/netlens#readme';

export async function restartServerCommand(ctx: Ctx): Promise<string> {
  ctx.errors.reset();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'NetLens: restarting the server' }, () =>
    ctx.client.restart(),
  );
  return ctx.client.state;
}

export function showOutputCommand(ctx: Ctx): void {
  ctx.output.show(true);
}

/** The README shipped with the extension, in the Markdown preview (works offline); the web page otherwise. */
export async function openDocsCommand(ctx: Ctx): Promise<void> {
  const readme = vscode.Uri.joinPath(ctx.extension.extensionUri, 'README.md');
  try {
    await vscode.workspace.fs.stat(readme);
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  } catch {
    await vscode.env.openExternal(vscode.Uri.parse(DOCS_URL));
  }
}
