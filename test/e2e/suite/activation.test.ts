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
});
