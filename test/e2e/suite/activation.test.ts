// The extension activates in a YAML workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, netlensApi, openDocument, waitFor } from './helpers';

suite('activation', () => {
  test('NetLens is present and activates on a YAML workspace', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(
      ext,
      `extension ${EXTENSION_ID} not found; installed: ${
        vscode.extensions.all
          .map((e) => e.id)
          .filter((id) => !id.startsWith('vscode.'))
          .join(', ') || 'none'
      }`,
    );
    // Opening a YAML file fires onLanguage:yaml (workspaceContains:**/*.yaml may already have activated it).
    await openDocument('shop/frontend.yaml');
    await waitFor(`${EXTENSION_ID} to activate by itself`, () => ext.isActive, { timeoutMs: 30_000 });
  });

  test('the server knows whether the workspace is trusted (it runs helm only then)', async () => {
    const api = await netlensApi();
    await api.status.update();
    // code-server runs with workspace trust disabled: trusted, which the server only knows if the client said so
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(api.status.last?.workspaceTrusted, true);
  });

  test('the first server is the process the entry forked before loading the client (client/src/main.ts)', async () => {
    const api = await netlensApi();
    await api.client.start();
    const underDebugger = process.execArgv.some((a) => /^--(inspect|debug)(-brk)?(=|$)/.test(a));
    assert.equal(api.client.startedPrestarted, !underDebugger, `extension host execArgv: ${process.execArgv.join(' ')}`);
    // adopted as LanguageClient keeps a process it forked: stopping it checks that it died
    assert.ok(api.client.languageClient?.serverProcess?.pid, 'the LanguageClient knows the server process');
  });
});
