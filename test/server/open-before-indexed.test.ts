// A document opened before the initial indexing ends is pulled while the workspace is only partly read:
// its first diagnostics can miss what other files say. The editor's client pulls an open document again
// only on a change or on workspace/diagnostic/refresh, so the server must ask for that pull once the
// workspace is read (main.ts: a refresh after every new snapshot, the one that ends indexing included);
// then the pull has the file's diagnostics as the whole workspace gives them. (The 300 ms refresh after an
// open in main.ts is not what this relies on: the test fails when the refresh after each snapshot goes.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { StatusRequest } from '../../protocol/messages';
import { LspSession, TEST_CLIENT_CAPABILITIES } from '../support/lsp';

const FRONTEND = `apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec:
      containers:
      - name: web
        image: example/web:1
        env:
        - {name: PAYMENTS_URL, value: "http://payments-api:8443"}
`;

const PAYMENTS = `apiVersion: v1
kind: Service
metadata: {name: payments-api, namespace: payments}
spec:
  selector: {app: payments-api}
  ports: [{port: 8443}]
`;

/** many small manifests, so that indexing takes a while after the document is opened */
const FILLER = (i: number) => `apiVersion: v1
kind: ConfigMap
metadata: {name: filler-${i}, namespace: fill}
data: {k: v${i}}
`;

const fullAdvice = (d: Diagnostic[]) => d.some((x) => String(x.message).includes('use payments-api.payments.svc.cluster.local'));

test('a document opened before indexing ends gets its whole-workspace diagnostics once indexing ends', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netlens-early-open-'));
  const frontend = path.join(dir, 'shop', 'frontend.yaml');
  mkdirSync(path.dirname(frontend), { recursive: true });
  mkdirSync(path.join(dir, 'fill'));
  writeFileSync(frontend, FRONTEND);
  for (let i = 0; i < 600; i++) writeFileSync(path.join(dir, 'fill', `f${String(i).padStart(4, '0')}.yaml`), FILLER(i));
  writeFileSync(path.join(dir, 'zz-payments.yaml'), PAYMENTS);
  const uri = pathToFileURL(frontend).toString();

  const s = LspSession.spawn({ configuration: () => ({}) });
  /** when each workspace/diagnostic/refresh arrived */
  const refreshes: number[] = [];
  s.conn.onRequest('workspace/diagnostic/refresh', () => {
    refreshes.push(Date.now());
    return null;
  });
  try {
    await s.initialize(dir, TEST_CLIENT_CAPABILITIES);
    // opened at once, like the editor restoring an open file: the server has not read the folder yet
    await s.open(uri, FRONTEND);
    const early = await s.diagnostics(uri);
    const earlyAt = Date.now();
    const during = await s.request(StatusRequest);
    assert.ok(!during.lastIndex, 'the first pull is answered before the server has read the folder (the case this covers)');
    assert.ok(!fullAdvice(early), `before payments-api is read the advice cannot name it: ${JSON.stringify(early)}`);

    const status = await s.indexed();
    assert.ok(!status.indexing && status.lastIndex, 'indexing ended');
    // the client is told to pull again after its early answer...
    const deadline = Date.now() + 5_000;
    while (!refreshes.some((t) => t > earlyAt) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(
      refreshes.some((t) => t > earlyAt),
      'no workspace/diagnostic/refresh after the early pull: the editor would keep showing its answer',
    );
    // ...and that pull has what the whole workspace says
    const late = await s.diagnostics(uri);
    assert.ok(fullAdvice(late), `after indexing: ${JSON.stringify(late)}`);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
