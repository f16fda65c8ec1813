// The extension's entry (dist/client.js), kept small: activate() forks the language server first, then loads
// the rest of the client (dist/clientMain.js, built from extension.ts: the LanguageClient, the views, the
// commands) while the server starts on another core, and hands the process to the LanguageClient
// (serverProcess.ts; docs/performance.md, Extension activation).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as Extension from './extension';
import type { NetLensApi } from './ctx';
import { forkServer, PrestartedServer, serverLaunch, serverWorkingDir, startedInDebugMode } from './serverProcess';

let extension: typeof Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<NetLensApi> {
  const prestarted = prestart(context);
  if (prestarted) context.subscriptions.push(prestarted);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the second bundle, loaded after the fork
  extension = require(path.join(__dirname, 'clientMain.js')) as typeof Extension;
  return extension.activate(context, prestarted);
}

export async function deactivate(): Promise<void> {
  await extension?.deactivate();
}

/** Forks the server ahead of the client, unless under a debugger or the fork fails (the client then forks it). */
function prestart(context: vscode.ExtensionContext): PrestartedServer | undefined {
  if (startedInDebugMode()) return undefined;
  try {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const cwd = serverWorkingDir(folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined);
    return new PrestartedServer(
      forkServer(
        serverLaunch((p) => context.asAbsolutePath(p), context.globalStorageUri?.fsPath),
        cwd,
      ),
    );
  } catch {
    return undefined;
  }
}
