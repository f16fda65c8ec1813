import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspSession } from '../support/lsp';

test('server over stdio: initialize, open a document, pull its diagnostics', async () => {
  const s = await LspSession.start();
  try {
    const caps = s.capabilities as { diagnosticProvider?: { interFileDependencies?: boolean } };
    assert.equal(caps.diagnosticProvider?.interFileDependencies, true);
    const uri = 'untitled:Untitled-1';
    await s.open(
      uri,
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: bad}',
        'spec:',
        '  podSelector:',
        '    matchExpressions:',
        '    - {key: app, operator: Equals, values: [a]}',
      ].join('\n'),
    );
    const items = await s.diagnosticsEventually(uri, (d) => d.length > 0);
    const d = items.find((x) => /Equals/.test(String(x.message)));
    assert.ok(d, JSON.stringify(items));
    assert.equal(d.source, 'netlens');
    assert.equal(d.range.start.line, 6);
  } finally {
    await s.stop();
  }
});
