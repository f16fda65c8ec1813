// NetLens extension entry point: starts the language server; everything else hangs off the client.
import * as vscode from 'vscode';
import { NetLensClient } from './client';

let client: NetLensClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = new NetLensClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('netlens.showOutput', () => client?.showOutput()),
    vscode.commands.registerCommand('netlens.restartServer', () => client?.restart()),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
