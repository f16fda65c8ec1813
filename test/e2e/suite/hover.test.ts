// Hovers from the language server through vscode.executeHoverProvider.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, netlensApi, openDocument, positionOf, waitFor } from './helpers';

suite('hover', () => {
  suiteSetup(async () => {
    await netlensApi();
  });

  test('podSelector of the web-tier policy lists the workloads it selects (shop/frontend[Deployment])', async () => {
    const editor = await openDocument('shop/policies.yaml');
    // the `podSelector:` key of the policy named web-tier (not default-deny's or allow-dns's)
    const pos = positionOf(editor.document, 'podSelector:', { after: 'name: web-tier', offset: 3 });
    let text = '';
    await waitFor(
      'a NetLens hover on the web-tier podSelector',
      async () => {
        text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos));
        return /NetLens/.test(text) && /frontend/.test(text);
      },
      { timeoutMs: 30_000, describe: () => JSON.stringify(text.slice(0, 400)) },
    );
    assert.match(text, /podSelector\s+`[^`]*tier=web[^`]*`\s+selects 1 workload/, text);
    assert.match(text, /shop\/frontend\[Deployment\]|frontend/, text);
    assert.doesNotMatch(text, /cart|redis|payments-api/, `the hover lists workloads web-tier does not select:\n${text}`);
  });

  test('podSelector of default-deny selects every workload of namespace shop', async () => {
    const editor = await openDocument('shop/policies.yaml');
    const pos = positionOf(editor.document, 'podSelector:', { after: 'name: default-deny', offset: 3 });
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos));
    assert.match(text, /selects 3 workloads/, text);
    for (const w of ['frontend', 'cart', 'redis']) assert.match(text, new RegExp(w), `hover lacks ${w}:\n${text}`);
  });
});
