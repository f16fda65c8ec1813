// Diagnostics for every kind of client: pushed (textDocument/publishDiagnostics) to a client without pull
// diagnostics, for the opened text and for each edit, cleared on close; and a pull right after an edit
// answers for the edited text (it waits for the snapshot that includes that version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession } from '../support/lsp';
import { policyWithOperator } from '../support/manifests';

const policy = policyWithOperator;
const mentions = (op: string) => (ds: Diagnostic[]) => ds.some((d) => String(d.message).includes(`"${op}" is not valid`));

test('push mode: a client without pull diagnostics gets them published for the opened text, each edit, and cleared on close', async () => {
  const s = await LspSession.start(undefined, {}, undefined, { pull: false });
  try {
    const caps = s.capabilities as { diagnosticProvider?: unknown };
    assert.equal(caps.diagnosticProvider, undefined, 'no pull diagnostics offered to a client that cannot pull');
    const uri = 'untitled:push.yaml';
    await s.open(uri, policy('Equals'));
    const first = await s.publishedDiagnostics(uri, (p) => p.version === 1);
    assert.ok(mentions('Equals')(first.diagnostics), JSON.stringify(first));
    const d = first.diagnostics.find((x) => String(x.message).includes('Equals'))!;
    assert.equal(d.source, 'netlens');
    assert.equal(d.range.start.line, 6);

    await s.change(uri, policy('Matches'));
    const second = await s.publishedDiagnostics(uri, (p) => p.version === 2);
    assert.ok(mentions('Matches')(second.diagnostics) && !mentions('Equals')(second.diagnostics), JSON.stringify(second));

    await s.change(uri, policy('In'));
    const third = await s.publishedDiagnostics(uri, (p) => p.version === 3);
    assert.deepEqual(
      third.diagnostics.filter((x) => String(x.message).includes('operator')),
      [],
    );
    // no publication ever carries a version's diagnostics under another version
    for (const p of s.allPublished(uri)) {
      if (p.version === 1) assert.ok(mentions('Equals')(p.diagnostics));
      if (p.version === 2) assert.ok(mentions('Matches')(p.diagnostics));
    }

    await s.change(uri, policy('Bogus'));
    await s.publishedDiagnostics(uri, (p) => p.version === 4 && mentions('Bogus')(p.diagnostics));
    const before = s.allPublished(uri).length;
    await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await s.publishedDiagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0);
    assert.ok(s.allPublished(uri).length > before);
  } finally {
    await s.stop();
  }
});

test('pull right after an edit answers for the edited text, not the previous snapshot', async () => {
  const s = await LspSession.start();
  try {
    const uri = 'untitled:pull.yaml';
    await s.open(uri, policy('Equals'));
    assert.ok(mentions('Equals')(await s.diagnosticsEventually(uri, mentions('Equals'))));
    // two edits in a burst (the second waits out the debounce), then at once a pull: no polling
    await s.change(uri, policy('Matches'));
    await s.change(uri, policy('Resembles'));
    const items = await s.diagnostics(uri);
    assert.ok(mentions('Resembles')(items), `diagnostics of the edited text: ${JSON.stringify(items.map((d) => d.message))}`);
    assert.ok(!mentions('Equals')(items) && !mentions('Matches')(items));
    // and again, many times over: every pull sees its own edit
    for (let i = 0; i < 20; i++) {
      const op = `Op${i}`;
      await s.change(uri, policy(op));
      assert.ok(mentions(op)(await s.diagnostics(uri)), `edit ${i}`);
    }
  } finally {
    await s.stop();
  }
});

test('a hover right after an edit answers for the edited text (its positions are the edited ones)', async () => {
  const s = await LspSession.start();
  try {
    const uri = 'untitled:hover.yaml';
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web, namespace: shop, labels: {app: web}}',
      'spec: {containers: [{name: c}]}',
      '---',
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: p, namespace: shop}',
      'spec:',
      '  podSelector:',
      '    matchLabels: {app: web}',
      '',
    ].join('\n');
    await s.open(uri, text);
    await s.diagnosticsEventually(uri, () => true);
    // a burst of edits that moves the policy down by 40 lines, then at once a hover on its podSelector
    await s.change(uri, `# one\n${text}`);
    await s.change(uri, `${'# padding\n'.repeat(40)}${text}`);
    const h = await s.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 49, character: 3 },
    });
    // hovers escape workspace text for Markdown: read it unescaped
    assert.match((h?.contents.value ?? 'no hover').replace(/\\(.)/g, '$1'), /shop\/web\[Pod\]/);
  } finally {
    await s.stop();
  }
});
