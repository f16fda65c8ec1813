// NetLens commands run without throwing.
import * as vscode from 'vscode';
import { activateNetLens, fileUri, openDocument, waitForNetLensDiagnostic } from './helpers';

suite('commands', () => {
  suiteSetup(async () => {
    await activateNetLens();
  });

  test('netlens.showOutput', async () => {
    await vscode.commands.executeCommand('netlens.showOutput');
  });

  test('netlens.restartServer, after which diagnostics come back', async () => {
    await vscode.commands.executeCommand('netlens.restartServer');
    await openDocument('shop/frontend.yaml');
    await waitForNetLensDiagnostic(fileUri('shop/frontend.yaml'), 'unresolvable-name');
  });
});
