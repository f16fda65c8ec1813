// Diagnostics from the language server reach VS Code (vscode.languages.getDiagnostics), and their quick fixes
// (vscode.executeCodeActionProvider + vscode.workspace.applyEdit) remove them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateNetLens,
  codeOf,
  describeDiagnostics,
  fileUri,
  netlensApi,
  openDocument,
  revertAndClose,
  waitFor,
  waitForNetLensDiagnostic,
} from './helpers';

/** A namespace whose pods are isolated for egress with nothing allowing DNS (written into the workspace copy). */
const DENY_EGRESS = `apiVersion: v1
kind: Namespace
metadata:
  name: sandbox
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: sandbox
spec:
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      containers:
      - name: worker
        image: example/worker:1.0.0
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: sandbox
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

/** The NetLens quick fixes at a diagnostic, as the light bulb asks for them. */
async function quickFixes(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    d.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return (all ?? []).filter((a): a is vscode.CodeAction => 'edit' in a || 'kind' in a || 'diagnostics' in a);
}

function noDiagnostic(uri: vscode.Uri, code: string, what: string): Promise<true> {
  return waitFor(what, () => !vscode.languages.getDiagnostics(uri).some((x) => x.source === 'netlens' && codeOf(x) === code), {
    timeoutMs: 30_000,
    describe: () => describeDiagnostics(uri),
  });
}

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

  test('quick fix for unresolvable-name (applied with applyEdit) writes the FQDN and removes the diagnostic', async () => {
    const uri = fileUri('shop/frontend.yaml');
    try {
      const editor = await openDocument('shop/frontend.yaml');
      const d = await waitForNetLensDiagnostic(uri, 'unresolvable-name');
      const fixes = await quickFixes(uri, d);
      const fix = fixes.find((a) => /payments-api\.payments\.svc\.cluster\.local/.test(a.title));
      assert.ok(
        fix,
        `no quick fix naming payments-api.payments.svc.cluster.local; offered: ${fixes.map((a) => JSON.stringify(a.title)).join(', ') || 'none'}`,
      );
      assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.ok(fix.edit, `quick fix "${fix.title}" has no edit`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'workspace.applyEdit returned false');
      const line = editor.document.lineAt(d.range.start.line).text;
      assert.match(
        line,
        /value:\s*http:\/\/payments-api\.payments\.svc\.cluster\.local:8443\s*$/,
        `after the fix the line reads ${JSON.stringify(line)}`,
      );
      await noDiagnostic(uri, 'unresolvable-name', 'the unresolvable-name diagnostic to go away after the quick fix');
    } finally {
      await revertAndClose(uri);
    }
    // Back to the file on disk: the diagnostic returns (later tests rely on it).
    await openDocument('shop/frontend.yaml');
    await waitForNetLensDiagnostic(uri, 'unresolvable-name');
  });

  test('dns-egress-blocked on a default-deny-egress policy, and its quick fix adds allow-dns', async () => {
    const api = await netlensApi();
    const uri = fileUri('scratch/deny-egress.yaml');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(DENY_EGRESS));
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
      const d = await waitForNetLensDiagnostic(uri, 'dns-egress-blocked');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      const line = editor.document.lineAt(d.range.start.line).text;
      const policyStart = editor.document.getText().split('\n').lastIndexOf('---');
      assert.ok(
        d.range.start.line > policyStart,
        `the diagnostic is on line ${d.range.start.line + 1} (${JSON.stringify(line)}), expected in the default-deny-egress policy (after line ${policyStart + 1})`,
      );
      assert.match(d.message, /DNS|53/, d.message);

      const fixes = await quickFixes(uri, d);
      const fix = fixes.find((a) => /allow-dns/.test(a.title));
      assert.ok(
        fix?.edit,
        `no allow-dns quick fix with an edit; offered: ${fixes.map((a) => JSON.stringify(a.title)).join(', ') || 'none'}`,
      );
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(editor.document.getText(), /name: allow-dns[\s\S]*k8s-app: kube-dns[\s\S]*port: 53/);
      await noDiagnostic(uri, 'dns-egress-blocked', 'dns-egress-blocked to go away after adding allow-dns');
    } finally {
      // Empty the document before deleting the file: the server keeps an open document's text (VS Code keeps
      // the document open for a while after its editor closes), whatever happens to the file on disk.
      const doc = vscode.workspace.textDocuments.find((x) => x.uri.toString() === uri.toString());
      if (doc) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), '# emptied by the e2e test\n');
        await vscode.workspace.applyEdit(edit);
        await doc.save();
      }
      await revertAndClose(uri);
      await vscode.workspace.fs.delete(uri);
      // The sandbox namespace leaves the index again (the tree and matrix tests expect only the example).
      await waitFor(
        'the sandbox namespace to leave the index',
        async () => {
          const r = await api.client.namespaces();
          return !r.namespaces.some((n) => n.name === 'sandbox');
        },
        { timeoutMs: 30_000 },
      );
    }
  });
});
