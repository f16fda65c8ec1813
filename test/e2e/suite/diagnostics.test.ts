// Diagnostics from the language server reach VS Code.
import * as assert from 'node:assert/strict';
import { activateNetLens, fileUri, openDocument, waitForNetLensDiagnostic } from './helpers';

suite('diagnostics', () => {
  suiteSetup(async () => {
    await activateNetLens();
  });

  test('unresolvable-name on the PAYMENTS_URL value in shop/frontend.yaml', async () => {
    const editor = await openDocument('shop/frontend.yaml');
    const d = await waitForNetLensDiagnostic(fileUri('shop/frontend.yaml'), 'unresolvable-name');
    assert.match(d.message, /does not resolve from namespace shop/);
    const flagged = editor.document.getText(d.range);
    assert.match(flagged, /payments-api/, `diagnostic range covers ${JSON.stringify(flagged)}, expected the PAYMENTS_URL value`);
    const line = editor.document.lineAt(d.range.start.line).text;
    assert.match(line, /value:\s*http:\/\/payments-api:8443/, `diagnostic is on line ${d.range.start.line + 1}: ${JSON.stringify(line)}`);
  });
});
