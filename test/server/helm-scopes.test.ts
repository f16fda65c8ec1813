// Helm chart scopes in the language server: in an untrusted workspace the chart's scope has one
// helm-untrusted finding on Chart.yaml and no objects; once trusted (netlens/workspaceTrust) helm renders it
// in the background, the index rebuilds, and the rendered objects' findings land on the template file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';
import { helmTestGate } from '../support/helm';
import { ScopesRequest, SetScopeRequest, StatusRequest, WorkspaceTrustNotification } from '../../protocol/messages';

const { helm, skip } = helmTestGate('server/helm-scopes.test');
const ws = mkdtempSync(path.join(os.tmpdir(), 'netlens-helm-scopes-'));
cpSync(path.join(repoRoot(), 'test', 'fixtures', 'helm-scopes'), ws, { recursive: true });
const uri = (...p: string[]) => pathToFileURL(path.join(ws, ...p)).toString();

let s: LspSession | undefined;
after(async () => {
  await s?.stop();
  rmSync(ws, { recursive: true, force: true });
});

async function eventually<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a helm scope: helm-untrusted until trusted, then rendered, with findings on the template', { skip }, async () => {
  s = await LspSession.start(ws, { helm: { path: helm } }, { workspaceTrusted: false });
  await s.indexed();
  const scopes = await s.request(ScopesRequest);
  assert.deepEqual(scopes.scopes.map((x) => x.id).sort(), ['helm:web@values-prod.yaml', 'helm:web@values.yaml', 'loose']);
  await s.request(SetScopeRequest, { id: 'helm:web@values-prod.yaml' });
  const untrusted = await s.diagnosticsEventually(uri('web', 'Chart.yaml'), (d) => d.some((x) => x.code === 'helm-untrusted'));
  assert.ok(
    untrusted.some((x) => x.code === 'helm-untrusted'),
    JSON.stringify(untrusted),
  );
  assert.equal((await s.request(StatusRequest)).workloads, 0, 'nothing rendered yet');

  await s.notify(WorkspaceTrustNotification.method, { trusted: true });
  const status = await eventually(
    () => s!.request(StatusRequest),
    (x) => x.workloads === 1,
  );
  assert.equal(status.workloads, 1, 'the Deployment helm rendered');
  assert.equal(status.scope, 'helm:web@values-prod.yaml');
  const d = await s.diagnosticsEventually(uri('web', 'templates', 'policy.yaml'), (x) =>
    x.some((y) => y.code === 'selector-matches-nothing'),
  );
  const finding = d.find((y) => y.code === 'selector-matches-nothing');
  assert.ok(finding, JSON.stringify(d));
  assert.equal(finding.range.start.line, 6, 'the podSelector line of the template');
  assert.deepEqual(
    (await s.diagnostics(uri('web', 'Chart.yaml'))).filter((x) => x.code === 'helm-untrusted'),
    [],
    'trusted: no helm-untrusted finding',
  );
});
